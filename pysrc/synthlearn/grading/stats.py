"""Goodness-of-fit tests in numpy only (no scipy import, so checks stay fast in the browser).

* ``ks_1samp``: one-sample Kolmogorov–Smirnov, p-value from the asymptotic Kolmogorov
  distribution with Stephens' small-sample correction (Stephens 1970, JRSS B 32(1), Table 1:
  λ = (√n + 0.12 + 0.11/√n)·D). Its calibration is tested against simulated correct samples.
* ``ks_2samp``: the two-sample version with the effective size nm/(n+m).
* ``chisquare``: Pearson's goodness-of-fit; p-value from the regularised upper incomplete
  gamma function (series / continued fraction, Numerical Recipes §6.2).
"""

from __future__ import annotations

import math

import numpy as np


def kolmogorov_sf(lam: float) -> float:
    """P(K > lam) for the Kolmogorov distribution: 2 Σ (-1)^(k-1) exp(-2 k² lam²)."""
    if lam <= 0.2:
        return 1.0
    k = np.arange(1, 101)
    terms = 2.0 * (-1.0) ** (k - 1) * np.exp(-2.0 * k**2 * lam**2)
    return float(min(1.0, max(0.0, terms.sum())))


def _stephens(d: float, n_eff: float) -> float:
    root = math.sqrt(n_eff)
    return kolmogorov_sf((root + 0.12 + 0.11 / root) * d)


def ks_1samp(sample: np.ndarray, cdf) -> tuple[float, float]:
    """(D, p): the KS distance of ``sample`` from the continuous ``cdf`` and its p-value."""
    x = np.sort(np.asarray(sample, dtype=float))
    n = x.size
    f = np.asarray(cdf(x), dtype=float)
    i = np.arange(1, n + 1)
    d = float(max(np.max(i / n - f), np.max(f - (i - 1) / n)))
    return d, _stephens(d, n)


def ks_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample KS distance: the largest gap between the two empirical CDFs."""
    a, b = np.sort(np.asarray(a, dtype=float)), np.sort(np.asarray(b, dtype=float))
    grid = np.concatenate([a, b])
    fa = np.searchsorted(a, grid, side="right") / a.size
    fb = np.searchsorted(b, grid, side="right") / b.size
    return float(np.max(np.abs(fa - fb)))


def ks_2samp(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(D, p) for two samples (asymptotic, effective size nm/(n+m))."""
    d = ks_distance(a, b)
    n, m = len(a), len(b)
    return d, _stephens(d, n * m / (n + m))


def gammaincc(a: float, x: float) -> float:
    """Regularised upper incomplete gamma Q(a, x)."""
    if x <= 0:
        return 1.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:  # series for P, then Q = 1 - P
        term = total = 1.0 / a
        ap = a
        for _ in range(1000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300  # modified Lentz continued fraction for Q
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return min(1.0, math.exp(log_front) * h)


def chisquare(observed: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """(X², p) for observed counts against expected counts (same total), k-1 degrees of freedom."""
    o, e = np.asarray(observed, dtype=float), np.asarray(expected, dtype=float)
    stat = float(np.sum((o - e) ** 2 / e))
    return stat, gammaincc((o.size - 1) / 2.0, stat / 2.0)


def normal_quantile(p: float) -> float:
    """z with P(Z > z) = p for a standard normal (bisection on erfc; p in (0, 0.5])."""
    lo, hi = 0.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(mid / math.sqrt(2)) > p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


_erfc = np.vectorize(math.erfc, otypes=[float])


def normal_cdf(mean: float = 0.0, std: float = 1.0):
    """The CDF of N(mean, std²) as a vectorised function."""
    return lambda x: 0.5 * _erfc(-(np.asarray(x, dtype=float) - mean) / (std * math.sqrt(2)))


def laplace_cdf(loc: float = 0.0, scale: float = 1.0):
    """The CDF of Laplace(loc, scale)."""
    def cdf(x):
        z = (np.asarray(x, dtype=float) - loc) / scale
        return np.where(z < 0, 0.5 * np.exp(np.minimum(z, 0)), 1 - 0.5 * np.exp(-np.maximum(z, 0)))
    return cdf


def uniform_cdf(low: float = 0.0, high: float = 1.0):
    """The CDF of Uniform(low, high)."""
    return lambda x: np.clip((np.asarray(x, dtype=float) - low) / (high - low), 0.0, 1.0)


def empirical_cdf(values) -> callable:
    """The right-continuous empirical CDF of ``values``."""
    v = np.sort(np.asarray(values, dtype=float))
    return lambda x: np.searchsorted(v, np.asarray(x, dtype=float), side="right") / v.size
