"""One task of the paper's setting, timed in one process: open_clip ViT-B-16 with seeded random weights (offline), 224 px
synthetic images, batch 64, a full pool of 5 adapter snapshots, 3 epochs over N images. Three ways to learn the task:

- H-PEFT (no teacher, text classifier);
- SECA as the kit runs it (teacher's pool features computed once per task, the run's precision: bf16 autocast on a GPU);
- SECA as the authors' code structures it (teacher recomputed at every step with dropout on, fp32).

The five tasks before it (10 images each) only build the pool and the prototypes (no training step); only the sixth is timed.
Also timed: the pool passes alone (5 snapshots over the N images, once) and the input pipeline alone (decoding the N
images with the workers). The last line is machine-readable.

    .venv/bin/python bench/paper.py                 # N=64 on the default device
    .venv/bin/python bench/paper.py --n 640 --device cuda
"""
import argparse, json, os, platform, resource, sys, tempfile, threading, time
from pathlib import Path
import numpy as np
import torch

from seca_nb.core import SecaConfig, resolve_device, default_workers
from seca_nb.data import Benchmark, ArrayImages
from seca_nb.streams import ClassIncrementalStream
from seca_nb.learner import Learner
from seca_nb.inputs import decode, split_preprocess
from seca_nb.models import create_clip
from seca_nb.experiments import machine


def rss_mb()->float:
    "Resident memory of this process (MB)."
    with open('/proc/self/statm') as f: return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20


class PeakRSS:
    "The peak resident memory while the block runs (sampled every 50 ms)."
    def __enter__(self):
        self.peak, self.stop = rss_mb(), False
        def watch():
            while not self.stop:
                self.peak = max(self.peak, rss_mb()); time.sleep(0.05)
        self.th = threading.Thread(target=watch, daemon=True); self.th.start()
        return self
    def __exit__(self, *a):
        self.stop = True; self.th.join(); self.peak = max(self.peak, rss_mb())


def synthetic(n:int, seed:int=0)->Benchmark:
    "60 classes: 10 images for each of the first five tasks (1 per class), n for the sixth (n/10 per class); 256 px noise images."
    rng = np.random.default_rng(seed)
    ytr = [c for c in range(50)] + [50 + i % 10 for i in range(n)]
    yte = list(range(60))
    xtr = rng.integers(0, 256, (len(ytr), 256, 256, 3), dtype=np.uint8)
    xte = rng.integers(0, 256, (len(yte), 256, 256, 3), dtype=np.uint8)
    return Benchmark('synthetic', ArrayImages(xtr, ytr), ArrayImages(xte, yte), [f'class {c}' for c in range(60)])


def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize()


def time_task(name, clip, bench, stream, out, args, **kw):
    "Build the pool with tasks 0-4 (no training), then time task 5."
    cfg = SecaConfig(model=args.model, pretrained='random', batch_size=64, epochs=args.epochs, pool_size=5, eval_batch_size=64,
                     device=args.device, precision=args.precision, num_workers=args.workers, out_dir=str(out/name.replace(' ', '_')), **kw)
    l = Learner(cfg, clip=clip, stream=stream, progress=False, callbacks=[])
    l._train = lambda t, inputs: None   # tasks 0-4 only fill the pool and the prototypes: no training step
    for t in range(5): l.fit_task(t)
    del l._train
    dev = l.device
    if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats()
    sync(dev)
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        l.fit_task(5)
        sync(dev)
        sec = time.perf_counter() - t0
    row = {'method': name, 'seconds': sec, 'img_s': args.epochs * args.n / sec, 'peak_rss_mb': mem.peak, 'precision': l.compute['precision'],
           'device': l.compute['device'], 'curves_finite': all(np.isfinite(v).all() for v in l.curves[5].values())}
    if dev.type == 'cuda': row['cuda_max_allocated_mb'] = torch.cuda.max_memory_allocated() / 2**20
    print(f"{name:>28}: {sec:8.1f} s  {row['img_s']:7.2f} img/s  peak RSS {mem.peak:7.0f} MB" +
          (f"  CUDA max {row['cuda_max_allocated_mb']:7.0f} MB" if 'cuda_max_allocated_mb' in row else ''), flush=True)
    return row, l


