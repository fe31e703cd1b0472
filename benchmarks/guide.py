"""Guide demo benchmark: each Guide demo's default run, natively.

For every demo function of the Guide (``synthlearn.demos.guide_*``, as listed in
``tests/unit/test_guide_demos.py``): the first call in a fresh interpreter (pays the imports and
the bundled data), then the median of ``--repeats`` further calls, at the page's defaults
(figures included where the page draws one). Target: every default run under 3 s natively.

Usage: ``.venv/bin/python benchmarks/guide.py [--repeats 3]``; writes ``benchmarks/results/guide.json``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pysrc"))

DEMOS = [
    "guide_misconceptions.memorisation", "guide_misconceptions.missing_subgroup", "guide_misconceptions.poor_generator",
    "guide_approaches.run", "guide_utility.label_relation", "guide_utility.coverage", "guide_metrics.run",
    "guide_dp.run", "guide_risk.run", "guide_pipeline.validation_loop", "guide_pipeline.drift", "guide_cases.fraud",
    "guide_cases.cohort", "guide_cases.robot", "guide_failures.long_tail", "guide_failures.constraints",
    "guide_compute.run", "guide_frontiers.conditional", "guide_frontiers.fairness",
]
TARGET_S = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results = {}
    for name in DEMOS:
        module, fn = name.rsplit(".", 1)
        run = getattr(importlib.import_module(f"synthlearn.demos.{module}"), fn)
        t = time.perf_counter()
        run()
        first = time.perf_counter() - t
        times = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            run()
            times.append(time.perf_counter() - t)
        median = statistics.median(times)
        results[name] = {"first_s": round(first, 3), "median_s": round(median, 3), "met": median < TARGET_S}
        print(f"{name:42s} first {first:6.2f} s   median {median:6.2f} s")
    out = {"target_s": TARGET_S, "all_met": all(r["met"] for r in results.values()), "demos": results,
           "machine": platform.platform(), "cpus": os.cpu_count(), "load_average": os.getloadavg()}
    path = ROOT / "benchmarks" / "results" / "guide.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
