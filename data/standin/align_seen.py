#!/usr/bin/env python3
"""Align the stand-in's image projection on emoji pairs that include Emoji-100's own classes in its training styles.

Usage
-----
    npm install --prefix /tmp/emojinpm emoji-datasource@16.0.0 emoji-datasource-google@16.0.0 \\
        emoji-datasource-twitter@16.0.0 openmoji@17.0.0 fluentui-emoji@1.3.0
    .venv/bin/python data/standin/align_seen.py --npm /tmp/emojinpm           # writes emoji-seen-p{0,25,50,100}.pt, seen.json

Why
---
CLIP has seen CIFAR's and ImageNet-R's concepts during pre-training, in other images and other styles. The default
stand-in (``align.py``) never saw an Emoji-100 concept, so its text prior is near chance. These projections see a
share of Emoji-100's classes -- 0, 25, 50 or 100 % -- in Emoji-100's three *training* styles (Noto, OpenMoji,
Fluent; never Twemoji, the held-out test style, so never a test view), next to the disjoint pairs of ``align.py``.
Their zero-shot accuracy on the held-out style measures transfer across styles, not to new concepts.

What it does (deterministic from --seed)
----------------------------------------
1. The disjoint pairs of ``align.py`` (same selection, captions and views).
2. Seen classes: a share of Emoji-100's 100 classes, taken round-robin over its 15 semantic groups in a seeded
   order, so the shares are nested (25 % is inside 50 % is inside 100 %) and every share spans the groups. Each seen
   class contributes ``--emoji-views`` views per training style (seeded apart from the kit's stream views) with two
   captions: the kit's zero-shot prompt and the stand-in's alignment prompt, each with the class name.
3. Features: the frozen trunk once per view, the frozen text tower once per caption.
4. Training: the projection alone, as ``align.py`` trains it (contrastive cross-entropy against every caption).
5. Hyper-parameters: chosen on Emoji-100's *validation* split only -- train on Noto and OpenMoji with every class
   seen, score zero-shot (100 class names, the kit's prompt) on the Fluent style -- never on Twemoji. The chosen
   setting then trains each share on all three training styles.
6. Output: ``emoji-seen-p{share}.pt`` (weight, bias, record) and ``seen.json`` (the grid, the choice, the seen
   classes of each share, timings, and zero-shot per style and share -- Twemoji's reported, never used).
"""
from __future__ import annotations
import argparse, hashlib, importlib.util, itertools, json, sys, time
from pathlib import Path
import numpy as np
import torch

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SHARES = (0, 25, 50, 100)          # % of Emoji-100's classes seen in the training styles
VAL_STYLE = 'fluent'               # the training style held out to choose hyper-parameters


