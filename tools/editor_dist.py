"""Build and verify the exercise editor (CodeMirror 6) bundle, like the Pyodide files.

* ``npm ci`` installs the exact tarballs ``package-lock.json`` pins (npm checks each
  tarball's sha512 integrity) into ``tools/editor/node_modules``; install scripts are off.
* esbuild (pinned in the lock) bundles ``entry.mjs`` into one ES module in
  ``.cache/editor/codemirror.mjs``.
* The bundle's sha256 must equal ``codemirror.sha256`` (committed): same lock, same
  esbuild, same bytes. The site hook copies only a verified bundle.

Usage: ``python tools/editor_dist.py`` (``make editor``); ``--update`` rewrites the
pinned hash after a deliberate upgrade of the lock file.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "editor"  # the npm project: package.json, lock, entry.mjs
ROOT = HERE.parents[1]
CACHE = ROOT / ".cache" / "editor"
BUNDLE = CACHE / "codemirror.mjs"
PINNED = HERE / "codemirror.sha256"


class VerificationError(RuntimeError):
    """The bundle does not match the pinned hash."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build() -> Path:
    """npm ci (integrity-checked tarballs) + esbuild; returns the bundle path (unverified)."""
    npm = shutil.which("npm")
    if npm is None:
        raise VerificationError("npm is needed once to build the exercise editor (apt-get install npm)")
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    esbuild = HERE / "node_modules" / ".bin" / "esbuild"
    subprocess.run([str(esbuild), "entry.mjs", "--bundle", "--format=esm", "--minify", "--legal-comments=eof",
                    f"--outfile={BUNDLE}"], cwd=HERE, check=True, capture_output=True)
    return BUNDLE


def verified_bundle(auto_build: bool = True) -> bytes:
    """The bundle's bytes after checking them against the pinned sha256 (built first if missing)."""
    if not BUNDLE.exists():
        if not auto_build:
            raise VerificationError(f"no editor bundle in {BUNDLE}: run `make editor`")
        build()
    data = BUNDLE.read_bytes()
    expected = PINNED.read_text().strip()
    if sha256(data) != expected:
        raise VerificationError(f"{BUNDLE} has sha256 {sha256(data)}, not the pinned {expected} "
                                "(rebuild with `make editor`; after a deliberate upgrade, `--update`)")
    return data


def main(argv: list[str]) -> int:
    build()
    if "--update" in argv:
        PINNED.write_text(sha256(BUNDLE.read_bytes()) + "\n")
    verified_bundle(auto_build=False)
    print(BUNDLE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
