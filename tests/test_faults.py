"Faults a new user meets: a grid copied or moved, damaged results files, bad images, a YAML bomb, absurd values, SIGTERM."
import contextlib, io, json, shutil
from pathlib import Path
import pytest
from seca_nb.core import SecaConfig
from seca_nb.experiments import compare
from seca_nb.cli import main

TINY = dict(model='tiny-vit', views_train=1, views_test=1, init_cls=50, increment=50, epochs=1)   # two short tasks
ROWS = {'zero-shot': {'method': 'zeroshot'}, 'H-PEFT': {'method': 'hpeft'}}
ARGS = ['--model', 'tiny-vit', '--views-train', '1', '--views-test', '1', '--init-cls', '50', '--increment', '50',
        '--epochs', '1']


def run(capsys, *argv):
    rc = main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def quiet_compare(out_dir):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return compare(SecaConfig(**TINY), ROWS, [0], str(out_dir))


@pytest.fixture(scope='module')
def grid(tmp_path_factory):
    "A finished grid of two rows (zero-shot, H-PEFT) over one order, two tasks each; tests work on copies of it."
    d = tmp_path_factory.mktemp('grid') / 'g'
    quiet_compare(d)
    return d


def copy_of(grid, where):
    shutil.copytree(grid, where)
    return where


def last_of(stdout, row):
    "The Last column of a row of a Markdown table."
    line = next(x for x in stdout.splitlines() if x.startswith(f'| {row} |'))
    return line.split(' | ')[2].strip('*')


# 1. Grids that move
def test_a_copied_grid_shows_its_own_numbers(grid, tmp_path, capsys):
    copy = copy_of(grid, tmp_path / 'copy')
    res = copy / 'H-PEFT-order0' / 'results.json'
    d = json.loads(res.read_text())
    d['summary']['seen_acc'] = [99.0, 12.5]   # the copy's own numbers, unlike the original's
    res.write_text(json.dumps(d))
    rc, out, _ = run(capsys, 'table', copy)
    assert rc == 0 and last_of(out, 'H-PEFT') == '12.50', out
    rc, out, _ = run(capsys, 'table', grid)
    assert rc == 0 and last_of(out, 'H-PEFT') != '12.50', out
    assert all(c['config']['out_dir'] in ('zero-shot-order0', 'H-PEFT-order0')
               for c in json.loads((grid / 'sweep.json').read_text())['cells'])


def test_a_moved_grid_reads_its_runs_where_it_is(grid, tmp_path, capsys):
    moved = tmp_path / 'moved'
    quiet_compare(tmp_path / 'before')   # a grid of its own: after the move, nothing is left where it was
    shutil.move(tmp_path / 'before', moved)
    rc, out, _ = run(capsys, 'table', moved, '--strict')
    assert rc == 0 and 'Missing runs' not in out and '| H-PEFT |' in out, out


def test_an_older_grid_with_absolute_paths_is_read_where_it_is_now(grid, tmp_path, capsys):
    old = copy_of(grid, tmp_path / 'old')
    plan = json.loads((old / 'sweep.json').read_text())
    del plan['cell_paths']
    for c in plan['cells']: c['config']['out_dir'] = f"/elsewhere/runs/{c['config']['out_dir']}"   # as an older kit wrote it
    (old / 'sweep.json').write_text(json.dumps(plan))
    rc, out, err = run(capsys, 'table', old, '--strict')
    assert rc == 0 and 'Missing runs' not in out, out
    assert 'written by an older kit' in err and '/elsewhere/runs' in err, err


def test_a_cell_outside_the_grid_is_refused(grid, tmp_path, capsys):
    bad = copy_of(grid, tmp_path / 'bad')
    plan = json.loads((bad / 'sweep.json').read_text())
    plan['cells'][1]['config']['out_dir'] = '../other/H-PEFT-order0'
    (bad / 'sweep.json').write_text(json.dumps(plan))
    rc, _, err = run(capsys, 'table', bad)
    assert rc == 2 and "points to ../other/H-PEFT-order0, outside the grid's folder" in err and 'Fix:' in err, err


