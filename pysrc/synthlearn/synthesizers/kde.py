"""Multivariate kernel density estimate, sampled as a smoothed bootstrap.

Sampling from a Gaussian KDE is exactly: pick a real row at random, then add Gaussian
noise whose covariance is the kernel covariance (``factor² ×`` the data covariance, as in
:class:`scipy.stats.gaussian_kde`). Number columns get the noise; categorical and boolean
columns keep the picked row's values, so the joint distribution of the categories is the
empirical one. A missing value stays missing (the noise of a Gaussian restricted to the
observed columns is the matching sub-vector), so each column's missing share, and which
values go missing together, are those of the real rows.

Privacy note: every synthetic row is a real row plus small noise, so near-copies are
expected; check the distance-to-closest-record metrics before sharing.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..table import NUMERIC_KINDS, Table
from .base import ParamSpec, Synthesizer, check_n, psd_factor


def pairwise_covariance(x: np.ndarray) -> np.ndarray:
    """Sample covariance of the columns of ``x`` using, for each pair, the rows where both are observed.

    Equals ``numpy.cov(x, rowvar=False)`` when nothing is missing. A pair with fewer than two
    joint observations gets covariance 0. The result is made positive semi-definite.
    """
    x = np.asarray(x, dtype=float)
    obs = ~np.isnan(x)
    centre = np.where(obs, x, 0.0).sum(axis=0) / np.maximum(obs.sum(axis=0), 1)
    x0 = np.where(obs, x - centre, 0.0)
    m = obs.astype(float)
    n_ij = m.T @ m
    s_ij = x0.T @ m  # [i, j] = sum of x_i over rows where j is observed (and i, since x0 is 0 elsewhere)
    prod = x0.T @ x0
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (prod - s_ij * s_ij.T / n_ij) / (n_ij - 1)
    cov = np.where(n_ij >= 2, cov, 0.0)
    cov = (cov + cov.T) / 2
    w, v = np.linalg.eigh(cov) if cov.size else (np.zeros(0), cov)
    if w.size and w.min() < 0:
        cov = (v * np.clip(w, 0, None)) @ v.T
    return cov


def bandwidth_factor(bandwidth: str | float, n: int, d: int) -> float:
    """Scott's ``n^(-1/(d+4))``, Silverman's ``(n(d+2)/4)^(-1/(d+4))`` or the given factor."""
    if bandwidth == "scott":
        return float(n ** (-1.0 / (d + 4)))
    if bandwidth == "silverman":
        return float((n * (d + 2) / 4.0) ** (-1.0 / (d + 4)))
    return float(bandwidth)


class KDESynthesizer(Synthesizer):
    """Gaussian KDE over the number columns, smoothed bootstrap for the rest.

    ``bandwidth`` is ``"scott"``, ``"silverman"`` or a positive factor multiplying the
    data covariance's square root. After :meth:`fit`: ``factor_`` (the bandwidth factor),
    ``kernel_covariance_`` (over ``numeric_columns_``, in their units).
    """

    title = "Kernel density (smoothed bootstrap)"
    param_specs = (
        ParamSpec("bandwidth", "float_or_choice", "scott",
                  "Kernel width: 'scott', 'silverman' or a factor times the data spread.",
                  min=0.0, max=10.0, min_exclusive=True, choices=("scott", "silverman")),
    )

    def __init__(self, bandwidth: str | float = "scott"):
        self.bandwidth = bandwidth

    def fit(self, table: Table, *, rng=None) -> "KDESynthesizer":
        """Keep the rows and compute the kernel covariance (deterministic)."""
        params = self._validated_params()
        modelled = self._begin_fit(table)
        self.numeric_columns_ = [c.name for c in modelled if c.kind in NUMERIC_KINDS]
        self.other_columns_ = [c.name for c in modelled if c.kind not in NUMERIC_KINDS]
        self.data_ = table.matrix(self.modelled_)
        x = table.matrix(self.numeric_columns_)
        d = x.shape[1]
        self.factor_ = bandwidth_factor(params["bandwidth"], table.n_rows, d)
        self.kernel_covariance_ = self.factor_ ** 2 * pairwise_covariance(x) if d else np.zeros((0, 0))
        self.factor_matrix_ = psd_factor(self.kernel_covariance_)
        return self

    def sample(self, n: int, *, rng=None) -> Table:
        """``n`` rows: real rows picked at random, number columns jittered by the kernel."""
        self._check_fitted()
        n = check_n(n)
        rng = as_generator(rng)
        rows = self.data_[rng.integers(0, self.data_.shape[0], size=n)]
        pos = {name: j for j, name in enumerate(self.modelled_)}
        values = {name: rows[:, pos[name]] for name in self.other_columns_}
        d = len(self.numeric_columns_)
        if d:
            noise = rng.standard_normal((n, d)) @ self.factor_matrix_.T
            for j, name in enumerate(self.numeric_columns_):
                values[name] = rows[:, pos[name]] + noise[:, j]
        return self._assemble(values, n)
