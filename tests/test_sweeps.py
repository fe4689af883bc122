"Sweeps: a grid through submitit's local executor (parallel processes), a job killed in the middle, the grid run again."
import contextlib, io, json, os, signal, sys
from pathlib import Path
import cloudpickle
import pytest
from seca_nb.core import SecaConfig
from seca_nb.learner import Callback
from seca_nb.experiments import compare, table_from_runs
from seca_nb.sweeps import LocalLauncher
from seca_nb.cli import main

TINY = dict(model='tiny-vit', views_train=1, views_test=1, init_cls=40, increment=30, epochs=1)   # three tasks
ROWS = {'H-PEFT': {'method': 'hpeft'}, 'SECA': {'method': 'seca'}}
cloudpickle.register_pickle_by_value(sys.modules[__name__])   # the jobs unpickle KillOnce without importing this file


class KillOnce(Callback):
    "SIGKILL this process (as the OOM killer or a lost node would) after task `task` of run folder `name` is checkpointed, once."
    order = 30   # after the Checkpointer
    def __init__(self, name, task, marker): self.name, self.task, self.marker = name, task, str(marker)
    def after_task(self, l):
        if l.out.name == self.name and l.t == self.task and not Path(self.marker).exists():
            Path(self.marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)


def _rows(tb): return {n: (r['last_mean'], r['avg_mean'], r['forgetting_mean']) for n, r in tb['rows'].items()}


def test_killed_job_resumes_and_table_equals_inline(tmp_path):
    base = SecaConfig(**TINY)
    inline = compare(base, ROWS, [0], str(tmp_path/'inline'))
    kill = KillOnce('SECA-order0', 1, tmp_path/'killed')
    with contextlib.redirect_stdout(io.StringIO()) as out:
        first = compare(base, ROWS, [0], str(tmp_path/'local'), launcher=LocalLauncher(jobs=2, poll_s=0.2), callbacks=[kill])
    assert (tmp_path/'killed').exists()
    assert 'SECA order 0: FAILED' in out.getvalue(), out.getvalue()
    assert first['ran'] == {str(tmp_path/'local'/'H-PEFT-order0'): 'started', str(tmp_path/'local'/'SECA-order0'): 'failed: UncompletedJobError'}
    assert [(m['name'], m['state']) for m in first['missing']] == [('SECA', 'partial')]
    assert 'Missing runs (1)' in (tmp_path/'local'/'table.md').read_text()
    ckpts = sorted(p.name for p in (tmp_path/'local'/'SECA-order0'/'ckpt').glob('*.pt'))
    assert ckpts == ['task_00.pt', 'task_01.pt']
    # the grid again: the finished cell is skipped, the killed one resumes from its task-1 checkpoint
    with contextlib.redirect_stdout(io.StringIO()):
        again = compare(base, ROWS, [0], str(tmp_path/'local'), launcher=LocalLauncher(jobs=2, poll_s=0.2), callbacks=[kill])
    assert again['ran'] == {str(tmp_path/'local'/'H-PEFT-order0'): 'skipped', str(tmp_path/'local'/'SECA-order0'): 'resumed'}
    recs = [json.loads(l) for l in (tmp_path/'local'/'SECA-order0'/'results.jsonl').read_text().splitlines()]
    assert [r.get('resumed_after_task') for r in recs if r.get('kind') == 'provenance'] == [None, 1]
    assert again['missing'] == []
    assert _rows(again) == _rows(inline)
    assert _rows(table_from_runs(tmp_path/'local', write=False)) == _rows(inline)


def test_cli_ablation_local_equals_inline(tmp_path):
    common = ['ablation', '--variants', 'zero-shot,H-PEFT', '--orders', '0,1', '--tasks', '2', '--model', 'tiny-vit',
              '--views-train', '1', '--views-test', '1', '--epochs', '1']
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(common + ['--out', str(tmp_path/'a')]) == 0
        assert main(common + ['--out', str(tmp_path/'b'), '--launcher', 'local', '--jobs', '2']) == 0
    ta, tb = (json.loads((tmp_path/d/'table.json').read_text()) for d in 'ab')
    assert _rows(ta) == _rows(tb) and tb['missing'] == []
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(['table', str(tmp_path/'b'), '--strict']) == 0
    assert '| H-PEFT |' in out.getvalue()
    # the same grid as a paper's table and as a DataFrame
    import re
    from seca_nb.tables import runs_frame
    outs = {}
    for fmt in ('latex', 'json', 'csv'):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            assert main(['table', str(tmp_path/'a'), '--format', fmt]) == 0
        outs[fmt] = out.getvalue()
    tex, js = outs['latex'], json.loads(outs['json'])
    assert [tex.count(r) for r in ('\\toprule', '\\midrule', '\\bottomrule')] == [1, 1, 1]
    body = tex.split('\\midrule\n')[1].split('\\bottomrule')[0].strip().split('\n')
    assert [r.split(' & ')[0] for r in body] == ['zero-shot', 'H-PEFT']   # one row per variant
    for line in body:
        name, last = line.split(' & ')[:2]
        r = js['rows'][name]
        assert f"{r['last_mean']:.2f} $\\pm$ {r['last_std']:.2f}" in last
        best = max(js['rows'][n]['last_mean'] for n in js['rows'])
        assert last.startswith('\\textbf{') == (round(r['last_mean'], 2) == round(best, 2))
    assert re.search(r'Last: accuracy on all classes seen', tex)
    assert outs['csv'].splitlines()[0].startswith('variant,overrides,orders,of_orders,last_mean,last_std')
    df = runs_frame(tmp_path/'a')
    assert len(df) == 2 * 2 * 2   # 2 variants x 2 orders x 2 tasks
    assert sorted(set(df['run'])) == ['H-PEFT-order0', 'H-PEFT-order1', 'zero-shot-order0', 'zero-shot-order1']
    assert {'method', 'backbone', 'teacher', 'classifier', 'order', 'task', 'last', 'avg', 'forgetting', 'old_acc',
            'new_acc', 'fit_s', 'kept_mb'} <= set(df.columns)
    assert sorted(set(df['variant'])) == ['H-PEFT', 'zero-shot']
    last = df[df.task == 1].groupby('variant')['last'].mean()
    assert last['H-PEFT'] == pytest.approx(js['rows']['H-PEFT']['last_mean'])
