"Bad inputs are refused before the run folder is touched, a user's mistake shows no traceback, and a resume never rescores history."
import hashlib, json, pickle, shutil
from pathlib import Path
import pytest
import seca_nb.core
from seca_nb.cli import main
from seca_nb.data import make_cifar100_fixture

TINY = ['--method', 'zeroshot', '--model', 'tiny-vit', '--views-train', '1', '--views-test', '1']
SECA3 = [*TINY, '--method', 'seca', '--init-cls', '50', '--increment', '25', '--set', 'epochs=1']   # three short tasks


def snapshot(d:Path)->dict|None:
    "Every file under `d` (dotfiles too) with its sha256; None if `d` does not exist."
    if not d.exists(): return None
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else 'dir' for p in sorted(d.rglob('*'))}


def run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture(scope='module')
def finished(tmp_path_factory):
    "A finished one-task zero-shot run: the folder that the validation cases must leave as it is."
    d = tmp_path_factory.mktemp('done') / 'run'
    assert main(['run', *TINY, '--tasks', '1', '--out', str(d)]) == 0
    return d


BAD = {   # argv -> what the message must say
    ('--tasks', '0'): "tasks=0: emoji100's stream has 10 tasks. Fix: tasks between 1 and 10",
    ('--tasks', '11'): "tasks=11: emoji100's stream has 10 tasks. Fix:",
    ('--set', 'lr_adapter=nan'): 'lr_adapter must be a finite number, not nan. Fix: set lr_adapter > 0',
    ('--init-cls', '1000'): 'init_cls=1000 is more than the 100 classes of emoji100. Fix:',
    ('--set', 'epochs=0'): 'epochs must be in [1, 10000] (got 0). Fix: set epochs in [1, 10000]',
    ('--lr-adapter', '-1'): 'lr_adapter must be > 0 (got -1.0). Fix:',
    ('--eval-temperature', '0'): 'eval_temperature must be > 0 (got 0.0). Fix:',
    ('--kd-temperature', 'nan'): 'kd_temperature must be a finite number, not nan. Fix:',
    ('--kd-temperature', '-5'): 'kd_temperature must be > 0 (got -5.0). Fix:',
    ('--model', 'embeded'): "Unknown model 'embeded'. Did you mean 'embedded'",
    ('--order', '5'): 'emoji100 has class orders 0..2, not 5. Fix:',
}


@pytest.mark.parametrize('bad', list(BAD), ids=[' '.join(b) for b in BAD])
def test_refused_before_anything_is_written(bad, tmp_path, finished, capsys):
    model = [] if '--model' in bad else ['--model', 'tiny-vit']
    base = ['run', *model, '--views-train', '1', '--views-test', '1', '--method', 'seca', *bad]
    rc, _, err = run(capsys, *base, '--out', str(tmp_path / 'new'))
    assert rc == 2 and BAD[bad] in err, err
    assert 'Traceback' not in err
    assert not (tmp_path / 'new').exists()
    before = snapshot(finished)
    rc, _, err = run(capsys, *base, '--resume', '--out', str(finished))
    assert rc == 2 and BAD[bad] in err, err
    assert snapshot(finished) == before


def test_the_corrected_command_needs_no_overwrite(tmp_path, capsys):
    out = str(tmp_path / 'r')
    assert run(capsys, 'run', *TINY, '--tasks', '11', '--out', out)[0] == 2
    rc, _, err = run(capsys, 'run', *TINY, '--tasks', '1', '--out', out)
    assert rc == 0, err


def test_output_that_cannot_be_written(tmp_path, capsys):
    rc, _, err = run(capsys, 'run', *TINY, '--tasks', '1', '--out', '/sys/seca_nb_test/run')
    assert rc == 2 and 'cannot write in /sys' in err and 'Fix: --out a folder you can write' in err, err
    f = tmp_path / 'afile'
    f.write_text('x')
    rc, _, err = run(capsys, 'run', *TINY, '--tasks', '1', '--out', str(f))
    assert rc == 2 and f'out_dir {f} is a file, not a folder. Fix:' in err, err
    rc, _, err = run(capsys, 'run', *TINY, '--tasks', '1', '--out', str(f / 'sub'))
    assert rc == 2 and 'which is a file. Fix: choose another --out' in err, err
    assert f.read_text() == 'x'


