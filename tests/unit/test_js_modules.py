"""The browser runtime's module graph: the entry (runtime.mjs) is never imported back by what it
loads, page-specific code is imported only where it is needed, and the control reader that demos
and training widgets share (core/form.mjs) turns a form into the Python function's parameters."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "docs" / "assets" / "synthlab"
ENTRY = JS / "runtime.mjs"
IMPORT = re.compile(r"""(?:^\s*import\s[^;]*?\sfrom\s*|\bimport\s*\(\s*)["'](\.{1,2}/[^"']+)["']""", re.M)


def imports(path: Path) -> set[Path]:
    """The site modules ``path`` imports, statically or with ``import()`` (relative paths only)."""
    text = path.read_text(encoding="utf-8")
    return {(path.parent / spec).resolve() for spec in IMPORT.findall(text)}


def reachable(start: Path) -> set[Path]:
    """Every module ``start`` loads, directly or through others."""
    seen: set[Path] = set()
    todo = [start]
    while todo:
        for found in imports(todo.pop()):
            if found not in seen:
                seen.add(found)
                todo.append(found)
    return seen


def test_the_import_scanner_sees_static_and_dynamic_imports():
    found = {p.relative_to(JS).as_posix() for p in imports(ENTRY)}
    assert {"core/runtime-instance.mjs", "widgets/demo.mjs", "stream.mjs", "generator/index.mjs"} <= found


def test_nothing_the_entry_loads_imports_it_back():
    loaded = reachable(ENTRY.resolve())
    assert len(loaded) > 15
    back = sorted(p.relative_to(JS).as_posix() for p in loaded if ENTRY.resolve() in imports(p))
    assert back == []


def test_exercise_code_is_loaded_only_where_needed():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert config["extra_javascript"] == ["assets/synthlab/runtime.mjs"]
    entry = ENTRY.read_text(encoding="utf-8")
    assert 'import("./exercise.mjs")' in entry
    assert not re.search(r"""^\s*import\s[^;]*from\s*["']\./exercise\.mjs["']""", entry, re.M)


def read_params(fields: list[dict]) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    done = subprocess.run([node, str(ROOT / "tests" / "unit" / "js" / "read_params.mjs"), (JS / "core" / "form.mjs").as_uri()],
                          input=json.dumps(fields), capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def test_read_params_types_each_control():
    params = read_params([
        {"type": "range", "name": "n", "value": "1500"},
        {"type": "number", "name": "seed", "value": ""},
        {"type": "number", "name": "eps", "value": "0.5"},
        {"type": "select", "name": "method", "value": "kde"},
        {"type": "checkbox", "name": "dp", "value": "on", "checked": False},
    ])
    assert params == {"n": 1500, "seed": None, "eps": 0.5, "method": "kde", "dp": False}
