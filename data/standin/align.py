#!/usr/bin/env python3
"""Align the embedded stand-in's image projection on emoji image-text pairs disjoint from Emoji-100.

Usage
-----
    npm install --prefix /tmp/emojinpm emoji-datasource@16.0.0 emoji-datasource-google@16.0.0 \\
        emoji-datasource-twitter@16.0.0 openmoji@17.0.0 fluentui-emoji@1.3.0
    .venv/bin/python data/standin/align.py --npm /tmp/emojinpm              # select, train, write data/standin/
    .venv/bin/python data/standin/align.py --npm /tmp/emojinpm --eval       # also: zero-shot on Emoji-100 per style (report only)

What it does (deterministic from --seed)
----------------------------------------
1. Pairs. Every emoji of ``emoji.json`` except flags and skin-tone/hair components, whose CLDR English name
   (OpenMoji's ``annotation``) and keywords (OpenMoji's ``tags``) contain none of Emoji-100's class names and
   near-duplicate keywords as a whole word (the same exclusion list the ConSE alignment uses), and which is not
   one of Emoji-100's 100 emoji. Captions: the CLDR name, and the name with its keywords.
2. Images, in the three *training* styles of Emoji-100's protocol only (Noto, OpenMoji, Fluent; never
   Twemoji, the held-out test style), rendered as Emoji-100 renders its sources (64x64 RGBA), then
   ``--views`` views each with the kit's ``augment_emoji`` (view 0 clean), preprocessed as the stand-in does.
3. Features. The stand-in's frozen EfficientNet-Lite0 trunk (pooled, 1280-d) once per view; the frozen MiniLM
   text tower once per caption.
4. Training. Only the image projection (384x1280 + bias, started from the ConSE projection or at random):
   cross-entropy of each view against the captions of all training emoji (cosine similarity / temperature),
   Adam. Hyper-parameters are chosen on a split of the disjoint emoji (``--val-frac`` of the emoji held out,
   trained on two styles, scored zero-shot on the held-out emoji in the third style), never on Emoji-100;
   the chosen setting is then trained on all pairs in the three styles.
5. Output: ``emoji-align-v1.pt`` (weight, bias and a record of how it was made), ``pairs.tsv`` (every pair used)
   and ``align.json`` (the validation grid, the choice, timings). Its sha256 goes into ``seca_nb.standin``.
"""
from __future__ import annotations
import argparse, csv, functools, hashlib, importlib.util, itertools, json, re, sys, time
from pathlib import Path
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TRAIN_STYLES = ('noto', 'openmoji', 'fluent')   # Emoji-100's training styles; twemoji is its held-out test style
CAPTION = 'a photo of a {}.'                     # the stand-in's alignment prompt (STANDIN_TEMPLATE)


