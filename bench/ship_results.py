#!/usr/bin/env python3
"""Ship a finished grid as one small results file that the pages render (no number typed by hand).

Usage: .venv/bin/python bench/ship_results.py GRID_DIR [GRID_DIR ...] [--tune FILE] --out data/results/NAME.json

The file holds, per grid, its table (`table_from_runs`: rows, overrides, costs, machine) and, per run, what a page needs
to draw: the accuracy matrix, the seen-class accuracy per task, Last/Avg/forgetting, the drift per task, the costs,
the run's config (the fields that differ from the grid's base) and where and when it ran. Checkpoints and records stay in the run folders.
"""
import argparse, json, sys
from pathlib import Path
from seca_nb.core import to_json, atomic_write_text
from seca_nb.experiments import table_from_runs, read_plan

KEEP = ('method', 'tasks', 'of', 'R', 'seen_acc', 'last', 'avg', 'forgetting', 'wall_s', 'kept_bytes', 'drift')


def rounded(x, digits:int=4):
    "Floats rounded to `digits` decimals, all the way down (accuracies in %, cosines: far below what is shown)."
    if isinstance(x, float): return round(x, digits)
    if isinstance(x, dict): return {k: rounded(v, digits) for k, v in x.items()}
    if isinstance(x, list): return [rounded(v, digits) for v in x]
    return x


def grid_record(d:Path)->dict:
    "One grid: its table and its runs."
    table = table_from_runs(d, write=False)
    if table['missing']: sys.exit(f"error: {d} has unfinished runs: {table['missing']}")
    runs = {}
    for c in read_plan(d)['cells']:
        run_dir = Path(c['config']['out_dir'])
        res = json.loads((run_dir/'results.json').read_text())
        p = res['provenance']
        runs[run_dir.name] = {'row': c['name'], 'order': c['config']['order'],
                              'summary': {k: res['summary'].get(k) for k in KEEP},
                              'config': {k: v for k, v in p['config'].items() if table['base'].get(k) != v}, 'machine': p.get('machine'), 'time': p.get('time'),
                              'commit': p.get('commit'), 'compute': p.get('compute'),
                              'trainable': p.get('params', {}).get('trainable')}
    return {'table': table, 'runs': runs}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('grids', nargs='+')
    ap.add_argument('--tune', help="a JSONL file of validation runs (bench/tune_emoji.py's), shipped as 'tune'")
    ap.add_argument('--out', required=True)
    a = ap.parse_args(argv)
    out = {Path(g).name: grid_record(Path(g)) for g in a.grids}
    if a.tune: out['tune'] = [json.loads(x) for x in Path(a.tune).read_text().splitlines() if x.strip()]
    atomic_write_text(Path(a.out), json.dumps(rounded(json.loads(to_json(out))), separators=(',', ':')))
    print(f"wrote {a.out} ({Path(a.out).stat().st_size:,} bytes): {', '.join(out)}")


if __name__ == '__main__':
    main()
