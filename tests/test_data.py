"Benchmarks, streams and metrics: shipped data, fixtures, user benchmarks, error messages."
import numpy as np
import pytest
from seca_nb.core import SecaConfig, data_dir
from seca_nb.data import get_benchmark, make_cifar100_fixture, Benchmark, ArrayImages, BENCHMARKS, BENCHMARK_FACTORIES, DataSection, list_benchmarks, register_benchmark
from seca_nb.streams import ClassIncrementalStream, make_stream, class_order
from seca_nb.metrics import acc_matrix, seen_accuracy, avg, last, forgetting, backward_transfer


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


def test_metrics_hand_case():
    R = acc_matrix([[90], [80, 70], [60, 50, 40]])
    A = seen_accuracy(R, [10, 10, 20])
    assert np.allclose(A, [90, 75, 47.5])
    assert last(A) == 47.5 and abs(avg(A) - 70.8333) < 1e-3
    assert forgetting(R) == pytest.approx(25) and backward_transfer(R) == pytest.approx(-25)


def test_emoji_data_integrity():
    "Every shipped image matches the checksum in the manifest."
    import csv, hashlib
    d = data_dir() / 'emoji100'
    rows = list(csv.DictReader(open(d / 'manifest.tsv'), delimiter='\t'))
    assert len(rows) == 400
    for r in rows:
        assert hashlib.sha256((d / r['file']).read_bytes()).hexdigest() == r['sha256'], r['file']


def test_user_benchmark_everywhere():
    @register_benchmark('toy-reg')
    def toy(data_root, transform, **kwargs):
        x = np.zeros((8, 2, 2, 3), np.uint8)
        return Benchmark('toy-reg', ArrayImages(x, [0, 0, 0, 0, 1, 1, 1, 1]), ArrayImages(x[:2], [0, 1]), ['a', 'b'])
    try:
        assert 'toy-reg' in list_benchmarks() and 'toy-reg' in BENCHMARKS
        assert DataSection(dataset='toy-reg').dataset == 'toy-reg'
        assert get_benchmark('toy-reg', split='val').info['split'] == 'val'
    finally: BENCHMARK_FACTORIES.pop('toy-reg')
    with pytest.raises(ValueError, match="Unknown dataset 'toy-reg'; choose from"):
        get_benchmark('toy-reg')
