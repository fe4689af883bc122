"""Lines over 120 characters in the package, except the two that nbdev writes itself: the module docstring (the
notebook's summary) and `__all__` (wrapped at 120 after `__all__ = `). Exit 1 naming each other one."""
import ast, sys
from pathlib import Path

MAX = 120


def generated_lines(src:str)->set[int]:
    "Line numbers (1-based) of the module docstring and of the `__all__` assignment."
    tree = ast.parse(src)
    out = set()
    for node in tree.body[:1] + [n for n in tree.body if isinstance(n, ast.Assign)]:
        is_doc = isinstance(node, ast.Expr) and isinstance(getattr(node, 'value', None), ast.Constant)
        is_all = isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == '__all__' for t in node.targets)
        if is_doc or is_all: out |= set(range(node.lineno, node.end_lineno + 1))
    return out


def long_lines(path:Path)->list[str]:
    src = path.read_text()
    skip = generated_lines(src)
    return [f"{path}:{i}: {len(line)} > {MAX} characters" for i, line in enumerate(src.split('\n'), 1)
            if len(line) > MAX and i not in skip]


if __name__ == '__main__':
    bad = [m for p in sorted(Path(sys.argv[1] if len(sys.argv) > 1 else 'seca_nb').glob('*.py'))
           if p.name != '_modidx.py' for m in long_lines(p)]
    print('\n'.join(bad) or f"== package lines: none over {MAX} characters (nbdev's docstrings and __all__ aside)")
    sys.exit(1 if bad else 0)
