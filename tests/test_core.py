"The package as a user's script imports it: version, any working directory, the results log."
import subprocess, sys
import seca_nb
from seca_nb.core import JsonlLog


def test_version():
    assert seca_nb.__version__


def test_works_from_any_directory(tmp_path):
    code = "from seca_nb.data import get_benchmark; print(len(get_benchmark('emoji100').test))"
    out = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == '800'


def test_builtins_load_from_a_checkout_without_metadata(tmp_path):
    "A source checkout that was never installed has no entry points: the kit's own parts and sections load all the same."
    code = ("import importlib.metadata as m; ep = m.entry_points; "
            "m.entry_points = lambda *a, **kw: [] if kw.get('group') == 'seca_nb.plugins' else ep(*a, **kw); "
            "from seca_nb.core import SecaConfig; from seca_nb.parts import list_parts; "
            "print(SecaConfig(pool_size=3).pool_size, 'sgakt' in list_parts('teacher'))")
    out = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.split() == ['3', 'True'], out.stderr[-800:]


def test_jsonl_log(tmp_path):
    log = JsonlLog(tmp_path / 'r.jsonl')
    for t in range(3): log.append({'task': t})
    assert [r['task'] for r in log.read()] == [0, 1, 2]
    assert not list(tmp_path.glob('.*.tmp'))
