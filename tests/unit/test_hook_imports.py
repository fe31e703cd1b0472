"""The build hooks (overrides/hooks) import each other without a cycle: what the block kinds
share is in blocks.py, which imports none of them; demoblocks dispatches to trainblocks."""

from __future__ import annotations

import ast
from pathlib import Path

HOOKS = Path(__file__).resolve().parents[2] / "overrides" / "hooks"
MODULES = {p.stem: p for p in HOOKS.glob("*.py")}


def hook_imports(name: str) -> set[str]:
    """The hook modules ``name`` imports (``import x`` and ``from x import ...``, at any depth)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found & set(MODULES)


def cycles() -> list[list[str]]:
    """Every import cycle among the hook modules, each as the path that closes it."""
    out, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            out.append(path[path.index(name):] + [name])
            return
        if name in done:
            return
        for other in sorted(hook_imports(name)):
            visit(other, path + [name])
        done.add(name)

    for name in sorted(MODULES):
        visit(name, [])
    return out


def test_the_scanner_sees_the_hooks_imports():
    assert {"blocks", "trainblocks"} <= hook_imports("demoblocks")
    assert hook_imports("blocks") == set()
    assert {"demoblocks", "exerciseblocks"} <= hook_imports("synthlab")


def test_no_import_cycle_between_the_hooks():
    assert cycles() == []
