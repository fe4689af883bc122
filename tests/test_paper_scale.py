"The paper's architecture end to end, offline: open_clip ViT-B-16 with a random-weights file, 224 px, on fixtures in the real on-disk formats (slow: run with --runslow)."
import json, math
import pytest
import torch
from seca_nb.cli import main
from seca_nb.data import make_cifar100_fixture, make_imagefolder_fixture
from seca_nb.models import create_clip


@pytest.fixture(scope='module')
def vitb16_weights(tmp_path_factory):
    "A random-weights file for open_clip ViT-B-16 (as the how-to writes one)."
    p = tmp_path_factory.mktemp('w') / 'vit-b-16-random.pt'
    torch.save(create_clip('ViT-B-16', pretrained='random', device='cpu').model.state_dict(), p)
    return p


def run_imagenet_r(method, weights, tmp_path, capsys, per_class=2, sets=('epochs=1',), out=None):
    "Two tasks of `method` on an ImageNet-R fixture with its ImageNet-R preset; the results, the config and task 1's state."
    root = tmp_path / 'data'
    if not root.exists(): make_imagefolder_fixture(root / 'imagenet-r', 'imagenet-r', per_class=per_class)
    out = out or tmp_path / 'run'
    args = ['run', '--preset', 'imagenet-r-10s', '--data-root', str(root), '--weights', str(weights), '--method', method,
            '--tasks', '2', '--out', str(out)] + [a for v in sets for a in ('--set', v)]
    assert main(args) == 0, capsys.readouterr().err
    res = json.loads((out / 'results.json').read_text())
    ckpt = out / 'ckpt' / 'task_01.pt'
    assert ckpt.stat().st_size < 0.2 * weights.stat().st_size   # what training changed, not the frozen encoders
    return res, res['provenance']['config'], torch.load(ckpt, weights_only=True)['method_state'], ckpt


@pytest.mark.slow
@pytest.mark.parametrize('preset', ['cifar100-10s', 'imagenet-r-10s'])
def test_paper_setting_end_to_end(preset, vitb16_weights, tmp_path, capsys):
    root = tmp_path / 'data'
    if preset.startswith('cifar'): make_cifar100_fixture(root, n_train=2, n_test=1)
    else: make_imagefolder_fixture(root / 'imagenet-r', 'imagenet-r', per_class=3)
    out = tmp_path / 'run'
    base = ['run', '--preset', preset, '--data-root', str(root), '--weights', str(vitb16_weights), '--method', 'seca',
            '--set', 'epochs=1', '--out', str(out)]
    assert main(base + ['--tasks', '1']) == 0, capsys.readouterr().err
    first = capsys.readouterr().out
    assert 'model: ViT-B-16 (weights vit-b-16-random.pt)' in first and 'image_size' not in first
    assert main(base + ['--tasks', '2', '--resume']) == 0, capsys.readouterr().err
    assert sorted(p.name for p in (out / 'ckpt').glob('*.pt')) == ['task_00.pt', 'task_01.pt']
    res = json.loads((out / 'results.json').read_text())
    assert res['summary']['tasks'] == 2 and res['provenance']['model']['image_size'] == 224
    recs = [json.loads(l) for l in (out / 'results.jsonl').read_text().splitlines()]
    curves = [r['curves'] for r in recs if r.get('kind') == 'task']
    assert len(curves) == 2 and all(math.isfinite(v) for c in curves for vs in c.values() for v in vs)
    assert 'kd' in curves[1] and 'ce_v' in curves[1]   # the teacher and SE-VPR trained in task 1
    assert (out / 'ckpt' / 'task_01.pt').stat().st_size < 0.05 * vitb16_weights.stat().st_size   # what training changed, not the frozen encoders
    assert main(['run', '--preset', preset, '--data-root', str(root), '--out', str(tmp_path / 'offline')]) == 2
    assert "Could not get the 'openai' weights for ViT-B-16 (offline" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize('method', ['rapf', 'vpt_nsp'])
def test_baselines_at_paper_scale(method, vitb16_weights, tmp_path, capsys):
    "RAPF and VPT-NSP on ViT-B-16 at 224 px (random weights: plumbing and cost, not accuracy), two tasks, with their ImageNet-R presets."
    extra = 'head_epochs=1' if method == 'vpt_nsp' else 'rapf_threshold=0.6'
    res, cfg, sd, _ = run_imagenet_r(method, vitb16_weights, tmp_path, capsys, per_class=3, sets=('epochs=1', extra))
    assert res['summary']['tasks'] == 2
    assert (cfg['epochs'], tuple(cfg['milestones'])) == (1, (4, 10) if method == 'rapf' else (4, 7))   # the method's own schedule, epochs as set
    if method == 'rapf': assert res['provenance']['params']['trainable'] == 512 * 512 and cfg['rapf_shrinkage'] is True
    else:
        bb = sd['backbone']
        assert tuple(bb['prompts'].shape) == (4, 4, 768) and tuple(bb['C1'].shape) == (4, 768, 768)   # 4 tokens in each of the first 4 blocks


