"Data of one's own: benchmarks from folders, arrays and torch datasets, class orders for any benchmark, and the errors users meet."
import subprocess, sys
from pathlib import Path
import numpy as np
import pytest
import torch
from PIL import Image
from seca_nb.core import SecaConfig
from seca_nb.data import Benchmark, register_benchmark, BENCHMARK_FACTORIES, BENCHMARK_USES
from seca_nb.learner import Learner
from seca_nb.experiments import run_experiment
from seca_nb.cli import main

ROOT = Path(__file__).resolve().parent.parent


def arrays(n_classes=10, per=6, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes), per)
    return rng.integers(0, 256, (len(y), 16, 16, 3), dtype=np.uint8), y


def tree(root, n_classes=4, per=5, split=False):
    rng = np.random.default_rng(0)
    for c in range(n_classes):
        for s in (('train', 'test') if split else ('',)):
            d = root / s / f'class_{c}'
            d.mkdir(parents=True, exist_ok=True)
            for k in range(per): Image.fromarray(rng.integers(0, 256, (12, 12), dtype=np.uint8)).save(d / f'{k}.png')   # grayscale files
    return root


def test_script_of_a_user_runs_seca_over_arrays(tmp_path):
    "examples/own_data.py: at most 30 lines, SECA over ten classes from arrays in 5 tasks of 2."
    script = ROOT / 'examples' / 'own_data.py'
    assert len(script.read_text().splitlines()) <= 30
    r = subprocess.run([sys.executable, str(script), str(tmp_path / 'run')], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert 'after task 4:' in r.stdout and 'Last ' in r.stdout


def test_folder_tree_from_the_command_line(tmp_path, capsys):
    root = tree(tmp_path / 'data', n_classes=10, per=4)
    assert main(['check', 'folder', str(root)]) == 0
    assert main(['run', '--dataset', 'folder', '--data-root', str(root), '--method', 'seca', '--init-cls', '2', '--increment', '2',
                 '--set', 'epochs=1', '--batch-size', '8', '--views-test', '1', '--out', str(tmp_path / 'r')]) == 2   # views_* is Emoji-100's
    assert '--views-test does not apply' in capsys.readouterr().err
    assert main(['run', '--dataset', 'folder', '--data-root', str(root), '--method', 'seca', '--init-cls', '2', '--increment', '2',
                 '--set', 'epochs=1', '--batch-size', '8', '--out', str(tmp_path / 'r')]) == 0
    out = capsys.readouterr().out
    assert 'after task |' in out and (tmp_path / 'r' / 'ckpt' / 'task_04.pt').exists()


def test_train_test_folders_and_learner_bench(tmp_path):
    b = Benchmark.from_folder(tree(tmp_path / 'two', split=True))
    assert (len(b.train), len(b.test), b.class_names[0]) == (20, 20, 'class 0')
    s = run_experiment(SecaConfig(method='hpeft', model='tiny-vit', init_cls=2, increment=2, epochs=1, out_dir=str(tmp_path / 'r')),
                       bench=b, progress=False, quiet=True)
    assert s['tasks'] == 2
    (tmp_path / 'two' / 'test' / 'class_9').mkdir()
    with pytest.raises(ValueError, match=r"train/ and test/ have different class folders \(only in train: \[\]; only in test: \['class_9'\]\)"):
        Benchmark.from_folder(tmp_path / 'two')


def test_from_datasets_with_torchvision_style_labels(tmp_path, tiny):
    x, y = arrays(4, 4)
    ds = torch.utils.data.TensorDataset(torch.as_tensor(x).permute(0, 3, 1, 2), torch.as_tensor(y))   # uint8 (C, H, W) tensors
    b = Benchmark.from_datasets(ds, ds, ['a', 'b', 'c', 'd'])
    assert b.train.image(0).size == (16, 16) and b.train.targets[:5] == [0, 0, 0, 0, 1]
    l = Learner(SecaConfig(method='zeroshot', model='tiny-vit', init_cls=2, increment=2, out_dir=str(tmp_path / 'r')), clip=tiny, bench=b, progress=False)
    assert l.run()['tasks'] == 2 and l.provenance['benchmark'] == {'name': 'datasets', 'classes': 4, 'train': 16, 'test': 16}


@pytest.mark.parametrize('kw, msg', [
    (dict(class_names=['a'] * 9), "train labels [9] are outside 0..8 (9 class names given)"),
    (dict(class_names=[f'c{i}' for i in range(11)]), "1 of 11 classes have no training images: 10 ('c10')"),
    (dict(y_train=np.repeat(np.arange(10), 6) + 0.0), "train labels must be integers, got float64"),
    (dict(y_test=np.where(np.repeat(np.arange(10), 6) == 3, 4, np.repeat(np.arange(10), 6))), "1 of 10 classes have no test images: 3 ('class 3')"),
    (dict(x_train=np.zeros((60, 16, 16, 2), np.uint8)), "images must be (N, H, W), (N, H, W, 1|3|4) or (N, 1|3, H, W)"),
])
def test_array_errors_say_what_to_fix(kw, msg):
    x, y = arrays()
    args = dict(x_train=x, y_train=y, x_test=x, y_test=y, class_names=None) | kw
    with pytest.raises(ValueError, match=msg.replace('(', r'\(').replace(')', r'\)').replace('[', r'\[').replace(']', r'\]').replace('|', r'\|')):
        Benchmark.from_arrays(**args)


def test_registered_benchmark_by_name_and_class_orders(tmp_path):
    x, y = arrays()
    register_benchmark('mine10', Benchmark.from_arrays(x, y, x, y, name='mine10'))
    try:
        cfgs = [SecaConfig(dataset='mine10', init_cls=2, increment=2, order=k, out_dir=str(tmp_path / f'o{k}')) for k in (0, 1)]
        orders = [Learner(c, progress=False, callbacks=[]).stream.order for c in cfgs]
        assert sorted(orders[0]) == list(range(10)) and orders[0] != orders[1]
        assert orders[0] == Learner(cfgs[0].replace(out_dir=str(tmp_path / 'again')), progress=False, callbacks=[]).stream.order
        (tmp_path / 'order.txt').write_text('9 8 7 6 5 4 3 2 1 0\n')
        l = Learner(cfgs[0].replace(order_file=str(tmp_path / 'order.txt'), out_dir=str(tmp_path / 'f')), progress=False, callbacks=[])
        assert l.stream.order == list(range(9, -1, -1))
        assert main(['stream', '--dataset', 'mine10', '--init-cls', '2', '--increment', '2', '--order-file', 'identity']) == 0
    finally:
        BENCHMARK_FACTORIES.pop('mine10'); BENCHMARK_USES.pop('mine10')
