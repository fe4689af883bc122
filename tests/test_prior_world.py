"The world in CLIP's regime: the 'embedded-prior' stand-in, its stream without the prior's style, and drift in tables."
import json
import numpy as np
from seca_nb.cli import main
from seca_nb.presets import preset_config
from seca_nb.data import get_benchmark


def run(capsys, *argv):
    rc = main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_prior_world_keeps_the_prior_style_out():
    cfg = preset_config('emoji100-prior-10s')
    b = get_benchmark(cfg.dataset, views_train=1, views_test=1, prior_styles=cfg.prior_styles)
    assert b.info['train_styles'] == ['openmoji', 'fluent'] and b.info['test_style'] == 'twemoji'
    v = get_benchmark(cfg.dataset, views_train=1, views_test=1, prior_styles=cfg.prior_styles, split='val')
    assert v.info['train_styles'] == ['openmoji'] and v.info['test_style'] == 'fluent'


def test_prior_model_on_a_stream_with_its_style_is_refused_before_writing(capsys, tmp_path):
    out = tmp_path / 'run'
    rc, _, err = run(capsys, 'run', '--preset', 'emoji100-prior-10s', '--set', 'prior_styles=', '--method', 'zeroshot',
                     '--out', out)
    assert rc != 0 and 'Fix: --set prior_styles=noto' in err, err
    assert not out.exists()
    # the fix it names, as typed
    rc, _, err = run(capsys, 'run', '--model', 'embedded-prior', '--set', 'prior_styles=noto', '--method', 'zeroshot',
                     '--init-cls', '50', '--increment', '50', '--views-test', '1', '--out', out)
    assert rc == 0, err


def test_prior_world_zero_shot_and_its_drift_columns(capsys, tmp_path):
    "Zero-shot in the prior world: far above chance on the held-out style; a frozen method's features never move."
    out = tmp_path / 'g'
    rc, stdout, _ = run(capsys, 'compare', '--preset', 'emoji100-prior-10s', '--methods', 'zeroshot', '--orders', '0',
                        '--views-test', '2', '--init-cls', '50', '--increment', '50', '--out', out)
    assert rc == 0
    table = json.loads((out / 'table.json').read_text())
    row = table['rows']['zeroshot']
    assert row['last_mean'] > 20, row   # chance is 1 %
    assert np.isclose(row['cos_own_mean'], 1) and np.isclose(row['drift_cost_mean'], 0), row
    assert '| 1.000 / 1.000 |' in stdout
