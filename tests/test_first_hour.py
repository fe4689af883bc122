"What a new user meets in their first hour: flags that do not apply, resuming nothing, resized weights, errors that name the file, quiet widgets, static figures, random weights for any open_clip name."
import json, subprocess, sys, warnings
from pathlib import Path
import pytest
import torch
from seca_nb.cli import main
from seca_nb.models import create_clip

TINY = ['--method', 'zeroshot', '--model', 'tiny-vit', '--views-train', '1', '--views-test', '1']


def run_cli(capsys, argv):
    rc = main(argv)
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_data_root_for_a_bundled_benchmark_is_refused(tmp_path, capsys):
    rc, out, err = run_cli(capsys, ['run', '--method', 'zeroshot', '--data-root', '/nonexistent', '--tasks', '1', '--out', str(tmp_path / 'r')])
    assert rc == 2
    assert '--data-root does not apply: emoji100 ships with the kit and reads no data folder.' in err
    assert 'Fix: drop --data-root' in err
    assert not (tmp_path / 'r').exists()


def test_resume_with_nothing_to_resume_says_so(tmp_path, capsys):
    rc, out, err = run_cli(capsys, ['run', *TINY, '--resume', '--tasks', '1', '--out', str(tmp_path / 'r')])
    assert rc == 0, err
    assert f"resume: {tmp_path / 'r'} holds no run yet (no results.jsonl, no checkpoint), so a new run starts there." in out


def test_zero_shot_note_names_the_random_model(tmp_path, capsys):
    rc, out, err = run_cli(capsys, ['run', *TINY, '--tasks', '1', '--out', str(tmp_path / 'r')])
    assert rc == 0, err
    assert '(tiny-vit has random, untrained weights: chance level is expected)' in out
    assert 'embedded stand-in' not in out


def test_broken_results_line_names_file_and_line(tmp_path, capsys):
    rc, _, err = run_cli(capsys, ['run', *TINY, '--tasks', '1', '--out', str(tmp_path / 'r')])
    assert rc == 0, err
    log = tmp_path / 'r' / 'results.jsonl'
    lines = log.read_text().splitlines()
    lines[1] = lines[1][:40] + ' oops ' + lines[1][40:]
    log.write_text('\n'.join(lines) + '\n')
    # task 0's evaluation is also kept beside its checkpoint: the line is set aside, named, and the run goes on
    rc, _, err = run_cli(capsys, ['run', *TINY, '--tasks', '2', '--resume', '--out', str(tmp_path / 'r')])
    assert rc == 0, err
    assert f"{log}: line(s) [2] damaged (not a JSON record" in err and 'tasks [0] restored' in err, err
    # damaged again with no other copy of that evaluation: refused, named with its line and the fix
    lines = log.read_text().splitlines()
    i = next(k for k, x in enumerate(lines) if '"kind": "task", "task": 0' in x)
    lines[i] = lines[i][:40]
    log.write_text('\n'.join(lines) + '\n')
    (tmp_path / 'r' / 'ckpt' / 'task_00.eval.json').unlink()
    rc, _, err = run_cli(capsys, ['run', *TINY, '--tasks', '3', '--resume', '--out', str(tmp_path / 'r')])
    assert rc == 2
    assert f"{log}, line {i + 1}: not a JSON record" in err and 'Fix: put results.jsonl back from a copy' in err, err


def test_resized_weights_are_reported(tmp_path, capsys):
    torch.save(create_clip('tiny-vit', image_size=64).model.state_dict(), tmp_path / 'w64.pt')
    with pytest.warns(UserWarning, match=r'resized to fit the model: visual.positional_embedding 8×8 patches → 4×4 patches'):
        b = create_clip('tiny-vit', weights=str(tmp_path / 'w64.pt'))
    assert b.info['resized'] == ['visual.positional_embedding 8×8 patches → 4×4 patches']
    with warnings.catch_warnings():
        warnings.simplefilter('error')   # at the size it was saved at: nothing to report
        assert 'resized' not in create_clip('tiny-vit', image_size=64, weights=str(tmp_path / 'w64.pt')).info


def test_random_tag_runs_an_open_clip_architecture_offline(tmp_path, capsys):
    rc, out, err = run_cli(capsys, ['run', '--method', 'zeroshot', '--model', 'ViT-S-32', '--pretrained', 'random', '--views-train', '1', '--views-test', '1',
                                    '--tasks', '1', '--out', str(tmp_path / 'r')])
    assert rc == 0, err
    assert 'model: ViT-S-32 (random weights, seed 0): untrained, NOT CLIP' in out
    assert '(ViT-S-32 has random, untrained weights: chance level is expected)' in out
    prov = json.loads((tmp_path / 'r' / 'results.jsonl').read_text().splitlines()[0])
    assert prov['model']['pretrained'] == 'random' and prov['model']['untrained'] is True


def test_widgets_are_quiet_in_a_script(tmp_path):
    rc = main(['run', '--model', 'tiny-vit', '--method', 'seca', '--views-train', '1', '--views-test', '1', '--init-cls', '50',
               '--increment', '25', '--epochs', '1', '--tasks', '2', '--out', str(tmp_path / 'r')])
    assert rc == 0
    script = f"""
from seca_nb.widgets import TaskStepper, DriftViews, RelevanceExplorer, StepperState
from seca_nb.learner import Learner
l = Learner.from_run({str(tmp_path / 'r')!r})
ts = TaskStepper(l); DriftViews(ts); RelevanceExplorer(l)
assert set(StepperState(l).figures(1)) >= {{'accuracy', 'old_new', 'losses'}}
"""
    r = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout == '', r.stdout[:500]   # nothing printed: no figure reprs
    assert 'Figure' not in r.stderr and 'VBox' not in r.stderr, r.stderr[:500]


def test_figures_export_offline_and_share_plotly_js(tmp_path, capsys):
    assert main(['run', *TINY, '--tasks', '2', '--out', str(tmp_path / 'r')]) == 0
    for fmt, magic in (('png', b'\x89PNG'), ('svg', b'<?xml'), ('pdf', b'%PDF')):
        assert main(['figures', str(tmp_path / 'r'), '--format', fmt]) == 0
        files = sorted((tmp_path / 'r' / 'figures').glob(f'*.{fmt}'))
        names = [f.name for f in files]
        assert {f'accuracy.{fmt}', f'old_new_task00.{fmt}', f'feature_drift.{fmt}'} <= set(names), names
        assert all(f.read_bytes()[:len(magic)] == magic for f in files)
    assert main(['figures', str(tmp_path / 'r'), '--format', 'html']) == 0
    pages = list((tmp_path / 'r' / 'figures').glob('*.html'))
    assert len(pages) == 5 and all(p.stat().st_size < 50_000 for p in pages)   # with the two drift figures
    assert len(list((tmp_path / 'r' / 'figures').glob('*.js'))) == 1
