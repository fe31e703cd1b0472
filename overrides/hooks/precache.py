"""Offline after the first visit: the build's service worker and the runtime's pinned hashes.

* :func:`configure` (``on_config``) puts the pinned sha256 of the Pyodide core files into the
  page config, so the worker checks every core file it runs (self-hosted or CDN), and turns
  the service worker on.
* :func:`write_service_worker` (``on_post_build``) lists every file of the built site with its
  sha256 and writes ``sw.js`` at the site root: that list (and so the worker's bytes) changes
  with every build that changes a file, which is how browsers find a new version. The
  worker's code is ``docs/assets/synthlab/sw-main.js``.

The Pyodide files are not precached (30 MB): the service worker caches each on first use,
after checking it against :data:`RUNTIME_SHA256` (the official lock's hashes for packages);
so are the "lazy" site files (:data:`LAZY_PREFIXES`), checked against the manifest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

PYODIDE_VERSION = "0.27.7"
# sha256 of the Pyodide 0.27.7 files the site uses, as verified by the Pyodide fetcher
# (npm tarball checked against its pinned integrity; packages against the official lock).
# tests/unit/test_precache.py checks them against the verified cache's manifest.
CORE_SHA256 = {
    "pyodide-lock.json": "0bea853e41c634179667274a6b62fbc89d46cd0887991961dbc29955eaab240f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
}
PACKAGE_SHA256 = {
    "contourpy-1.3.0-cp312-cp312-pyodide_2024_0_wasm32.whl": "f6ca0437a039c40691be53ff5bd3c9774868add8d5c2d032167495c6ff1f1c4b",
    "cycler-0.12.1-py3-none-any.whl": "e33687b4269fe3eda13c2d38006f9a5daa602c95f5c4f8d0576aff0717d001a6",
    "fonttools-4.51.0-py3-none-any.whl": "0c9a46b9246333de02d0fe02c0580840d7136744121f256a870218ed7482b607",
    "kiwisolver-1.4.5-cp312-cp312-pyodide_2024_0_wasm32.whl": "d7652d88b3390d9d1d0175d6c79da675b42bac2cd748cc9b5766a3235da4b762",
    "matplotlib-3.8.4-cp312-cp312-pyodide_2024_0_wasm32.whl": "50d4641b32e84ecb0a2c271728d4be73b1e0a0f5f29aa7dd6ea280f888b91340",
    "matplotlib_pyodide-0.2.3-py3-none-any.whl": "070d6244e7ae44f8753d3a78cf5c30f93c8d781e620991af848dcfd44112839f",
    "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl": "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08",
    "openblas-0.3.26.zip": "787ea9a8a5cd160204388d03324b3b7ce5c9aea14b5680cec987f837e76c5198",
    "packaging-24.2-py3-none-any.whl": "fbf6a5ace596eb8e28fe0089ecfc0bca2eb3930563e9ca06acb98ea5302b99f7",
    "pillow-10.2.0-cp312-cp312-pyodide_2024_0_wasm32.whl": "43eab147a9355385a99eeac18fb577d4af2fe4bd0bbd23d3ba3ddb92e72c2815",
    "pyparsing-3.1.2-py3-none-any.whl": "9070866557845375d8180e9236021fdecb2b93be75a7c8de48841f1465133a60",
    "python_dateutil-2.9.0.post0-py2.py3-none-any.whl": "02811ea3714f6697d639c07dc5ec63f5774dc7a688e4e1cbbe9beb2f33c3e6c9",
    "pytz-2024.1-py2.py3-none-any.whl": "fcfc168155da8d19057b17bee735fef71dc3a39f1dccd83514e16ecc6abaddc4",
    "scipy-1.14.1-cp312-cp312-pyodide_2024_0_wasm32.whl": "997c50a61564a8ce6a56ea98a42e7f4427e5eb98475a73233e83df6a184f415c",
    "six-1.16.0-py2.py3-none-any.whl": "f61235bc3a15086f0369585e5071ae9ba0bd244a111d12b37f683862e6850c0a",
}
RUNTIME_SHA256 = {**CORE_SHA256, **PACKAGE_SHA256}
SW_SOURCE = "assets/synthlab/sw-main.js"
# not precached: the worker itself, its source, the runtime (cached on first use), gzip copies
SKIP_PREFIXES = ("pyodide/",)
SKIP_FILES = {"sw.js", SW_SOURCE, "sitemap.xml.gz"}
# listed but not precached: cached on first use like the runtime (pre-compiled bytecode, 7 MB,
# most of it for scipy, which many readers never load)
LAZY_PREFIXES = ("assets/synthlab/pyc/",)


def configure(extra: dict) -> None:
    """Page config: the core files' pinned hashes (checked by worker.js) and offline on."""
    extra["pyodide_sha256"] = dict(CORE_SHA256)
    extra["offline"] = True


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def site_manifest(site_dir: Path) -> dict[str, str]:
    """Every file the site serves (path relative to the site root, '/' separators) -> sha256."""
    files = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if path.is_file() and rel not in SKIP_FILES and not rel.startswith(SKIP_PREFIXES):
            files[rel] = sha256_file(path)
    return files


def write_service_worker(site_dir: Path, pyodide_url: str) -> dict:
    """Write ``site_dir/sw.js`` (manifest + the worker's code); return the manifest.

    ``pyodide_url`` is where the runtime comes from: ``pyodide/`` (self-hosted) or the CDN URL.
    The version is a hash of every listed file, the runtime and the worker's code.
    """
    source = (site_dir / SW_SOURCE).read_text(encoding="utf-8")
    everything = site_manifest(site_dir)
    files = {k: v for k, v in everything.items() if not k.startswith(LAZY_PREFIXES)}
    lazy = {k: v for k, v in everything.items() if k.startswith(LAZY_PREFIXES)}
    runtime = {"url": pyodide_url, "version": PYODIDE_VERSION, "sha256": RUNTIME_SHA256}
    digest = hashlib.sha256(json.dumps([files, lazy, runtime, source], sort_keys=True).encode()).hexdigest()
    manifest = {"version": digest[:16], "files": files, "lazy": lazy, "runtime": runtime}
    text = f"/* generated by overrides/hooks/precache.py */\nself.SYNTHLAB = {json.dumps(manifest, sort_keys=True)};\n{source}"
    (site_dir / "sw.js").write_text(text, encoding="utf-8")
    return manifest
