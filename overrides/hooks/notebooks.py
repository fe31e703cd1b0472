"""Build hook: turn the Guide's tested example scripts into downloadable Jupyter notebooks.

Each script in ``NOTEBOOKS`` (under ``pysrc/examples/``) becomes ``notebooks/<stem>.ipynb`` at build
time: its module docstring a Markdown cell, then one code cell per block separated by a line
``# %%`` (the "percent" cell format). The notebook's code is therefore exactly the tested
script; ``tests/unit/test_guide_demos.py`` checks that and runs each script.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "pysrc" / "examples"
NOTEBOOKS = ("guide_end_to_end.py", "guide_dp_release.py")


def cells_of(source: str) -> list[tuple[str, str]]:
    """(kind, text) cells of a percent-format script: the docstring as Markdown, then code blocks."""
    doc = ast.get_docstring(ast.parse(source)) or ""
    body = source
    if doc:
        tree = ast.parse(source)
        body = "\n".join(source.splitlines()[tree.body[0].end_lineno:])
    cells = [("markdown", doc)] if doc else []
    for block in body.split("# %%"):
        block = block.strip("\n")
        if block.strip():
            cells.append(("code", block))
    return cells


def notebook(source: str) -> dict:
    """An nbformat 4.5 notebook (as a dict) with the cells of ``source``."""
    cells = []
    for i, (kind, text) in enumerate(cells_of(source)):
        cell = {"cell_type": kind, "id": f"cell-{i}", "metadata": {}, "source": text.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    meta = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"}}
    return {"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}


def notebook_bytes(name: str) -> bytes:
    return (json.dumps(notebook((EXAMPLES / name).read_text(encoding="utf-8")), indent=1, ensure_ascii=False)
            + "\n").encode("utf-8")


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File

    for name in NOTEBOOKS:
        files.append(File.generated(config, f"notebooks/{Path(name).stem}.ipynb", content=notebook_bytes(name)))
    return files
