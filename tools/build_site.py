"""Build the documentation site from `nbs/` offline, without Quarto: `python tools/build_site.py [--out _site]`.

Pipeline, one notebook per worker:
1. execute the notebook as `nbdev_test` does (execnb's `CaptureShell`; cells flagged with a `tst_flags` flag such as
   `slow`, and `#| eval: false` cells, are not run and keep the outputs saved in the notebook);
2. apply nbdev's own documentation processors (`FilterDefaults`: `#| hide`, `#| export`, `show_doc`, frontmatter, links)
   -- the same ones `nbdev_proc_nbs` / `nbdev_docs` use, so the site and a Quarto build show the same cells;
3. render with nbconvert's `HTMLExporter` (JupyterLab's notebook styles, pygments), plotly outputs as live figures over one
   shared copy of plotly.js, widgets as a note (they need a kernel);
4. wrap each page in a layout whose sidebar comes from `nbs/sidebar.yml` (the file Quarto reads too);
5. mathematics: every `$…$` and `$$…$$` of the markdown becomes MathML at build time (latex2mathml), which browsers
   render natively: no script, no network;
6. search: an index of every page's sections (title, heading, prose, API names) in `assets/search-index.js`, read by a
   small script behind the search box of every page (it works from `file://` too).
"""
import argparse, concurrent.futures as cf, copy, html, json, os, re, shutil, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'

def nb_meta()->dict:
    "Settings the site needs from settings.ini."
    from nbdev.config import get_config
    cfg = get_config()
    return {'title': cfg.lib_name, 'description': cfg.description, 'doc_url': f"{cfg.doc_host}{cfg.doc_baseurl}".rstrip('/') + '/',
            'git_url': cfg.git_url, 'flags': set(cfg.get('tst_flags', '').split())}

def sidebar()->list:
    "The sidebar as [(section or None, [notebook, ...]), ...] from nbs/sidebar.yml."
    import yaml
    items = yaml.safe_load((NBS/'sidebar.yml').read_text())['website']['sidebar']['contents']
    out = []
    for it in items:
        if isinstance(it, str): out.append((None, [it]))
        else: out.append((it['section'], list(it['contents'])))
    return out

# plotly figures as their JSON (JupyterLab and the site draw them), not as 4.8 MB of inlined plotly.js
PLOTLY_SETUP = "import plotly.io as _pio; _pio.renderers.default = 'plotly_mimetype'"

def is_noise(o:dict)->bool:
    "A progress bar, or the empty result of a cell that displayed a figure."
    if o.get('output_type') == 'stream' and o.get('name') == 'stderr': return bool(re.search(r'\d+%\|', ''.join(o.get('text', ''))))
    return o.get('output_type') == 'execute_result' and not o.get('data')

# ---------------------------------------------------------------- 1 + 2: execute and process one notebook (in a worker)
def execute_and_process(src:str, flags:set)->dict:
    "Execute notebook `src` like nbdev_test, then apply nbdev's doc processors; returns the processed notebook as JSON."
    os.environ['IN_TEST'] = '1'
    from execnb.nbio import read_nb, dict2nb
    from execnb.shell import CaptureShell
    from nbdev.process import NBProcessor
    from nbdev.processors import FilterDefaults
    from fastcore.xtras import working_directory
    src = Path(src); t0 = time.time()
    nb = read_nb(src)
    run = dict2nb(copy.deepcopy(dict(nb)))         # directives are stripped from the copy that runs
    NBProcessor(nb=run)                            # sets cell.directives_
    def skip(cell):
        if cell.cell_type != 'code' or 'nbdev_export' + '(' in cell.source: return True
        d = getattr(cell, 'directives_', {}) or {}
        if d.get('eval:', [''])[0].lower() == 'false': return True
        return bool(flags & d.keys())
    k = CaptureShell(src)
    k.run(PLOTLY_SETUP)
    err = None
    with working_directory(src.parent):
        try: k.run_all(run, exc_stop=True, preproc=skip)
        except Exception: err = k.prettytb(fname=src)
    if err: return {'name': src.name, 'error': err}
    for c, r in zip(nb.cells, run.cells):
        if c.cell_type == 'code' and not skip(r): c['outputs'] = r.get('outputs', [])
    FilterDefaults()(nb)
    return {'name': src.name, 'nb': json.loads(json.dumps(nb, default=str)), 'exec_s': round(time.time() - t0, 1)}

