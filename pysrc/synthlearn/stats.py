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


def bin_edges(values: np.ndarray, bins: int = 10) -> np.ndarray:
    """``bins`` equal-width bin edges over the finite values, safe for any finite input.

    Equals ``np.histogram_bin_edges(values, bins)`` whenever numpy can compute it; when the
    range overflows (values near ±1.8e308, where ``max − min`` is infinite) the edges are
    interpolated as ``min·(1 − t) + max·t``, which never overflows, and ties made by
    rounding are spread so the edges always increase. No finite values: edges over [0, 1].
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return np.linspace(0.0, 1.0, bins + 1)
    lo, hi = float(v.min()), float(v.max())
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(hi - lo) and np.isfinite(abs(lo) + 1.0) and abs(lo) + abs(hi) < 1e307:
            try:
                edges = np.histogram_bin_edges(v, bins=bins)
            except ValueError:  # "too many bins for data range": a range of a few ulps
                edges = None
            if edges is not None and np.all(np.diff(edges) > 0):
                return edges
        if lo == hi:
            big = np.finfo(float).max
            lo, hi = max(lo - max(abs(lo) * 1e-9, 0.5), -big), min(hi + max(abs(hi) * 1e-9, 0.5), big)
        t = np.linspace(0.0, 1.0, bins + 1)
        edges = lo * (1.0 - t) + hi * t
    edges[0], edges[-1] = lo, hi
    for i in range(1, edges.size):  # rounding can tie neighbours at the float limit
        if not edges[i] > edges[i - 1]:
            edges[i] = np.nextafter(edges[i - 1], np.inf)
    return edges
