// Open the built documentation site in Debian's chromium: every sidebar link resolves, a plotly figure renders on the
// tutorial, no page shows a Python traceback, links between pages resolve, no page shows raw TeX and the equations render
// (MathML), and the search box finds and follows results. Usage: node site.mjs BASE_URL OUT_DIR
import { launch } from './browser.mjs';
import { mkdirSync } from 'node:fs';

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) { console.error('usage: node site.mjs BASE_URL OUT_DIR'); process.exit(2); }
mkdirSync(outDir, { recursive: true });
const t0 = Date.now();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const problems = [], pageErrors = [], external = [];
page.on('pageerror', e => pageErrors.push(`${page.url()}: ${e}`));
page.on('request', r => { const u = r.url(); if (!u.startsWith(base) && !u.startsWith('data:')) external.push(u); });

const resp = await page.goto(base + 'index.html');
if (!resp.ok()) { console.error(`FAIL: index.html answered ${resp.status()}`); process.exit(1); }
await page.screenshot({ path: `${outDir}/01_index.png` });
const links = await page.$$eval('.sidebar li a', as => as.map(a => ({ href: a.href, text: a.textContent.trim() })));
if (links.length < 5) problems.push(`only ${links.length} sidebar links on the index`);
const checked = {};
for (const l of links) {
  const r = await page.goto(l.href);
  if (!r || !r.ok()) { problems.push(`sidebar link "${l.text}" → ${l.href} answered ${r && r.status()}`); continue; }
  await page.waitForLoadState('load');
  const info = await page.evaluate(() => ({
    h1: document.querySelector('main h1')?.textContent.trim() || '',
    traceback: /Traceback \(most recent call last\)|Error in notebook/.test(document.body.innerText),
    active: document.querySelector('.sidebar a.active')?.textContent.trim() || '',
    plots: [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({ svg: gd.querySelectorAll('.main-svg').length, w: Math.round(gd.getBoundingClientRect().width),
      title: (gd.layout && gd.layout.title && (gd.layout.title.text ?? gd.layout.title)) || '' })),
    inner: [...document.querySelectorAll('main a[href]')].map(a => a.href).filter(h => h.startsWith(location.origin)),
    rawTex: (() => { const c = document.querySelector('main').cloneNode(true);
      c.querySelectorAll('pre, code, script, style, math').forEach(e => e.remove());
      const m = c.textContent.match(/\$\$[\s\S]{0,60}|\$[^\s$][^$\n]{0,120}?[^\s\\]\$(?![\w$])|\\(?:mathcal|mathrm|frac|sum|operatorname|cdot|top)\b.{0,30}/);
      return m ? m[0].slice(0, 80) : ''; })(),
    math: [...document.querySelectorAll('main math')].map(m => Math.round(m.getBoundingClientRect().width)),
    search: !!document.querySelector('.sidebar input#search'),
  }));
  if (!info.h1) problems.push(`${l.href}: no title`);
  if (info.traceback) problems.push(`${l.href}: shows a Python traceback`);
  if (info.active !== l.text) problems.push(`${l.href}: the sidebar marks "${info.active}" as the current page`);
  for (const p of info.plots) if (!p.svg || p.w < 100) problems.push(`${l.href}: plotly figure "${p.title}" did not render`);
  if (info.rawTex) problems.push(`${l.href}: raw TeX on the page: "${info.rawTex}"`);
  if (info.math.some(w => w < 1)) problems.push(`${l.href}: ${info.math.filter(w => w < 1).length} equation(s) did not render`);
  if (!info.search) problems.push(`${l.href}: no search box`);
  checked[l.href] = { title: info.h1, plots: info.plots.length, inner: info.inner, math: info.math.length };
}
// links inside pages (to other pages and anchors' pages) must resolve too
const inner = [...new Set(Object.values(checked).flatMap(c => c.inner).map(h => h.split('#')[0]))];
for (const h of inner) {
  const r = await page.request.get(h);
  if (!r.ok()) problems.push(`a link in the pages → ${h} answered ${r.status()}`);
}
const tut = links.find(l => /five minutes/i.test(l.text));
if (!tut) problems.push('no "SECA in five minutes" tutorial in the sidebar');
else {
  await page.goto(tut.href);
  const plot = page.locator('.js-plotly-plot').first();
  try { await plot.waitFor({ timeout: 20_000 }); } catch { problems.push('the tutorial page has no plotly figure'); }
  const n = await page.locator('.js-plotly-plot .main-svg').count();
  if (!n) problems.push('the tutorial\'s plotly figure did not draw');
  await page.screenshot({ path: `${outDir}/02_tutorial_top.png` });
  if (n) { await plot.scrollIntoViewIfNeeded(); await page.screenshot({ path: `${outDir}/03_tutorial_figure.png` }); }
}
for (const [re, name] of [[/How SECA/i, '04_explanation'], [/Reproduce/i, '05_howto'], [/^Learner|learner/i, '06_api_learner']]) {
  const l = links.find(x => re.test(x.text));
  if (l) { await page.goto(l.href); await page.screenshot({ path: `${outDir}/${name}.png`, fullPage: false }); }
}
// the equations of the method pages are there and drawn
for (const re of [/SG-AKT/, /SE-VPR/, /H-PEFT/, /How SECA/i]) {
  const l = links.find(x => re.test(x.text));
  if (!l) { problems.push(`no sidebar page matching ${re}`); continue; }
  if (!checked[l.href] || checked[l.href].math < 2) problems.push(`${l.href}: expected rendered equations, found ${checked[l.href] && checked[l.href].math}`);
}
const eq = links.find(x => /SG-AKT/.test(x.text));
if (eq) { await page.goto(eq.href); const m = page.locator('main math[display="block"]').first(); await m.scrollIntoViewIfNeeded(); await page.screenshot({ path: `${outDir}/07_equation.png` }); }
// search: type a query in the box, wait for results, follow the first one, land on a page that has the words
const searches = {};
for (const q of ['SG-AKT', 'resume', 'ImageNet-R']) {
  await page.goto(base + 'index.html');
  await page.fill('#search', q);
  const first = page.locator('#search-results li a').first();
  try { await first.waitFor({ timeout: 10_000 }); } catch { problems.push(`search "${q}": no result`); continue; }
  const n = await page.locator('#search-results li a').count();
  const href = await first.getAttribute('href');
  if (q === 'SG-AKT') await page.screenshot({ path: `${outDir}/08_search.png` });
  await Promise.all([page.waitForLoadState('load'), first.click()]);
  const url = page.url(), text = await page.evaluate(() => document.querySelector('main').innerText);
  if (!url.includes(href.split('#')[0])) problems.push(`search "${q}": clicking the first result (${href}) landed on ${url}`);
  if (!text.toLowerCase().includes(q.toLowerCase())) problems.push(`search "${q}": the page it led to (${url}) does not contain "${q}"`);
  searches[q] = { results: n, first: href };
}
if (external.length) problems.push(`pages asked the network for ${[...new Set(external)].slice(0, 5).join(', ')}`);
if (pageErrors.length) problems.push(`JavaScript errors: ${pageErrors.slice(0, 5).join(' | ')}`);
await browser.close();
if (problems.length) { console.error('FAIL:\n- ' + problems.join('\n- ')); process.exit(1); }
console.log(JSON.stringify({ ok: true, pages: links.length, inner_links: inner.length, equations: Object.values(checked).reduce((a, c) => a + c.math, 0), searches,
  plots: Object.values(checked).reduce((a, c) => a + c.plots, 0), browser_s: +((Date.now() - t0) / 1000).toFixed(1) }));
