"""Choose the embedded preset's hyper-parameters on Emoji-100's VALIDATION split (never the test set).

Validation = one of the three training styles held out (see seca_nb.data.get_benchmark(split='val')), so training here
uses two styles instead of three: the chosen values are then used with all three.
Each line printed is one configuration: Last and Avg on the validation split. Results: bench/out/tune_emoji.jsonl.
Run: .venv/bin/python bench/tune_emoji.py [--stage 2] [--preset emoji100-prior-10s] [method ...]
--preset: the world to tune (default emoji100-10s, the embedded stand-in; emoji100-prior-10s: the 'embedded-prior'
stand-in, whose stream trains on OpenMoji and Fluent, so its validation trains on OpenMoji and tests on Fluent).
Stage 1 is a 2x2x2 grid around the paper's values; stage 2 refines around stage 1's best (epochs 6, lr_adapter 5e-3;
for the prior world: epochs 3, lr_prompt 5e-3, and adapter rates below its best, 1e-3).
"""
import itertools, json, sys, time
from pathlib import Path
from seca_nb.core import SecaConfig, JsonlLog
from seca_nb.learner import Learner
from seca_nb.models import create_clip
from seca_nb.presets import preset_config

stage2 = '--stage' in sys.argv
DEVICE = sys.argv[sys.argv.index('--device') + 1] if '--device' in sys.argv else 'auto'   # --device cuda, cpu, ...
PRESET = sys.argv[sys.argv.index('--preset') + 1] if '--preset' in sys.argv else 'emoji100-10s'
methods = [a for a in sys.argv[1:] if not a.startswith('--') and a not in ('2', DEVICE, PRESET)] or ['hpeft']
base = preset_config(PRESET)
clip = create_clip(base.model, device=DEVICE)
log = JsonlLog(Path(__file__).parent / 'out' / 'tune_emoji.jsonl')
grid = dict(epochs=[3, 6], lr_prompt=[5e-4, 5e-3], lr_adapter=[1e-3, 5e-3])
configs = [dict(zip(grid, v)) for v in itertools.product(*grid.values())]
if stage2: configs = [dict(epochs=6, lr_prompt=5e-4, lr_adapter=2e-2), dict(epochs=10, lr_prompt=5e-4, lr_adapter=5e-3)]
# the prior world's stage 2: its stage 1 chose the grid's lowest adapter rate (epochs 3, lr_prompt 5e-3, lr_adapter
# 1e-3), so the grid goes on below it
if stage2 and PRESET.startswith('emoji100-prior'):
    configs = [dict(epochs=3, lr_prompt=5e-3, lr_adapter=3e-4), dict(epochs=3, lr_prompt=5e-3, lr_adapter=1e-4)]
for method in methods:
    for kw in configs:
        cfg = SecaConfig.from_dict({**base.to_dict(), 'method': method, 'split': 'val', 'batch_size': 32,
                                    'milestones': (100,), 'out_dir': '/tmp/tune', 'device': DEVICE, **kw})
        t0 = time.time()
        s = Learner(cfg, clip=clip, overwrite=True, progress=False).run()
        rec = {'preset': PRESET, 'model': base.model, 'method': method, **kw, 'val_last': s['last'], 'val_avg': s['avg'], 'wall_s': time.time() - t0}
        log.append(rec); print(json.dumps(rec), flush=True)
