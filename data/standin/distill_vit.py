"""Distil the embedded stand-in's image embedding into the transformer of a hybrid ViT: `emoji-vit-v1.pt`, the
transformer of `create_clip('embedded-vit')`, so that the methods that need a ViT (VPT-NSP, L2P, DualPrompt,
CODA-Prompt) run offline on a tower that has learned something. NOT CLIP: a student of the stand-in, which is not
CLIP either.

The tower (`seca_nb.standin.hybrid_vit`) is open_clip's ViT whose patches are the cells of the stand-in's frozen
EfficientNet-Lite0 feature map (3×3 at 96 px): a 1×1 convolution makes each cell a token, then six transformer
blocks, the class token, `ln_post` and a projection into the text space. Everything but the trunk starts from random
weights and learns to give the stand-in's unit image embedding (`create_clip('embedded')`: the same map, averaged and
projected), loss 1 - cos, on the emoji the stand-in's projection was aligned on (`align.py`: none of Emoji-100's
concepts), in Emoji-100's three training styles only (never Twemoji, its test style), `--views` views of each image
(view 0 clean, the others `augment_emoji`). A tenth of those emoji is held out: the record reports the student's
cosine to the teacher and both zero-shot top-1s among them; the shipped file is trained without them.

    npm install --prefix /tmp/emojinpm emoji-datasource@16.0.0 emoji-datasource-google@16.0.0 \\
        emoji-datasource-twitter@16.0.0 openmoji@17.0.0 fluentui-emoji@1.3.0
    .venv/bin/python data/standin/distill_vit.py --npm /tmp/emojinpm      # writes emoji-vit-v1.pt and vit.json here

A first design trained a plain ViT (64 px, 8-px patches, 4 blocks of width 128) from random weights on the same
images: after 10 epochs (40 s each here) its cosine to the teacher on held-out emoji was 0.33, and on Emoji-100 its
class prototypes separated the Twemoji images worse than its random initialisation did. 3,223 images are far too few
to train a ViT from pixels; the hybrid keeps the trunk that ImageNet trained.
"""
import argparse, importlib.util, json, math, sys, time
from pathlib import Path
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

HERE = Path(__file__).resolve().parent