# 2. Damage named and mended
def test_resume_rewrites_a_cut_results_json(tmp_path, capsys):
    d = tmp_path / 'run'
    assert run(capsys, 'run', '--method', 'hpeft', *ARGS, '--out', d)[0] == 0
    whole = (d / 'results.json').read_text()
    (d / 'results.json').write_text(whole[:len(whole) // 2])
    rc, _, err = run(capsys, 'run', '--method', 'hpeft', *ARGS, '--out', d, '--resume')
    assert rc == 0, err
    assert 'results.json was damaged (not valid JSON, line' in err and 'rewritten from results.jsonl' in err, err
    assert json.loads((d / 'results.json').read_text()) == json.loads(whole)   # the file the run wrote, byte for value


def test_table_names_a_cut_log_line_and_sets_it_aside(grid, tmp_path, capsys):
    from seca_nb.tables import runs_frame
    g = copy_of(grid, tmp_path / 'g')
    log = g / 'H-PEFT-order0' / 'results.jsonl'
    lines = log.read_text().splitlines()
    log.write_text('\n'.join(lines[:-1] + [lines[-1][:50]]) + '\n')   # the last record cut
    rc, out, err = run(capsys, 'table', g, '--strict')
    assert rc == 0 and 'Missing runs' not in out, out
    assert f'line(s) [{len(lines)}] damaged' in err and 'set aside in results.jsonl.damaged' in err, err
    assert 'tasks [1] restored' in err, err
    _, again, _ = run(capsys, 'table', grid)
    assert last_of(out, 'H-PEFT') == last_of(again, 'H-PEFT')
    df = runs_frame(g / 'H-PEFT-order0')
    assert list(df['task']) == [0, 1]


def test_table_rewrites_a_cut_results_json_instead_of_calling_it_partial(grid, tmp_path, capsys):
    g = copy_of(grid, tmp_path / 'g')
    res = g / 'zero-shot-order0' / 'results.json'
    whole = res.read_text()
    res.write_text(whole[:100])
    rc, out, err = run(capsys, 'table', g, '--strict')
    assert rc == 0 and 'Missing runs' not in out and 'partial' not in out, out
    assert 'zero-shot-order0/results.json was damaged' in err, err
    assert json.loads(res.read_text()) == json.loads(whole)


def test_damage_with_no_other_copy_is_named_by_every_reader_and_the_fix_works(grid, tmp_path, capsys):
    from seca_nb.tables import runs_frame
    from seca_nb.learner import Learner
    g = copy_of(grid, tmp_path / 'g')
    cell = g / 'H-PEFT-order0'
    log = cell / 'results.jsonl'
    lines = log.read_text().splitlines()
    log.write_text('\n'.join(lines[:-1] + [lines[-1][:50]]) + '\n')
    (cell / 'ckpt' / 'task_01.eval.json').unlink()   # the evaluation it held stands nowhere else
    where = f'results.jsonl, line {len(lines)}: not a JSON record'
    rc, out, _ = run(capsys, 'table', g)
    assert rc == 0 and 'H-PEFT order 0: damaged' in out and where in out, out
    for read in (lambda: runs_frame(cell), lambda: Learner.from_run(cell)):
        with pytest.raises(ValueError, match='line'): read()
    rc, _, err = run(capsys, 'figures', cell)
    assert rc == 2 and where in err, err
    fix = out.split('Fix: ')[1]
    assert f'delete {cell} and run the grid\'s command again' in fix, fix
    shutil.rmtree(cell)   # the fix, as the message gives it
    quiet_compare(g)
    rc, out, _ = run(capsys, 'table', g, '--strict')
    assert rc == 0 and last_of(out, 'H-PEFT') == last_of(run(capsys, 'table', grid)[1], 'H-PEFT')


# 3. Images checked before anything is written
@pytest.fixture
def bad_folder(tmp_path):
    "A folder dataset of two classes whose files include a 0-byte .png and a text file named .jpg."
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    root = tmp_path / 'pets'
    for c in ('cat', 'dog'):
        (root / c).mkdir(parents=True)
        for k in range(4): Image.fromarray(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)).save(root / c / f'{k}.png')
    (root / 'cat' / 'empty.png').write_bytes(b'')
    (root / 'dog' / 'notes.jpg').write_text('not a picture')
    return root


def test_check_folder_lists_the_files_that_cannot_be_read(bad_folder, capsys):
    rc, out, _ = run(capsys, 'check', 'folder', bad_folder, '--init-cls', '1', '--increment', '1')
    assert rc == 1 and 'is ready' not in out, out
    assert 'cat/empty.png: empty (0 bytes)' in out and 'dog/notes.jpg: not an image' in out, out
    assert f'Fix: replace or delete these files' in out
    (bad_folder / 'cat' / 'empty.png').unlink()
    (bad_folder / 'dog' / 'notes.jpg').unlink()   # the fix, then the check again
    rc, out, _ = run(capsys, 'check', 'folder', bad_folder, '--init-cls', '1', '--increment', '1')
    assert rc == 0 and 'is ready' in out, out


def test_a_run_on_a_folder_with_a_bad_image_writes_nothing(bad_folder, tmp_path, capsys):
    out = tmp_path / 'run'
    rc, _, err = run(capsys, 'run', '--dataset', 'folder', '--data-root', bad_folder, '--model', 'tiny-vit',
                     '--method', 'zeroshot', '--init-cls', '1', '--increment', '1', '--out', out)
    assert rc == 2 and 'cat/empty.png: empty (0 bytes)' in err and 'Traceback' not in err, err
    assert not out.exists()


# 4. Config files read safely
BOMB = 'a: &a [x, x, x, x, x, x, x, x, x]\n' + ''.join(
    f'{k}: &{k} [{", ".join([f"*{j}"] * 9)}]\n' for j, k in zip('abcdefgh', 'bcdefghi')) + 'seed: *i\n'   # 9**9 values


def _limited(argv, tmp_path):
    "Run `seca_nb ARGV` in a process limited to 2 GiB more memory than its imports took; the seconds main() took."
    import subprocess, sys
    code = ("import resource, sys, time\n"
            "from seca_nb.cli import main\n"
            "vm = int(next(l for l in open('/proc/self/status') if l.startswith('VmSize')).split()[1]) * 1024\n"
            "resource.setrlimit(resource.RLIMIT_AS, (vm + 2**31, vm + 2**31))\n"
            "t = time.time(); rc = main(sys.argv[1:])\n"
            "print(f'main took {time.time() - t:.2f} s', flush=True); sys.exit(rc)\n")
    return subprocess.run([sys.executable, '-c', code, *map(str, argv)], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)


def test_a_yaml_bomb_is_refused_in_seconds_within_a_memory_limit(tmp_path):
    (tmp_path / 'bomb.yaml').write_text(BOMB)
    p = _limited(['run', '--config', 'bomb.yaml', '--out', 'never'], tmp_path)
    assert p.returncode == 2, p.stderr[-2000:]
    assert 'bomb.yaml, line 1: YAML anchors and aliases' in p.stderr and 'MemoryError' not in p.stderr, p.stderr
    assert float(p.stdout.split('main took ')[1].split()[0]) < 5, p.stdout
    assert not (tmp_path / 'never').exists()


def test_a_huge_value_is_cut_in_the_message(tmp_path, capsys):
    (tmp_path / 'big.json').write_text(json.dumps({'seed': list(range(5_000))}))
    rc, _, err = run(capsys, 'run', '--config', tmp_path / 'big.json', '--out', tmp_path / 'never')
    assert rc == 2 and 'seed must be a number >= 0, not [0, 1, 2, 3, 4, 5, 6, 7, ...]' in err, err[:2000]
    assert len(err) < 2000


@pytest.mark.parametrize('name,text', [('deep.yaml', 'seed: ' + '[' * 30000 + ']' * 30000),
                                       ('deep.json', '{"seed": ' + '[' * 30000 + ']' * 30000 + '}'),
                                       ('big.yaml', 'seed: 1\n' + '# padding\n' * 10000)])
def test_deep_or_large_config_files_are_refused_in_seconds(name, text, tmp_path, capsys):
    import time
    (tmp_path / name).write_text(text)
    t0 = time.time()
    rc, _, err = run(capsys, 'run', '--config', tmp_path / name, '--out', tmp_path / 'never')
    assert rc == 2 and time.time() - t0 < 5 and 'Traceback' not in err, err[-2000:]
    assert ('nested' in err) or ('bytes; a settings file is a few hundred' in err), err[-2000:]
    assert not (tmp_path / 'never').exists()


# 5. Limits a user would expect
@pytest.mark.parametrize('flag,message', [
    (('--set', 'epochs=1000000000'), 'epochs must be in [1, 10000] (got 1000000000)'),
    (('--batch-size', '100000000'), 'batch_size must be in [1, 65536] (got 100000000)'),
    (('--views-train', '5000'), 'views_train must be in [1, 1000] (got 5000)'),
    (('--pool-size', '100000'), 'pool_size must be in [1, 1000] (got 100000)'),
])
def test_absurd_values_are_refused_before_anything_is_written(flag, message, tmp_path, capsys):
    rc, _, err = run(capsys, 'run', '--model', 'tiny-vit', *flag, '--out', tmp_path / 'never')
    assert rc == 2 and message in err and 'Fix: set' in err, err
    assert not (tmp_path / 'never').exists()


def test_a_batch_larger_than_the_task_is_said_and_capped(tmp_path, capsys):
    common = ['run', '--method', 'hpeft', *ARGS, '--tasks', '1']
    rc, out, _ = run(capsys, *common, '--batch-size', '60000', '--out', tmp_path / 'big')
    assert rc == 0 and "batch_size 60000 is more than task 0's 150 training images" in out, out
    assert run(capsys, *common, '--batch-size', '150', '--out', tmp_path / 'whole')[0] == 0
    a, b = [json.loads((tmp_path / d / 'results.json').read_text())['summary'] for d in ('big', 'whole')]
    assert a['R'] == b['R']   # one batch of the whole task either way


# 6. SIGTERM as a cluster sends it
def _sigterm_args(out, *extra):
    import sys
    exe = str(Path(sys.executable).parent / 'seca_nb')
    return [exe, 'run', '--method', 'hpeft', *ARGS, '--epochs', '2', '--batch-size', '16', '--out', str(out), *extra]


def test_sigterm_mid_task_stops_after_the_step_and_resumes_to_the_same_matrix(tmp_path):
    import signal, subprocess, sys
    full = tmp_path / 'full'
    assert main(_sigterm_args(full)[1:]) == 0   # the uninterrupted run, in this process
    out = tmp_path / 'stopped'
    # the command, held in the middle of a step of task 1 until SIGTERM has come
    code = ("import sys, time; import seca_nb.cli as c\n"
            "class Hold(c.SaveHeatmap):\n"
            "    order = 5\n"
            "    def after_loss(self, l):\n"
            "        if l.t == 1 and l.step == 2:\n"
            "            print('holding', flush=True)\n"
            "            stop = next(x for x in l.callbacks if isinstance(x, c.StopOnSignal))\n"
            "            while not stop.signum: time.sleep(0.05)\n"
            "c.SaveHeatmap = Hold\n"
            f"sys.exit(c.main({_sigterm_args(out)[1:]!r}))")
    p = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert any(x.strip() == 'holding' for x in iter(p.stdout.readline, ''))
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None: p.kill()
    assert p.returncode == 143, err[-2000:]
    assert 'stopped by SIGTERM in task 1 after step 2 of epoch 0' in err, err[-2000:]
    assert 'tasks 0..0 are saved' in err and 'task 1 starts again from its beginning on resume' in err, err[-2000:]
    assert "lock is released; resume with `seca_nb run" in err and 'Traceback' not in err, err[-2000:]
    assert not (out / '.lock.json').exists()
    assert sorted(q.name for q in (out / 'ckpt').glob('*.pt')) == ['task_00.pt']
    again = err.split('resume with `seca_nb ')[1].split('`')[0].split()   # the command it printed
    ok = subprocess.run([_sigterm_args(out)[0], *again], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr[-2000:]
    a, b = [json.loads((d / 'results.json').read_text())['summary'] for d in (full, out)]
    assert a['tasks'] == b['tasks'] == 2 and a['R'] == b['R']


def test_sigterm_stops_a_local_grid_and_all_its_jobs(tmp_path):
    "A grid started in the background (SIGINT ignored, as `cmd &` does) and stopped with SIGTERM leaves no job running."
    import signal, subprocess, sys, time
    import psutil
    exe = str(Path(sys.executable).parent / 'seca_nb')
    out = tmp_path / 'g'
    p = subprocess.Popen([exe, 'compare', '--methods', 'hpeft,seca', '--orders', '0', *ARGS[:-2], '--epochs', '400',
                          '--out', str(out), '--launcher', 'local', '--jobs', '2'], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        deadline = time.time() + 120
        while len(list(out.glob('*/results.jsonl'))) < 2 and time.time() < deadline: time.sleep(0.5)
        tree = psutil.Process(p.pid).children(recursive=True)
        assert len(tree) >= 4, tree   # two jobs, each a process running the cell in a child
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None: p.kill()
    assert p.returncode == 143 and 'stopped by SIGTERM' in err and 'locks are released' in err, err[-2000:]
    time.sleep(1)
    alive = [q for q in tree if q.is_running() and q.status() != psutil.STATUS_ZOMBIE]
    assert not alive, alive
