"The baselines (RAPF, VPT-NSP, SimpleCIL, APER, L2P, DualPrompt, CODA-Prompt, EASE, MG-CLIP) as a script uses them: tasks learned offline, an interrupted task resumed to the same matrix, checkpoints that hold only what each method trains and keeps, and the comparison table."
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
import torch
from seca_nb.core import SecaConfig
from seca_nb.learner import Learner, Callback, default_callbacks
from seca_nb.rundir import read_checkpoint, state_bytes
import seca_nb.methods

# small settings on the tiny ViT; RAPF's threshold set so that pairs are hard under the tiny ViT's random text tower
CASES = {'rapf': dict(method='rapf', epochs=2, batch_size=16, rapf_threshold=1.5),
         'vpt_nsp': dict(method='vpt_nsp', epochs=2, batch_size=16, head_epochs=2),
         'l2p': dict(method='l2p', epochs=2, batch_size=16, weight_decay=0.0),
         'dualprompt': dict(method='dualprompt', epochs=2, batch_size=16, dual_g_layers=(0,), dual_layers=(1,)),
         'ease': dict(method='ease', epochs=2, batch_size=16, optimizer='sgd', schedule='cosine')}


def _cfg(name, out):
    return SecaConfig(model='tiny-vit', views_train=1, views_test=1, init_cls=10, increment=10, out_dir=str(out), **CASES[name])


class StopAt(Callback):
    "Interrupt training at a step of a task, as Ctrl-C would."
    def __init__(self, t, step): self.t, self.stop = t, step
    def after_step(self, l):
        if l.t == self.t and l.step == self.stop: raise KeyboardInterrupt


@pytest.mark.parametrize('name', list(CASES))
def test_interrupted_task_resumes_to_the_same_matrix(tmp_path, tiny, name):
    full = Learner(_cfg(name, tmp_path / 'full'), clip=tiny, progress=False).run(tasks=2)
    part = _cfg(name, tmp_path / 'part')
    l = Learner(part, clip=tiny, progress=False, callbacks=default_callbacks() + [StopAt(1, 1)])
    with pytest.raises(KeyboardInterrupt): l.run(tasks=2)
    l.close()
    resumed = Learner(part, clip=tiny, resume=True, progress=False)
    assert resumed.fitted == 0   # task 1 was interrupted: it is learned again from task 0's checkpoint
    s = resumed.run(tasks=2)
    np.testing.assert_array_equal(s['R'], full['R'])
    assert full['seen_acc'].shape == (2,)
    ck = read_checkpoint(tmp_path / 'full' / 'ckpt' / 'task_01.pt', resumed.cfg)['method_state']
    _check_state(name, ck, tiny)


def _check_state(name, ck, tiny):
    "The checkpoint holds only what the method trains and keeps: never a frozen tower tensor."
    d = tiny.info['embed_dim']
    frozen = {tuple(v.shape) for v in tiny.model.state_dict().values() if v.numel() > d * d}
    shapes = []
    def walk(v):
        if isinstance(v, torch.Tensor): shapes.append(tuple(v.shape))
        elif isinstance(v, dict): [walk(x) for k, x in v.items() if k != 'records']
        elif isinstance(v, (list, tuple)): [walk(x) for x in v]
    walk(ck)
    assert not frozen & set(shapes), f"{name}: a frozen tower tensor in the checkpoint"
    if name == 'rapf':
        assert sorted(ck) == ['backbone', 'classifier', 'extra:rapf', 'records']
        assert list(ck['backbone']) == ['weight'] and ck['classifier'] == {}
        g = ck['extra:rapf']['gauss']
        assert g['labels'].tolist() == list(range(20))   # 20 seen classes: a mean and a Cholesky factor each
        assert state_bytes(ck) == 4 * (d * d + 20 * d + 20 * d * d) + 8 * 20
    elif name == 'ease':
        assert sorted(ck) == ['backbone', 'classifier', 'records']
        assert len(ck['backbone']['adapters']) == 2 and ck['backbone']['task'] == 1   # the two tasks learned, not the rest
        assert tuple(ck['classifier']['P'].shape) == (20, 2, d)   # 20 classes seen, in the 2 subspaces
    elif name in ('l2p', 'dualprompt'):
        assert sorted(ck) == ['backbone', 'classifier', 'records'] and sorted(ck['classifier']) == ['bias', 'weight']
        assert ck['backbone']['task'] == 1
        pool = ck['backbone']['pool']
        if name == 'l2p': assert tuple(pool['prompts.0'].shape) == (30, 20, 64) and tuple(pool['keys.0'].shape) == (30, d)
        else: assert tuple(pool['prompts.0'].shape) == (10, 20, 64) and tuple(pool['g.0'].shape) == (6, 64)
    else:
        bb = ck['backbone']
        w = tiny.model.visual.transformer.width
        assert tuple(bb['prompts'].shape) == (2, 4, w)   # both blocks of the tiny ViT, 4 tokens each
        assert tuple(bb['C1'].shape) == (2, w, w) and tuple(bb['P2'].shape) == (2, 4, 4)
        assert bb['gauss']['labels'].tolist() == list(range(20))
        assert set(bb['head']) == {'weight', 'bias'}


