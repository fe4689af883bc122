"Script-level tests of SE-VPR, SECA, SECA++, the ablation and the reproduction manifest (issue 5)."
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
import torch
from seca_nb.core import SecaConfig
from seca_nb.learner import Learner
from seca_nb.models import create_clip
from seca_nb.cli import ablation, reproduce, reproduction_manifest, VARIANTS


@pytest.fixture(scope='module')
def tiny():
    return create_clip('tiny-vit')


def test_seca_pp_checkpoint_holds_method_state(tmp_path, tiny):
    cfg = SecaConfig(model='tiny-vit', method='seca', pseudo_features=True, views_train=1, views_test=1, init_cls=50,
                     increment=50, epochs=1, batch_size=32, out_dir=str(tmp_path / 'r'))
    Learner(cfg, clip=tiny, progress=False).run()
    st = torch.load(tmp_path / 'r' / 'ckpt' / 'task_01.pt', weights_only=True)['method_state']
    for k in ('adapters', 'prompts', 'module', 'pool', 'pool_acc', 'sevpr', 'base', 'refined', 'gauss'):
        assert k in st, k
    assert st['base'].shape == (100, 64) and st['refined'].shape == (100, 64)
    assert st['gauss']['labels'].tolist() == list(range(100))
    rec = torch.load(tmp_path / 'r' / 'records' / 'task_01.pt', weights_only=True)
    assert rec['affinity'].shape == (100, 100) and rec['text_projected'].shape == (100, 64)


def test_ablation_table(tmp_path):
    tb = ablation('emoji100-10s', [0, 1], str(tmp_path / 'ab'), ['zero-shot', 'SECA'], model='tiny-vit',
                  views_train=1, views_test=1, init_cls=50, increment=50, epochs=1)
    md = (tmp_path / 'ab' / 'table.md').read_text()
    assert '| SECA |' in md and '±' in md
    assert json.loads((tmp_path / 'ab' / 'table.json').read_text())['orders'] == [0, 1]
    assert len(tb['rows']['SECA']['runs']) == 2


def test_every_manifest_row_maps_to_a_variant():
    ids = [e['id'] for e in reproduction_manifest()]
    assert len(ids) == len(set(ids)) and 'ablation/cifar100-10s/SECA/last' in ids
    assert {'SECA', 'SECA++', 'H-PEFT', '+SG-AKT', '+SE-VPR'} <= set(VARIANTS)


def test_paper_setting_offline_stops_at_once(tmp_path):
    exe = str(Path(sys.executable).parent / 'seca_nb')
    out = subprocess.run([exe, 'ablation', '--preset', 'imagenet-r-10s', '--orders', '0', '--out', str(tmp_path / 'x')],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert 'data: imagenet-r not found' in out.stderr and "model: Could not get the 'openai' weights" in out.stderr
