"""High-cardinality benchmark (issue 10 item 9): the full evaluation of a table with a
10,000-level categorical column, natively, as ``synthlearn evaluate`` runs it.

The table: 20,000 rows; ``code`` drawn from 10,000 labels (Zipf-like frequencies, so a few are
common and most are rare), a number, a 5-level and a 3-level category, and a two-class label.
Synthetic = the independent-columns synthesizer's rows. We time
``synthlearn.report.evaluate(real, synthetic, holdout=..., label="label", figures=True)``,
median of ``--repeats`` runs after one warm-up. Before the cap (one-hot features and pair
tables at full width) the same call took 143 s on the CLI (issue 10); the target is < 20 s.

Usage: ``.venv/bin/python benchmarks/high_cardinality.py [--repeats 3]``; writes
``benchmarks/results/high_cardinality.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pysrc"))

from synthlearn.pipeline import split_holdout  # noqa: E402
from synthlearn.report import evaluate  # noqa: E402
from synthlearn.synthesizers import IndependentSynthesizer  # noqa: E402
from synthlearn.table import Table  # noqa: E402

TARGET_SECONDS = 20.0


def table(n: int = 20_000, levels: int = 10_000, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, levels + 1) ** 0.8
    code = rng.choice(levels, size=n, p=weights / weights.sum())
    x = rng.normal(size=n)
    return Table.from_arrays({
        "code": [f"k{c:05d}" for c in code], "x": x,
        "grade": rng.choice(list("abcde"), n), "site": rng.choice(["n", "s", "w"], n),
        "label": np.where(x + rng.normal(size=n) > 0, "yes", "no")})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    real = table()
    train, holdout = split_holdout(real, 0.2, rng=1)
    synthetic = IndependentSynthesizer().fit(train, rng=2).sample(train.n_rows, rng=3)
    evaluate(train.take(np.arange(300)), synthetic.take(np.arange(300)), figures=True)  # warm-up: imports
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        evaluate(train, synthetic, holdout=holdout, label="label", figures=True)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    out = {"benchmark": "evaluate with a 10,000-level column", "rows": real.n_rows, "levels": 10_000,
           "seconds": times, "median_seconds": median, "target_seconds": TARGET_SECONDS,
           "met": median < TARGET_SECONDS, "machine": platform.platform(), "python": platform.python_version(),
           "load_average": os.getloadavg()}
    dest = ROOT / "benchmarks" / "results" / "high_cardinality.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
