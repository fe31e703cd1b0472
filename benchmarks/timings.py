"""Speed targets that used to be wall-clock assertions inside the unit tests.

Timed assertions fail at random on a loaded machine, so they live here: each target is
measured (the best of a few runs, after a warm-up) and written with its limit and whether it
was met to ``benchmarks/results/timings.json``. Exit status 1 if a target is missed.

    .venv/bin/python benchmarks/timings.py
"""

from __future__ import annotations

import inspect
import json
import os
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from synthlearn.app import studio
from synthlearn.csvio import read_csv
from synthlearn.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
sys.path[:0] = [str(ROOT), str(ROOT / "overrides" / "hooks")]  # as pyproject's pytest pythonpath
#: the course's demos and their most expensive settings: the unit tests' cases, timed here
from tests.unit.test_course_demos import DEMOS, MAX_PARAMS  # noqa: E402


def best(fn, repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def refuse_big_file() -> None:
    with tempfile.TemporaryDirectory() as folder:
        big = os.path.join(folder, "big.csv")
        with open(big, "wb") as fh:                    # a sparse file: size without content
            fh.truncate(studio.LIMITS["max_file_bytes"] + 1)
        start = time.perf_counter()
        try:
            studio.inspect(big)
        except InputError:
            pass
        return time.perf_counter() - start


def many_strings_run() -> float:
    data = str(Path(__file__).resolve().parents[1] / "tests" / "e2e" / "data" / "many_strings.csv")
    s = {"data": data, "file_name": "many_strings.csv", "method": "gaussian_copula", "n": 500, "seed": 42,
         "exclude": ["customer_id"], "evaluation": {"label": "segment", "quasi_identifiers": []}}
    return best(lambda: studio.run(s), repeat=1)


def main() -> int:
    targets = []

    def target(name: str, seconds: float, limit: float) -> None:
        targets.append({"name": name, "seconds": round(seconds, 4), "limit": limit, "met": seconds < limit})

    adult = resources.files("synthlearn").joinpath("data/adult.csv.gz").read_bytes()
    target("read the bundled Adult CSV", best(lambda: read_csv(adult), repeat=2), 1.5)
    for name, run in DEMOS.items():
        kwargs = {"figure": False} if "figure" in inspect.signature(run).parameters else {}
        run(**kwargs)  # warm caches (bundled data, lazy imports)
        target(f"demo {name} at its defaults", best(lambda run=run, kw=kwargs: run(**kw)), 0.5)
        target(f"demo {name} at its most expensive settings",
               best(lambda run=run, kw={**MAX_PARAMS[name], **kwargs}: run(**kw), 2), 1.5)
    target("Generator refuses a file over the size limit (without reading it)", refuse_big_file(), 0.5)
    target("Generator run on 10,000 distinct strings (identifier excluded)", many_strings_run(), 30.0)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "timings.json").write_text(json.dumps({"python": sys.version.split()[0], "targets": targets},
                                                     indent=2) + "\n")
    for t in targets:
        print(f"{'ok  ' if t['met'] else 'SLOW'} {t['seconds']:8.3f} s (limit {t['limit']:g} s)  {t['name']}")
    return 0 if all(t["met"] for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