def test_compare_command_tabulates_the_baselines_with_their_costs(tmp_path, capsys):
    from seca_nb.cli import main
    out = tmp_path / 'cmp'
    args = ['compare', '--methods', 'zeroshot,rapf,vpt_nsp', '--model', 'tiny-vit', '--views-train', '1', '--views-test', '1',
            '--orders', '0', '--tasks', '2', '--epochs', '1', '--set', 'head_epochs=1', '--out', str(out)]
    assert main(args) == 0, capsys.readouterr().err[-2000:]
    tb = json.loads((out / 'table.json').read_text())
    assert list(tb['rows']) == ['zeroshot', 'rapf', 'vpt_nsp'] and not tb['missing']
    rows = tb['rows']
    assert rows['rapf']['overrides']['milestones'] == [4, 10]   # RAPF's own schedule, under the epochs set on the command line
    assert all(len(r['runs']) == 1 for r in rows.values())
    assert rows['zeroshot']['trainable_mean'] == 0 and rows['zeroshot']['kept_bytes_mean'] == 0
    assert rows['rapf']['trainable_mean'] == 64 * 64
    assert rows['vpt_nsp']['kept_bytes_mean'] > rows['rapf']['kept_bytes_mean'] > 0   # covariances, projectors and 64-d Gaussians vs one layer and Gaussians
    md = (out / 'table.md').read_text()
    assert '| fit s / task | trainable | kept MB |' in md and '| rapf |' in md
    capsys.readouterr()
    assert main(['compare', '--methods', 'zeroshot,vpt_nsp', '--orders', '0', '--out', str(tmp_path / 'bad')]) == 2
    err = capsys.readouterr().err
    assert "'embedded' has no ViT tower" in err and '--model embedded-vit' in err   # refused before anything runs, naming the fix
    assert not (tmp_path / 'bad' / 'zeroshot-order0').exists()



def test_prompt_methods_run_offline_on_the_vit_standin(tmp_path, capsys):
    "L2P on the distilled ViT stand-in from the command line: offline, labelled as not CLIP, its prompts in the checkpoint."
    from seca_nb.cli import main
    out = tmp_path / 'vit'
    args = ['run', '--method', 'l2p', '--model', 'embedded-vit', '--views-train', '1', '--views-test', '1', '--tasks', '1',
            '--epochs', '1', '--out', str(out)]
    assert main(args) == 0, capsys.readouterr().err[-2000:]
    res = json.loads((out / 'results.json').read_text())
    model = res['provenance']['model']
    assert model['model'] == 'embedded-vit' and 'NOT CLIP' in model['label'] and model['image_size'] == 96
    bb = torch.load(out / 'ckpt' / 'task_00.pt', weights_only=True)['method_state']['backbone']
    assert tuple(bb['pool']['prompts.0'].shape) == (30, 20, 128)   # 30 prompts of 20 tokens at the blocks' width
    assert tuple(bb['pool']['keys.0'].shape) == (30, 384)   # keys in the joint space, queried by the frozen embedding


def test_moe_text_experts_need_an_open_clip_text_tower(tmp_path, capsys):
    "MoE-Adapters with experts in the stand-in's Hugging Face text tower is refused before anything is written."
    from seca_nb.cli import main
    out = tmp_path / 'moe'
    assert main(['run', '--method', 'moe_adapters', '--set', 'moe_towers=both', '--tasks', '1', '--out', str(out)]) == 2
    err = capsys.readouterr().err
    assert "needs an open_clip text transformer" in err and 'Fix: moe_towers=image' in err
    assert not out.exists()

