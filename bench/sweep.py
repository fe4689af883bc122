"""Grid launchers (issue 14): the tiny-ViT ablation through `--launcher inline` and `--launcher local --jobs N`, timed in one process.

Run: .venv/bin/python bench/sweep.py [--jobs 2] [--threads-per-job 2] [--variants zero-shot,H-PEFT,SECA,SECA++] [--orders 0,1,2] [--tasks 5]
Every grid writes fresh folders under bench/out/sweep/; the rows that differ from the inline table are printed.
Floating-point sums depend on the thread count: --threads-per-job 2 (an inline run's count here) reproduces inline bit for bit.
The last line is machine-readable; the figures also go to bench/out/sweep.json.
"""
import argparse, contextlib, io, json, shutil, sys, time
from pathlib import Path
from seca_nb.core import atomic_write_text, machine
from seca_nb.cli import main

p = argparse.ArgumentParser()
p.add_argument('--jobs', type=int, default=2)
p.add_argument('--threads-per-job', type=int, action='append', default=[], help='also time local runs with this many threads per job (repeatable)')
p.add_argument('--variants', default='zero-shot,H-PEFT,+SG-AKT,+SE-VPR,SECA,SECA++')
p.add_argument('--orders', default='0,1,2')
p.add_argument('--tasks', type=int, default=5)
p.add_argument('--out', default='bench/out/sweep')
a = p.parse_args()

common = ['ablation', '--model', 'tiny-vit', '--variants', a.variants, '--orders', a.orders, '--tasks', str(a.tasks)]
out, wall, tables = Path(a.out), {}, {}
grids = [('inline', []), (f'local-{a.jobs}', ['--launcher', 'local', '--jobs', str(a.jobs)])]
grids += [(f'local-{a.jobs}-threads{t}', ['--launcher', 'local', '--jobs', str(a.jobs), '--threads-per-job', str(t)]) for t in a.threads_per_job]
for name, extra in grids:
    d = out/name
    shutil.rmtree(d, ignore_errors=True)
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()): rc = main(common + extra + ['--out', str(d)])
    wall[name] = time.perf_counter() - t0
    assert rc == 0, f"{name}: rc {rc}"
    tb = json.loads((d/'table.json').read_text())
    tables[name] = {n: [r['last_mean'], r['avg_mean'], r['forgetting_mean']] for n, r in tb['rows'].items()}
    print(f"{name:>10}: {wall[name]:6.1f} s  ({len(tb['rows'])} rows x {len(tb['orders'])} orders, {len(tb['missing'])} missing)", flush=True)
def diff(n):
    "The rows whose Last/Avg/forgetting differ from inline."
    return {r: [tables['inline'][r], tables[n][r]] for r in tables['inline'] if tables['inline'][r] != tables[n][r]}
res = {'machine': machine(), 'jobs': a.jobs, 'variants': a.variants, 'orders': a.orders, 'tasks': a.tasks, 'wall_s': wall,
       'ratio_vs_inline': {n: wall[n] / wall['inline'] for n, _ in grids[1:]}, 'rows_differing_from_inline': {n: diff(n) for n, _ in grids[1:]},
       'table': tables['inline']}
atomic_write_text(out.parent/'sweep.json', json.dumps(res, indent=1))
for n, _ in grids[1:]:
    d = res['rows_differing_from_inline'][n]
    print(f"{n}: wall time / inline = {res['ratio_vs_inline'][n]:.2f}; " + ('same table as inline' if not d else f"rows differing from inline: {d}"))
print(json.dumps({k: res[k] for k in ('jobs', 'wall_s', 'ratio_vs_inline')}))
