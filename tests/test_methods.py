"Methods built from parts: presets, what each recipe builds and checkpoints, SG-AKT's records."
import numpy as np
import pytest
from seca_nb.core import SecaConfig
import torch
from seca_nb.learner import Learner
from seca_nb.presets import preset_config




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
    assert ck['format'] == 2 and set(st) == {'backbone', 'teacher', 'classifier', 'records'}
    te, bb = st['teacher'], st['backbone']
    assert te['pool_tasks'].tolist() == [0, 1, 2] and len(te['pool']) == 3 and bb['prompts'].shape[:2] == (3, 8)
    # the checkpoint holds what training changed, not the frozen encoders
    n_saved = sum(v.numel() for v in bb['adapters'].values()) + bb['prompts'].numel()
    assert n_saved < sum(p.numel() for p in tiny.model.parameters())
    assert not any('transformer.resblocks' in k for k in bb['adapters'])


def test_prompt_length_mismatch(tmp_path, tiny):
    l = Learner(SecaConfig(model='tiny-vit', method='hpeft', views_train=1, views_test=1, out_dir=str(tmp_path / 'p')), clip=tiny)
    sd = l.method.state_dict(); sd['backbone']['prompts'] = sd['backbone']['prompts'][:, :5]
    with pytest.raises(ValueError, match=r'Fix: use the n_ctx \(5\)'):
        l.method.load_state_dict(sd)


def test_teacher_none_builds_no_sgakt_module(tmp_path, tiny):
    for teacher, has in (('none', False), ('clip', False), ('last', False), ('sgakt', True)):
        l = Learner(SecaConfig(model='tiny-vit', method='seca', teacher=teacher, views_train=1, views_test=1, out_dir=str(tmp_path / teacher)), clip=tiny)
        st = l.method.state_dict()
        assert ('module' in st.get('teacher', {})) == has, teacher
        assert (teacher == 'none') == ('teacher' not in st)
        assert not any(type(p).__name__ == 'SGAKTModule' for p in [getattr(l.method.teacher, 'module', None)]) or has
        l.close()


def test_seca_pp_checkpoint_holds_method_state(tmp_path, tiny):
    cfg = SecaConfig(model='tiny-vit', method='seca', pseudo_features=True, views_train=1, views_test=1, init_cls=50,
                     increment=50, epochs=1, batch_size=32, out_dir=str(tmp_path / 'r'))
    Learner(cfg, clip=tiny, progress=False).run()
    st = torch.load(tmp_path / 'r' / 'ckpt' / 'task_01.pt', weights_only=True)['method_state']
    assert set(st) == {'backbone', 'teacher', 'classifier', 'extra:pseudo', 'records'}
    assert set(st['backbone']) == {'adapters', 'prompts'} and {'module', 'pool', 'pool_acc'} <= set(st['teacher'])
    assert set(st['classifier']) == {'module', 'base', 'refined'}
    assert st['classifier']['base'].shape == (100, 64) and st['classifier']['refined'].shape == (100, 64)
    assert st['extra:pseudo']['gauss']['labels'].tolist() == list(range(100))
    rec = torch.load(tmp_path / 'r' / 'records' / 'task_01.pt', weights_only=True)
    assert rec['affinity'].shape == (100, 100) and rec['text_projected'].shape == (100, 64)


def test_authors_fidelity_on_the_stand_in(tmp_path):
    "fidelity='authors' (every switch at the authors' behaviour) trains SECA++ on the embedded stand-in end to end."
    cfg = SecaConfig(method='seca++', fidelity='authors', views_train=1, views_test=1, init_cls=50, increment=25, epochs=1,
                     batch_size=32, out_dir=str(tmp_path / 'a'))
    assert (cfg.score_norm, cfg.teacher_mode, cfg.prototype_stats, cfg.pseudo_stats) == ('batch', 'train', 'raw', 'raw')
    l = Learner(cfg, progress=False)
    s = l.run()
    assert s['tasks'] == 3 and np.isfinite(s['last'])
    assert {'kd', 'agg', 'pseudo_t', 'pseudo_v'} <= set(l.curves[2])
    assert l.provenance['config']['fidelity'] == 'authors'