# ---------------------------------------------------------------- 3: render
_DIRECTIVE = re.compile(r'^\s*#\|\s*([\w-]+):?\s*(.*)$')

def frontmatter(nb:dict)->dict:
    import yaml
    for c in nb['cells']:
        s = ''.join(c['source']) if isinstance(c['source'], list) else c['source']
        if c['cell_type'] == 'raw' and s.lstrip().startswith('---'):
            return yaml.safe_load(s.strip().strip('-')) or {}
    return {}

def plotly_html(fig:dict, n:int)->str:
    "A plotly figure as a div drawn by the page's shared plotly.js."
    i = f'plotly-{n}'
    js = json.dumps(fig).replace('</', '<\\/')
    return (f'<div id="{i}" class="plotly-figure"></div><script>(function(){{var f={js};'
            f'Plotly.newPlot("{i}", f.data, f.layout, {{responsive: true, displaylogo: false}});}})();</script>')

def prepare(nb:dict)->tuple[dict, bool]:
    "Apply Quarto's cell options and make outputs static-site friendly; returns (notebook, uses plotly)."
    cells, n, uses_plotly = [], 0, False
    for c in nb['cells']:
        s = ''.join(c['source']) if isinstance(c['source'], list) else c['source']
        if c['cell_type'] == 'raw': continue                                      # frontmatter
        if c['cell_type'] == 'markdown' and 'AUTOGENERATED! DO NOT EDIT' in s: continue
        if c['cell_type'] == 'code':
            opts, lines = {}, []
            for l in s.splitlines():
                m = _DIRECTIVE.match(l)
                if m: opts[m.group(1)] = m.group(2).strip()
                else: lines.append(l)
            if opts.get('include') == 'false': continue
            c['source'] = '\n'.join(lines).strip('\n')
            tags = c.setdefault('metadata', {}).setdefault('tags', [])
            if opts.get('echo') == 'false' or not c['source']: tags.append('remove_input')
            if opts.get('output') == 'false': c['outputs'] = []
            outs = []
            for o in c.get('outputs', []):
                d = o.get('data', {})
                if is_noise(o): continue
                if 'text/markdown' in d:   # show_doc's Pandoc link attributes, which Quarto understands and markdown does not
                    md = ''.join(d['text/markdown'])
                    d['text/markdown'] = re.sub(r'\[([^\]]+)\]\(([^)\s]+)\)\{target="_blank" style="[^"]*"\}', r'<a class="source-link" href="\2" target="_blank">\1</a>', md)
                if 'application/vnd.plotly.v1+json' in d:
                    n += 1; uses_plotly = True
                    o = {'output_type': 'display_data', 'metadata': {}, 'data': {'text/html': plotly_html(d['application/vnd.plotly.v1+json'], n)}}
                elif 'application/vnd.jupyter.widget-view+json' in d:
                    kind = ''.join(d.get('text/plain', 'widget')).split('(')[0]
                    o = {'output_type': 'display_data', 'metadata': {}, 'data': {'text/html':
                         f'<div class="widget-note">An interactive widget ({html.escape(kind)}) is shown here in JupyterLab: open this notebook there to use it.</div>'}}
                elif 'text/html' in d and 'window.PlotlyConfig' in ''.join(d['text/html']) and 'plotly-graph-div' not in ''.join(d['text/html']): continue
                outs.append(o)
            c['outputs'] = outs
            if not c['source'] and not outs: continue
        cells.append(c)
    nb = {**nb, 'cells': cells}
    return nb, uses_plotly

_KEEP = re.compile(r'(<pre\b.*?</pre>|<code\b.*?</code>|<script\b.*?</script>|<style\b.*?</style>|<math\b.*?</math>)', re.S)
_DISPLAY = re.compile(r'\$\$(.+?)\$\$', re.S)
_INLINE = re.compile(r'(?<![\\$\w])\$(?![\s$])([^$\n<>]+?)(?<![\s\\])\$(?![\w$])')

