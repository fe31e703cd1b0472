"""Time the default runs of the explainer's demos (issue 13); JSON into benchmarks/results/.

Each demo runs at the defaults its page declares (so at build time); the median of three runs
after one warm-up is recorded, wall-clock and CPU time, with the machine's load average (on a
shared machine the wall-clock time grows with the load; the CPU time much less). Target: ~3 s
natively each.

    .venv/bin/python benchmarks/explainer_demos.py
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from synthlearn.demos import bank_design, cli_transcript, cohort_validation, compute_cost, nearest_real, privacy_claims

DEMOS = {
    "nearest_real": nearest_real.run,
    "compute_cost": compute_cost.run,
    "privacy_claims": privacy_claims.run,
    "bank_design": bank_design.run,
    "cohort_validation": cohort_validation.run,
    "cli_transcript": cli_transcript.run,
}
TARGET_SECONDS = 3.0


def main() -> dict:
    out = {"target_seconds": TARGET_SECONDS, "load_before": os.getloadavg(), "demos": {}}
    for name, run in DEMOS.items():
        run()  # warm-up: imports and cached tables
        times, cpu = [], []
        for _ in range(3):
            c0, t0 = time.process_time(), time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        out["demos"][name] = {"median_s": statistics.median(times), "runs_s": times,
                              "median_cpu_s": statistics.median(cpu),
                              "meets_target": statistics.median(times) <= TARGET_SECONDS}
        print(f"{name:18s} wall {statistics.median(times):6.2f} s  cpu {statistics.median(cpu):6.2f} s")
    out["load_after"] = os.getloadavg()
    path = Path(__file__).parent / "results" / "explainer_demos.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
