"""Refactor parity: the ablation variants for 3 tasks at epochs=1, per class order, with every task's accuracy row and
each loss term's last value. Run the same script before and after a restructuring on the same machine, then compare:

    .venv/bin/python bench/parity.py --out bench/out/parity-before.json           # on the old code
    .venv/bin/python bench/parity.py --out bench/out/parity-after.json            # on the new code
    .venv/bin/python bench/parity.py --compare bench/out/parity-before.json bench/out/parity-after.json

Uses only what users write: `preset_config`, `Learner(cfg, clip=...)`, `fit_task(t)`, `evaluate(t)`.
"""
import argparse, json, platform, sys, time
from pathlib import Path
import numpy as np

try: from seca_nb.experiments import VARIANTS   # the ablation's rows
except ImportError: from seca_nb.cli import VARIANTS   # where they lived before the experiments notebook
# the baselines: RAPF, SimpleCIL, APER on the stand-in, VPT-NSP on the tiny random ViT (it needs a ViT tower)
ROWS = {**VARIANTS, 'RAPF': {'method': 'rapf'}, 'VPT-NSP': {'method': 'vpt_nsp', 'model': 'tiny-vit'},
        'SimpleCIL': {'method': 'simplecil'}, 'APER': {'method': 'aper'},
        # the prompt methods need a ViT tower too
        'L2P': {'method': 'l2p', 'model': 'tiny-vit'}, 'DualPrompt': {'method': 'dualprompt', 'model': 'tiny-vit'},
        'CODA-Prompt': {'method': 'coda_prompt', 'model': 'tiny-vit'}, 'EASE': {'method': 'ease'},
        'MG-CLIP': {'method': 'mgclip'}, 'MoE-Adapters': {'method': 'moe_adapters'}}
# the authors' fidelity (the `fidelity` macro sets fields of several sections): SECA and SECA++ as the authors run them
ROWS.update({'SECA authors': {'method': 'seca', 'fidelity': 'authors'},
             'SECA++ authors': {'method': 'seca', 'pseudo_features': True, 'fidelity': 'authors'}})
SMALL = dict(epochs=1, views_train=2, views_test=2)   # small views: the parity check needs the code path, not accuracy
TASKS = 3


def measure(orders, out_root, device='auto', only=None):
    from seca_nb.learner import Learner, preset_config   # the learner's module has it before and after presets.py
    from seca_nb.models import create_clip
    clips = {'embedded': create_clip('embedded', device=device), 'tiny-vit': create_clip('tiny-vit', device=device)}
    res = {'machine': {'cpu': platform.processor() or platform.machine(), 'python': platform.python_version()}, 'runs': {}}
    for name, kw in ROWS.items():
        if only and name not in only: continue
        for o in orders:
            cfg = preset_config('emoji100-10s', **SMALL, **kw, order=o, device=device, out_dir=f'{out_root}/{name}-{o}')
            t0 = time.time()
            l = Learner(cfg, clip=clips[cfg.model], overwrite=True, progress=False)
            rows, seen, terms = [], [], {}
            for t in range(TASKS):
                curves = l.fit_task(t)
                rec = l.evaluate(t)
                rows.append(rec['row'])
                seen.append(rec['seen_acc'])
                terms[t] = {k: v[-1] for k, v in curves.items()}
            res['runs'][f'{name}|{o}'] = {'rows': rows, 'seen': seen, 'terms': terms}
            print(f"{name:>22} order {o}: seen-acc rows {[round(r[-1], 2) for r in rows]}  {time.time() - t0:5.1f} s", flush=True)
    return res


def compare(a, b, rtol=1e-3):
    A, B = json.load(open(a)), json.load(open(b))
    ok_all = True
    print(f"| variant | order | same accuracy rows | loss terms agree (rtol {rtol}) | max rel diff |\n|---|---|---|---|---|")
    for k in A['runs']:
        if k not in B['runs']: print(f"| {k} | missing after |"); ok_all = False; continue
        ra, rb = A['runs'][k], B['runs'][k]
        same_rows = np.allclose(np.array(sum(ra['rows'], []), float), np.array(sum(rb['rows'], []), float), rtol=rtol, atol=1e-6)
        diffs = []
        for t in ra['terms']:
            ta, tb = ra['terms'][t], rb['terms'].get(t, {})
            for n, v in ta.items():
                w = tb.get(n, float('nan'))
                diffs.append(abs(v - w) / max(abs(v), 1e-8))
            if set(ta) != set(tb): diffs.append(float('inf'))
        mx = max(diffs) if diffs else 0.0
        ok = same_rows and mx <= rtol
        ok_all &= ok
        name, o = k.split('|')
        print(f"| {name} | {o} | {'yes' if same_rows else 'NO'} | {'yes' if mx <= rtol else 'NO'} | {mx:.2e} |")
    return ok_all


def spread(a, b):
    "Last and Avg (3 tasks), mean ± std over orders, before vs after, for every variant."
    A, B = json.load(open(a)), json.load(open(b))
    print("| variant | Last before | Last after | Avg before | Avg after |\n|---|---|---|---|---|")
    for n in ROWS:
        cells = []
        for metric in (lambda s: s[-1], np.mean):
            for R in (A, B):
                v = np.array([metric(R['runs'][k]['seen']) for k in R['runs'] if k.split('|')[0] == n])
                cells.append(f"{v.mean():.2f} ± {v.std():.2f}")
        print(f"| {n} | " + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--out', default='bench/out/parity.json')
    p.add_argument('--orders', default='0,1,2')
    p.add_argument('--compare', nargs=2)
    p.add_argument('--device', default='auto', help="torch device ('auto': CUDA, then MPS, then the CPU)")
    p.add_argument('--spread', nargs=2)
    p.add_argument('--rows', help='comma-separated rows (default: all)')
    a = p.parse_args()
    if a.spread: spread(*a.spread); sys.exit(0)
    if a.compare: sys.exit(0 if compare(*a.compare) else 1)
    res = measure([int(o) for o in a.orders.split(',')], '/tmp/parity-runs', a.device, a.rows and a.rows.split(','))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(res, indent=1))
    print(f"wrote {a.out}")
