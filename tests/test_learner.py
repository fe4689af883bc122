"The learner as a script uses it: unknown names, resume, provenance, the run folder's lock, checkpoint formats."
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from seca_nb.core import SecaConfig
import torch
from seca_nb.learner import Learner
from seca_nb.models import create_clip
from seca_nb.cli import run_experiment, SaveHeatmap




def test_unknown_names(tmp_path):
    with pytest.raises(ValueError, match="Unknown model 'clip-xl'"):
        create_clip('clip-xl')
    with pytest.raises(ValueError, match="Unknown method 'ewc'"):
        Learner(SecaConfig(model='tiny-vit', method='ewc', out_dir=str(tmp_path)), clip=create_clip('tiny-vit'))


def test_resume_after_task_3_matches_uninterrupted(tmp_path, embedded):
    cfg = SecaConfig(method='zeroshot', views_train=1, views_test=2, out_dir=str(tmp_path / 'full'))
    full = Learner(cfg, clip=embedded, progress=False).run()
    part = cfg.replace(out_dir=str(tmp_path / 'part'))
    Learner(part, clip=embedded, progress=False).run(until=3)
    assert sorted(p.name for p in (tmp_path / 'part' / 'ckpt').glob('*.pt'))[-1] == 'task_03.pt'
    resumed = Learner(part, clip=embedded, resume=True, progress=False)
    assert resumed.fitted == 3
    s = resumed.run()
    assert np.array_equal(np.nan_to_num(s['R']), np.nan_to_num(full['R']))
    assert s['last'] == full['last'] and s['avg'] == full['avg']


def test_results_provenance(tmp_path, embedded):
    cfg = SecaConfig(method='zeroshot', views_train=1, views_test=1, init_cls=50, increment=50, out_dir=str(tmp_path / 'r'))
    run_experiment(cfg, clip=embedded, progress=False, quiet=True, callbacks=[SaveHeatmap()])
    res = json.loads((tmp_path / 'r' / 'results.json').read_text())
    p = res['provenance']
    assert p['model']['model'] == 'embedded' and p['model']['weights_sha256']
    assert p['params']['frozen'] == sum(q.numel() for q in embedded.model.parameters())
    assert p['config']['seed'] == 2 and len(p['class_order']) == 100
    assert p['versions']['torch'] and p['commit']
    assert set(res['summary']['wall_s']) == {'0', '1'}
    assert (tmp_path / 'r' / 'heatmap.html').stat().st_size < 50_000   # plotly.js is shared, not embedded
    assert (tmp_path / 'r' / 'plotly.min.js').stat().st_size > 1_000_000


def test_second_process_is_refused_then_takes_over_a_dead_lock(tmp_path):
    "A --resume while another process writes the run is refused naming it; after a kill -9 the lock is taken over."
    import signal
    out = tmp_path / 'run'
    holder = subprocess.Popen([sys.executable, '-c', (
        "import time; from seca_nb.learner import Learner, preset_config; from seca_nb.models import create_clip\n"
        f"l = Learner(preset_config(method='zeroshot', model='tiny-vit', views_train=1, views_test=1, out_dir={str(out)!r}), clip=create_clip('tiny-vit'), progress=False)\n"
        "l.fit_task(0); print('holding', flush=True); time.sleep(120)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == 'holding'
        exe = str(Path(sys.executable).parent / 'seca_nb')
        args = [exe, 'run', '--method', 'zeroshot', '--model', 'tiny-vit', '--views-train', '1', '--views-test', '1', '--tasks', '2', '--out', str(out), '--resume']
        busy = subprocess.run(args, capture_output=True, text=True)
        assert busy.returncode == 2 and f'process {holder.pid} on host' in busy.stderr, busy.stderr
        holder.send_signal(signal.SIGKILL); holder.wait()
        ok = subprocess.run(args, capture_output=True, text=True)
        assert ok.returncode == 0, ok.stderr[-2000:]
        assert f'took over the lock left by process {holder.pid}' in ok.stdout
        assert sorted(p.name for p in (out / 'ckpt').glob('*.pt')) == ['task_00.pt', 'task_01.pt']
    finally:
        if holder.poll() is None: holder.kill()


def test_format_1_checkpoint_is_refused(tmp_path, tiny):
    cfg = SecaConfig(model='tiny-vit', method='hpeft', views_train=1, views_test=1, out_dir=str(tmp_path / 'old'))
    (tmp_path / 'old' / 'ckpt').mkdir(parents=True)
    torch.save({'format': 1, 'config': cfg.to_dict(), 'method_state': {}}, tmp_path / 'old' / 'ckpt' / 'task_00.pt')
    (tmp_path / 'old' / 'results.jsonl').write_text('{"kind": "provenance"}\n')
    with pytest.raises(ValueError, match='has format 1 .* reads format 2'):
        Learner(cfg, clip=tiny, resume=True, progress=False)
