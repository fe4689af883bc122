"The notebooks read like nbdev's: one definition per exported cell, small cells."
import ast, json, statistics
from pathlib import Path

NBS = Path(__file__).resolve().parent.parent/'nbs'


def exported_cells():
    "(notebook, cell index, source) of every exported code cell."
    for f in sorted(NBS.glob('*.ipynb')):
        for i, c in enumerate(json.loads(f.read_text())['cells']):
            src = ''.join(c['source'])
            if c['cell_type'] == 'code' and src.startswith('#| export'): yield f.name, i, src


def test_exported_cells_are_small():
    "Median exported cell at most 600 characters, none over 3,000 (fastcore's median is about 250); imports aside."
    cells = [(len(s), f, i) for f, i, s in exported_cells() if '\nfrom __future__' not in s[:40]]
    assert len(cells) > 300
    med = statistics.median(c[0] for c in cells)
    big = [c for c in cells if c[0] > 3000]
    assert med <= 600, f"median exported cell {med} characters (at most 600): split the largest, {sorted(cells)[-3:]}"
    assert not big, f"cells over 3,000 characters: {big}. Fix: one definition per cell; @patch long methods out"


def test_one_definition_per_exported_cell():
    "Each exported cell defines at most one function or class (a class keeps its short methods)."
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    defs = [(f, i, [n.name for n in ast.parse(s).body if isinstance(n, kinds)]) for f, i, s in exported_cells()]
    many = [d for d in defs if len(d[2]) > 1]
    assert not many, f"exported cells with several definitions: {many[:5]}. Fix: one per cell, then its prose and test"


def test_imports_have_cells_of_their_own():
    "The site runs a module notebook's exports and imports only: a test cell that also imports would run there alone."
    bad = []
    for f in sorted(NBS.glob('*.ipynb')):
        cells = json.loads(f.read_text())['cells']
        if not any(''.join(c['source']).startswith('#| default_exp') for c in cells): continue
        for i, c in enumerate(cells):
            src = ''.join(c['source'])
            if c['cell_type'] != 'code' or src.startswith('#| export'): continue
            body = ast.parse(src).body
            imps = [n for n in body if isinstance(n, (ast.Import, ast.ImportFrom))]
            if imps and len(imps) < len(body): bad.append((f.name, i))
    assert not bad, f"test cells that import and do more: {bad[:5]}. Fix: put the imports in a cell of their own"