def test_a_folder_that_becomes_unwritable_stops_with_what_was_saved(tmp_path, capsys, monkeypatch):
    real = seca_nb.core.atomic_write_bytes
    def failing(path, data):
        if 'task_01' in str(path): raise PermissionError(13, 'Permission denied', str(path))
        return real(path, data)
    monkeypatch.setattr(seca_nb.core, 'atomic_write_bytes', failing)
    out = tmp_path / 'r'
    rc, _, err = run(capsys, 'run', *SECA3, '--out', str(out))
    assert rc == 2, err
    assert 'The run stopped in task 1: Permission denied writing' in err
    assert f"Tasks 0..0 are saved in {out / 'ckpt'}" in err and 'the same command with --resume' in err
    assert 'Traceback' not in err
    monkeypatch.setattr(seca_nb.core, 'atomic_write_bytes', real)
    rc, out_, err = run(capsys, 'run', *SECA3, '--resume', '--out', str(out))
    assert rc == 0, err
    assert f"resuming at task 1: tasks 0..0 from {out / 'ckpt'}" in out_


def test_a_plugin_that_fails_to_import(tmp_path, capsys):
    p = tmp_path / 'bad_plugin_x.py'
    p.write_text('import math\nraise RuntimeError("my plugin is broken")\n')
    rc, _, err = run(capsys, 'run', '--plugin', str(p), *TINY, '--tasks', '1', '--out', str(tmp_path / 'r'))
    assert rc == 2
    assert f'--plugin {p}: importing it raised RuntimeError: my plugin is broken (at {p}, line 2)' in err
    assert 'Traceback' not in err and not (tmp_path / 'r').exists()
    with pytest.raises(ImportError) as e:   # --debug: the whole traceback, the plugin's own error chained
        main(['run', '--debug', '--plugin', str(p), *TINY, '--out', str(tmp_path / 'r')])
    assert isinstance(e.value.__cause__, RuntimeError)


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match='tasks=11'):
        main(['run', *TINY, '--tasks', '11', '--out', str(tmp_path / 'r'), '--debug'])
    monkeypatch.setenv('SECA_NB_DEBUG', '1')
    with pytest.raises(ValueError, match='tasks=11'):
        main(['run', *TINY, '--tasks', '11', '--out', str(tmp_path / 'r')])


def test_check_folder_against_the_split(tmp_path, capsys):
    from PIL import Image
    (tmp_path / 'one' / 'cat').mkdir(parents=True)
    for i in range(3): Image.new('RGB', (8, 8), (40 * i, 0, 0)).save(tmp_path / 'one' / 'cat' / f'{i}.png')
    rc, out, _ = run(capsys, 'check', 'folder', str(tmp_path / 'one'))
    assert rc == 1 and 'init_cls=10 is more than the 1 classes of folder. Fix: at least two classes.' in out
    for c in ('dog', 'cow', 'eel'):
        shutil.copytree(tmp_path / 'one' / 'cat', tmp_path / 'one' / c)
    rc, out, _ = run(capsys, 'check', 'folder', str(tmp_path / 'one'))
    assert rc == 1 and 'Fix: init_cls and increment of at most 4, e.g. init_cls=2 increment=2.' in out
    rc, out, _ = run(capsys, 'check', 'folder', str(tmp_path / 'one'), '--init-cls', '2', '--increment', '1')
    assert rc == 0 and 'tasks: 3 (init_cls=2, increment=1)' in out


def test_a_crafted_cifar_pickle_is_refused(tmp_path, capsys):
    class Evil:
        def __reduce__(self): return (shutil.rmtree, (str(tmp_path / 'victim'),))
    (tmp_path / 'victim').mkdir()
    make_cifar100_fixture(tmp_path / 'c')
    (tmp_path / 'c' / 'cifar-100-python' / 'train').write_bytes(pickle.dumps({'data': Evil()}))
    rc, out, _ = run(capsys, 'check', 'cifar100', str(tmp_path / 'c'))
    assert rc == 1 and 'refers to shutil.rmtree, which a data file never holds' in out
    assert (tmp_path / 'victim').is_dir()


