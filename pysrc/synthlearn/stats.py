"""Small statistics shared by demos and metrics, in numpy only (no scipy import)."""

from __future__ import annotations

import numpy as np


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample Kolmogorov–Smirnov statistic: the largest gap between the two ECDFs.

    Missing values are dropped. Equals ``scipy.stats.ks_2samp(a, b).statistic``; returns
    ``nan`` if either sample is empty after dropping missing values.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a = np.sort(a[~np.isnan(a)])
    b = np.sort(b[~np.isnan(b)])
    if a.size == 0 or b.size == 0:
        return float("nan")
    grid = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, grid, side="right") / a.size
    cdf_b = np.searchsorted(b, grid, side="right") / b.size
    return float(np.max(np.abs(cdf_a - cdf_b)))


def describe(x: np.ndarray) -> dict:
    """Mean and sample standard deviation of the non-missing values."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    return {"n": int(x.size), "mean": float(x.mean()) if x.size else float("nan"),
            "std": float(x.std(ddof=1)) if x.size > 1 else float("nan")}