def time_pool(l, args)->float:
    "The pool passes alone: every snapshot over the task's N images, once, in the learner's precision."
    inputs = l.task_inputs(5)
    teacher = l.method.teacher
    assert len(teacher.pool) == 5, len(teacher.pool)
    sync(l.device)
    t0 = time.perf_counter()
    with torch.no_grad(), l.autocast():
        for _, x in inputs.batches(torch.arange(len(inputs)), 64): teacher.pool_features(x)
    sync(l.device)
    return time.perf_counter() - t0


def time_loader(bench, clip, n, workers)->dict:
    "Decoding the task's N training images (PIL → uint8 at 224 px), in this process and with the workers."
    pixels = split_preprocess(clip.preprocess)[0]
    ds = ArrayImages(bench.train.x, bench.train.targets, clip.preprocess)
    idx = list(range(50, 50 + n))
    out = {}
    for w in sorted({0, workers}):
        t0 = time.perf_counter()
        for _ in decode(ds, idx, pixels, w): pass
        out[w] = n / (time.perf_counter() - t0)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--n', type=int, default=64, help='training images of the timed task')
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--model', default='ViT-B-16')
    p.add_argument('--device', default='auto', help="torch device ('auto': CUDA, then MPS, then the CPU)")
    p.add_argument('--precision', default='auto', help="the kit's precision (the authors' structure always runs fp32)")
    p.add_argument('--workers', type=int, default=None, help='decoding workers (default: one per spare core, at most 8)')
    p.add_argument('--out', default='bench/out/paper.json')
    args = p.parse_args()
    dev = resolve_device(args.device)
    workers = default_workers(args.workers)
    print(f"bench-paper: {args.model} random weights, 224 px, batch 64, pool 5, {args.epochs} epochs over {args.n} images; "
          f"device {dev}, {torch.get_num_threads()} torch threads, {os.cpu_count()} cores, {workers} workers; torch {torch.__version__}", flush=True)
    clip = create_clip(args.model, pretrained='random', device=dev)
    bench = synthetic(args.n)
    bench.train.transform = bench.test.transform = clip.preprocess
    stream = ClassIncrementalStream(bench, init_cls=10, increment=10, order=list(range(60)))
    out = Path(tempfile.mkdtemp(prefix='bench-paper-'))
    rows = {}
    rows['hpeft'], _ = time_task('H-PEFT', clip, bench, stream, out, args, method='hpeft')
    rows['kit'], kit = time_task('SECA (kit)', clip, bench, stream, out, args, method='seca')
    pool_s = time_pool(kit, args)
    print(f"{'pool passes alone':>28}: {pool_s:8.1f} s", flush=True)
    del kit
    a = argparse.Namespace(**{**vars(args), 'precision': 'fp32'})
    rows['authors'], _ = time_task("SECA (authors' structure)", clip, bench, stream, out, a, method='seca', cache_teacher=False, teacher_mode='train')
    loader = time_loader(bench, clip, args.n, workers)
    per_worker = loader[workers] / max(workers, 1)
    print(f"{'input pipeline':>28}: " + ', '.join(f"{w} workers {v:.1f} img/s" for w, v in loader.items()), flush=True)
    r_auth = rows['authors']['seconds'] / rows['kit']['seconds']
    r_hpeft = rows['kit']['seconds'] / rows['hpeft']['seconds']
    r_hpool = rows['kit']['seconds'] / (rows['hpeft']['seconds'] + pool_s)
    res = {'machine': machine() | {'cores': os.cpu_count(), 'device': rows['kit']['device'], 'python': platform.python_version()},
           'setting': {'model': args.model, 'n': args.n, 'epochs': args.epochs, 'batch': 64, 'pool': 5, 'image_size': 224, 'workers': workers},
           'rows': rows, 'pool_passes_s': pool_s, 'loader_img_s': loader,
           'ratio_authors_vs_kit': r_auth, 'ratio_kit_vs_hpeft': r_hpeft, 'ratio_kit_vs_hpeft_plus_pool': r_hpool,
           'loader_img_s_per_worker': per_worker}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=1))
    print(f"written {args.out}")
    print(f"ratio_authors_vs_kit={r_auth:.2f} ratio_kit_vs_hpeft={r_hpeft:.2f} ratio_kit_vs_hpeft_plus_pool={r_hpool:.2f} "
          f"loader_img_s_per_worker={per_worker:.1f}")


if __name__ == '__main__':
    main()