@functools.lru_cache(maxsize=None)
def _build_module():
    "Emoji-100's build script (its rendering and code point helpers), loaded once."
    spec = importlib.util.spec_from_file_location('emoji100_build', ROOT/'data'/'emoji100'/'build.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod


def select_pairs(nm:Path, exclude:list[str])->list[dict]:
    "The disjoint emoji: hexcode, CLDR name, keywords and image sources per training style."
    b = _build_module()
    ej = json.loads((nm/'emoji-datasource'/'emoji.json').read_text())
    om = {b.strip_fe0f(o['hexcode']): o for o in json.loads((nm/'openmoji'/'data'/'openmoji.json').read_text())}
    e100 = {b.strip_fe0f(e['unified']) for e in b.match_codepoints(b.read_classes(ROOT/'data'/'emoji100'/'classes.tsv'), ej, list(om.values()))[0].values()}
    pats = [re.compile(r'(?<![a-z0-9])' + re.escape(k) + r'(?![a-z0-9])') for k in exclude]
    out = []
    for e in sorted(ej, key=lambda e: e['sort_order']):
        h = b.strip_fe0f(e['unified'])
        o = om.get(h)
        if o is None or e.get('category') in ('Flags', 'Component') or h in e100: continue
        name = o['annotation'].strip()
        tags = [t.strip() for t in (o.get('tags') or '').split(',') if t.strip()]
        text = ' '.join([name, *tags]).lower()
        if any(p.search(text) for p in pats): continue
        src = {'noto': nm/'emoji-datasource-google'/'img'/'google'/'64'/e['image'],
               'openmoji': nm/'openmoji'/'color'/'svg'/f"{o['hexcode']}.svg",
               'fluent': nm/'fluentui-emoji'/'icons'/'flat'/f"{b.fluent_slug(name)}.svg"}
        src = {s: p for s, p in src.items() if p.exists()}
        if src: out.append({'hexcode': h, 'name': name, 'keywords': tags, 'sources': src})
    return out


def captions(p:dict)->list[str]:
    "The captions of one emoji: its CLDR name, and its name with its keywords."
    kw = [k for k in p['keywords'] if k.lower() != p['name'].lower()]
    return [CAPTION.format(p['name'])] + ([CAPTION.format(f"{p['name']}, {', '.join(kw[:6])}")] if kw else [])


def render(path:Path)->Image.Image:
    b = _build_module()
    im = b.render_svg(path) if path.suffix == '.svg' else Image.open(path)
    return b.to_rgba64(im)


@torch.no_grad()
def image_features(model, preprocess, pairs:list[dict], styles, views:int, seed:int, bs:int=256)->tuple[torch.Tensor, np.ndarray, np.ndarray]:
    "Frozen trunk features (n, 1280) of every view, with the pair index and style of each row."
    from seca_nb.core import rng_for
    from seca_nb.data import augment_emoji
    xs, pi, st, feats = [], [], [], []
    def flush():
        if xs: feats.append(model.visual.trunk(torch.stack(xs)).float()); xs.clear()
    for i, p in enumerate(pairs):
        for s in styles:
            if s not in p['sources']: continue
            src = render(p['sources'][s])
            for v in range(views):
                xs.append(preprocess(augment_emoji(src, None if v == 0 else rng_for(seed, 'align', p['hexcode'], s, v))))
                pi.append(i); st.append(s)
                if len(xs) == bs: flush()
    flush()
    return torch.cat(feats), np.array(pi), np.array(st)


@torch.no_grad()
def text_features(clip, texts:list[str])->torch.Tensor:
    from seca_nb.models import encode_texts
    return encode_texts(clip, texts, template=None)


def train_projection(f:torch.Tensor, y:torch.Tensor, T:torch.Tensor, cap_of:list[list[int]], init:tuple, *, lr:float, tau:float,
                     epochs:int, wd:float, seed:int, bs:int=256)->tuple[torch.Tensor, torch.Tensor]:
    "Train W, b so that normalize(W f + b) picks the caption of its emoji among all emoji (cross-entropy, temperature tau)."
    g = torch.Generator().manual_seed(seed)
    W = init[0].clone().requires_grad_(); b = init[1].clone().requires_grad_()
    opt = torch.optim.AdamW([W, b], lr=lr, weight_decay=wd)
    n = len(f)
    first = torch.tensor([c[0] for c in cap_of]); count = torch.tensor([len(c) for c in cap_of])
    for ep in range(epochs):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            z = F.normalize(f[idx] @ W.T + b, dim=-1)
            # one caption per emoji and step, drawn at random (captions as augmentation)
            pick = first + (torch.rand(len(cap_of), generator=g) * count).long()
            loss = F.cross_entropy(z @ T[pick].T / tau, y[idx])
            opt.zero_grad(); loss.backward(); opt.step()
    return W.detach(), b.detach()


def zero_shot(f, y, T, W, b)->float:
    "Top-1 (%) of normalize(W f + b) against the rows of T (one per class)."
    z = F.normalize(f @ W.T + b, dim=-1)
    return 100 * float(((z @ T.T).argmax(-1) == y).float().mean())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--npm', required=True, help='the folder npm installed the emoji packages into (--prefix)')
    ap.add_argument('--out', default=str(HERE))
    ap.add_argument('--views', type=int, default=4, help='views per emoji and style')
    ap.add_argument('--val-frac', type=float, default=0.2)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--eval', action='store_true', help='report zero-shot on Emoji-100 (never used to choose anything)')
    a = ap.parse_args(argv)
    torch.manual_seed(a.seed)
    from seca_nb.models import create_clip
    from seca_nb.standin import emoji100_keywords
    t0 = time.time()
    b = _build_module()
    nm = b.find_node_modules(Path(a.npm))
    for pkg, ver in b.PINNED.items():
        got = json.loads((nm/pkg/'package.json').read_text())['version']
        if got != ver: sys.exit(f"error: {pkg} is {got}; this alignment was built from {ver}")
    pairs = select_pairs(nm, emoji100_keywords())
    print(f"{len(pairs)} disjoint emoji; images per style: " + ', '.join(f"{s} {sum(s in p['sources'] for p in pairs)}" for s in TRAIN_STYLES), flush=True)
    clip = create_clip('embedded-conse', device='cpu')
    model = clip.model
    conse = (model.visual.head.proj.weight.detach().clone(), model.visual.head.proj.bias.detach().clone())
    caps = [captions(p) for p in pairs]
    flat = [c for cs in caps for c in cs]
    cap_of, k = [], 0
    for cs in caps: cap_of.append(list(range(k, k + len(cs)))); k += len(cs)
    T = text_features(clip, flat)
    T_name = T[[c[0] for c in cap_of]]      # zero-shot scoring uses the name caption only
    f, pi, st = image_features(model, clip.preprocess, pairs, TRAIN_STYLES, a.views, a.seed)
    t_feat = time.time() - t0
    print(f"features: {len(f)} views, {len(flat)} captions in {t_feat:.0f} s", flush=True)
    # validation split of the disjoint emoji: held-out emoji, held-out style
    rng = np.random.default_rng(a.seed)
    val = set(rng.permutation(len(pairs))[:int(a.val_frac * len(pairs))].tolist())
    tr_cls = [i for i in range(len(pairs)) if i not in val]; va_cls = sorted(val)
    remap_tr = {c: j for j, c in enumerate(tr_cls)}; remap_va = {c: j for j, c in enumerate(va_cls)}
    grid, results = [], []
    for vstyle in ('fluent',):   # validation style: train on the other two
        m_tr = np.array([p in remap_tr and s != vstyle for p, s in zip(pi, st)])
        m_va = np.array([p in remap_va and s == vstyle for p, s in zip(pi, st)])
        ytr = torch.tensor([remap_tr[p] for p in pi[m_tr]]); yva = torch.tensor([remap_va[p] for p in pi[m_va]])
        cap_tr = [cap_of[c] for c in tr_cls]
        flat_tr = sorted({i for c in cap_tr for i in c}); pos = {c: j for j, c in enumerate(flat_tr)}
        cap_tr = [[pos[i] for i in c] for c in cap_tr]
        base = zero_shot(f[m_va], yva, T_name[va_cls], *conse)
        print(f"validation ({len(va_cls)} held-out emoji, style {vstyle}): ConSE {base:.2f} %", flush=True)
        results.append({'init': 'conse', 'trained': False, 'val_top1': base})
        for init, lr, tau, epochs, wd in itertools.product(('conse', 'random'), (1e-3, 3e-4), (0.05, 0.1), (10, 30), (0.0, 0.05)):
            w0 = conse if init == 'conse' else (torch.randn_like(conse[0]) * 0.01, torch.zeros_like(conse[1]))
            W, bb = train_projection(f[m_tr], ytr, T[flat_tr], cap_tr, w0, lr=lr, tau=tau, epochs=epochs, wd=wd, seed=a.seed)
            acc = zero_shot(f[m_va], yva, T_name[va_cls], W, bb)
            results.append({'init': init, 'lr': lr, 'tau': tau, 'epochs': epochs, 'wd': wd, 'val_top1': acc})
            print(f"  init {init:6s} lr {lr:g} tau {tau:g} epochs {epochs:2d} wd {wd:g}: {acc:6.2f} %", flush=True)
    best = max((r for r in results if r.get('lr')), key=lambda r: r['val_top1'])
    print(f"chosen on validation: {best}", flush=True)
    t1 = time.time()
    y_all = torch.tensor(pi)
    w0 = conse if best['init'] == 'conse' else (torch.randn_like(conse[0]) * 0.01, torch.zeros_like(conse[1]))
    W, bb = train_projection(f, y_all, T, cap_of, w0, lr=best['lr'], tau=best['tau'], epochs=best['epochs'], wd=best['wd'], seed=a.seed)
    t_train = time.time() - t1
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    record = {'version': 1, 'pairs': len(pairs), 'views_per_style': a.views, 'styles': list(TRAIN_STYLES), 'caption': CAPTION,
              'seed': a.seed, 'chosen': best, 'packages': b.PINNED, 'trunk_sha256': clip.info['weights_sha256'], 'text_sha256': clip.info['text_sha256']}
    torch.save({'weight': W.contiguous(), 'bias': bb.contiguous(), 'record': record}, out/'emoji-align-v1.pt')
    with open(out/'pairs.tsv', 'w', newline='', encoding='utf-8') as fh:
        w = csv.writer(fh, delimiter='\t', lineterminator='\n')
        w.writerow(['hexcode', 'cldr_name', 'keywords', 'styles', 'validation_split'])
        for i, p in enumerate(pairs): w.writerow([p['hexcode'], p['name'], ', '.join(p['keywords']), ','.join(s for s in TRAIN_STYLES if s in p['sources']), int(i in val)])
    sha = hashlib.sha256((out/'emoji-align-v1.pt').read_bytes()).hexdigest()
    summary = {'record': record, 'validation': results, 'seconds': {'features': t_feat, 'grid_and_final': time.time() - t_feat - t0, 'final_training': t_train,
               'total': time.time() - t0}, 'sha256': sha, 'bytes': (out/'emoji-align-v1.pt').stat().st_size}
    if a.eval:
        from seca_nb.data import Emoji100
        from seca_nb.models import encode_texts, ZEROSHOT_TEMPLATE
        ev = {}
        names = [c['class_name'] for c in Emoji100(['noto'], views=1).classes]
        Te = encode_texts(clip, names, ZEROSHOT_TEMPLATE)
        for s in ('noto', 'twemoji', 'openmoji', 'fluent'):
            ds = Emoji100([s], views=8, seed=2, transform=clip.preprocess)
            with torch.no_grad(): fe = model.visual.trunk(torch.stack([ds[i][0] for i in range(len(ds))])).float()
            ye = torch.tensor(ds.targets)
            ev[s] = {'conse': zero_shot(fe, ye, Te, *conse), 'aligned': zero_shot(fe, ye, Te, W, bb)}
            print(f"Emoji-100 zero-shot, {s:8s}: ConSE {ev[s]['conse']:6.2f} %  aligned {ev[s]['aligned']:6.2f} %", flush=True)
        summary['emoji100_zero_shot'] = ev
    (out/'align.json').write_text(json.dumps(summary, indent=1))
    print(f"wrote {out/'emoji-align-v1.pt'} ({summary['bytes']} bytes, sha256 {sha}) in {summary['seconds']['total']:.0f} s")


if __name__ == '__main__':
    main()
