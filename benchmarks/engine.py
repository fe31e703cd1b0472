"""Engine benchmarks: synthesizer speed and quality, and the evaluation report's speed, natively.

For every synthesizer in ``synthlearn.synthesizers.METHODS``, on UCI Adult (32,561 x 15) and
on a seeded 10,000 x 100 numeric table: the wall time of ``fit`` and of ``sample`` (as many
rows as the real table), median of ``--repeats`` runs after one untimed warm-up on 200 rows
(which pays the one-off imports), and the quality of the last run's rows: the evaluation
report's overall fidelity score (SDMetrics 0.32 QualityReport: mean of column shapes and
strong-pair trends, ``synthlearn.metrics.fidelity.quality``, the function the report calls).
Then the full evaluation report (``synthlearn.report.evaluate`` with a 20 % holdout, the
label ``income`` and figures) of Gaussian-copula rows on Adult, median of the repeats.

Targets: Gaussian copula fit + sample on Adult < 2 s; on 10,000 x 100 numeric < 1 s; full
report on Adult < 10 s. The JSON says which are met, and records the machine and its load
average (other processes slow every figure down).

Usage: ``.venv/bin/python benchmarks/engine.py [--quick] [--repeats 3] [--methods a,b]``;
writes ``benchmarks/results/engine.json``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
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

from synthlearn import __version__, datasets  # noqa: E402
from synthlearn.pipeline import split_holdout  # noqa: E402
from synthlearn.metrics.fidelity import quality  # noqa: E402
from synthlearn.report import evaluate  # noqa: E402
from synthlearn.synthesizers import METHODS, make_synthesizer  # noqa: E402
from synthlearn.table import Column, Table  # noqa: E402

TARGETS = [
    # (key, what, limit in seconds)
    ("gaussian_copula_adult_fit_sample", "Gaussian copula fit + sample on Adult (32,561 x 15)", 2.0),
    ("gaussian_copula_numeric_fit_sample", "Gaussian copula fit + sample on 10,000 x 100 numeric", 1.0),
    ("report_adult", "Full evaluation report on Adult (holdout, label, figures)", 10.0),
]
DEFAULT_BUDGET = 60.0  # a run slower than this is not repeated


def numeric_table(n: int = 10_000, d: int = 100, seed: int = 0) -> Table:
    """``n`` rows of ``d`` correlated numeric columns: five latent factors plus noise; the
    middle third is exponentiated (skewed), the last third rounded to one decimal."""
    gen = np.random.default_rng(seed)
    z = gen.standard_normal((n, 5))
    x = z @ gen.normal(0.0, 1.0, (5, d)) + gen.standard_normal((n, d))
    a, b = d // 3, 2 * d // 3
    x[:, a:b] = np.exp(x[:, a:b] / x[:, a:b].std(axis=0))
    x[:, b:] = np.round(x[:, b:], 1)
    return Table(tuple(Column(f"x{j:03d}", "numeric", x[:, j]) for j in range(d)))


def _load() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:  # pragma: no cover - not on this platform
        return (float("nan"),) * 3


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def bench_method(method: str, name: str, table: Table, repeats: int, budget: float) -> dict:
    """Fit + sample timings (median of ``repeats``) and the quality of the last sample."""
    warm = table.take(np.arange(min(200, table.n_rows)))
    make_synthesizer(method).fit(warm, rng=0).sample(50, rng=0)
    fits, samples, cpu = [], [], []
    synth = out = None
    for r in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        synth = make_synthesizer(method).fit(table, rng=r)
        t1 = time.perf_counter()
        out = synth.sample(table.n_rows, rng=100 + r)
        t2 = time.perf_counter()
        cpu.append(time.process_time() - c0)
        fits.append(t1 - t0)
        samples.append(t2 - t1)
        if t2 - t0 > budget:
            break
    q = quality(table, out)
    totals = [f + s for f, s in zip(fits, samples)]
    result = {
        "method": method, "dataset": name, "rows": table.n_rows, "columns": table.n_cols,
        "runs": len(totals), "fit_s": _median(fits), "sample_s": _median(samples),
        "fit_sample_s": _median(totals), "fit_sample_min_s": float(min(totals)), "fit_sample_cpu_s": _median(cpu),
        "fit_sample_runs_s": [round(t, 4) for t in totals],
        "quality_overall": float(q.overall), "column_shapes": float(q.column_shapes),
        "pair_trends_strong": float(q.pair_trends_strong), "n_strong_pairs": int(q.n_strong_pairs),
    }
    if hasattr(synth, "n_iter_"):
        result["n_iter"] = int(synth.n_iter_)
        result["converged"] = bool(getattr(synth, "converged_", False))
    if len(totals) < repeats:
        result["note"] = f"one run took over {budget:g} s, so it was not repeated"
    return result


def bench_report(adult: Table, repeats: int) -> dict:
    """The full report of Gaussian-copula rows on Adult, median of ``repeats``."""
    train, holdout = split_holdout(adult, 0.2, rng=0)
    synthetic = make_synthesizer("gaussian_copula").fit(train, rng=1).sample(train.n_rows, rng=2)
    evaluate(train.take(np.arange(300)), synthetic.take(np.arange(300)), label="income", rng=0)  # warm-up
    runs = []
    for r in range(repeats):
        t0 = time.perf_counter()
        rep = evaluate(train, synthetic, holdout=holdout, label="income", rng=r, figures=True)
        runs.append((time.perf_counter() - t0, rep.meta["timings"], rep.scores["fidelity"]["overall"]))
    runs.sort(key=lambda item: item[0])
    seconds, stages, overall = runs[len(runs) // 2]
    return {"dataset": "adult", "method": "gaussian_copula", "real_rows": train.n_rows,
            "synthetic_rows": synthetic.n_rows, "holdout_rows": holdout.n_rows, "label": "income",
            "figures": True, "runs": len(runs), "seconds": float(seconds), "min_s": float(runs[0][0]),
            "runs_s": [round(r[0], 3) for r in runs],
            "stages_s_of_median_run": {k: round(float(v), 4) for k, v in stages.items()},
            "quality_overall": float(overall)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Engine benchmarks; JSON in benchmarks/results/engine.json.")
    parser.add_argument("--quick", action="store_true", help="one repeat instead of three")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per measurement (default 3)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated methods (default all)")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET,
                        help=f"do not repeat a fit + sample slower than this many seconds (default {DEFAULT_BUDGET:g})")
    parser.add_argument("--no-report", action="store_true", help="skip the report benchmark")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "engine.json")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 3)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        parser.error(f"unknown method(s): {', '.join(unknown)} (valid: {', '.join(METHODS)})")

    import scipy

    load_before = _load()
    start = time.perf_counter()
    tables = {"adult": datasets.load("adult"), "numeric_10000x100": numeric_table()}
    results = []
    for name, table in tables.items():
        for method in methods:
            res = bench_method(method, name, table, repeats, args.budget)
            results.append(res)
            print(f"{name:<18} {method:<17} fit {res['fit_s']:7.2f} s  sample {res['sample_s']:6.2f} s  "
                  f"quality {res['quality_overall']:.3f}", file=sys.stderr, flush=True)
    report = None
    if not args.no_report:
        report = bench_report(tables["adult"], repeats)
        print(f"report on adult: {report['seconds']:.2f} s", file=sys.stderr, flush=True)

    measured = {}
    for res in results:
        if res["method"] == "gaussian_copula":
            kind = "adult" if res["dataset"] == "adult" else "numeric"
            measured[f"gaussian_copula_{kind}_fit_sample"] = res["fit_sample_s"]
    if report is not None:
        measured["report_adult"] = report["seconds"]
    targets = []
    for key, what, limit in TARGETS:
        value = measured.get(key)
        targets.append({"key": key, "what": what, "limit_s": limit, "measured_s": value,
                        "met": None if value is None else bool(value < limit)})

    out = {
        "benchmark": "engine",
        "generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "repeats": repeats, "statistic": "median", "quick": bool(args.quick),
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                    "synthlearn": __version__, "platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in _load()]},
        "datasets": {name: {"rows": t.n_rows, "columns": t.n_cols} for name, t in tables.items()},
        "synthesizers": results,
        "report": report,
        "targets": targets,
        "all_targets_met": all(t["met"] for t in targets if t["met"] is not None),
        "elapsed_s": round(time.perf_counter() - start, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    for t in targets:
        state = "n/a" if t["met"] is None else ("met" if t["met"] else "NOT met")
        value = "—" if t["measured_s"] is None else f"{t['measured_s']:.2f} s"
        print(f"target: {t['what']} < {t['limit_s']:g} s: {value} ({state})", file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
