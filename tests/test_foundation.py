"Script-level tests: the kit imported as a user's script would, including from another working directory."
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
import seca_nb
from seca_nb.core import SecaConfig, JsonlLog, data_dir
from seca_nb.data import get_benchmark, make_cifar100_fixture, make_imagefolder_fixture, check_dataset
from seca_nb.streams import ClassIncrementalStream, make_stream, class_order
from seca_nb.metrics import acc_matrix, seen_accuracy, avg, last, forgetting, backward_transfer


def test_version():
    assert seca_nb.__version__


def test_emoji_stream_default():
    cfg = SecaConfig()
    s = make_stream(get_benchmark('emoji100'), cfg)
    assert len(s) == 10 and all(len(t.labels) == 10 for t in s)
    assert sum(len(t.train) for t in s) == 100 * 3 * cfg.views_train
    # the names follow the labels
    t0 = s[0]
    assert [s.bench.class_names[c] for c in t0.original_classes] == t0.class_names
    img, y = t0.train[0]
    assert img.size == (64, 64) and y in t0.labels


def test_works_from_any_directory(tmp_path):
    code = "from seca_nb.data import get_benchmark; print(len(get_benchmark('emoji100').test))"
    out = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == '800'


def test_stream_errors():
    b = get_benchmark('emoji100', views_train=1, views_test=1)
    with pytest.raises(ValueError, match='6 classes would be left over'):
        ClassIncrementalStream(b, init_cls=10, increment=7)
    with pytest.raises(ValueError, match='not both'):
        ClassIncrementalStream(b, init_cls=10, increment=10, order=list(range(100)), seed=0)


def test_cifar_fixture_and_order(tmp_path):
    make_cifar100_fixture(tmp_path)
    b = get_benchmark('cifar100', tmp_path)
    s = ClassIncrementalStream(b, init_cls=10, increment=10, order=class_order('cifar100', 0))
    assert s.class_names[0] == 'television'     # CIFAR-100 class 87, first in the lineage's order 0
    assert len(s[0].test) == 20


def test_missing_data_messages(tmp_path):
    with pytest.raises(FileNotFoundError, match='cifar-100-python.tar.gz'):
        get_benchmark('cifar100', tmp_path)
    with pytest.raises(FileNotFoundError, match='imagenet-a.tar'):
        get_benchmark('imagenet-a', tmp_path / 'nope')
    with pytest.raises(ValueError, match="Unknown dataset 'svhn'"):
        get_benchmark('svhn')


def test_check_command(tmp_path):
    make_imagefolder_fixture(tmp_path / 'ima', 'imagenet-a', per_class=2)
    out = subprocess.run([str(Path(sys.executable).parent / 'seca_nb'), 'check', 'imagenet-a', str(tmp_path / 'ima')], capture_output=True, text=True)
    assert out.returncode == 1
    assert 'found 400 images, expected 7500' in out.stdout
    assert 'kit split (test 20 %, seed 0): 200 train / 200 test' in out.stdout


def test_metrics_hand_case():
    R = acc_matrix([[90], [80, 70], [60, 50, 40]])
    A = seen_accuracy(R, [10, 10, 20])
    assert np.allclose(A, [90, 75, 47.5])
    assert last(A) == 47.5 and abs(avg(A) - 70.8333) < 1e-3
    assert forgetting(R) == pytest.approx(25) and backward_transfer(R) == pytest.approx(-25)


def test_jsonl_log(tmp_path):
    log = JsonlLog(tmp_path / 'r.jsonl')
    for t in range(3): log.append({'task': t})
    assert [r['task'] for r in log.read()] == [0, 1, 2]
    assert not list(tmp_path.glob('.*.tmp'))


def test_emoji_data_integrity():
    "Every shipped image matches the checksum in the manifest."
    import csv, hashlib
    d = data_dir() / 'emoji100'
    rows = list(csv.DictReader(open(d / 'manifest.tsv'), delimiter='\t'))
    assert len(rows) == 400
    for r in rows:
        assert hashlib.sha256((d / r['file']).read_bytes()).hexdigest() == r['sha256'], r['file']
