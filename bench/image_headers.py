"""What the header check of a folder dataset costs, beside a full decode of every image.

`Benchmark.from_folder` reads the header of every file it lists (`check_image_files`), so a run and `seca_nb check
folder` refuse an empty or non-image file before anything is written; `--verify-images` decodes every image. This
writes a folder of 20 classes x 100 images (PNG and JPEG, 64 px), then times, in one process:
the header check cold (first look), the header check again (files already looked at: a stat each), and a full decode.

    .venv/bin/python bench/image_headers.py        # a few seconds
"""
import tempfile, time
from pathlib import Path
import numpy as np
from PIL import Image
import seca_nb.data as data
from seca_nb.core import machine


def main(classes:int=20, per:int=100):
    rng = np.random.default_rng(0)
    root = Path(tempfile.mkdtemp())/'folder'
    files = []
    for c in range(classes):
        (root/f'class_{c}').mkdir(parents=True)
        for k in range(per):
            f = f'class_{c}/{k}.' + ('png' if k % 2 else 'jpg')
            Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(root/f)
            files.append(f)
    data._HEADERS_READ.clear()
    t0 = time.perf_counter()
    data.check_image_files(root, files)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    data.check_image_files(root, files)
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    for f in files:
        with Image.open(root/f) as im: im.convert('RGB')
    full = time.perf_counter() - t0
    n = len(files)
    print(f"{machine()['cpu']}, {n} files (64 px PNG and JPEG)")
    print(f"header check, first look: {cold:.3f} s ({1000 * cold / n * 1000:.1f} ms per 1000 files)")
    print(f"header check, again:      {warm:.3f} s ({1000 * warm / n * 1000:.1f} ms per 1000 files)")
    print(f"full decode:              {full:.3f} s ({1000 * full / n * 1000:.1f} ms per 1000 files)")


if __name__ == '__main__': main()
