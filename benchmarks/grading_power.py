"""Power and false-fail rate of the grading toolkit's statistical checks (JSON in benchmarks/results/).

For each check: a correct solution and typical wrong ones, each graded ``reps`` times with
fresh seeds (the check's own seeds are 1..runs, so the learner's function is fed an extra
offset through a closure: ``fresh_draws`` in tests/unit/test_grading.py, whose ``fail_rate`` this uses). Power = share of wrong solutions failed; false fails = share of
correct ones failed. Usage: python benchmarks/grading_power.py [reps] [correct_reps]
(``correct_reps``, default = reps, repeats only the correct solutions, to bound false fails).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "pysrc"), str(ROOT)]
from synthlearn.grading import checks as g  # noqa: E402
from tests.unit.test_grading import fail_rate  # noqa: E402  (the unit tests' false-fail measurement)

N = 2000


CASES = {
    "samples_follow N(0,1)": (
        lambda d: g.samples_follow(d, g.normal_cdf(0, 1), n=N, mean=0, std=1),
        {"correct": lambda r: r.normal(0, 1, N), "variance for sd (sd √2)": lambda r: r.normal(0, 2 ** 0.5, N),
         "mean shifted by 0.2": lambda r: r.normal(0.2, 1, N),
         "uniform, same mean and sd": lambda r: r.uniform(-3 ** 0.5, 3 ** 0.5, N),
         "sd 1.1": lambda r: r.normal(0, 1.1, N), "sd 1.2": lambda r: r.normal(0, 1.2, N),
         "sd 1.3": lambda r: r.normal(0, 1.3, N)}),
    "samples_match (two-sample)": (
        lambda d: g.samples_match(d, lambda r: r.normal(0, 1, N), n=N),
        {"correct": lambda r: r.normal(0, 1, N), "mean shifted by 0.2": lambda r: r.normal(0.2, 1, N),
         "sd 1.2": lambda r: r.normal(0, 1.2, N), "sd 1.4": lambda r: r.normal(0, 1.4, N),
         "uniform on [min, max]": lambda r: r.uniform(-3.3, 3.3, N)}),
    "frequencies_match": (
        lambda d: g.frequencies_match(d, {"a": 0.5, "b": 0.3, "c": 0.2}, n=N),
        {"correct": lambda r: r.choice(["a", "b", "c"], N, p=[0.5, 0.3, 0.2]),
         "0.55/0.25/0.2": lambda r: r.choice(["a", "b", "c"], N, p=[0.55, 0.25, 0.2]),
         "uniform": lambda r: r.choice(["a", "b", "c"], N)}),
    "noise_scale Laplace(2)": (
        lambda d: g.noise_scale(d, true_value=100, scale=2.0),
        {"correct": lambda r: 100 + r.laplace(0, 2.0), "scale ε=0.5": lambda r: 100 + r.laplace(0, 0.5),
         "Gaussian sd 2": lambda r: 100 + r.normal(0, 2.0), "scale 4 (2/ε)": lambda r: 100 + r.laplace(0, 4.0),
         "scale 2.2": lambda r: 100 + r.laplace(0, 2.2)}),
}


def main(reps: int = 200, correct_reps: int | None = None) -> dict:
    correct_reps = correct_reps or reps
    out = {"reps": reps, "correct_reps": correct_reps, "n": N, "alpha": g.ALPHA, "checks": {}}
    for name, (check, variants) in CASES.items():
        started = time.perf_counter()
        out["checks"][name] = {label: fail_rate(check, fn, correct_reps if label == "correct" else reps)
                               for label, fn in variants.items()}
        checks_run = reps * (len(variants) - 1) + correct_reps
        out["checks"][name]["seconds_per_check"] = round((time.perf_counter() - started) / checks_run, 4)
    return out


if __name__ == "__main__":
    result = main(*(int(a) for a in sys.argv[1:3]))
    path = Path(__file__).resolve().parent / "results" / "grading_power.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