# SimpleCIL and APER (09c_aper): killed with SIGKILL mid-run, then resumed from the command line to the same matrix
_KILL = {'simplecil': ('after_eval', 0, None), 'aper': ('after_step', 0, 1)}   # (event, task, step) where the run is killed


def _cli_args(method, out, *extra):
    exe = str(Path(sys.executable).parent / 'seca_nb')
    train = ['--epochs', '2', '--batch-size', '16'] if method == 'aper' else []   # SimpleCIL trains nothing: refused
    return [exe, 'run', '--method', method, '--model', 'tiny-vit', '--views-train', '1', '--views-test', '1', *train,
            '--tasks', '3', '--out', str(out), *extra]


@pytest.mark.parametrize('method', list(_KILL))
def test_prototype_baselines_resume_after_kill_9(tmp_path, method):
    import signal
    event, t, step = _KILL[method]
    full = tmp_path / 'full'
    from seca_nb.cli import main
    assert main(_cli_args(method, full)[1:]) == 0   # the reference run in this process (a process start saved)
    out = tmp_path / 'killed'
    cond = f"l.t == {t}" if step is None else f"l.t == {t} and l.step == {step}"
    # the command's own callback, made to stop the process at the chosen point (then it is killed there)
    code = ("import sys, time; import seca_nb.cli as c\n"
            "class Hold(c.SaveHeatmap):\n"
            f"    def {event}(self, l):\n"
            f"        getattr(super(), {event!r}, lambda l: None)(l)\n"
            f"        if {cond}: print('holding', flush=True); time.sleep(120)\n"
            "c.SaveHeatmap = Hold\n"
            f"sys.exit(c.main({_cli_args(method, out)[1:]!r}))")
    holder = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True)
    try:
        lines = iter(holder.stdout.readline, '')
        assert any(x.strip() == 'holding' for x in lines)   # the command prints its plan first
        holder.send_signal(signal.SIGKILL); holder.wait()
    finally:
        if holder.poll() is None: holder.kill()
    ok = subprocess.run(_cli_args(method, out, '--resume'), capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr[-2000:]
    a, b = [json.loads((d / 'results.json').read_text())['summary'] for d in (full, out)]
    assert a['tasks'] == b['tasks'] == 3
    np.testing.assert_array_equal(np.array(a['R'], dtype=float), np.array(b['R'], dtype=float))


@pytest.mark.parametrize('method', ['simplecil', 'aper', 'ease', 'mgclip', 'moe_adapters'])
def test_prototype_baselines_step_in_the_widgets(tmp_path, tiny, method):
    "The task stepper's state (what the widget shows) steps SimpleCIL, APER, EASE, MG-CLIP and MoE-Adapters task by task."
    from seca_nb.widgets import StepperState
    train = dict(epochs=1, batch_size=16) if method != 'simplecil' else {}
    cfg = SecaConfig(model='tiny-vit', method=method, views_train=1, views_test=1, init_cls=10, increment=10,
                     out_dir=str(tmp_path / method), **train)
    s = StepperState(Learner(cfg, clip=tiny, progress=False))
    assert [s.train_next(), s.train_next()] == [0, 1]
    v = s.view(1)
    assert v['R'].shape == (2, 2) and 0 <= v['last'] <= 100
    figs = s.figures(0)
    assert {'accuracy', 'old_new'} <= set(figs)
    assert ('losses' in figs) == (method != 'simplecil')   # the others train in task 0; SimpleCIL nothing



# CODA-Prompt (09d_prompts), EASE (09e_ease), MG-CLIP (09f_mgclip) and MoE-Adapters (09g_moe): killed mid-task 1
# (CODA-Prompt draws task 1's components when it begins; EASE trains task 1's own adapters; MG-CLIP's LoRA carries over
# from task 0 and its intra-modal classifier trains after the task; MoE-Adapters here with a router per task, the most
# used expert of each block frozen after task 0, and the DDAS's autoencoders), resumed from the command line to the
# same matrix
MOE_STATEFUL = ['--set', 'moe_towers=both', '--set', 'moe_routers=task', '--set', 'moe_experts=3', '--set', 'freeze_top=1',
                '--set', 'ddas=true', '--set', 'ddas_steps=10']

def _prompt_args(method, out, *extra):
    exe = str(Path(sys.executable).parent / 'seca_nb')
    pool = ['--set', 'coda_pool=20'] if method == 'coda_prompt' else []   # 10 components per task of the two
    pool += MOE_STATEFUL if method == 'moe_adapters' else []
    return [exe, 'run', '--method', method, '--model', 'tiny-vit', '--views-train', '1', '--views-test', '1', '--epochs', '2',
            '--batch-size', '8', '--tasks', '2', *pool, '--out', str(out), *extra]


@pytest.mark.parametrize('method', ['coda_prompt', 'ease', 'mgclip', 'moe_adapters'])
def test_task_state_baselines_resume_after_kill_9(tmp_path, method):
    "CODA-Prompt, the most stateful prompt method (L2P and DualPrompt resume in-process, above), EASE, MG-CLIP, MoE."
    import signal
    full = tmp_path / 'full'
    from seca_nb.cli import main
    assert main(_prompt_args(method, full)[1:]) == 0   # the reference run in this process (a process start saved)
    out = tmp_path / 'killed'
    code = ("import sys, time; import seca_nb.cli as c\n"
            "class Hold(c.SaveHeatmap):\n"
            "    def after_step(self, l):\n"
            "        if l.t == 1 and l.step == 1: print('holding', flush=True); time.sleep(120)\n"
            "c.SaveHeatmap = Hold\n"
            f"sys.exit(c.main({_prompt_args(method, out)[1:]!r}))")
    holder = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True)
    try:
        assert any(x.strip() == 'holding' for x in iter(holder.stdout.readline, ''))
        holder.send_signal(signal.SIGKILL); holder.wait()
    finally:
        if holder.poll() is None: holder.kill()
    ok = subprocess.run(_prompt_args(method, out, '--resume'), capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr[-2000:]
    a, b = [json.loads((d / 'results.json').read_text())['summary'] for d in (full, out)]
    assert a['tasks'] == b['tasks'] == 2
    np.testing.assert_array_equal(np.array(a['R'], dtype=float), np.array(b['R'], dtype=float))
    ck = torch.load(full / 'ckpt' / 'task_01.pt', weights_only=False)['method_state']
    assert sorted(ck) == ['backbone', 'classifier', 'records']
    if method == 'mgclip':   # LoRA on the K/V of the tiny ViT's 2 + 2 attentions, the 20 seen classes' intra-modal rows
        assert [tuple(a.shape) for a in ck['backbone']['A']] == [(8, 64)] * 8 and ck['classifier']['task'] == 1
        assert tuple(ck['classifier']['W'].shape) == (20, 64)
        return
    if method == 'moe_adapters':   # 2 + 2 blocks of 3 experts, routers per task; a frozen expert per block
        bb = ck['backbone']
        assert bb['t'] == 1 and tuple(bb['image']['0.w_gate.1'].shape) == (64, 3)
        assert len({k.split('.')[0] for k in bb['aes']}) == 10   # an autoencoder per task of the stream
        assert {f[:2] for f in bb['frozen']} == {('image', 0), ('image', 1), ('text', 0), ('text', 1)}
        return
    assert ck['backbone']['task'] == 1
    if method == 'coda_prompt': assert sorted(ck['classifier']) == ['bias', 'weight'] and 'pool' in ck['backbone']
    else: assert len(ck['backbone']['adapters']) == 2 and ck['classifier']['task'] == 1


def test_prompt_baseline_steps_in_the_widgets(tmp_path, tiny):
    "The task stepper's state steps CODA-Prompt task by task, its loss curves included."
    from seca_nb.widgets import StepperState
    cfg = SecaConfig(model='tiny-vit', method='coda_prompt', views_train=1, views_test=1, init_cls=10, increment=10,
                     epochs=1, batch_size=32, coda_pool=20, out_dir=str(tmp_path / 'coda'))
    s = StepperState(Learner(cfg, clip=tiny, progress=False))
    assert [s.train_next(), s.train_next()] == [0, 1]
    assert s.view(1)['R'].shape == (2, 2)
    assert {'accuracy', 'old_new', 'losses'} <= set(s.figures(1))
