"The model factory and registry: offline messages, weights files, the lazily registered stand-in, adapter schemes."
import subprocess, sys
import pytest
import torch
from seca_nb.models import create_clip, MODELS, list_models, register_model, tiny_vit_clip
from seca_nb.peft import check_adapter_support




def _run(code):
    return subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)


def test_paper_model_offline_message():
    with pytest.raises(RuntimeError, match=r'pass weights=<local file>.*or run with network access'):
        create_clip('ViT-B-16', pretrained='openai')


def test_weights_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='weights'):
        create_clip('tiny-vit', weights=str(tmp_path / 'missing.pt'))
    bad = tmp_path / 'bad.pt'; torch.save([1, 2, 3], bad)
    with pytest.raises(ValueError, match='state dict'):
        create_clip('tiny-vit', weights=str(bad))


def test_embedded_is_labelled_standin(embedded):
    assert embedded.info['is_standin'] and 'NOT CLIP' in embedded.info['label']
    assert embedded.info['embed_dim'] == 384


def test_embedded_found_lazily_from_models_alone():
    out = _run("import sys\nfrom seca_nb.models import create_clip, MODELS\n"
               "assert 'seca_nb.standin' not in sys.modules and isinstance(MODELS['embedded'], str)\n"
               "b = create_clip('embedded', cache_dir=None)\n"
               "assert 'seca_nb.standin' in sys.modules and callable(MODELS['embedded'])\n"
               "print(b.info['model'], b.info['embed_dim'], b.info['is_standin'])")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ['embedded', '384', 'True']


def test_standin_imports_first_without_cycle():
    out = _run("import seca_nb.standin, seca_nb.models as m; print(m.MODELS['embedded'].__module__)")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == 'seca_nb.standin'


def test_user_model():
    register_model('tiny-vit-5', lambda **kw: tiny_vit_clip(**(kw | dict(seed=5))), note='seed 5')
    try:
        assert 'tiny-vit-5' in list_models()
        assert create_clip('tiny-vit-5').info['model'] == 'tiny-vit-5'
    finally: MODELS.pop('tiny-vit-5')
    with pytest.raises(ValueError, match="Unknown model 'tiny-vit-5'"):
        create_clip('tiny-vit-5')


def test_check_adapter_support():
    for n in ('ViT-B-16', 'RN50', 'embedded', 'tiny-vit'): assert check_adapter_support(n) is None
    with pytest.raises(ValueError, match='Supported towers'):
        check_adapter_support('convnext_base')
