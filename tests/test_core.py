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
            "t = 'sgakt' in list_parts('teacher'); print(SecaConfig(pool_size=3).pool_size, t)")
    out = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.split() == ['3', 'True'], out.stderr[-800:]


def test_a_config_imports_no_part(tmp_path):
    "Building a config imports nothing above the core; the parts' sections join it when a registry first loads them."
    code = ("import sys; from seca_nb.core import SecaConfig; c = SecaConfig(seed=3, method='rapf', teacher='clip'); "
            "print(sorted(m for m in sys.modules if m.startswith('seca_nb.'))); "
            "from seca_nb.parts import list_parts; list_parts('teacher'); "
            "print(c.pool_size, c.eval_temperature, c['hpeft.eval_temperature'], c.fingerprint() == SecaConfig(**c.to_dict()).fingerprint())")
    out = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-800:]
    first, second = out.stdout.strip().split('\n')
    assert first == "['seca_nb.core']"
    assert second.split() == ['5', '20.0', '20.0', 'True']


def test_jsonl_log(tmp_path):
    log = JsonlLog(tmp_path / 'r.jsonl')
    for t in range(3): log.append({'task': t})
    assert [r['task'] for r in log.read()] == [0, 1, 2]
    assert not list(tmp_path.glob('.*.tmp'))
