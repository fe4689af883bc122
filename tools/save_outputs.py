"""Run notebooks top to bottom, slow cells included, and save their outputs in place: `python tools/save_outputs.py NB...`.

For pages whose heavy cells (`#| slow`) the test suite and the site build skip: the site shows the outputs saved here.
Plotly figures are saved as their JSON (JupyterLab and the site draw them), not as 4.8 MB of inlined plotly.js."""
import os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

def save_outputs(path:Path)->float:
    t0 = time.time()
    nb = read_nb(path)
    k = CaptureShell(path)
    k.run("import plotly.io as _pio; _pio.renderers.default = 'plotly_mimetype'")
    with working_directory(path.parent): k.run_all(nb, exc_stop=True)
    for c in nb.cells:   # progress bars are noise in a saved page
        if c.cell_type == 'code':
            c['outputs'] = [o for o in c.get('outputs', []) if not (o.get('output_type') == 'stream' and o.get('name') == 'stderr' and '%|' in ''.join(o.get('text', '')))
                            and not (o.get('output_type') == 'execute_result' and not o.get('data'))]   # a figure's empty result
    write_nb(nb, path)
    return time.time() - t0

if __name__ == '__main__':
    os.environ.setdefault('IN_TEST', '1')
    for p in sys.argv[1:]: print(f"{p}: ran in {save_outputs(Path(p).resolve()):.0f} s, outputs saved")
