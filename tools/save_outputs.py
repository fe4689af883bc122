"""Run notebooks top to bottom, slow cells included, and save their outputs in place: `python tools/save_outputs.py NB...`.

For pages whose heavy cells (`#| slow`) the test suite and the site build skip: the site shows the outputs saved here.
`--fast` runs every cell but the slow ones and keeps the slow cells' saved outputs (a page whose quick cells changed,
e.g. tables rendered from shipped results, without its minutes of training).
Outputs are saved as the site shows them (`build_site.PLOTLY_SETUP`, `build_site.is_noise`)."""
import os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
sys.path.insert(0, str(Path(__file__).parent))
from build_site import PLOTLY_SETUP, is_noise

def is_slow(cell)->bool: return cell.cell_type == 'code' and cell.source.lstrip().startswith('#| slow')

def save_outputs(path:Path, fast:bool=False)->float:
    t0 = time.time()
    nb = read_nb(path)
    k = CaptureShell(path)
    k.run(PLOTLY_SETUP)
    skip = (lambda c: c.cell_type != 'code' or is_slow(c)) if fast else (lambda c: False)
    with working_directory(path.parent): k.run_all(nb, exc_stop=True, preproc=skip)
    for c in nb.cells:
        if c.cell_type == 'code': c['outputs'] = [o for o in c.get('outputs', []) if not is_noise(o)]
    write_nb(nb, path)
    return time.time() - t0

if __name__ == '__main__':
    os.environ.setdefault('IN_TEST', '1')
    fast = '--fast' in sys.argv
    for p in [a for a in sys.argv[1:] if a != '--fast']:
        print(f"{p}: ran in {save_outputs(Path(p).resolve(), fast):.0f} s, outputs saved" + (" (slow cells kept)" if fast else ''))