def raw_tex(mathml:str)->list[str]:
    "TeX commands that a MathML conversion left as text (latex2mathml passes unknown ones through, e.g. \\arg)."
    return sorted(set(re.findall(r'>[^<]*?(\\(?:[A-Za-z]+|\|))', mathml)))

def render_math(body:str)->str:
    "TeX between $…$ / $$…$$ outside code, as MathML (rendered by the browser itself)."
    from latex2mathml.converter import convert
    def tex(m, display):
        src = html.unescape(m.group(1)).strip()
        try: out = convert(src, display='block' if display else 'inline')
        except Exception as e: raise SystemExit(f"FAIL: cannot render the formula {src!r} ({type(e).__name__}: {e}); fix its TeX in the notebook")
        if raw := raw_tex(out):
            raise SystemExit(f"FAIL: the formula {src!r} leaves TeX that MathML shows as text ({', '.join(raw)}); "
                             "write it another way, e.g. \\underset{k}{\\mathrm{arg\\,max}} for \\arg\\max_k")
        return out.replace('<math ', f'<math data-tex="{html.escape(src)}" ', 1)
    parts = _KEEP.split(body)
    for i in range(0, len(parts), 2):
        parts[i] = _INLINE.sub(lambda m: tex(m, False), _DISPLAY.sub(lambda m: tex(m, True), parts[i]))
    return ''.join(parts)

def text_of(fragment:str)->str:
    "The visible text of an HTML fragment (math as its TeX), whitespace collapsed."
    fragment = re.sub(r'<(script|style)\b.*?</\1>', ' ', fragment, flags=re.S)
    fragment = re.sub(r'<math\b[^>]*data-tex="([^"]*)".*?</math>', lambda m: ' ' + m.group(1) + ' ', fragment, flags=re.S)
    return re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', fragment))).strip()

def search_entries(body:str, page:str, title:str)->list:
    "One search entry per section of a page: its heading, anchor and text (prose, code and API names)."
    heads = list(re.finditer(r'<h([1-4])[^>]*id="([^"]+)"[^>]*>(.*?)</h\1>', body, flags=re.S))
    out, starts = [], [(0, '', '')] + [(m.end(), m.group(2), text_of(m.group(3)).replace('¶', '').strip()) for m in heads]
    ends = [m.start() for m in heads] + [len(body)]
    for (start, anchor, heading), end in zip(starts, ends):
        t = text_of(body[start:end])
        if not t and not heading: continue
        out.append({'page': page, 'title': title, 'heading': heading, 'url': page + (f'#{anchor}' if anchor else ''), 'text': t[:3000]})
    return out

def docment_links(body:str)->str:
    "Links that nbdev writes into signatures' parameter comments ([`name`](url), left as text in code) become links; headings get lower-case anchors as nbdev's links use."
    body = re.sub(r'\[`([^`\]]+)`\]\(([^)\s]+)\)', lambda m: f'<a class="doclink" href="{m.group(2)}"><code>{m.group(1)}</code></a>', body)
    return re.sub(r'(<h[1-4][^>]*\bid="([^"]*[A-Z][^"]*)"[^>]*>)', lambda m: f'<span id="{m.group(2).lower()}"></span>{m.group(1)}', body)

def fix_links(body:str, links:dict, doc_url:str)->str:
    "Links to the published site or to notebooks become links between the built pages."
    body = body.replace(f'href="{doc_url}', 'href="')
    return re.sub(r'href="(?:\./)?([\w.-]+\.ipynb)', lambda m: f'href="{links.get(m.group(1), m.group(1))}', body)

def inline_code(text:str)->str:
    "Escape plain text for HTML, with `backticks` as code."
    return re.sub(r'`([^`]+)`', r'<code>\1</code>', html.escape(text))

