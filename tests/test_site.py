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
