import os
os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')
import pytest


@pytest.fixture(scope='session')
def tiny():
    "The tiny random ViT (open_clip's ViT-B/16 classes in miniature), loaded once for the whole session."
    from seca_nb.models import create_clip
    return create_clip('tiny-vit')


@pytest.fixture(scope='session')
def embedded():
    "The embedded offline stand-in, loaded once for the whole session."
    from seca_nb.models import create_clip
    return create_clip('embedded')


def pytest_addoption(parser):
    parser.addoption('--runslow', action='store_true', default=False, help='also run the tests marked slow (the paper-scale end-to-end runs)')


def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: a paper-scale test (minutes on a CPU); run with --runslow or `make test-slow`')


def pytest_collection_modifyitems(config, items):
    if config.getoption('--runslow'): return
    skip = pytest.mark.skip(reason='slow: run with --runslow (make test-slow)')
    for item in items:
        if 'slow' in item.keywords: item.add_marker(skip)