def matrix(d:Path)->list:
    return json.loads((d / 'results.json').read_text())['summary']['R']


@pytest.fixture(scope='module')
def uninterrupted(tmp_path_factory):
    d = tmp_path_factory.mktemp('full') / 'run'
    assert main(['run', *SECA3, '--tasks', '3', '--out', str(d)]) == 0
    return d


def test_a_lost_results_log_is_restored_not_rescored(tmp_path, uninterrupted, capsys):
    k = tmp_path / 'k'
    assert run(capsys, 'run', *SECA3, '--tasks', '2', '--out', str(k))[0] == 0   # stopped after task 1, as a kill -9 would leave it
    (k / 'results.jsonl').unlink()
    rc, out, err = run(capsys, 'run', *SECA3, '--tasks', '3', '--resume', '--out', str(k))
    assert rc == 0, err
    assert f"resuming at task 2: tasks 0..1 from {k / 'ckpt'}" in out
    assert matrix(k) == matrix(uninterrupted)
    restored = [json.loads(l) for l in (k / 'results.jsonl').read_text().splitlines()]
    assert [r['task'] for r in restored if r.get('kind') == 'task'] == [0, 1, 2]


def test_without_its_saved_evaluation_a_row_is_scored_by_its_own_checkpoint(tmp_path, uninterrupted, capsys):
    k = tmp_path / 'k'
    assert run(capsys, 'run', *SECA3, '--tasks', '2', '--out', str(k))[0] == 0
    (k / 'results.jsonl').unlink()
    for p in (k / 'ckpt').glob('*.eval.json'): p.unlink()
    assert run(capsys, 'run', *SECA3, '--tasks', '3', '--resume', '--out', str(k))[0] == 0
    assert matrix(k) == matrix(uninterrupted)


def test_history_that_cannot_be_restored_is_refused(tmp_path, capsys):
    k = tmp_path / 'k'
    assert run(capsys, 'run', *SECA3, '--tasks', '2', '--out', str(k))[0] == 0
    (k / 'results.jsonl').unlink()
    (k / 'ckpt' / 'task_00.eval.json').unlink()
    (k / 'ckpt' / 'task_00.pt').unlink()
    before = snapshot(k)
    rc, _, err = run(capsys, 'run', *SECA3, '--tasks', '3', '--resume', '--out', str(k))
    assert rc == 2 and 'the evaluations of tasks [0] are lost' in err and 'Fix: put results.jsonl back from a copy' in err, err
    assert snapshot(k) == before


def test_a_folder_made_read_only_during_the_run(tmp_path, capsys, monkeypatch):
    "The folder becomes immutable (chattr +i) before task 1's checkpoint: one message, the lock let go, then --resume works."
    import subprocess
    import seca_nb.learner as learner
    out = tmp_path / 'r'
    probe = tmp_path / 'probe'
    probe.mkdir()
    if subprocess.run(['chattr', '+i', str(probe)], capture_output=True).returncode: pytest.skip('chattr +i is not available here')
    subprocess.run(['chattr', '-i', str(probe)])
    real = learner.Checkpointer.after_task
    def freeze_then_save(self, l):
        if l.t == 1: subprocess.run(['chattr', '+i', str(out / 'ckpt'), str(out)], check=True)
        real(self, l)
    monkeypatch.setattr(learner.Checkpointer, 'after_task', freeze_then_save)
    try:
        rc, _, err = run(capsys, 'run', *SECA3, '--out', str(out))
    finally: subprocess.run(['chattr', '-i', str(out / 'ckpt'), str(out)])
    assert rc == 2 and 'The run stopped in task 1: Operation not permitted' in err and 'Tasks 0..0 are saved' in err, err
    monkeypatch.setattr(learner.Checkpointer, 'after_task', real)
    rc, out_, err = run(capsys, 'run', *SECA3, '--resume', '--out', str(out))
    assert rc == 0 and 'resuming at task 1' in out_, err
