"""Guide chapter 10: fit and sample times of our methods against rows × columns, measured here.

Unlike every other demo, the numbers are wall-clock times, so they change from run to run and
from device to device: the page shows the times measured when the site was built, and the
button measures them again on the reader's device. The data are simulated (correlated Gaussian
numbers), so only the shape of the table matters.
"""

from __future__ import annotations

import time

import numpy as np

from .._rng import as_generator
from ..synthesizers import make_synthesizer
from ..table import Table
from ._result import choice, metric, number
from .guide_common import TITLES

SIZES = {"small": ((500, 4), (2000, 4), (500, 16)), "medium": ((500, 4), (4000, 4), (500, 16), (4000, 16))}


def numbers_table(rows: int, cols: int, rng: np.random.Generator) -> Table:
    """A simulated table of ``cols`` correlated standard normal columns."""
    z = rng.standard_normal((rows, cols))
    x = z + 0.5 * z[:, :1]
    return Table.from_arrays({f"x{j}": x[:, j] for j in range(cols)})


def time_method(method: str, table: Table, rng: np.random.Generator) -> tuple[float, float]:
    """Seconds to fit ``method`` to ``table`` and to sample as many rows."""
    model = make_synthesizer(method)
    t0 = time.perf_counter()
    model.fit(table, rng=rng)
    t1 = time.perf_counter()
    model.sample(table.n_rows, rng=rng)
    return t1 - t0, time.perf_counter() - t1


def run(method: str = "gaussian_copula", sizes: str = "small", seed: int = 0) -> dict:
    """Time fit and sample of ``method`` on simulated tables of several shapes."""
    method = choice("method", method, tuple(TITLES))
    sizes = choice("sizes", sizes, tuple(SIZES))
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    time_method(method, numbers_table(50, 2, rng), rng)  # warm-up: imports and first calls
    rows, timings = [], []
    for n, d in SIZES[sizes]:
        fit, sample = time_method(method, numbers_table(n, d, rng), rng)
        timings.append((n, d, fit, sample))
        rows.append([f"{n:,} × {d}", f"{fit * 1000:.0f} ms", f"{sample * 1000:.0f} ms",
                     f"{n * d * 8 / 1024:.0f} KiB"])
    n0, d0, f0, _ = timings[0]
    n1, d1, f1, _ = max(timings, key=lambda t: t[0] * t[1])
    metrics = [
        metric("fit_small", f"Fit, {n0:,} × {d0}", f0 * 1000, ".0f", "Milliseconds to fit the method to the smallest table."),
        metric("fit_large", f"Fit, {n1:,} × {d1}", f1 * 1000, ".0f", "Milliseconds to fit the method to the largest table."),
        metric("growth", "Time ratio for the largest vs smallest table", f1 / max(f0, 1e-9), ".1f",
               f"How much longer the fit took on {n1 * d1 / (n0 * d0):.0f}× as many cells."),
    ]
    summary = (f"{TITLES[method]}: fitting {n0:,} × {d0} took {f0 * 1000:.0f} ms and {n1:,} × {d1} took "
               f"{f1 * 1000:.0f} ms on this device ({f1 / max(f0, 1e-9):.1f}× for {n1 * d1 / (n0 * d0):.0f}× the cells).")
    table = {"caption": "Measured wall-clock times (simulated numeric tables)",
             "columns": ["Rows × columns", "Fit", "Sample (same rows)", "Data in memory"], "rows": rows}
    return {"summary": summary, "metrics": metrics, "tables": [table],
            "notes": ["Times vary between runs; run it twice and compare. 'Data in memory' is rows × columns × 8 bytes "
                      "(one float64 per cell); a model's own memory comes on top."]}
