"""Vendor axe-core for the accessibility tests (never served to readers).

``npm pack axe-core@AXE_VERSION`` fetches the published tarball through npm's ordinary client;
its sha512 must equal the pinned integrity below (the ``dist.integrity`` npm publishes), or
nothing is written. ``axe.min.js`` is extracted next to this file, with a stamp holding the
integrity so a later run only re-checks the stamp. Run by ``make test``/``make test-e2e``.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

AXE_VERSION = "4.10.3"
AXE_INTEGRITY = "sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg=="
HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "axe.min.js"
STAMP = HERE / "axe.min.js.integrity"


def integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fresh() -> bool:
    """Whether axe.min.js is present and came from the pinned tarball."""
    return AXE_JS.is_file() and STAMP.is_file() and STAMP.read_text().split() == [AXE_INTEGRITY,
                                                                                  hashlib.sha256(AXE_JS.read_bytes()).hexdigest()]


def fetch() -> Path:
    if fresh():
        return AXE_JS
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent", "--pack-destination", tmp],
                       cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        tgz = Path(tmp) / f"axe-core-{AXE_VERSION}.tgz"
        got = integrity(tgz)
        if got != AXE_INTEGRITY:
            raise SystemExit(f"{tgz.name}: integrity {got} is not the pinned {AXE_INTEGRITY}; nothing written")
        with tarfile.open(tgz) as tar:
            data = tar.extractfile("package/axe.min.js").read()
    AXE_JS.write_bytes(data)
    STAMP.write_text(f"{AXE_INTEGRITY} {hashlib.sha256(data).hexdigest()}\n")
    return AXE_JS


if __name__ == "__main__":
    print(fetch(), file=sys.stderr)
