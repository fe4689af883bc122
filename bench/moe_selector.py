"""How often MoE-Adapters' selector (DDAS) sends a test image to its own task's router, after the last task of each order.

Run after `seca_nb compare --methods moe_adapters --orders 0,1,2 --set moe_routers=task --set ddas=true
--out runs/moe-emoji-ddas` (the baselines how-to's selector row): .venv/bin/python bench/moe_selector.py
"""
import sys
import numpy as np
import torch
from seca_nb.learner import Learner
from seca_nb.models import create_clip
ROOT = sys.argv[1] if len(sys.argv) > 1 else 'runs/moe-emoji-ddas'
clip = create_clip('embedded')
for o in range(3):
    l = Learner.from_run(f'{ROOT}/moe_adapters-order{o}', clip=clip)
    bb, t = l.method.backbone, l.fitted
    routes, route = [], bb.route
    bb.route = lambda x: routes.append(route(x)) or routes[-1]
    l.evaluate(t)
    test = l.stream.test_seen(t)
    task = np.asarray(l.stream.task_of_label())[np.asarray(test.targets)]
    r = torch.cat(routes).numpy()
    print(f"order {o}: after task {t}, {100 * (r == task).mean():.1f} % of {len(r)} test images to their own task's router")
