"""What the ViT stand-in's image tower reaches on Emoji-100, beside the stand-in it was distilled from.

For each model, on Emoji-100's views (8 per image, the kit's own; neither tower saw an Emoji-100 image in training):
the cosine of its image embeddings to the stand-in's on the Twemoji views (the held-out style), the top-1 of class
prototypes averaged over the three training styles' views on the Twemoji views (what SimpleCIL does with all 100
classes at once), and zero-shot top-1 on the Twemoji views with the kit's prompt. 'embedded-vit, random' is the same
hybrid with its transformer at its random initialisation (the trunk's ImageNet features alone, through random blocks):
what the distillation adds.

    .venv/bin/python bench/vit_standin.py          # about a minute on two CPU cores
"""
import platform, time
import torch
from seca_nb.data import Emoji100
from seca_nb.models import create_clip, encode_images, encode_texts
from seca_nb.standin import hybrid_vit


@torch.no_grad()
def embed(b, ds, bs:int=200)->torch.Tensor:
    "Unit image embeddings of every view of `ds` under bundle `b`."
    xs = [b.preprocess(ds[i][0]) for i in range(len(ds))]
    return torch.cat([encode_images(b, torch.stack(xs[i:i + bs])) for i in range(0, len(xs), bs)])


def main():
    train, test = Emoji100(['noto', 'openmoji', 'fluent'], views=8), Emoji100(['twemoji'], views=8)
    ytr, yte = torch.tensor(train.targets), torch.tensor(test.targets)
    names = [c['class_name'] for c in test.classes]
    ref = create_clip('embedded')
    rand = create_clip('embedded-vit')
    rand.model.visual = hybrid_vit(rand.model.visual.conv1.trunk).eval()   # the same trunk, random blocks
    models = {'embedded': ref, 'embedded-vit': create_clip('embedded-vit'), 'embedded-vit, random': rand,
              'tiny-vit': create_clip('tiny-vit')}
    z_ref = embed(ref, test)
    print(f"{platform.processor() or platform.machine()}, torch {torch.__version__}, {torch.get_num_threads()} threads")
    print('| model | cosine to the stand-in | prototypes top-1 | zero-shot top-1 | s |')
    print('|---|---|---|---|---|')
    for name, b in models.items():
        t0 = time.time()
        a, z = embed(b, train), embed(b, test)
        P = torch.zeros(100, a.shape[1]).index_add_(0, ytr, a)
        proto = 100 * float(((z @ P.T).argmax(1) == yte).float().mean())
        zs = 100 * float(((z @ encode_texts(b, names).T).argmax(1) == yte).float().mean())
        cos = f"{float((z * z_ref).sum(-1).mean()):.3f}" if z.shape[1] == z_ref.shape[1] else '–'
        print(f"| {name} | {cos} | {proto:.2f} | {zs:.2f} | {time.time() - t0:.0f} |", flush=True)


if __name__ == '__main__':
    main()
