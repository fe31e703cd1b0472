"""Pre-compiled bytecode for the browser runtime (tools/bytecode_dist.py, the build hook)."""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "overrides" / "hooks")]
import precache  # noqa: E402
import synthlab  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

from tools import bytecode_dist  # noqa: E402

BUILT = bytecode_dist.DEFAULT_OUT
needs_bundles = pytest.mark.skipif(not (BUILT / bytecode_dist.MANIFEST).is_file(),
                                   reason="no bytecode bundles yet (`make pyodide` makes them)")


def third_party_imports() -> set[str]:
    """Every scipy / matplotlib module synthlearn's source imports."""
    found = set()
    for path in (ROOT / "pysrc" / "synthlearn").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            found.update(n for n in names if n.split(".")[0] in ("scipy", "matplotlib"))
    return found


def test_every_module_synthlearn_imports_is_compiled_ahead():
    imported = third_party_imports()
    assert {"scipy.special", "matplotlib.figure"} <= imported        # the scan does find imports
    missing = sorted(m for m in imported if not any(m == e or m.startswith(e + ".") for e in bytecode_dist.ENTRY_MODULES))
    assert not missing, f"add to tools/bytecode_dist.ENTRY_MODULES: {missing}"


@needs_bundles
def test_bundles_hold_only_unchecked_pycs_of_the_pinned_wheels():
    manifest = json.loads((BUILT / bytecode_dist.MANIFEST).read_text())
    assert manifest["python"].startswith("3.12.")                    # Pyodide's interpreter, not ours
    assert {"numpy", "scipy", "matplotlib"} <= set(manifest["bundles"])
    for name, bundle in manifest["bundles"].items():
        assert precache.PACKAGE_SHA256[bundle["wheel"]] == bundle["wheel_sha256"], name
        with zipfile.ZipFile(BUILT / bundle["file"]) as zf:
            members = zf.namelist()
            assert len([m for m in members if m.endswith(".pyc")]) == bundle["modules"] > 0
            for member in members:
                if member == "matplotlib/fontlist.json":
                    continue
                assert "__pycache__/" in member and member.endswith(".cpython-312.pyc"), member
                header = zf.read(member)[:8]
                # PEP 552: flags word 1 = hash-based and not checked against the source
                assert int.from_bytes(header[4:8], "little") == 1, member
    with zipfile.ZipFile(BUILT / manifest["bundles"]["matplotlib"]["file"]) as zf:
        fonts = json.loads(zf.read("matplotlib/fontlist.json"))
    assert fonts["ttflist"] and all(f["fname"].endswith((".ttf", ".otf")) for f in fonts["ttflist"])


@needs_bundles
def test_is_current_notices_a_changed_bundle(tmp_path):
    copy = tmp_path / "bytecode"
    shutil.copytree(BUILT, copy)
    assert bytecode_dist.is_current(copy, bytecode_dist.pyodide_dist.DEFAULT_CACHE)
    numpy = copy / "numpy.zip"
    numpy.write_bytes(numpy.read_bytes() + b"x")
    assert not bytecode_dist.is_current(copy, bytecode_dist.pyodide_dist.DEFAULT_CACHE)


def _Config(tmp: Path):
    """A minimal, validated MkDocs config."""
    from mkdocs.config.defaults import MkDocsConfig

    (tmp / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp / "docs"), "site_dir": str(tmp / "site"),
                      "extra": {"synthlab": {}}})
    failed, _ = config.validate()
    assert not failed, failed
    return config


@needs_bundles
def test_the_build_serves_bundles_and_refuses_one_from_another_wheel(tmp_path, monkeypatch):
    copy = tmp_path / "bytecode"
    shutil.copytree(BUILT, copy)
    monkeypatch.setattr(bytecode_dist, "DEFAULT_OUT", copy)
    # MkDocs makes generated files only during a build: record what the hook would add
    monkeypatch.setattr(synthlab.File, "generated", staticmethod(lambda config, uri, content: (uri, content)))
    files, config = [], _Config(tmp_path)
    synthlab._add_bytecode(files, config)
    served = config.extra["synthlab"]["bytecode"]["bundles"]
    assert set(served) == set(json.loads((copy / "manifest.json").read_text())["bundles"])
    assert all(b["url"].startswith("assets/synthlab/pyc/") and b["url"].endswith(".zip") for b in served.values())
    assert sorted(uri for uri, _ in files) == sorted(b["url"] for b in served.values())
    assert all(b["sha256"] == hashlib.sha256(data).hexdigest()
               for (uri, data), b in zip(sorted(files), sorted(served.values(), key=lambda b: b["url"])))

    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["bundles"]["numpy"]["wheel_sha256"] = "0" * 64
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PluginError, match="another numpy"):
        synthlab._add_bytecode([], _Config(tmp_path))


def test_without_bundles_the_build_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(bytecode_dist, "DEFAULT_OUT", tmp_path / "none")
    config = _Config(tmp_path)
    synthlab._add_bytecode([], config)
    assert "bytecode" not in config.extra["synthlab"]
