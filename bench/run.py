"""SG-AKT cost benchmark (issue 4). Run: make bench   (or .venv/bin/python bench/run.py [--quick])

Part 1, the embedded default (its preset's epochs, a FULL pool of P=5 snapshots), one task timed end to end:
  hpeft      : H-PEFT's task time (L_ce-T only)
  pool_pass  : P no-grad forward passes over the task's training images (what any SG-AKT must add)
  floor      : hpeft + pool_pass
  cached     : SG-AKT with the teacher's pool features computed once per task
  recompute  : SG-AKT recomputing the teacher at every step (the authors' structure)
Part 2, the paper's architecture (ViT-B-16, random weights, 224 px, batch 16, pool of 5): single training steps.
The last line is machine-readable. Results also go to bench/out/bench.json.
"""
import json, platform, resource, sys, time
from pathlib import Path
import torch
from seca_nb.core import SecaConfig, atomic_write_text
from seca_nb.learner import Learner
from seca_nb.presets import PRESETS
from seca_nb.models import create_clip, ClipBundle

quick = '--quick' in sys.argv
DEVICE = sys.argv[sys.argv.index('--device') + 1] if '--device' in sys.argv else 'auto'   # --device cuda, cpu, ...
P, T_BENCH = 5, 5          # a full pool of 5 snapshots while task 5 trains

def peak_mb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def prepared(method, clip, **kw):
    "A learner about to train task T_BENCH, with a full pool of P (distinct, random) snapshots."
    cfg = SecaConfig.from_dict({**PRESETS['emoji100-10s'], 'method': method, 'out_dir': f'/tmp/bench-{method}', 'device': DEVICE, **kw})
    l = Learner(cfg, clip=clip, overwrite=True, progress=False, callbacks=[])
    m = l.method
    torch.manual_seed(0)
    with torch.no_grad():
        for p in m.backbone.visual.adapters.parameters(): p.normal_(0, 0.05)
    if m.teacher is not None:
        for t in range(P):
            snap = m.backbone.snapshot()
            with torch.no_grad():
                for p in snap.parameters(): p.normal_(0, 0.05)
            m.teacher.pool.add(snap, t)
    l.fitted = T_BENCH - 1   # as if tasks 0..4 were learned: the pool above stands in for their snapshots
    l.task_inputs(T_BENCH)(range(len(l.stream[T_BENCH].train)))    # fill the input cache (preprocessing is not what we time)
    return l

def time_task(l):
    t0 = time.perf_counter(); l.fit_task(T_BENCH); return time.perf_counter() - t0

torch.set_num_threads(torch.get_num_threads())
clip = create_clip('embedded', device=DEVICE)
res = {'machine': {'cpu': platform.processor() or platform.machine(), 'threads': torch.get_num_threads(), 'torch': torch.__version__}}
l = prepared('hpeft', clip); res['hpeft_s'] = time_task(l)
n_img = len(l.stream[T_BENCH].train); res['task_images'] = n_img; res['epochs'] = l.cfg.epochs
l = prepared('sgakt', clip)
inputs = l.task_inputs(T_BENCH)
bs = l.cfg.eval_batch_size
l.method.teacher.pool_features(inputs(range(bs)))    # warm-up
t0 = time.perf_counter()
for s in range(0, n_img, bs): l.method.teacher.pool_features(inputs(range(s, min(s + bs, n_img))))
res['pool_pass_s'] = time.perf_counter() - t0
res['floor_s'] = res['hpeft_s'] + res['pool_pass_s']
res['cached_s'] = time_task(prepared('sgakt', clip, cache_teacher=True))
res['recompute_s'] = time_task(prepared('sgakt', clip, cache_teacher=False))
res['peak_rss_mb_part1'] = peak_mb()
for k in ('hpeft_s', 'pool_pass_s', 'floor_s', 'cached_s', 'recompute_s'): print(f"embedded, task {T_BENCH} ({n_img} images x {res['epochs']} epochs), P={P}: {k[:-2]:>10} {res[k]:7.2f} s")

# Part 2: ViT-B-16, random weights
if not quick:
    import open_clip
    from seca_nb.methods import RecipeMethod, RECIPES
    m = open_clip.create_model('ViT-B-16', pretrained=None).eval().requires_grad_(False)
    vit = ClipBundle(m, None, open_clip.get_tokenizer('ViT-B-16'), {'model': 'ViT-B-16', 'embed_dim': 512, 'pretrained': None, 'label': 'random ViT-B-16 (timing only)'})
    from seca_nb.data import get_benchmark
    from seca_nb.streams import make_stream
    cfg = SecaConfig(model='ViT-B-16', views_train=1, views_test=1)
    stream = make_stream(get_benchmark('emoji100', views_train=1, views_test=1), cfg)
    x, y, idx = torch.randn(16, 3, 224, 224), torch.tensor(stream[T_BENCH].labels[:1] * 16), torch.arange(16)
    class Inputs:
        deterministic = True
        def __len__(self): return 16
        def __call__(self, i): return x[torch.as_tensor(list(i))]
    def step_time(recipe, cache, n=2):
        me = RecipeMethod(cfg.replace(cache_teacher=cache), vit, stream, RECIPES[recipe])
        if me.teacher is not None:
            for t in range(P): me.teacher.pool.add(me.backbone.snapshot(), t)
        me.begin_task(T_BENCH, Inputs())
        opt = torch.optim.Adam([p for g in me.param_groups(T_BENCH) for p in g['params']], lr=1e-4)
        ts = []
        for k in range(n + 1):
            t0 = time.perf_counter()
            terms = me.loss(x, y, T_BENCH, idx); loss = sum(terms.values())
            opt.zero_grad(); loss.backward(); opt.step()
            ts.append(time.perf_counter() - t0)
        return min(ts[1:]), me
    t0 = time.perf_counter()
    res['vit_step_hpeft_s'], _ = step_time('hpeft', True)
    t_c, me = step_time('sgakt', True); res['vit_step_sgakt_cached_s'] = t_c
    res['vit_step_sgakt_recompute_s'], _ = step_time('sgakt', False)
    t0 = time.perf_counter(); me.teacher.pool_features(x); res['vit_pool_pass_16_s'] = time.perf_counter() - t0
    for k in ('vit_step_hpeft_s', 'vit_step_sgakt_cached_s', 'vit_step_sgakt_recompute_s', 'vit_pool_pass_16_s'):
        print(f"ViT-B-16 random, 224 px, batch 16, P={P}: {k[4:-2]:>22} {res[k]:7.2f} s")
res['peak_rss_mb'] = peak_mb()
res['ratio_cached_vs_floor'] = res['cached_s'] / res['floor_s']
res['ratio_recompute_vs_cached'] = res['recompute_s'] / res['cached_s']
res['ratio_cached_vs_hpeft'] = res['cached_s'] / res['hpeft_s']
atomic_write_text(Path(__file__).parent / 'out' / 'bench.json', json.dumps(res, indent=1))
print(f"peak RSS {res['peak_rss_mb']:.0f} MB; machine {res['machine']}")
print(f"ratio_cached_vs_floor={res['ratio_cached_vs_floor']:.3f} ratio_recompute_vs_cached={res['ratio_recompute_vs_cached']:.3f} ratio_cached_vs_hpeft={res['ratio_cached_vs_hpeft']:.3f}")
