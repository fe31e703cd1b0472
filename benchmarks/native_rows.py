"""Row checksums and times of the sequential-tree synthesizer (and, for reference, the DP method
and the Bayesian network) on Adult. :func:`measure` is the one measurement: run natively by this
script, and inside Pyodide by ``pyodide_engine.mjs``, which imports it from this file, so the two
make the same calls and their rows' checksums can be compared.

Usage: ``python benchmarks/native_rows.py`` (JSON on stdout).
"""
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pysrc"))
from synthlearn import datasets  # noqa: E402
from synthlearn.metrics.fidelity import quality  # noqa: E402
from synthlearn.pipeline import split_holdout  # noqa: E402
from synthlearn.synthesizers import make_synthesizer  # noqa: E402

CASES = (("cart", {}), ("cart", {"privacy_check": "off"}), ("bayesian_network", {}), ("dp_mst", {"epsilon": 1.0}))


def measure(cpu_seconds: Callable[[], float] = time.process_time) -> dict:
    """Fit and sample each case three times on half of Adult; the median times (wall and
    ``cpu_seconds``, the process's CPU clock), the quality and the sha256 of the last rows."""
    train, _ = split_holdout(datasets.load("adult"), 0.5, rng=0)
    rows = []
    for method, params in CASES:
        times, cpu = [], []
        for _ in range(3):
            t, c = time.perf_counter(), cpu_seconds()
            s = make_synthesizer(method, **params).fit(train, rng=0).sample(train.n_rows, rng=1)
            times.append(time.perf_counter() - t)
            cpu.append(cpu_seconds() - c)
        m = np.nan_to_num(s.matrix(), nan=-1.0)
        rows.append({"method": method, "params": params, "fit_sample_s_runs": times,
                     "fit_sample_s_median": sorted(times)[1], "cpu_s_runs": cpu, "cpu_s_median": sorted(cpu)[1],
                     "quality": quality(train, s).overall,
                     "sha256_rows": hashlib.sha256(np.ascontiguousarray(m).tobytes()).hexdigest()})
    return {"python": sys.version.split()[0], "numpy": np.__version__, "rows": rows}


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