@pytest.mark.slow
def test_aper_at_paper_scale(vitb16_weights, tmp_path, capsys):
    "APER on ViT-B-16 at 224 px (random weights: plumbing and cost), two tasks, with its ImageNet-R preset: AdaptFormer on all 12 blocks."
    res, cfg, sd, _ = run_imagenet_r('aper', vitb16_weights, tmp_path, capsys, per_class=3)
    assert (cfg['optimizer'], cfg['schedule'], cfg['lr_aper'], cfg['batch_size']) == ('sgd', 'cosine', 0.05, 24)   # APER's own
    adapters = 12 * (768 * 64 + 64 + 64 * 768 + 768)   # Down and Up with biases beside each block's MLP
    assert res['provenance']['params']['trainable'] == adapters + 20 * 512 + 1   # + the first task's cosine head and σ
    assert tuple(sd['classifier']['protos'].shape) == (40, 1024)   # 20 classes a task, [frozen; adapted] embeddings


@pytest.mark.slow
def test_prompt_methods_at_paper_scale(vitb16_weights, tmp_path, capsys):
    "L2P, DualPrompt and CODA-Prompt on ViT-B-16 at 224 px (random weights), two tasks, their ImageNet-R preset: the paper's blocks and pools."
    head = 200 * 512 + 200   # the linear head: a row and a bias per class of ImageNet-R, on the 512-d image embedding
    pools = {'l2p': 30 * 20 * 768 + 30 * 512,   # one block: 30 prompts of 20 tokens and their keys
             'dualprompt': 3 * (10 * 20 * 768 + 10 * 512) + 2 * 6 * 768,   # E in blocks 2-4, G in blocks 0-1
             'coda_prompt': 5 * (100 * 8 * 768 + 2 * 100 * 512)}   # blocks 0-4: components, keys, attention vectors
    for method, pool in pools.items():
        res, cfg, sd, _ = run_imagenet_r(method, vitb16_weights, tmp_path, capsys, out=tmp_path / method)
        assert (cfg['optimizer'], cfg['schedule'], cfg['batch_size'], cfg['weight_decay']) == ('adam', 'quarter-cosine', 128, 0.0)
        assert res['provenance']['params']['trainable'] == pool + head, method
        assert sd['backbone']['task'] == 1 and tuple(sd['classifier']['weight'].shape) == (200, 512)


@pytest.mark.slow
def test_ease_at_paper_scale(vitb16_weights, tmp_path, capsys):
    "EASE on ViT-B-16 at 224 px (random weights), two tasks, its ImageNet-R preset: AdaptFormer on all 12 blocks per task."
    res, cfg, sd, _ = run_imagenet_r('ease', vitb16_weights, tmp_path, capsys)
    assert (cfg['optimizer'], cfg['schedule'], cfg['lr_ease'], cfg['batch_size']) == ('sgd', 'cosine', 0.05, 16)   # EASE's own
    adapters = 12 * (768 * 64 + 64 + 64 * 768 + 768)   # Down and Up with biases beside each block's MLP
    assert res['provenance']['params']['trainable'] == 10 * (adapters + 20 * 512 + 1)   # a set and a cosine head per task
    assert len(sd['backbone']['adapters']) == 2 and tuple(sd['classifier']['P'].shape) == (40, 2, 512)


@pytest.mark.slow
def test_mgclip_at_paper_scale(vitb16_weights, tmp_path, capsys):
    "MG-CLIP on ViT-B-16 at 224 px (random weights), two tasks, its ImageNet-R preset: LoRA on the K/V of all 24 attentions."
    res, cfg, sd, ckpt = run_imagenet_r('mgclip', vitb16_weights, tmp_path, capsys, sets=())
    assert (cfg['optimizer'], cfg['epochs'], cfg['lr_lora'], cfg['batch_size'], cfg['agent_batch_size']) == ('adam', 2, 1e-3, 64, 32)
    lora = 12 * 2 * 2 * (8 * 768) + 12 * 2 * 2 * (8 * 512)   # A and B of rank 8 at each key and value: image, then text
    assert res['provenance']['params']['trainable'] == lora + 200 * 512   # and an intra-modal row per class
    assert len(sd['backbone']['A']) == 48 and tuple(sd['classifier']['W'].shape) == (40, 512)
    assert ckpt.stat().st_size < 0.05 * vitb16_weights.stat().st_size


@pytest.mark.slow
def test_moe_adapters_at_paper_scale(vitb16_weights, tmp_path, capsys):
    "MoE-Adapters on ViT-B-16 at 224 px (random weights), two tasks, its ImageNet-R preset: experts in all 24 blocks."
    res, cfg, sd, ckpt = run_imagenet_r('moe_adapters', vitb16_weights, tmp_path, capsys, sets=())
    assert (cfg['schedule'], cfg['warmup_steps'], cfg['epochs'], cfg['lr_moe'], cfg['batch_size']) == ('warmup-cosine', 30, 1,
                                                                                                      1e-3, 64)
    expert = lambda w: w * 64 + 64 + 64 * w + w   # Down and Up with biases
    block = lambda w: 2 * expert(w) + 2 * w * 2   # two experts, and the router's W_g and W_n
    assert res['provenance']['params']['trainable'] == 12 * block(768) + 12 * block(512)   # image, then text blocks
    assert sd['backbone']['t'] == 1 and len({k.split('.')[0] for k in sd['backbone']['text']}) == 12
    assert ckpt.stat().st_size < 0.05 * vitb16_weights.stat().st_size
