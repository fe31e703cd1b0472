"""What does it cost to compute? Fit and sample times of synthlearn's methods, measured here.

The FAQ's demo. It times ``fit`` and ``sample`` (``time.perf_counter``, one run each, after a
small warm-up fit so that imports are not counted) of the chosen methods on

* **Adult** — the bundled UCI Adult table, 32,561 rows × 15 columns (6 numbers, 9 categories);
* **a 10,000 × 100 numeric table** — the recipe of ``benchmarks/engine.py``: five latent
  factors plus noise, the middle third of the columns exponentiated (skewed), the last
  third rounded to one decimal; made with the seed, so the same table every time.

Each method draws as many rows as it was fitted on. The times depend on the machine (at
build time: the machine that built the site; in the page: your browser, running Python in
WebAssembly, usually a few times slower) and on what else it is doing: measure twice.
"""

from __future__ import annotations

import time

import numpy as np

from ..datasets import load
from ..synthesizers import METHODS, make_synthesizer
from ..table import Column, Table
from .._rng import SEED_MAX
from ._result import choice, metric, number

TABLES = {"both": "Adult and 10,000 × 100", "adult": "Adult (32,561 × 15)", "wide": "10,000 × 100 numeric"}
METHOD_SETS = {
    "core": ("independent", "gaussian_copula", "dp_mst"),
    "fast": ("independent", "gaussian_copula", "bayesian_network", "kde", "dp_mst"),
    "all": tuple(METHODS),
}
SET_TITLES = {"core": "Baseline, copula and DP (MST)", "fast": "All but the Gaussian mixture",
              "all": "All six (the mixture takes tens of seconds on the wide table)"}


def wide_table(n: int = 10_000, d: int = 100, seed: int = 0) -> Table:
    """``n`` rows of ``d`` correlated numeric columns (the recipe of ``benchmarks/engine.py``)."""
    gen = np.random.default_rng(seed)
    z = gen.standard_normal((n, 5))
    x = z @ gen.normal(0.0, 1.0, (5, d)) + gen.standard_normal((n, d))
    a, b = d // 3, 2 * d // 3
    x[:, a:b] = np.exp(x[:, a:b] / x[:, a:b].std(axis=0))
    x[:, b:] = np.round(x[:, b:], 1)
    return Table(tuple(Column(f"x{j:03d}", "numeric", x[:, j]) for j in range(d)))


def time_method(method: str, table: Table, seed: int = 0, warm_up: bool = True) -> dict:
    """Seconds to fit ``method`` to ``table`` and to sample as many rows (one run each): wall-clock
    (``time.perf_counter``) for each step, and the process's CPU time (``time.process_time``) for both."""
    if warm_up:  # a small fit first, so that lazy imports are not counted
        warm = table.take(np.arange(min(200, table.n_rows)))
        make_synthesizer(method).fit(warm, rng=seed).sample(20, rng=seed)
    c0, t0 = time.process_time(), time.perf_counter()
    synth = make_synthesizer(method).fit(table, rng=seed)
    t1 = time.perf_counter()
    synth.sample(table.n_rows, rng=seed)
    t2, c2 = time.perf_counter(), time.process_time()
    return {"method": method, "fit": t1 - t0, "sample": t2 - t1, "cpu": c2 - c0}


def run(tables: str = "both", methods: str = "core", seed: int = 0) -> dict:
    """Time fit and sample of each method in ``methods`` on each table in ``tables``."""
    choice("tables", tables, TABLES)
    choice("methods", methods, METHOD_SETS)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    named = []
    if tables in ("both", "adult"):
        named.append(("Adult", "adult", load("adult")))
    if tables in ("both", "wide"):
        named.append(("10,000 × 100", "wide", wide_table(seed=seed)))
    rows, metrics, total = [], [], 0.0
    for title, key, table in named:
        for method in METHOD_SETS[methods]:
            t = time_method(method, table, seed, warm_up=key == named[0][1])
            total += t["fit"] + t["sample"]
            rows.append([title, METHODS[method]["title"], f"{t['fit']:.2f} s", f"{t['sample']:.2f} s",
                         f"{t['fit'] + t['sample']:.2f} s", f"{t['cpu']:.2f} s"])
            metrics.append(metric(f"{key}_{method}", f"{METHODS[method]['title']} on {title}",
                                  t["fit"] + t["sample"], ".2f",
                                  f"Seconds to fit on {table.n_rows:,} × {table.n_cols} and sample as many rows."))
    slowest = max(metrics, key=lambda m: m["value"])
    summary = (f"Measured {len(metrics)} fit-and-sample runs in {total:.1f} s in all; the slowest was "
               f"{slowest['label']} ({slowest['text']} s). On the CPU, no GPU, no training epochs to tune.")
    table = {"caption": "Fit and sample times (one run each, after a warm-up): wall-clock seconds by "
                        "time.perf_counter, and CPU seconds by time.process_time",
             "columns": ["Table", "Method", "Fit", "Sample (as many rows)", "Total", "CPU time"], "rows": rows}
    notes = ["Times are of this run on this machine and vary with its load: on a busy machine the wall-clock "
             "time grows while the CPU time (the work done) stays about the same. The ranking of the methods "
             "is steadier than the seconds. Evaluation (the report's metrics and figures) is not included."]
    return {"summary": summary, "metrics": metrics, "tables": [table], "notes": notes}
