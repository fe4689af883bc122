"Loggers: TensorBoard and offline W&B hold a run's loss curves and accuracy rows, each step once after a crash."
import json
import pytest
from seca_nb.core import SecaConfig
from seca_nb.learner import Learner, Callback, default_callbacks, register_logger, LOGGERS
from seca_nb.loggers import Logger, read_wandb_history

TINY = dict(model='tiny-vit', views_train=1, views_test=1, init_cls=50, increment=50, epochs=2, batch_size=16,
            method='hpeft', logger=('tensorboard', 'wandb'), wandb_mode='offline')


class Crash(Callback):
    "Fail in task 1's second epoch, before the loggers see it: task 1's first epoch is logged, the task is lost."
    order = 5
    def after_epoch(self, l):
        if l.t == 1 and l.epoch == 1: raise RuntimeError('crash')


def _tensorboard(run):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    ea = EventAccumulator(str(run/'logs'/'tensorboard'), size_guidance={'scalars': 0, 'tensors': 0})
    ea.Reload()
    return {tag: [(e.step, e.value) for e in ea.Scalars(tag)] for tag in ea.Tags()['scalars']}


def test_loggers_hold_each_step_once_after_a_crash(tmp_path, tiny):
    cfg = SecaConfig(**TINY, out_dir=str(tmp_path/'run'))
    l = Learner(cfg, clip=tiny, progress=False, callbacks=default_callbacks(cfg) + [Crash()])
    with pytest.raises(RuntimeError, match='crash'): l.run()
    l.close()
    assert sorted(l.evals) == [0]
    with Learner(cfg, clip=tiny, progress=False, resume=True) as l2: s = l2.run()
    recs = [json.loads(x) for x in (tmp_path/'run'/'results.jsonl').read_text().splitlines()]
    curves = [v for r in recs if r.get('kind') == 'task' for v in r['curves']['total']]
    rows = [r['row'] for r in recs if r.get('kind') == 'task']
    n = len(curves)
    assert n == 2 * 2 * 10   # 2 tasks x 2 epochs x ceil(150 images / 16)
    # TensorBoard: every step once, equal to the run's own curves; the accuracy row and Last per task
    tb = _tensorboard(tmp_path/'run')
    assert [s_ for s_, _ in tb['loss/total']] == list(range(n))
    assert [v for _, v in tb['loss/total']] == pytest.approx(curves, rel=1e-6)
    assert [v for _, v in tb['acc/last']] == pytest.approx(list(s['seen_acc']))
    assert [v for _, v in tb['acc/task_00']] == pytest.approx([rows[0][0], rows[1][0]])
    assert [(t, round(v, 4)) for t, v in tb['acc/task_01']] == [(1, round(rows[1][1], 4))]
    assert {'cost/fit_s', 'cost/eval_s', 'cost/kept_mb', 'acc/forgetting', 'acc/old_acc', 'acc/new_acc'} <= set(tb)
    # W&B, offline: the same, each step once over the two offline folders (before and after the crash)
    hist = read_wandb_history(tmp_path/'run')
    steps = [h['train_step'] for h in hist if 'loss/total' in h]
    assert steps == list(range(n))
    assert [h['loss/total'] for h in hist if 'loss/total' in h] == pytest.approx(curves, rel=1e-6)
    assert [(h['task'], h['acc/last']) for h in hist if 'acc/last' in h] == [(0, s['seen_acc'][0]), (1, s['last'])]
    assert len(list((tmp_path/'run'/'logs'/'wandb').glob('offline-run-*'))) == 2
    wid = json.loads((tmp_path/'run'/'logs'/'wandb.json').read_text())['id']   # one W&B run, continued
    assert all(p.name.endswith(wid) for p in (tmp_path/'run'/'logs'/'wandb').glob('offline-run-*'))


def test_a_missing_package_or_name_is_refused_before_anything_is_written(tmp_path):
    @register_logger('needs_nothing_installed')
    class Needy(Logger):
        requires = {'seca_nb_no_such_module': 'seca-nb-no-such-package'}
    try:
        cfg = SecaConfig(model='tiny-vit', logger=('needs_nothing_installed',), out_dir=str(tmp_path/'r'))
        with pytest.raises(ModuleNotFoundError, match='Fix: pip install seca-nb-no-such-package'): Learner(cfg)
        with pytest.raises(ValueError, match="Unknown logger 'tensorbored'"):
            Learner(cfg.replace(logger=('tensorbored',)))
        assert not (tmp_path/'r').exists()
    finally: LOGGERS.pop('needs_nothing_installed')