def _align_module():
    "align.py, the disjoint alignment (its pair selection, rendering, features and training)."
    spec = importlib.util.spec_from_file_location('standin_align', HERE/'align.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def seen_order(classes:list[dict], seed:int)->list[int]:
    "Emoji-100's class indices in the order they become seen: round-robin over the groups, seeded within each."
    rng = np.random.default_rng(seed)
    groups = {}
    for i, c in enumerate(classes): groups.setdefault(c['group'], []).append(i)
    lists = [list(rng.permutation(g)) for _, g in sorted(groups.items())]
    out = []
    while any(lists):
        for g in lists:
            if g: out.append(int(g.pop(0)))
    return out


def parser(doc:str, emoji_views_help:str)->argparse.ArgumentParser:
    "The command line both projection scripts share (this one and align_prior.py)."
    ap = argparse.ArgumentParser(description=doc.split('\n')[0])
    ap.add_argument('--npm', required=True, help='the folder npm installed the emoji packages into (--prefix)')
    ap.add_argument('--out', default=str(HERE))
    ap.add_argument('--views', type=int, default=4, help='views per disjoint emoji and style (as align.py)')
    ap.add_argument('--emoji-views', type=int, default=8, help=emoji_views_help)
    ap.add_argument('--seed', type=int, default=0)
    return ap


def pinned_modules(b, npm:str)->Path:
    "The npm folder's node_modules, after checking each emoji package is the version the shipped files were built from."
    nm = b.find_node_modules(Path(npm))
    for pkg, ver in b.PINNED.items():
        got = json.loads((nm/pkg/'package.json').read_text())['version']
        if got != ver: sys.exit(f"error: {pkg} is {got}; this alignment was built from {ver}")
    return nm


def class_captions(al, pairs:list[dict], names:list[str])->tuple[list[str], list[list[int]]]:
    "Every caption (the disjoint pairs' as align.py makes them, then two per Emoji-100 class), and each item's."
    from seca_nb.models import ZEROSHOT_TEMPLATE
    from seca_nb.standin import STANDIN_TEMPLATE
    caps = [al.captions(p) for p in pairs] + [[ZEROSHOT_TEMPLATE.format(n), STANDIN_TEMPLATE.format(n)] for n in names]
    flat = [c for cs in caps for c in cs]
    cap_of, k = [], 0
    for cs in caps:
        cap_of.append(list(range(k, k + len(cs))))
        k += len(cs)
    return flat, cap_of


@torch.no_grad()
def emoji_features(model, preprocess, styles, views:int, seed:int, bs:int=256):
    "Frozen trunk features of Emoji-100 views (n, 1280), their class and style."
    from seca_nb.data import Emoji100
    ds = Emoji100(list(styles), views=views, seed=seed, transform=preprocess)
    feats, xs = [], []
    for i in range(len(ds)):
        xs.append(ds[i][0])
        if len(xs) == bs or i == len(ds) - 1:
            feats.append(model.visual.trunk(torch.stack(xs)).float())
            xs.clear()
    cls = np.array([c for c, _, _ in ds.items])
    sty = np.array([s for _, s, _ in ds.items])
    return torch.cat(feats), cls, sty


def main(argv=None):
    a = parser(__doc__, 'views per seen Emoji-100 class and training style').parse_args(argv)
    torch.manual_seed(a.seed)
    al = _align_module()
    from seca_nb.models import create_clip, encode_texts, ZEROSHOT_TEMPLATE
    from seca_nb.standin import emoji100_keywords
    from seca_nb.data import emoji100_classes
    t0 = time.time()
    b = al._build_module()
    nm = pinned_modules(b, a.npm)
    pairs = al.select_pairs(nm, emoji100_keywords())
    clip = create_clip('embedded-conse', device='cpu')
    model = clip.model
    classes = emoji100_classes()
    names = [c['class_name'] for c in classes]
    order = seen_order(classes, a.seed)
    flat, cap_of = class_captions(al, pairs, names)   # the disjoint pairs' captions, then two per Emoji-100 class
    T = al.text_features(clip, flat)
    T_zs = encode_texts(clip, names, ZEROSHOT_TEMPLATE)      # what the kit's zero-shot scores against
    fd, pd, pd_style = al.image_features(model, clip.preprocess, pairs, al.TRAIN_STYLES, a.views, a.seed)
    fe, ce, se = emoji_features(model, clip.preprocess, al.TRAIN_STYLES, a.emoji_views, 1000 + a.seed)
    ft, ct, _ = emoji_features(model, clip.preprocess, ['twemoji'], 8, 2)   # the test style: reported only
    t_feat = time.time() - t0
    print(f"features: {len(fd)} disjoint views, {len(fe)} Emoji-100 views, {len(flat)} captions in {t_feat:.0f} s",
          flush=True)
    n_pairs = len(pairs)

    def fit(seen:set[int], styles, hp:dict):
        md = np.isin(pd_style, list(styles))
        me = np.isin(se, list(styles)) & np.isin(ce, sorted(seen))
        f = torch.cat([fd[md], fe[me]])
        y = torch.cat([torch.tensor(pd[md]), torch.tensor(n_pairs + ce[me])])
        w0 = (torch.randn(384, 1280, generator=torch.Generator().manual_seed(a.seed)) * 0.01, torch.zeros(384))
        return al.train_projection(f, y, T, cap_of, w0, lr=hp['lr'], tau=hp['tau'], epochs=hp['epochs'],
                                   wd=hp['wd'], seed=a.seed)

    grid = []
    tr_styles = [s for s in al.TRAIN_STYLES if s != VAL_STYLE]
    mv = se == VAL_STYLE
    for lr, tau, epochs in itertools.product((1e-3, 3e-4, 1e-4), (0.05, 0.1), (3, 10, 30)):
        hp = dict(lr=lr, tau=tau, epochs=epochs, wd=0.05)
        W, bb = fit(set(range(100)), tr_styles, hp)
        acc = al.zero_shot(fe[mv], torch.tensor(ce[mv]), T_zs, W, bb)
        grid.append(hp | {'val_top1': acc})
        print(f"  lr {lr:g} tau {tau:g} epochs {epochs:2d}: validation ({VAL_STYLE}) {acc:6.2f} %", flush=True)
    best = max(grid, key=lambda r: r['val_top1'])
    hp = {k: best[k] for k in ('lr', 'tau', 'epochs', 'wd')}
    print(f"chosen on validation: {best}", flush=True)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    shares = {}
    for share in SHARES:
        seen = set(order[:share])
        t1 = time.time()
        W, bb = fit(seen, al.TRAIN_STYLES, hp)
        record = {'version': 1, 'share': share, 'seen_classes': [names[i] for i in sorted(seen)],
                  'disjoint_pairs': n_pairs, 'views_per_style': a.views, 'emoji_views': a.emoji_views,
                  'styles': list(al.TRAIN_STYLES), 'seed': a.seed, 'chosen': hp, 'packages': b.PINNED,
                  'trunk_sha256': clip.info['weights_sha256'], 'text_sha256': clip.info['text_sha256']}
        f = out/f'emoji-seen-p{share}.pt'
        torch.save({'weight': W.contiguous(), 'bias': bb.contiguous(), 'record': record}, f)
        yt = torch.tensor(ct)
        unseen = sorted(set(range(100)) - seen)
        def part(ix): return al.zero_shot(ft[np.isin(ct, ix)], yt[np.isin(ct, ix)], T_zs, W, bb) if ix else None
        shares[share] = {'file': f.name, 'sha256': hashlib.sha256(f.read_bytes()).hexdigest(),
                         'bytes': f.stat().st_size, 'train_s': time.time() - t1,
                         'twemoji_zero_shot': al.zero_shot(ft, yt, T_zs, W, bb),
                         'twemoji_seen': part(sorted(seen)), 'twemoji_unseen': part(unseen),
                         'seen_classes': record['seen_classes']}
        print(f"share {share:3d} %: zero-shot on twemoji {shares[share]['twemoji_zero_shot']:.2f} % "
              f"(seen {shares[share]['twemoji_seen']}, unseen {shares[share]['twemoji_unseen']}); "
              f"sha256 {shares[share]['sha256']}", flush=True)
    summary = {'hyper_parameters': hp, 'validation': grid, 'validation_style': VAL_STYLE, 'seen_order': order,
               'shares': shares, 'seconds': {'features': t_feat, 'total': time.time() - t0},
               'torch': torch.__version__}
    (out/'seen.json').write_text(json.dumps(summary, indent=1))
    print(f"wrote {len(SHARES)} projections and seen.json in {time.time() - t0:.0f} s")


if __name__ == '__main__':
    main()
