"Experiments: the ablation table and the reproduction manifest."
import json
from seca_nb.experiments import ablation, reproduction_manifest, VARIANTS



def test_ablation_table(tmp_path):
    tb = ablation('emoji100-10s', [0, 1], str(tmp_path / 'ab'), ['zero-shot', 'SECA'], model='tiny-vit',
                  views_train=1, views_test=1, init_cls=50, increment=50, epochs=1)
    md = (tmp_path / 'ab' / 'table.md').read_text()
    assert '| SECA |' in md and '±' in md
    assert json.loads((tmp_path / 'ab' / 'table.json').read_text())['orders'] == [0, 1]
    assert len(tb['rows']['SECA']['runs']) == 2


def test_every_manifest_row_maps_to_a_variant():
    ids = [e['id'] for e in reproduction_manifest()]
    assert len(ids) == len(set(ids)) and 'ablation/cifar100-10s/SECA/last' in ids
    assert {'SECA', 'SECA++', 'H-PEFT', '+SG-AKT', '+SE-VPR'} <= set(VARIANTS)
