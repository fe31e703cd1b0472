"""Pre-compiled Python bytecode (and matplotlib's font list) for the browser runtime.

Pyodide 0.27.7's package wheels hold Python sources only, so every worker compiles numpy's,
scipy's and matplotlib's modules again on import, and matplotlib rebuilds its font list:
seconds of CPU on each start. This tool does that work once, inside the verified runtime
itself (Pyodide under Node: Python 3.12, the same interpreter the browser runs), for the
modules synthlearn imports (:data:`ENTRY_MODULES` and everything they import), and keeps:

* ``<package>.zip`` per Pyodide package: ``__pycache__/*.cpython-312.pyc`` files relative to
  site-packages, "unchecked-hash" pycs (the interpreter uses them without re-reading the
  sources, so each bundle is tied to the exact wheel it was compiled from);
  matplotlib's bundle also holds ``matplotlib/fontlist.json``, its font cache for the fonts in
  its wheel (Pyodide's matplotlib keeps it there and otherwise rebuilds it on every start);
* ``manifest.json``: for each bundle its sha256 and the sha256 of the wheel it came from.

The site serves these (overrides/hooks/synthlab.py); the worker unpacks a package's bundle
right after loading the package, and only if the build's manifest lists it for that very
wheel. Without them everything still works, only slower to start.

Usage: ``python tools/bytecode_dist.py [--pyodide DIR] [--out DIR]`` (needs Node, which
``make`` already needs for npm). Run by ``make pyodide``; rebuilt only when the lock changes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))
from tools import pyodide_dist  # noqa: E402

# The third-party modules synthlearn imports (tests/unit/test_bytecode.py checks the source
# imports nothing else from scipy or matplotlib), plus the SVG backend figures are saved with.
ENTRY_MODULES = (
    "numpy",
    "scipy.special", "scipy.sparse", "scipy.sparse.csgraph", "scipy.stats",
    "matplotlib", "matplotlib.figure", "matplotlib.ticker", "matplotlib.font_manager",
    "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg",
)
DEFAULT_OUT = pyodide_dist.DEFAULT_CACHE.parent / f"pyodide-{pyodide_dist.VERSION}-bytecode"
MANIFEST = "manifest.json"


def owners(pyodide: Path, lock: dict) -> dict[str, str]:
    """Each ``.py`` file of each package wheel (site-packages relative) -> its lock package."""
    found = {}
    for name, entry in lock["packages"].items():
        if not entry["file_name"].endswith(".whl"):
            continue
        with zipfile.ZipFile(pyodide / entry["file_name"]) as zf:
            for member in zf.namelist():
                if member.endswith(".py"):
                    found[member] = name
    return found


def is_current(out: Path, pyodide: Path) -> bool:
    """True if ``out`` holds bundles made from the wheels now in ``pyodide`` and unchanged since."""
    manifest = out / MANIFEST
    if not manifest.is_file():
        return False
    recorded = json.loads(manifest.read_text())
    if recorded.get("lock_sha256") != pyodide_dist.sha256_file(pyodide / "pyodide-lock.json"):
        return False
    files = recorded["bundles"].values()
    return all((out / f["file"]).is_file() and pyodide_dist.sha256_file(out / f["file"]) == f["sha256"] for f in files)


def build(pyodide: Path = pyodide_dist.DEFAULT_CACHE, out: Path = DEFAULT_OUT) -> Path:
    """Compile the bundles into ``out`` (unless they are current); return ``out``."""
    if not pyodide_dist.check_cache(pyodide):
        raise pyodide_dist.VerificationError(f"no verified Pyodide copy in {pyodide}: run `make pyodide`")
    if is_current(out, pyodide):
        return out
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        job = {"packages": list(pyodide_dist.ROOT_PACKAGES), "entries": list(ENTRY_MODULES), "owners": owners(pyodide, lock)}
        (tmp / "job.json").write_text(json.dumps(job))
        staging = tmp / "out"
        done = subprocess.run(["node", str(HERE / "bytecode_compile.mjs"), str(pyodide), str(tmp / "job.json"), str(staging)],
                              capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"compiling the bytecode bundles failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        summary = json.loads(done.stdout.strip().splitlines()[-1])
        bundles = {}
        for name, count in sorted(summary["modules"].items()):
            entry = lock["packages"][name]
            bundles[name] = {"file": f"{name}.zip", "sha256": pyodide_dist.sha256_file(staging / f"{name}.zip"), "modules": count,
                             "wheel": entry["file_name"], "wheel_sha256": entry["sha256"]}
        (staging / MANIFEST).write_text(json.dumps({
            "pyodide": pyodide_dist.VERSION, "python": summary["python"], "entries": list(ENTRY_MODULES),
            "lock_sha256": pyodide_dist.sha256_file(pyodide / "pyodide-lock.json"), "bundles": bundles,
        }, indent=1, sort_keys=True))
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pyodide", type=Path, default=pyodide_dist.DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    out = build(args.pyodide, args.out)
    manifest = json.loads((out / MANIFEST).read_text())
    size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
    modules = sum(b["modules"] for b in manifest["bundles"].values())
    print(f"{out} ({modules} modules in {len(manifest['bundles'])} bundles, {size:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
