"SECA over a ten-class dataset of your own, held as arrays: 5 tasks of 2 classes (python examples/own_data.py)."
import sys
import numpy as np
from PIL import Image, ImageDraw
from seca_nb.core import SecaConfig
from seca_nb.data import Benchmark
from seca_nb.learner import Learner

colours = ['red', 'green', 'blue', 'orange', 'purple']
names = [f'{c} {s}' for c in colours for s in ('circle', 'square')]
rng = np.random.default_rng(0)
def draw(label):   # a coloured shape at a random place on white
    im = Image.new('RGB', (64, 64), 'white'); d = ImageDraw.Draw(im)
    x, y, r = *rng.integers(18, 46, 2), rng.integers(10, 16)
    (d.ellipse if label % 2 == 0 else d.rectangle)([x - r, y - r, x + r, y + r], fill=colours[label // 2])
    return np.asarray(im)
y_train, y_test = np.repeat(np.arange(10), 16), np.repeat(np.arange(10), 6)
x_train, x_test = np.stack([draw(c) for c in y_train]), np.stack([draw(c) for c in y_test])

bench = Benchmark.from_arrays(x_train, y_train, x_test, y_test, names, name='shapes')
cfg = SecaConfig(method='seca', init_cls=2, increment=2, epochs=2, batch_size=16, out_dir=sys.argv[1] if len(sys.argv) > 1 else 'runs/shapes')
learner = Learner(cfg, bench=bench, overwrite=True)
for t in range(learner.n_tasks):
    learner.fit_task(t)
    print(f"after task {t}: accuracy on the classes seen so far {learner.evaluate(t)['seen_acc']:.1f} %")
print(f"Last {learner.summary()['last']:.1f} %, Avg {learner.summary()['avg']:.1f} %")
