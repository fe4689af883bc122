"Script-level tests of H-PEFT and SG-AKT (issue 4), run as a user's script would."
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
import torch
from seca_nb.core import SecaConfig
from seca_nb.learner import Learner, preset_config, PRESETS
from seca_nb.models import create_clip


@pytest.fixture(scope='module')
def tiny():
    return create_clip('tiny-vit')


def test_presets_cover_the_paper():
    for ds in ('cifar100', 'imagenet-r', 'imagenet-a'):
        for steps in (10, 20):
            c = preset_config(f'{ds}-{steps}s')
            assert (c.model, c.pretrained, c.seed) == ('ViT-B-16', 'openai', 2)
    assert preset_config('imagenet-r-10s').epochs == 10 and preset_config('cifar100-10s').batch_size == 100
    assert preset_config('emoji100-10s').model == 'embedded'


def test_sgakt_records_and_checkpoint(tmp_path, tiny):
    cfg = SecaConfig(model='tiny-vit', method='sgakt', views_train=1, views_test=1, init_cls=40, increment=30,
                     epochs=1, batch_size=32, pool_size=5, out_dir=str(tmp_path / 'r'))
    l = Learner(cfg, clip=tiny, progress=False)
    l.run()
    rec = [r for r in l.log.read() if r.get('kind') == 'task']
    assert set(rec[2]['curves']) == {'ce_t', 'agg', 'kd', 'total'}
    assert rec[2]['record']['pool_tasks'] == [0, 1] and len(rec[2]['record']['relevance'][0]) == 2
    ck = torch.load(tmp_path / 'r' / 'ckpt' / 'task_02.pt', weights_only=True)
    st = ck['method_state']
    assert st['pool_tasks'].tolist() == [0, 1, 2] and len(st['pool']) == 3 and st['prompts'].shape[:2] == (3, 8)
    # the checkpoint holds what training changed, not the frozen encoders
    n_saved = sum(v.numel() for v in st['adapters'].values()) + st['prompts'].numel()
    assert n_saved < sum(p.numel() for p in tiny.model.parameters())
    assert not any('transformer.resblocks' in k for k in st['adapters'])


def test_cli_sgakt_run(tmp_path):
    exe = str(Path(sys.executable).parent / 'seca_nb')
    out = subprocess.run([exe, 'run', '--model', 'tiny-vit', '--method', 'sgakt', '--init-cls', '50', '--increment', '25',
                          '--epochs', '1', '--out', str(tmp_path / 's')], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert 'Last ' in out.stdout


def test_prompt_length_mismatch(tmp_path, tiny):
    l = Learner(SecaConfig(model='tiny-vit', method='hpeft', views_train=1, views_test=1, out_dir=str(tmp_path / 'p')), clip=tiny)
    sd = l.method.state_dict(); sd['prompts'] = sd['prompts'][:, :5]
    with pytest.raises(ValueError, match=r'Fix: use the n_ctx \(5\)'):
        l.method.load_state_dict(sd)
