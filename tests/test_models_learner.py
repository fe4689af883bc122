"Script-level tests of the model factory, the learner and the main job (issue 3)."
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
import torch
from seca_nb.core import SecaConfig
from seca_nb.models import create_clip
from seca_nb.learner import Learner
from seca_nb.cli import run_experiment


@pytest.fixture(scope='module')
def embedded():
    return create_clip('embedded')


def test_paper_model_offline_message():
    with pytest.raises(RuntimeError, match=r'pass weights=<local file>.*or run with network access'):
        create_clip('ViT-B-16', pretrained='openai')


def test_weights_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='weights'):
        create_clip('tiny-vit', weights=str(tmp_path / 'missing.pt'))
    bad = tmp_path / 'bad.pt'; torch.save([1, 2, 3], bad)
    with pytest.raises(ValueError, match='state dict'):
        create_clip('tiny-vit', weights=str(bad))


def test_unknown_names(tmp_path):
    with pytest.raises(ValueError, match="Unknown model 'clip-xl'"):
        create_clip('clip-xl')
    with pytest.raises(ValueError, match="Unknown method 'ewc'"):
        Learner(SecaConfig(model='tiny-vit', method='ewc', out_dir=str(tmp_path)), clip=create_clip('tiny-vit'))


def test_embedded_is_labelled_standin(embedded):
    assert embedded.info['is_standin'] and 'NOT CLIP' in embedded.info['label']
    assert embedded.info['embed_dim'] == 384


def test_resume_after_task_3_matches_uninterrupted(tmp_path, embedded):
    cfg = SecaConfig(views_train=1, views_test=2, out_dir=str(tmp_path / 'full'))
    full = Learner(cfg, clip=embedded, progress=False).run()
    part = cfg.replace(out_dir=str(tmp_path / 'part'))
    Learner(part, clip=embedded, progress=False).run(until=3)
    assert sorted(p.name for p in (tmp_path / 'part' / 'ckpt').iterdir())[-1] == 'task_03.pt'
    resumed = Learner(part, clip=embedded, resume=True, progress=False)
    assert resumed.fitted == 3
    s = resumed.run()
    assert np.array_equal(np.nan_to_num(s['R']), np.nan_to_num(full['R']))
    assert s['last'] == full['last'] and s['avg'] == full['avg']


def test_results_provenance(tmp_path, embedded):
    cfg = SecaConfig(views_train=1, views_test=1, init_cls=50, increment=50, out_dir=str(tmp_path / 'r'))
    run_experiment(cfg, clip=embedded, progress=False, quiet=True)
    res = json.loads((tmp_path / 'r' / 'results.json').read_text())
    p = res['provenance']
    assert p['model']['model'] == 'embedded' and p['model']['weights_sha256']
    assert p['params']['frozen'] == sum(q.numel() for q in embedded.model.parameters())
    assert p['config']['seed'] == 2 and len(p['class_order']) == 100
    assert p['versions']['torch'] and p['commit']
    assert set(res['summary']['wall_s']) == {'0', '1'}
    assert (tmp_path / 'r' / 'heatmap.html').stat().st_size > 1_000_000


def test_cli_run(tmp_path):
    exe = str(Path(sys.executable).parent / 'seca_nb')
    out = subprocess.run([exe, 'run', '--model', 'tiny-vit', '--init-cls', '50', '--increment', '25', '--out', str(tmp_path / 'c')],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert 'Last ' in out.stdout and 'Avg ' in out.stdout
    bad = subprocess.run([exe, 'run', '--model', 'tiny-vit', '--seed', '3', '--resume', '--init-cls', '50', '--increment', '25',
                          '--out', str(tmp_path / 'c')], capture_output=True, text=True)
    assert bad.returncode == 2 and 'another configuration' in bad.stderr
