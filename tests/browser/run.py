"""Real-browser tests: `python tests/browser/run.py lab` (the tutorial in JupyterLab) and `... site` (the built docs site).

Each starts what it needs on 127.0.0.1, drives Debian's chromium with playwright-core (npm, `tests/browser/`), saves
screenshots under `runs/browser/<name>/`, stops the server by its PID, and prints the wall times."""
import argparse, json, os, secrets, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent

def free_port()->int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def wait_http(url:str, proc, timeout:float=120)->None:
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None: sys.exit(f"FAIL: the server exited with code {proc.returncode} before answering {url}")
        try: urllib.request.urlopen(url, timeout=2); return
        except Exception: time.sleep(0.5)
    sys.exit(f"FAIL: no answer from {url} after {timeout:.0f} s")

def stop(proc)->None:
    "Stop the server and everything it started (its kernels) by its PID's process group."
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try: proc.wait(20)
        except subprocess.TimeoutExpired: os.killpg(proc.pid, signal.SIGKILL); proc.wait()

def node(script:str, *args)->dict:
    if not (HERE/'node_modules'/'playwright-core').exists(): sys.exit("FAIL: playwright-core missing: run `npm ci` in tests/browser (make test-browser does)")
    r = subprocess.run(['node', str(HERE/script), *map(str, args)], capture_output=True, text=True)
    sys.stderr.write(r.stderr)
    if r.returncode: sys.exit(f"FAIL: {script} exited with {r.returncode}")
    return json.loads(r.stdout.strip().splitlines()[-1])

def lab(out:Path)->dict:
    "Open the tutorial in JupyterLab, run all cells, click 'Train next task', check the plots."
    tmp = Path(tempfile.mkdtemp(prefix='seca_lab_'))
    (tmp/'nb').mkdir()
    shutil.copy(ROOT/'nbs'/'14_tutorial_stepping.ipynb', tmp/'nb'/'tutorial.ipynb')  # never let the server save into nbs/
    settings = tmp/'settings'
    for ext, val in {'@jupyterlab/notebook-extension/tracker.jupyterlab-settings': {'windowingMode': 'none'},
                     '@jupyterlab/apputils-extension/notification.jupyterlab-settings': {'fetchNews': 'false', 'checkForUpdates': False}}.items():
        (settings/ext).parent.mkdir(parents=True, exist_ok=True); (settings/ext).write_text(json.dumps(val))
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(tmp/'config'), 'JUPYTER_RUNTIME_DIR': str(tmp/'runtime'), 'PYTHONDONTWRITEBYTECODE': '1'}
    t0 = time.time()
    proc = subprocess.Popen([str(BIN/'jupyter'), 'lab', '--no-browser', '--ip', '127.0.0.1', f'--port={port}', f'--IdentityProvider.token={token}',
                             '--allow-root', f'--ServerApp.root_dir={tmp/"nb"}', f'--LabApp.user_settings_dir={settings}',
                             f'--LabApp.workspaces_dir={tmp/"workspaces"}'], cwd=tmp/'nb', env=env, start_new_session=True,
                            stdout=open(tmp/'server.log', 'w'), stderr=subprocess.STDOUT)
    print(f"== JupyterLab PID {proc.pid} on 127.0.0.1:{port} (log {tmp/'server.log'})")
    try:
        wait_http(f'http://127.0.0.1:{port}/api/status?token={token}', proc)
        res = node('lab.mjs', f'http://127.0.0.1:{port}/lab/tree/tutorial.ipynb?token={token}', out)
    finally: stop(proc)
    res['wall_s'] = round(time.time() - t0, 1)
    shutil.rmtree(tmp, ignore_errors=True)
    return res

def site(out:Path)->dict:
    "Serve the built site on 127.0.0.1 and check it in the browser."
    root = ROOT/'_site'
    if not (root/'index.html').exists(): sys.exit("FAIL: no built site in _site/: run `make docs` first")
    port, t0 = free_port(), time.time()
    proc = subprocess.Popen([sys.executable, '-m', 'http.server', str(port), '--bind', '127.0.0.1', '--directory', str(root)],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"== site server PID {proc.pid} on 127.0.0.1:{port}")
    try:
        wait_http(f'http://127.0.0.1:{port}/index.html', proc, 30)
        res = node('site.mjs', f'http://127.0.0.1:{port}/', out)
    finally: stop(proc)
    res['wall_s'] = round(time.time() - t0, 1)
    return res

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('what', nargs='+', choices=['lab', 'site'])
    p.add_argument('--out', type=Path, default=ROOT/'runs'/'browser')
    a = p.parse_args()
    for w in a.what:
        out = a.out/w; shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
        res = globals()[w](out)
        (out/'result.json').write_text(json.dumps(res, indent=1))
        print(f"== browser test '{w}' passed in {res['wall_s']} s: {json.dumps(res)}; screenshots in {out}")

if __name__ == '__main__': main()