ACTIVE = ' class="active"'
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {site}</title><meta name="description" content="{desc_attr}">
<link rel="stylesheet" href="assets/notebook.css"><link rel="stylesheet" href="assets/site.css">
{plotly}</head>
<body><div class="layout">
<nav class="sidebar"><a class="brand" href="index.html">{site}</a><p class="tagline">{tagline}</p>
<div class="search"><input id="search" type="search" placeholder="Search the docs" aria-label="Search the docs" autocomplete="off"><ol id="search-results"></ol></div>{nav}
<p class="foot"><a href="{git_url}">source</a> · built from the notebooks in <code>nbs/</code></p></nav>
<main class="content"><header><h1>{title}</h1>{desc}</header>
<div class="jp-Notebook">{body}</div>
<footer>{prevnext}</footer></main></div><script src="assets/search.js"></script></body></html>
"""

SEARCH_JS = r"""// The search box: loads assets/search-index.js on first use, then ranks sections whose title, heading or text holds every word.
(function () {
  const box = document.getElementById('search'), list = document.getElementById('search-results');
  if (!box) return;
  let index = null;
  function load(then) {
    if (index) return then();
    const s = document.createElement('script'); s.src = 'assets/search-index.js';
    s.onload = () => { index = window.SEARCH_INDEX.map(e => ({ ...e, h: (e.heading || '').toLowerCase(), t: e.title.toLowerCase(), x: e.text.toLowerCase() })); then(); };
    document.head.appendChild(s);
  }
  function esc(s) { return s.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }
  function search() {
    const q = box.value.trim().toLowerCase(), words = q.split(/\s+/).filter(Boolean);
    list.innerHTML = '';
    if (!words.length) return;
    const hits = [];
    for (const e of index) {
      if (!words.every(w => e.h.includes(w) || e.t.includes(w) || e.x.includes(w))) continue;
      let score = 0;
      for (const w of words) score += 6 * e.h.includes(w) + 3 * e.t.includes(w) + Math.min(5, e.x.split(w).length - 1);
      if (e.t === q || e.h === q) score += 20;   // the page or section named exactly so first
      if (!e.h && e.t.includes(q)) score += 4;  // then a page's top over its sections
      hits.push([score, e]);
    }
    hits.sort((a, b) => b[0] - a[0]);
    for (const [, e] of hits.slice(0, 12)) {
      const i = e.x.indexOf(words[0]), snip = e.text.slice(Math.max(0, i - 40), i + 80);
      const li = document.createElement('li');
      li.innerHTML = `<a href="${e.url}"><b>${esc(e.title)}</b>${e.heading ? ' › ' + esc(e.heading) : ''}<span>${esc(snip)}</span></a>`;
      list.appendChild(li);
    }
    if (!hits.length) list.innerHTML = '<li class="none">no match</li>';
  }
  box.addEventListener('input', () => load(search));
  box.addEventListener('focus', () => load(() => {}));
})();
"""

SITE_CSS = """
:root { --side: 270px; --accent: #2a6cb0; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; background: #fff; }
.layout { display: flex; min-height: 100vh; }
.sidebar { width: var(--side); flex: none; background: #f6f8fa; border-right: 1px solid #e1e4e8; padding: 18px 16px;
  position: sticky; top: 0; height: 100vh; overflow-y: auto; box-sizing: border-box; font-size: 14px; }
.sidebar .brand { font-size: 20px; font-weight: 700; color: #111; text-decoration: none; }
.sidebar .tagline { color: #555; font-size: 12.5px; margin: 4px 0 14px; line-height: 1.35; }
.sidebar h4 { margin: 16px 0 4px; font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: #666; }
.sidebar ul { list-style: none; margin: 0; padding: 0; }
.sidebar li a { display: block; padding: 3px 8px; border-radius: 4px; color: #24292e; text-decoration: none; }
.sidebar li a:hover { background: #e8eef5; }
.sidebar li a.active { background: var(--accent); color: #fff; }
.sidebar .foot { margin-top: 20px; font-size: 12px; color: #666; }
.content { flex: 1; min-width: 0; max-width: 1060px; padding: 20px 40px 60px; box-sizing: border-box; }
.content header h1 { margin: 8px 0 4px; font-size: 30px; }
.content header .description { color: #555; font-size: 17px; margin: 0 0 18px; }
.jp-Notebook { padding: 0 !important; overflow: visible !important; }
.jp-Cell { padding: 2px 0 !important; }
.jp-InputPrompt, .jp-OutputPrompt { display: none !important; }
.jp-RenderedHTMLCommon { font-size: 15px; line-height: 1.55; padding-right: 0 !important; }
.jp-RenderedHTMLCommon table { font-size: 13px; }
.jp-CodeCell .jp-InputArea-editor, .jp-CodeCell .jp-Editor { background: #f6f8fa !important; border: 1px solid #e1e4e8; border-radius: 5px; }
.jp-OutputArea-output pre { font-size: 12.5px; }
.plotly-figure { margin: 6px 0 14px; }
.jp-RenderedMarkdown pre { white-space: pre; overflow-x: auto; background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 5px; padding: 8px 10px; font-size: 13px; }
.jp-RenderedMarkdown pre code { background: none; }
.jp-RenderedHTMLCommon a.source-link { float: right; font-size: 13px; }
a.doclink { color: var(--accent); } a.doclink code { background: none; color: inherit; }
.jp-OutputArea-output hr { border: 0; border-top: 1px solid #d0d7de; margin: 22px 0 8px; }
.widget-note { border-left: 4px solid var(--accent); background: #eef4fb; padding: 8px 12px; font-size: 14px; color: #234; margin: 6px 0; }
footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid #e1e4e8; display: flex; justify-content: space-between; font-size: 14px; }
footer a { color: var(--accent); text-decoration: none; }
.search { margin: 0 0 8px; }
.search input { width: 100%; box-sizing: border-box; padding: 5px 8px; border: 1px solid #c8d1dc; border-radius: 5px; font-size: 13.5px; }
#search-results { list-style: none; margin: 4px 0 0; padding: 0; max-height: 60vh; overflow-y: auto; }
#search-results li a { display: block; padding: 4px 6px; border-bottom: 1px solid #e6e9ee; color: #24292e; text-decoration: none; font-size: 12.5px; }
#search-results li a:hover { background: #e8eef5; }
#search-results li a span { display: block; color: #666; font-size: 11.5px; }
#search-results li.none { color: #777; font-size: 12.5px; padding: 4px 6px; }
math[display="block"] { display: block; margin: 0.7em 0; overflow-x: auto; font-size: 1.08em; }
"""

def render_pages(results:list, out:Path, meta:dict, partial:bool=False)->list:
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    import nbformat
    c = Config(); c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = ('remove_input',)
    ex = HTMLExporter(config=c, template_name='lab', exclude_anchor_links=False)
    nav_items = sidebar()
    order = [n for _, ns in nav_items for n in ns]
    res = {r['name']: r for r in results}
    missing, extra = [n for n in res if n not in order], [n for n in order if n not in res]
    if partial: extra = []
    if missing or extra: raise SystemExit(f"nbs/sidebar.yml and nbs/ disagree: not in the sidebar {missing}, no such notebook {extra}: "
                                          "edit nbs/sidebar.yml (Quarto reads the same file)")
    fms = {n: frontmatter(res[n]['nb']) if n in res else {'title': n} for n in order}
    links = {n: (fms[n].get('output-file') or n.replace('.ipynb', '.html')) for n in order}
    titles = {n: fms[n].get('title', n) for n in order}
    css_done, pages, index = False, [], []
    for i, n in enumerate(order):
        if n not in res: continue
        nb, uses_plotly = prepare(res[n]['nb'])
        body, _ = ex.from_notebook_node(nbformat.reads(json.dumps(nb), as_version=4))
        if not css_done:   # JupyterLab's notebook styles, once for the whole site
            styles = re.findall(r'<style[^>]*>(.*?)</style>', body, flags=re.S)
            (out/'assets'/'notebook.css').write_text('\n'.join(styles)); css_done = True
        body = re.search(r'<body[^>]*>(.*)</body>', body, flags=re.S).group(1)
        body = re.sub(r'<script[^>]*src="https?://[^"]*"[^>]*></script>', '', body)   # nothing from the network
        body = re.sub(r'^\s*<main>|</main>\s*$', '', body.strip())
        body = fix_links(docment_links(body), links, meta['doc_url'])
        body = render_math(body)
        index += search_entries(body, links[n], titles[n])
        def li(m): return f'<li><a href="{links[m]}"{ACTIVE if m == n else ""}>{html.escape(titles[m])}</a></li>'
        nav = ''.join((f'<h4>{html.escape(sec)}</h4>' if sec else '') + '<ul>' + ''.join(li(m) for m in ns) + '</ul>' for sec, ns in nav_items)
        prev_ = f'<a href="{links[order[i-1]]}">← {html.escape(titles[order[i-1]])}</a>' if i else '<span></span>'
        next_ = f'<a href="{links[order[i+1]]}">{html.escape(titles[order[i+1]])} →</a>' if i + 1 < len(order) else '<span></span>'
        desc = fms[n].get('description', '')
        page = PAGE.format(title=html.escape(titles[n]), site=html.escape(meta['title']), desc_attr=html.escape(desc),
                           tagline=html.escape(meta['description']), nav=nav, git_url=meta['git_url'],
                           desc=f'<p class="description">{inline_code(desc)}</p>' if desc else '', body=body,
                           plotly='<script src="assets/plotly.min.js"></script>' if uses_plotly else '', prevnext=prev_ + next_)
        (out/links[n]).write_text(page)
        pages.append({'notebook': n, 'page': links[n], 'title': titles[n], 'plotly': uses_plotly, 'exec_s': res[n]['exec_s']})
    (out/'assets'/'search-index.js').write_text('window.SEARCH_INDEX = ' + json.dumps(index, ensure_ascii=False) + ';\n')
    (out/'assets'/'search.js').write_text(SEARCH_JS)
    return pages

def main():
    p = argparse.ArgumentParser(description='Build the documentation site from nbs/ (offline, no Quarto).')
    p.add_argument('--out', type=Path, default=ROOT/'_site')
    p.add_argument('--n_workers', type=int, default=2)
    p.add_argument('--only', nargs='*', help='build only these notebooks (a partial site, for working on a page)')
    a = p.parse_args()
    t0 = time.time(); meta = nb_meta()
    nbs = [NBS/n for n in a.only] if a.only else sorted(NBS.glob('*.ipynb'))
    import multiprocessing as mp
    with cf.ProcessPoolExecutor(a.n_workers, mp_context=mp.get_context('spawn'), max_tasks_per_child=1) as pool:   # a fresh interpreter per notebook, as nbdev_test
        results = list(pool.map(execute_and_process, map(str, nbs), [meta['flags']] * len(nbs)))
    errs = [r for r in results if 'error' in r]
    for r in errs: sys.stderr.write(f"\n== {r['name']} failed:\n{r['error']}\n")
    if errs: raise SystemExit(f"FAIL: {len(errs)} notebook(s) raised while building the site: {[r['name'] for r in errs]}")
    tmp = a.out.with_name(a.out.name + '.tmp'); shutil.rmtree(tmp, ignore_errors=True); (tmp/'assets').mkdir(parents=True)
    import plotly
    shutil.copy(Path(plotly.__file__).parent/'package_data'/'plotly.min.js', tmp/'assets'/'plotly.min.js')
    (tmp/'assets'/'site.css').write_text(SITE_CSS)
    pages = render_pages(results, tmp, meta, partial=bool(a.only))
    (tmp/'pages.json').write_text(json.dumps(pages, indent=1))
    shutil.rmtree(a.out, ignore_errors=True); tmp.rename(a.out)   # the old site stays whole until the new one is complete
    size = sum(f.stat().st_size for f in a.out.rglob('*') if f.is_file()) / 1e6
    print(f"== site: {len(pages)} pages in {a.out} ({size:.1f} MB) built in {time.time() - t0:.0f} s; slowest notebooks: " +
          ', '.join(f"{q['notebook']} {q['exec_s']} s" for q in sorted(pages, key=lambda q: -q['exec_s'])[:3]))

if __name__ == '__main__': main()
