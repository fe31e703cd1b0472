"""The service worker's manifest (overrides/hooks/precache.py) and the runtime's pinned hashes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
import precache  # noqa: E402

CACHE = ROOT / ".cache" / f"pyodide-{precache.PYODIDE_VERSION}" / "synthlab-verified.json"


@pytest.mark.skipif(not CACHE.is_file(), reason="no verified Pyodide cache (make pyodide)")
def test_pinned_hashes_are_the_verified_runtime():
    verified = json.loads(CACHE.read_text())
    assert precache.CORE_SHA256 == {k: v for k, v in verified["core"].items() if k != "pyodide.mjs"}
    assert precache.PACKAGE_SHA256 == verified["packages"]


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for rel, text in {"index.html": "home", "course/methods/index.html": "methods", "assets/app.js": "js",
                      "pyodide/pyodide.js": "runtime", "sitemap.xml.gz": "gz",
                      precache.SW_SOURCE: "self.addEventListener('fetch', () => {});"}.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return site


def test_manifest_lists_site_files_with_hashes_not_the_runtime(tmp_path):
    site = _site(tmp_path)
    manifest = precache.write_service_worker(site, "pyodide/")
    assert set(manifest["files"]) == {"index.html", "course/methods/index.html", "assets/app.js"}
    assert manifest["files"]["assets/app.js"] == precache.sha256_file(site / "assets/app.js")
    assert manifest["runtime"]["sha256"]["pyodide.asm.wasm"] == precache.CORE_SHA256["pyodide.asm.wasm"]
    sw = (site / "sw.js").read_text()
    assert sw.startswith("/* generated") and json.dumps(manifest, sort_keys=True) in sw
    assert sw.rstrip().endswith("self.addEventListener('fetch', () => {});")


def test_version_changes_with_any_file_and_only_then(tmp_path):
    site = _site(tmp_path)
    first = precache.write_service_worker(site, "pyodide/")["version"]
    assert precache.write_service_worker(site, "pyodide/")["version"] == first   # sw.js itself is not listed
    (site / "course/methods/index.html").write_text("methods, edited")
    second = precache.write_service_worker(site, "pyodide/")["version"]
    assert second != first
    assert precache.write_service_worker(site, "https://cdn.example/")["version"] != second


def test_configure_gives_pages_the_core_hashes():
    extra: dict = {}
    precache.configure(extra)
    assert extra["offline"] is True
    assert set(extra["pyodide_sha256"]) == {"pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                                            "pyodide-lock.json"}
