"""Run notebooks top to bottom, slow cells included, and save their outputs in place: `python tools/save_outputs.py NB...`.

For pages whose heavy cells (`#| slow`) the test suite and the site build skip: the site shows the outputs saved here.
Outputs are saved as the site shows them (`build_site.PLOTLY_SETUP`, `build_site.is_noise`)."""
import os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
sys.path.insert(0, str(Path(__file__).parent))
from build_site import PLOTLY_SETUP, is_noise

def save_outputs(path:Path)->float:
    t0 = time.time()
    nb = read_nb(path)
    k = CaptureShell(path)
    k.run(PLOTLY_SETUP)
    with working_directory(path.parent): k.run_all(nb, exc_stop=True)
    for c in nb.cells:
        if c.cell_type == 'code': c['outputs'] = [o for o in c.get('outputs', []) if not is_noise(o)]
    write_nb(nb, path)
    return time.time() - t0

if __name__ == '__main__':
    os.environ.setdefault('IN_TEST', '1')
    for p in sys.argv[1:]: print(f"{p}: ran in {save_outputs(Path(p).resolve()):.0f} s, outputs saved")
