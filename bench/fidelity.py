"""The measured effect of each difference between the kit and the authors' code, on Emoji-100 over class orders 0, 1, 2.

    .venv/bin/python bench/fidelity.py [--epochs 2] [--views-train 2] [--tasks 5] [--out bench/out/fidelity]

Each difference is compared with the kit's default of the same method (SECA, SECA++, or the ablation row the difference
touches), everything else equal; `fidelity='authors'` switches all of them at once. Writes table.md / table.json per group and
prints one Markdown table: Last, Avg (mean ± std over orders) and the change of Last against the group's kit row.
"""
import argparse, json, platform, time
from pathlib import Path
import numpy as np
from seca_nb.presets import preset_config
from seca_nb.experiments import compare

GROUPS = {   # group -> (kit row, {row name: overrides}); every row also gets the group's base overrides
    'SECA': ({'method': 'seca'}, {
        'kit': {},
        'score_norm=batch': {'score_norm': 'batch'},
        'teacher_mode=train': {'teacher_mode': 'train', 'cache_teacher': False},
        'prototype_stats=raw': {'prototype_stats': 'raw'},
        "fidelity='authors'": {'fidelity': 'authors'}}),
    'SECA++': ({'method': 'seca++'}, {
        'kit': {},
        'pseudo_stats=raw': {'pseudo_stats': 'raw'},
        "fidelity='authors'": {'fidelity': 'authors'}}),
    'kd-pool_avg': ({'method': 'seca', 'teacher': 'pool_avg'}, {
        'kit': {},
        'pool_avg_mode=pre': {'pool_avg_mode': 'pre'}}),
    'cls-centroid_frozen': ({'method': 'seca', 'classifier': 'centroid_frozen'}, {
        'kit': {},
        'prototype_stats=raw': {'prototype_stats': 'raw'}}),
}

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--epochs', type=int, default=2)
    p.add_argument('--views-train', type=int, default=2)
    p.add_argument('--tasks', type=int, default=5, help='stop each run after this many tasks')
    p.add_argument('--orders', default='0,1,2')
    p.add_argument('--groups', default=','.join(GROUPS))
    p.add_argument('--out', default='bench/out/fidelity')
    p.add_argument('--device', default='auto', help="torch device ('auto': CUDA, then MPS, then the CPU)")
    a = p.parse_args()
    orders = [int(o) for o in a.orders.split(',')]
    base = preset_config('emoji100-10s', epochs=a.epochs, views_train=a.views_train, device=a.device)
    res, t0 = {}, time.time()
    for g in a.groups.split(','):
        kw, rows = GROUPS[g]
        tb = compare(base, {n: {**kw, **o} for n, o in rows.items()}, orders, f'{a.out}/{g}', tasks=a.tasks)
        res[g] = {n: {k: r[k] for k in ('last_mean', 'last_std', 'avg_mean', 'avg_std')} | {'last': [x['last'] for x in r['runs']]} for n, r in tb['rows'].items()}
    meta = {'setting': f"emoji100-10s preset, epochs={a.epochs}, views_train={a.views_train}, first {a.tasks} tasks, orders {orders}", 'wall_s': time.time() - t0,
            'machine': {'cpu': platform.processor() or platform.machine(), 'python': platform.python_version()}}
    Path(a.out).mkdir(parents=True, exist_ok=True)
    (Path(a.out)/'fidelity.json').write_text(json.dumps({'meta': meta, 'groups': res}, indent=1))
    print(f"{meta['setting']}; Last / Avg (%), mean ± std over orders; ΔLast: mean over orders of (row − kit row) of the same order")
    print('| method | setting | Last | Avg | ΔLast |\n|---|---|---|---|---|')
    for g, rows in res.items():
        kit = np.array(rows['kit']['last'])
        for n, r in rows.items():
            d = np.array(r['last']) - kit
            delta = '–' if n == 'kit' else f"{d.mean():+.2f} ± {d.std():.2f}"
            print(f"| {g} | {n} | {r['last_mean']:.2f} ± {r['last_std']:.2f} | {r['avg_mean']:.2f} ± {r['avg_std']:.2f} | {delta} |")
    print(f"wall {meta['wall_s']:.0f} s")
