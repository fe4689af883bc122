"The `seca_nb` command in a subprocess, as a user types it, plugins included."
import json, shutil, subprocess, sys
from pathlib import Path
import torch
from seca_nb.data import make_imagefolder_fixture
from seca_nb.cli import main

NB = Path(__file__).resolve().parent.parent / 'nbs' / '18_howto_own_part.ipynb'



def plugin_source()->str:
    "The plugin file the notebook writes: its code cells that start with `# my_parts.py`, in order, without that line."
    cells = [''.join(c['source']) for c in json.loads(NB.read_text())['cells'] if c['cell_type'] == 'code']
    chunks = [s.split('\n', 1)[1] for s in cells if s.startswith('# my_parts.py')]
    assert chunks, f"no cell of {NB} starts with '# my_parts.py'"
    return '\n\n'.join(chunks) + '\n'


def test_check_command(tmp_path, capsys):
    make_imagefolder_fixture(tmp_path / 'ima', 'imagenet-a', per_class=2)
    assert main(['check', 'imagenet-a', str(tmp_path / 'ima')]) == 1
    out = capsys.readouterr().out
    assert 'found 400 images, expected 7500' in out
    assert 'kit split (test 20 %, seed 0): 200 train / 200 test' in out


def test_cli_run(tmp_path):
    exe = str(Path(sys.executable).parent / 'seca_nb')
    out = subprocess.run([exe, 'run', '--method', 'zeroshot', '--model', 'tiny-vit', '--views-train', '1', '--views-test', '1', '--init-cls', '50', '--increment', '25', '--out', str(tmp_path / 'c')],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert 'Last ' in out.stdout and 'Avg ' in out.stdout
    bad = subprocess.run([exe, 'run', '--method', 'zeroshot', '--model', 'tiny-vit', '--views-train', '1', '--views-test', '1', '--seed', '3', '--resume', '--init-cls', '50', '--increment', '25',
                          '--out', str(tmp_path / 'c')], capture_output=True, text=True)
    assert bad.returncode == 2 and 'another configuration' in bad.stderr


def test_cli_sgakt_run(tmp_path):
    exe = str(Path(sys.executable).parent / 'seca_nb')
    out = subprocess.run([exe, 'run', '--model', 'tiny-vit', '--method', 'sgakt', '--init-cls', '50', '--increment', '25',
                          '--views-train', '1', '--views-test', '1', '--epochs', '1', '--out', str(tmp_path / 's')], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert 'Last ' in out.stdout


def test_paper_setting_offline_stops_at_once(tmp_path, capsys):
    assert main(['ablation', '--preset', 'imagenet-r-10s', '--orders', '0', '--out', str(tmp_path / 'x')]) == 2
    err = capsys.readouterr().err
    assert 'data: imagenet-r needs its data folder and no data_root was given' in err and "model: Could not get the 'openai' weights" in err


def test_cli_runs_the_howto_plugin(tmp_path):
    plugin = tmp_path/'my_parts.py'
    plugin.write_text(plugin_source())
    seca = shutil.which('seca_nb', path=str(Path(sys.executable).parent)) or shutil.which('seca_nb')
    assert seca, 'the seca_nb console script is not installed (pip install -e .)'
    out = tmp_path/'run'
    # from the folder that holds my_parts.py, by module name; SECA is the default method
    r = subprocess.run([seca, 'run', '--plugin', 'my_parts', '--set', 'teacher=ema', '--classifier', 'nearest_mean',
                        '--set', 'ema.decay=0.9', '--model', 'tiny-vit', '--views-train', '1', '--views-test', '1',
                        '--init-cls', '50', '--increment', '25', '--set', 'epochs=1', '--tasks', '2', '--out', 'run'],
                       capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert json.loads((out/'results.json').read_text())['provenance']['config']['method'] == 'seca'
    bad = subprocess.run([seca, 'run', '--plugin', 'my_parts', '--method', 'zeroshot', '--set', 'teacher=ema', '--out', 'never'],
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert bad.returncode == 2 and "teacher 'ema' needs adapters" in bad.stderr and 'parts that provide it: backbone hpeft' in bad.stderr, bad.stderr
    assert not (tmp_path/'never').exists()
    res = json.loads((out/'results.json').read_text())
    assert res['provenance']['config']['decay'] == 0.9
    assert res['provenance']['method_parts'] == {'backbone': 'hpeft', 'teacher': 'ema', 'classifier': 'nearest_mean', 'extras': []}
    assert res['summary']['tasks'] == 2
    ck = torch.load(out/'ckpt'/'task_01.pt', weights_only=True)
    assert list(ck['method_state']['teacher']) == ['ema'] and list(ck['method_state']['classifier']) == ['means']


def test_parts_that_do_not_fit_or_settings_no_part_reads(tmp_path, capsys):
    for argv, want in ((['--method', 'zeroshot', '--teacher', 'sgakt'], "teacher 'sgakt' needs adapters"),
                       (['--method', 'rapf', '--classifier', 'text'], "classifier 'text' needs task_prompts"),
                       (['--method', 'vpt_nsp', '--teacher', 'clip'], "teacher 'clip' needs task_prompts"),
                       (['--method', 'seca', '--set', 'extras=rapf'], "extra 'rapf' needs linear_layer"),
                       (['--teacher', 'clip', '--pool-size', '3'], '--pool-size does not apply: no part of seca (backbone hpeft, teacher clip, '
                                                                     'classifier fused) reads distill.pool_size (read by teacher last, teacher pool_avg, teacher sgakt)')):
        assert main(['run', '--model', 'tiny-vit', *argv, '--out', str(tmp_path/'never')]) == 2
        err = capsys.readouterr().err
        assert want in err, err
        assert not (tmp_path/'never').exists()
