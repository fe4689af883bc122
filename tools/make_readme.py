#!/usr/bin/env python3
"""Write README.md from nbs/index.ipynb without Quarto: markdown cells as they are, code cells
as fenced Python, cells marked `#| hide` left out. `--check` exits 1 if README.md is out of date."""
import json, sys
from pathlib import Path

def render(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text())
    out = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        lines = src.split('\n')
        if any(l.strip().startswith('#|') and 'hide' in l for l in lines): continue
        body = '\n'.join(l for l in lines if not l.strip().startswith('#|')).strip('\n')
        if not body.strip(): continue
        out.append(body if c['cell_type'] == 'markdown' else f"```python\n{body}\n```")
    return ('<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n'
            + '\n\n'.join(out) + '\n')

if __name__ == '__main__':
    root = Path(__file__).resolve().parent.parent
    text = render(root / 'nbs' / 'index.ipynb')
    if '--check' in sys.argv:
        if (root / 'README.md').read_text() != text:
            print('FAIL: README.md is out of date with nbs/index.ipynb (run `make readme` and commit)'); sys.exit(1)
        print('== README.md matches nbs/index.ipynb')
    else:
        (root / 'README.md').write_text(text)
