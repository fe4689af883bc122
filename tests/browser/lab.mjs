// Drive the tutorial notebook in a real JupyterLab page with Debian's chromium (no browser download).
// Usage: node lab.mjs URL OUT_DIR   (URL opens the notebook, token included)
// Runs all cells from the Run menu, clicks the stepper's "Train next task", checks that the accuracy heatmap and the
// UMAP drift plot rendered and that no cell shows a traceback, and saves screenshots. Prints one JSON line of timings.
import { launch } from './browser.mjs';
import { mkdirSync } from 'node:fs';

const [url, outDir] = process.argv.slice(2);
if (!url || !outDir) { console.error('usage: node lab.mjs URL OUT_DIR'); process.exit(2); }
mkdirSync(outDir, { recursive: true });
const t0 = Date.now(), secs = () => +((Date.now() - t0) / 1000).toFixed(1), times = {};
const fail = async (page, msg) => {
  if (page) await page.screenshot({ path: `${outDir}/failure.png` }).catch(() => {});
  console.error(`FAIL: ${msg}`); process.exit(1);
};

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
const pageErrors = [];
page.on('pageerror', e => pageErrors.push(String(e)));
try {
  await page.goto(url);
  await page.locator('.jp-NotebookPanel .jp-Cell').first().waitFor({ timeout: 120_000 });
  // JupyterLab sometimes asks which kernel to start ("Select Kernel"): answer it as a user would, with the default
  const acceptDialogs = async () => {
    const b = page.locator('.jp-Dialog .jp-Dialog-button.jp-mod-accept');
    if (await b.count()) { await b.first().click(); return true; }
    return false;
  };
  // the kernel must be up before Run All
  const tKernel = Date.now();
  for (;;) {
    await acceptDialogs();
    const status = await page.locator('.jp-StatusBar-Widget, .jp-StatusBar').first().textContent().catch(() => '');
    if (/\|\s*Idle/.test(status)) break;
    if (Date.now() - tKernel > 120_000) await fail(page, `the kernel did not start in 2 min (status bar: ${status})`);
    await page.waitForTimeout(500);
  }
  times.lab_open_s = secs();

  // Run ▸ Run All Cells, as a user would
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
  const done = () => page.evaluate(() => {
    const ps = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
    return { n: ps.length, done: ps.filter(p => /^\[\d+\]:$/.test(p)).length, prompts: ps };
  });
  const tRun = Date.now();
  for (let tries = 0; ; ) {
    await acceptDialogs();
    const s = await done();
    if (s.n > 0 && s.done === s.n) break;
    // Run All must have started within a minute (a prompt turns to [*] or [n]); otherwise ask once more
    if (!s.prompts.some(p => p !== '[ ]:') && tries < 2 && Date.now() - tRun > 60_000 * (tries + 1)) {
      tries++;
      await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
      await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
    }
    if (Date.now() - tRun > 15 * 60_000) await fail(page, `cells still running after 15 min: ${s.prompts.join(' ')}`);
    await page.waitForTimeout(1000);
  }
  times.run_all_s = +((Date.now() - tRun) / 1000).toFixed(1);

  const tracebacks = async () => page.evaluate(() => [...document.querySelectorAll('.jp-OutputArea-output')]
    .map(o => o.textContent).filter(t => /Traceback \(most recent call last\)|^\w*Error\b/m.test(t)).map(t => t.slice(0, 400)));
  let tb = await tracebacks();
  if (tb.length) await fail(page, `a cell shows a traceback:\n${tb.join('\n---\n')}`);

  const stepper = page.locator('.widget-vbox', { has: page.locator('button', { hasText: 'Train next task' }) }).first();
  await stepper.scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${outDir}/01_stepper_after_run_all.png` });
  const label = stepper.locator('.widget-html').first();
  const before = await label.textContent();
  if (!/3 learned/.test(before)) await fail(page, `the stepper should show 3 learned tasks after Run All, shows: ${before}`);

  // the stepper's "next task" button
  const tClick = Date.now();
  await stepper.locator('button', { hasText: 'Train next task' }).click();
  await page.waitForFunction(el => /4 learned/.test(el.textContent), await label.elementHandle(), { timeout: 10 * 60_000, polling: 1000 });
  times.train_click_s = +((Date.now() - tClick) / 1000).toFixed(1);
  await page.waitForTimeout(1500);  // let plotly draw the new figures

  const plots = await page.evaluate(() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
    title: (gd.layout && gd.layout.title && (gd.layout.title.text ?? gd.layout.title)) || '',
    types: (gd.data || []).map(t => t.type || 'scatter'),
    rows: (gd.data || []).filter(t => t.type === 'heatmap').map(t => (t.y || []).length),
    heatmapImage: !!gd.querySelector('.heatmaplayer image'),
    points: gd.querySelectorAll('.scatterlayer .point').length,
    lines: gd.querySelectorAll('.scatterlayer .js-line').length,
    width: Math.round(gd.getBoundingClientRect().width),
  })));
  const heat = plots.find(p => /^Accuracy after task 3/.test(p.title));
  if (!heat) await fail(page, `no accuracy heatmap for task 3 in the page; plots: ${plots.map(p => p.title).join(' | ')}`);
  if (!heat.heatmapImage || heat.rows[0] !== 4 || heat.width < 200) await fail(page, `the task-3 heatmap did not render: ${JSON.stringify(heat)}`);
  const umap = plots.filter(p => /UMAP/.test(p.title));
  if (!umap.length) await fail(page, `no UMAP plot in the page; plots: ${plots.map(p => p.title).join(' | ')}`);
  if (!umap.every(p => p.points > 0 && p.width > 200)) await fail(page, `a UMAP plot did not render: ${JSON.stringify(umap)}`);
  tb = await tracebacks();
  if (tb.length) await fail(page, `a traceback after the click:\n${tb.join('\n---\n')}`);

  // viewport screenshots with each widget scrolled to the top (the notebook scrolls inside the page)
  const shot = async (loc, name) => { await loc.evaluate(e => e.scrollIntoView({ block: 'start' })); await page.waitForTimeout(400);
                                      await page.screenshot({ path: `${outDir}/${name}.png` }); };
  await shot(stepper, '02_stepper_after_click');
  await shot(page.locator('.js-plotly-plot', { hasText: 'Per-class accuracy' }).first(), '03_stepper_per_class_loss_pool');
  await shot(page.locator('.widget-vbox', { has: page.locator('button', { hasText: 'Refresh drift views' }) }).first(), '04_drift_prototypes');
  await shot(page.locator('.js-plotly-plot', { hasText: 'Semantic drift' }).first(), '05_drift_semantic_affinity');
  await shot(page.locator('.widget-vbox', { has: page.locator('.widget-slider') }).last(), '06_relevance_explorer');
  times.total_s = secs();
  console.log(JSON.stringify({ ok: true, ...times, plots: plots.length, umap_plots: umap.length,
    heatmap: heat.title, page_errors: pageErrors.length }));
} catch (e) {
  await fail(page, e.stack || String(e));
} finally {
  await browser.close();
}
