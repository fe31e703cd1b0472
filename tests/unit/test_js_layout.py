"""The site's JavaScript keeps the shape issue 9 asked for: small functions, one store, one
file:// guard, the Generator's code loaded only on its page, stage ids (not sentences)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "docs" / "assets" / "synthlab"
SOURCES = sorted(JS.rglob("*.mjs")) + sorted(JS.glob("*.js"))
START = re.compile(r"^(\s*)(export\s+)?(async\s+)?(function\b|\w+\s*\([^)]*\)\s*\{$|(const|let)\s+\w+\s*=\s*(async\s*)?\(.*\)\s*=>\s*\{$)")


def function_lengths(path: Path) -> list[tuple[str, int]]:
    """(first line, length) of each function that starts a line and closes at its indentation."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for i, line in enumerate(lines):
        m = START.match(line)
        if not m or not line.rstrip().endswith("{"):
            continue
        indent = m.group(1)
        for j in range(i + 1, len(lines)):
            if lines[j].startswith(indent + "}") and not lines[j].startswith(indent + " "):
                out.append((line.strip(), j - i + 1))
                break
    return out


def test_sources_found():
    names = {p.name for p in SOURCES}
    assert {"runtime.mjs", "worker.js", "index.mjs", "client.mjs"} <= names


def test_no_function_over_100_lines():
    long = [(p.relative_to(JS).as_posix(), head, n) for p in SOURCES for head, n in function_lengths(p) if n > 100]
    assert long == []
    assert max(n for p in SOURCES for _, n in function_lengths(p)) > 10   # the scanner does find functions


def test_one_store_and_one_file_guard():
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(JS).as_posix()
        if rel != "core/store.mjs":
            assert "localStorage." not in text, rel
        if rel != "core/config.mjs":
            assert "location.protocol" not in text, rel


def test_generator_code_is_not_loaded_on_every_page():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert "assets/synthlab/runtime.mjs" in config["extra_javascript"]
    assert not any("generator" in path for path in config["extra_javascript"])
    assert 'import("./generator/index.mjs")' in (JS / "runtime.mjs").read_text(encoding="utf-8")


def test_worker_reports_stage_ids_not_sentences():
    worker = (JS / "worker.js").read_text(encoding="utf-8")
    stages = set(re.findall(r'progress\("([^"]+)"', worker))
    assert stages == {"download", "start", "packages", "install", "ready"}
    for path in SOURCES:
        assert "startsWith(\"Loading" not in path.read_text(encoding="utf-8")