def _align():
    "The stand-in's alignment script (its emoji selection and rendering), loaded as a module."
    spec = importlib.util.spec_from_file_location('standin_align', HERE/'align.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Maps(nn.Module):
    "Stands in for the trunk while training: its input is the trunk's feature map, computed once per view."
    def forward_features(self, m): return m


def lr_at(step:int, total:int, warmup:int, lr:float)->float:
    "Linear warm-up over `warmup` steps, then cosine to 0."
    if step < warmup: return lr * (step + 1) / warmup
    return lr * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


@torch.no_grad()
def feature_maps(trunk, preprocess, items, views:int, seed:int, bs:int=256)->tuple[torch.Tensor, list[int]]:
    "The trunk's feature maps (n, C, 3, 3) of `views` views of every image (view 0 clean), and each row's image."
    from seca_nb.core import rng_for
    from seca_nb.data import augment_emoji
    xs, rows, maps = [], [], []
    def flush():
        if xs: maps.append(trunk.forward_features(torch.stack(xs)).float()); xs.clear()
    for i, (hexcode, style, im) in enumerate(items):
        for v in range(views):
            xs.append(preprocess(augment_emoji(im, None if v == 0 else rng_for(seed, 'vit', hexcode, style, v))))
            rows.append(i)
            if len(xs) == bs: flush()
    flush()
    return torch.cat(maps), rows


@torch.no_grad()
def embed(f, maps:torch.Tensor, bs:int=1024)->torch.Tensor:
    "Unit embeddings of feature maps under `f`, in batches."
    return torch.cat([F.normalize(f(maps[i:i + bs]).float(), dim=-1) for i in range(0, len(maps), bs)])


def zero_shot(z:torch.Tensor, y:torch.Tensor, T:torch.Tensor)->float:
    "Top-1 (%) of unit embeddings `z` against the rows of `T`."
    return 100 * float(((z @ T.T).argmax(-1) == y).float().mean())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--npm', required=True, help='the folder npm installed the emoji packages into (--prefix)')
    ap.add_argument('--out', default=str(HERE))
    ap.add_argument('--views', type=int, default=8, help='views per emoji and style (view 0 clean)')
    ap.add_argument('--epochs', type=int, default=30)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--wd', type=float, default=0.05)
    ap.add_argument('--val-frac', type=float, default=0.1)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args(argv)
    from seca_nb.models import create_clip, encode_texts
    from seca_nb.standin import EMBEDDED_VIT_CFG, emoji100_keywords
    t0 = time.time()
    al = _align()
    b = al._build_module()
    nm = b.find_node_modules(Path(a.npm))
    for pkg, ver in b.PINNED.items():
        got = json.loads((nm/pkg/'package.json').read_text())['version']
        if got != ver: sys.exit(f"error: {pkg} is {got}; this tower was distilled from {ver}")
    pairs = al.select_pairs(nm, emoji100_keywords())
    rng = np.random.default_rng(a.seed)
    val = set(rng.permutation(len(pairs))[:int(a.val_frac * len(pairs))].tolist())
    items = {'train': [], 'val': []}
    for i, p in enumerate(pairs):
        for s in al.TRAIN_STYLES:
            if s in p['sources']: items['val' if i in val else 'train'].append((p['hexcode'], s, al.render(p['sources'][s])))
    print(f"{len(pairs)} emoji ({len(val)} held out); images: train {len(items['train'])}, val {len(items['val'])}",
          flush=True)
    teacher = create_clip('embedded', device='cpu')
    tv = teacher.model.visual
    teach = lambda m: tv.head(m.mean((2, 3)))   # the stand-in's embedding from its own feature map
    maps, _ = feature_maps(tv.trunk, teacher.preprocess, items['train'], a.views, a.seed)
    vmaps, vrows = feature_maps(tv.trunk, teacher.preprocess, items['val'], 1, a.seed)   # clean views
    zt, vzt = embed(teach, maps), embed(teach, vmaps)
    t_feat = time.time() - t0
    print(f"feature maps: {len(maps)} train views, {len(vmaps)} val images in {t_feat:.0f} s", flush=True)
    vhex = sorted({h for h, _, _ in items['val']})
    name = {p['hexcode']: p['name'] for p in pairs}
    vy = torch.tensor([vhex.index(items['val'][r][0]) for r in vrows])
    T = encode_texts(teacher, [name[h] for h in vhex], template=al.CAPTION)
    student = _student(a.seed, tv.trunk.num_features)
    n_params = sum(p.numel() for p in student.parameters())
    opt = torch.optim.AdamW(student.parameters(), lr=a.lr, weight_decay=a.wd)
    g = torch.Generator().manual_seed(a.seed)
    n = len(maps)
    per_epoch = math.ceil(n / a.batch)
    total, step, log = a.epochs * per_epoch, 0, []
    t_train = time.time()
    for ep in range(a.epochs):
        student.train()
        perm = torch.randperm(n, generator=g)
        tot = 0.0
        for i in range(0, n, a.batch):
            idx = perm[i:i + a.batch]
            for group in opt.param_groups: group['lr'] = lr_at(step, total, per_epoch, a.lr)
            loss = 1 - (F.normalize(student(maps[idx]), dim=-1) * zt[idx]).sum(-1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() * len(idx)
        student.eval()
        vz = embed(student, vmaps)
        row = dict(epoch=ep, loss=tot / n, val_cos=float((vz * vzt).sum(-1).mean()), val_zero_shot=zero_shot(vz, vy, T),
                   seconds=time.time() - t_train)
        log.append(row)
        print(' '.join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()), flush=True)
    # shipped as float16 (half the file); the record's last numbers are those of the rounded weights
    sd = {k: v.detach().half() for k, v in student.state_dict().items() if not k.startswith('conv1.trunk.')}
    student.load_state_dict({k: v.float() for k, v in sd.items()}, strict=False)
    vz = embed(student, vmaps)
    record = dict(pairs=len(pairs), held_out=len(val), train_images=len(items['train']), val_images=len(items['val']),
                  views=a.views, params=n_params, cfg=EMBEDDED_VIT_CFG, epochs=a.epochs, batch=a.batch, lr=a.lr, wd=a.wd,
                  seed=a.seed, val_cos=float((vz * vzt).sum(-1).mean()), val_zero_shot=zero_shot(vz, vy, T),
                  teacher_val_zero_shot=zero_shot(vzt, vy, T), log=log, feature_seconds=t_feat,
                  train_seconds=time.time() - t_train, total_seconds=time.time() - t0, torch=str(torch.__version__),
                  threads=torch.get_num_threads())
    out = Path(a.out)
    torch.save({'state_dict': sd, 'record': record}, out/'emoji-vit-v1.pt')
    (out/'vit.json').write_text(json.dumps(record, indent=1) + '\n')
    print(f"val cos {record['val_cos']:.4f}, zero-shot {record['val_zero_shot']:.2f} % (teacher "
          f"{record['teacher_val_zero_shot']:.2f} %); wrote {out/'emoji-vit-v1.pt'} in {record['total_seconds']:.0f} s",
          flush=True)


def _student(seed:int, channels:int)->nn.Module:
    "The hybrid ViT over precomputed feature maps (its trunk replaced by `Maps`), initialised as `hybrid_vit` does."
    from seca_nb.standin import hybrid_vit
    trunk = Maps()
    trunk.num_features = channels
    return hybrid_vit(trunk, seed=seed)


if __name__ == '__main__':
    main()
