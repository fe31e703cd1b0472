"""What the browser benchmarks (run.py, deep.py, exercises.py) share: the e2e tests' Chromium
settings and site server, a self-hosted build of the site, a launch, a percentile.

A benchmark script runs as ``python benchmarks/<name>.py``, so this folder is on ``sys.path``
and ``from _browser import ...`` finds this module; it puts the repository root (``tools``) and
the e2e fixtures (``tests/e2e``) on the path for them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (str(ROOT / "tests" / "e2e"), str(ROOT)):  # the e2e fixtures; what they import from tools/
    if _path not in sys.path:
        sys.path.insert(0, _path)

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from siteserver import Link, SiteServer  # noqa: E402

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ROOT", "Link", "SiteServer", "build_local", "launch", "percentile"]


def launch(playwright):
    """Debian's Chromium with the e2e tests' arguments (Playwright downloads no browser here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def build_local(folder: Path, url: str | None = None) -> None:
    """Build the self-hosted site into ``folder`` (``url``: where it is served, for instant navigation)."""
    env = {**os.environ, "SYNTHLAB_RUNTIME": "local", "NO_MKDOCS_2_WARNING": "1"}
    if url:
        env["SYNTHLAB_SITE_URL"] = url
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(folder)], cwd=ROOT, env=env, check=True)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` with linear interpolation (numpy's default method)."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
