#!/usr/bin/env python3
"""Align the stand-in's image projection with a prior from images the stream never trains or tests on.

Usage
-----
    npm install --prefix /tmp/emojinpm emoji-datasource@16.0.0 emoji-datasource-google@16.0.0 \\
        emoji-datasource-twitter@16.0.0 openmoji@17.0.0 fluentui-emoji@1.3.0
    .venv/bin/python data/standin/align_prior.py --npm /tmp/emojinpm    # writes emoji-prior-v1.pt, prior.json

Why
---
CLIP saw its benchmarks' concepts during pre-training in *other* images; the stream then asks it to adapt to a new
domain (ImageNet-R's renditions, ImageNet-A's hard photos). The seen stand-ins (``align_seen.py``) saw Emoji-100's
classes in the very images the stream trains on. This projection sees every Emoji-100 class in the prior's style
(``--prior-styles``, default Noto) only, next to the disjoint pairs of ``align.py``; the matching benchmark,
``emoji100-prior``, keeps those styles out of the stream: it trains on the remaining training styles (OpenMoji,
Fluent) and tests on Twemoji, which neither the projection nor the stream ever saw. So the prior's images and the
stream's are disjoint, and the stream's styles are a domain the prior did not see.

What it does (deterministic from --seed)
----------------------------------------
1. The disjoint pairs of ``align.py`` (same selection, captions and views, in its three styles).
2. Emoji-100's 100 classes in the prior's styles only, ``--emoji-views`` views per class and style (seeded apart
   from the kit's stream views), with the kit's zero-shot prompt and the alignment prompt as captions.
3. Training: the projection alone, as ``align.py`` trains it.
4. Hyper-parameters, chosen on validation only: zero-shot top-1 (100 class names, the kit's prompt) on the stream's
   validation style (the last of its training styles, Fluent; ``get_benchmark('emoji100-prior', split='val')``
   tests there) -- never on Twemoji. Grid: lr (1e-3, 3e-4, 1e-4) x tau (0.05, 0.1) x epochs (3, 10, 30).
5. Output: ``emoji-prior-v1.pt`` (weight, bias, record) and ``prior.json`` (the grid, the choice, timings, and
   zero-shot per style: Twemoji's reported once, after choosing, never used).
"""
from __future__ import annotations
import hashlib, importlib.util, itertools, json, time
from pathlib import Path
import torch

HERE = Path(__file__).resolve().parent
PRIOR_STYLES = ('noto',)     # the styles the projection sees Emoji-100's classes in; the stream never trains on them
STREAM_STYLES = ('openmoji', 'fluent')   # what the stream trains on; the last is its validation style
FILE = 'emoji-prior-v1.pt'


def _module(name:str):
    "A sibling script (align.py, align_seen.py) loaded as a module."
    spec = importlib.util.spec_from_file_location(f'standin_{name}', HERE/f'{name}.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv=None):
    al, se = _module('align'), _module('align_seen')
    a = se.parser(__doc__, 'views per Emoji-100 class and prior style').parse_args(argv)
    torch.manual_seed(a.seed)
    from seca_nb.models import create_clip, encode_texts, ZEROSHOT_TEMPLATE
    from seca_nb.standin import emoji100_keywords
    from seca_nb.data import emoji100_classes
    t0 = time.time()
    b = al._build_module()
    nm = se.pinned_modules(b, a.npm)
    pairs = al.select_pairs(nm, emoji100_keywords())
    clip = create_clip('embedded-conse', device='cpu')
    model = clip.model
    names = [c['class_name'] for c in emoji100_classes()]
    flat, cap_of = se.class_captions(al, pairs, names)   # the disjoint pairs' captions, then two per class
    T = al.text_features(clip, flat)
    T_zs = encode_texts(clip, names, ZEROSHOT_TEMPLATE)
    fd, pd, _ = al.image_features(model, clip.preprocess, pairs, al.TRAIN_STYLES, a.views, a.seed)
    fp, cp, _ = se.emoji_features(model, clip.preprocess, PRIOR_STYLES, a.emoji_views, 1000 + a.seed)
    fv, cv, sv = se.emoji_features(model, clip.preprocess, STREAM_STYLES, 8, 2)   # the stream's styles
    ft, ct, _ = se.emoji_features(model, clip.preprocess, ['twemoji'], 8, 2)       # the test style: reported only
    t_feat = time.time() - t0
    print(f"features: {len(fd)} disjoint views, {len(fp)} prior views, {len(flat)} captions in {t_feat:.0f} s",
          flush=True)
    f = torch.cat([fd, fp])
    y = torch.cat([torch.tensor(pd), torch.tensor(len(pairs) + cp)])

    def fit(hp:dict):
        w0 = (torch.randn(384, 1280, generator=torch.Generator().manual_seed(a.seed)) * 0.01, torch.zeros(384))
        return al.train_projection(f, y, T, cap_of, w0, lr=hp['lr'], tau=hp['tau'], epochs=hp['epochs'],
                                   wd=hp['wd'], seed=a.seed)

    val_style = STREAM_STYLES[-1]
    mv = sv == val_style
    grid = []
    for lr, tau, epochs in itertools.product((1e-3, 3e-4, 1e-4), (0.05, 0.1), (3, 10, 30)):
        hp = dict(lr=lr, tau=tau, epochs=epochs, wd=0.05)
        W, bb = fit(hp)
        acc = al.zero_shot(fv[mv], torch.tensor(cv[mv]), T_zs, W, bb)
        grid.append(hp | {'val_top1': acc})
        print(f"  lr {lr:g} tau {tau:g} epochs {epochs:2d}: validation ({val_style}) {acc:6.2f} %", flush=True)
    best = max(grid, key=lambda r: r['val_top1'])
    hp = {k: best[k] for k in ('lr', 'tau', 'epochs', 'wd')}
    print(f"chosen on validation: {best}", flush=True)
    t1 = time.time()
    W, bb = fit(hp)
    record = {'version': 1, 'prior_styles': list(PRIOR_STYLES), 'stream_styles': list(STREAM_STYLES),
              'test_style': 'twemoji', 'disjoint_pairs': len(pairs), 'views_per_style': a.views,
              'emoji_views': a.emoji_views, 'disjoint_styles': list(al.TRAIN_STYLES), 'seed': a.seed,
              'chosen': hp, 'packages': b.PINNED, 'trunk_sha256': clip.info['weights_sha256'],
              'text_sha256': clip.info['text_sha256']}
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out/FILE
    torch.save({'weight': W.contiguous(), 'bias': bb.contiguous(), 'record': record}, path)
    per_style = {s: al.zero_shot(fv[sv == s], torch.tensor(cv[sv == s]), T_zs, W, bb) for s in STREAM_STYLES}
    per_style['twemoji'] = al.zero_shot(ft, torch.tensor(ct), T_zs, W, bb)
    summary = {'file': FILE, 'sha256': hashlib.sha256(path.read_bytes()).hexdigest(), 'bytes': path.stat().st_size,
               'hyper_parameters': hp, 'validation': grid, 'validation_style': val_style,
               'zero_shot_per_style': per_style, 'record': record,
               'seconds': {'features': t_feat, 'train': time.time() - t1, 'total': time.time() - t0},
               'torch': torch.__version__}
    (out/'prior.json').write_text(json.dumps(summary, indent=1))
    print(f"zero-shot per style: {per_style}; sha256 {summary['sha256']}; {time.time() - t0:.0f} s")


if __name__ == '__main__':
    main()
