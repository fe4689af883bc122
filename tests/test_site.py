"The site builder's page preparation (tools/build_site.py), without executing notebooks or a browser."
import importlib.util, json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location('build_site', ROOT/'tools'/'build_site.py')
bs = importlib.util.module_from_spec(spec); spec.loader.exec_module(bs)


def code(src, outputs=()): return {'cell_type': 'code', 'source': src, 'metadata': {}, 'outputs': list(outputs), 'execution_count': None}


def test_sidebar_lists_every_notebook():
    listed = [n for _, ns in bs.sidebar() for n in ns]
    assert sorted(listed) == sorted(p.name for p in (ROOT/'nbs').glob('*.ipynb')), 'edit nbs/sidebar.yml'
    assert listed[0] == 'index.ipynb' and len(listed) == len(set(listed))


def test_prepare_applies_cell_options_and_outputs():
    fig = {'data': [{'type': 'bar', 'y': [1, 2]}], 'layout': {'title': {'text': 'T'}}}
    nb = {'cells': [
        {'cell_type': 'raw', 'source': '---\ntitle: X\n---', 'metadata': {}},
        code('#| include: false\nsecret = 1'),
        code('#| echo: false\n#| output: asis\nshow_doc(f)', [{'output_type': 'execute_result', 'metadata': {}, 'execution_count': 1, 'data': {
            'text/markdown': '[source](https://x/y.py#L1){target="_blank" style="float:right; font-size:smaller"}\n\n### f'}}]),
        code('fig', [{'output_type': 'display_data', 'metadata': {}, 'data': {'application/vnd.plotly.v1+json': fig, 'text/html': '<div>cdn</div>'}},
                     {'output_type': 'execute_result', 'metadata': {}, 'execution_count': 2, 'data': {}}]),
        code('w', [{'output_type': 'execute_result', 'metadata': {}, 'execution_count': 3, 'data': {
            'text/plain': 'VBox(children=())', 'application/vnd.jupyter.widget-view+json': {'model_id': 'a'}}}]),
        code('train()', [{'output_type': 'stream', 'name': 'stderr', 'text': ' 40%|####      | 4/10'},
                         {'output_type': 'stream', 'name': 'stdout', 'text': 'done'}]),
    ], 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}
    out, uses_plotly = bs.prepare(json.loads(json.dumps(nb)))
    cells = out['cells']
    assert uses_plotly and len(cells) == 4                      # frontmatter and include: false dropped
    assert 'remove_input' in cells[0]['metadata']['tags'] and '#|' not in cells[0]['source']
    assert '<a class="source-link" href="https://x/y.py#L1" target="_blank">source</a>' in cells[0]['outputs'][0]['data']['text/markdown']
    (o,) = cells[1]['outputs']                                    # the figure's empty result is gone
    assert list(o['data']) == ['text/html'] and 'Plotly.newPlot("plotly-1"' in o['data']['text/html'] and '"T"' in o['data']['text/html']
    assert 'open this notebook there' in cells[2]['outputs'][0]['data']['text/html'] and 'VBox' in cells[2]['outputs'][0]['data']['text/html']
    assert [x['name'] for x in cells[3]['outputs']] == ['stdout']  # progress bars dropped


def test_links_between_pages():
    body = '<a href="https://seca-nb.github.io/seca_nb/learner.html#Learner">L</a> <a href="15_tutorial_five_minutes.ipynb">T</a> <a href="./16_howto_reproduce.ipynb#run">R</a>'
    got = bs.fix_links(body, {'15_tutorial_five_minutes.ipynb': 'tutorial_five_minutes.html', '16_howto_reproduce.ipynb': 'howto_reproduce.html'},
                       'https://seca-nb.github.io/seca_nb/')
    assert got == '<a href="learner.html#Learner">L</a> <a href="tutorial_five_minutes.html">T</a> <a href="howto_reproduce.html#run">R</a>'


def test_frontmatter():
    assert bs.frontmatter({'cells': [{'cell_type': 'raw', 'source': ['---\n', 'title: A\n', 'output-file: a.html\n', '---\n']}]}) == {'title': 'A', 'output-file': 'a.html'}
    assert bs.frontmatter({'cells': []}) == {}


def test_inline_code():
    assert bs.inline_code('a `Learner` & <b>') == 'a <code>Learner</code> &amp; &lt;b&gt;'


def test_no_reference_to_files_outside_the_repository():
    "The kit states its method itself: no page or module sends readers to a note outside the repository."
    bad = []
    for p in [*(ROOT/'nbs').glob('*.ipynb'), *(ROOT/'seca_nb').glob('*.py'), ROOT/'README.md']:
        text = p.read_text()
        for needle in ('SECA.md', '../shared', 'TRAPS.md'):
            if needle in text: bad.append(f'{p.relative_to(ROOT)}: {needle}')
    assert not bad, bad


def test_math_becomes_mathml_outside_code():
    got = bs.render_math('<p>Inline $f \\cdot T_t^\\top$, a price of 5 $ and <code>$x$</code>:</p>\n$$\\mathcal{L} = \\mathrm{CE}(s f T^\\top, y)$$')
    assert got.count('<math') == 2 and 'display="block"' in got and 'display="inline"' in got
    assert '<code>$x$</code>' in got and 'a price of 5 $' in got                 # code and lone dollars stay as they are
    assert 'data-tex="f \\cdot T_t^\\top"' in got
    with pytest.raises(SystemExit, match='cannot render the formula'): bs.render_math('$$\\left( x$$')


def test_docment_links_and_lowercase_anchors():
    body = '<h3 id="TaskInputs">TaskInputs</h3><span class="c1"># the task&#39;s [`Relabeled`](https://seca-nb.github.io/seca_nb/streams.html#relabeled) set</span>'
    got = bs.fix_links(bs.docment_links(body), {}, 'https://seca-nb.github.io/seca_nb/')
    assert '<a class="doclink" href="streams.html#relabeled"><code>Relabeled</code></a>' in got
    assert got.startswith('<span id="taskinputs"></span><h3 id="TaskInputs">')


def test_search_entries_per_section():
    body = '<p>intro text</p><h2 id="resume">Resume a run<a class="anchor-link" href="#resume">¶</a></h2><p>Use <code>--resume</code> after a kill.</p><h3 id="Learner.fit_task">Learner.fit_task</h3><p>Learn task t.</p>'
    es = bs.search_entries(body, 'learner.html', 'Learner')
    assert [e['url'] for e in es] == ['learner.html', 'learner.html#resume', 'learner.html#Learner.fit_task']
    assert es[1]['heading'] == 'Resume a run' and '--resume after a kill' in es[1]['text'] and es[2]['heading'] == 'Learner.fit_task'


def test_every_formula_of_every_page_becomes_mathml_without_raw_tex():
    "Each $…$ and $$…$$ of the notebooks' markdown converts, and no TeX command is left as text in its MathML."
    assert bs.raw_tex('<math><mi>\\arg</mi><mo>max</mo></math>') == ['\\arg']
    with pytest.raises(SystemExit, match='leaves TeX that MathML shows as text'): bs.render_math('$$\\arg\\max_k x$$')
    n = 0
    for nb in sorted((ROOT / 'nbs').glob('*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            if c['cell_type'] != 'markdown': continue
            src = ''.join(c['source'])
            if '$' not in src: continue
            html_ = bs.render_math(src.replace('<', '&lt;'))   # raises naming the formula it cannot render cleanly
            n += html_.count('<math ')
    assert n > 20, n
