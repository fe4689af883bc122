"The notebooks read like nbdev's: one definition per exported cell, small cells."
import json, statistics
from pathlib import Path

NBS = Path(__file__).resolve().parent.parent/'nbs'


def exported_cells():
    "(characters, notebook, cell index, first line) of every exported code cell but the imports."
    out = []
    for f in sorted(NBS.glob('*.ipynb')):
        for i, c in enumerate(json.loads(f.read_text())['cells']):
            src = ''.join(c['source'])
            if c['cell_type'] == 'code' and src.startswith('#| export') and '\nfrom __future__' not in src[:40]:
                out.append((len(src), f.name, i, src.split('\n')[1][:50] if '\n' in src else ''))
    return out


def test_exported_cells_are_small():
    "Median exported cell at most 600 characters, none over 3,000 (fastcore's median is about 250)."
    cells = exported_cells()
    assert len(cells) > 300
    med = statistics.median(c[0] for c in cells)
    big = [c for c in cells if c[0] > 3000]
    assert med <= 600, f"median exported cell {med} characters (at most 600): split the largest, {sorted(cells)[-3:]}"
    assert not big, f"cells over 3,000 characters: {big}. Fix: one definition per cell; @patch long methods out"


def test_one_definition_per_exported_cell():
    "Each exported cell defines at most one function or class (a class keeps its short methods)."
    import ast
    many = []
    for f in sorted(NBS.glob('*.ipynb')):
        for i, c in enumerate(json.loads(f.read_text())['cells']):
            src = ''.join(c['source'])
            if c['cell_type'] != 'code' or not src.startswith('#| export'): continue
            kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            defs = [n.name for n in ast.parse(src).body if isinstance(n, kinds)]
            if len(defs) > 1: many.append((f.name, i, defs))
    assert not many, f"exported cells with several definitions: {many[:5]}. Fix: one per cell, then its prose and test"
