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
