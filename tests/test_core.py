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


def test_jsonl_log(tmp_path):
    log = JsonlLog(tmp_path / 'r.jsonl')
    for t in range(3): log.append({'task': t})
    assert [r['task'] for r in log.read()] == [0, 1, 2]
    assert not list(tmp_path.glob('.*.tmp'))
