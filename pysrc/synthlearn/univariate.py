"""One-dimensional distributions with ``fit`` and ``sample``.

Each class is a few lines on purpose: it is what the Methods lesson shows. ``fit``
drops missing values; ``sample`` takes an explicit ``rng``.
"""

from __future__ import annotations

import math

import numpy as np

from . import validation
from ._rng import as_generator
from .errors import InputError

MAX_SAMPLES = 10_000_000  # draws in one call: a one-column sample may be larger than a table


def _finite(x: np.ndarray | list, what: str, minimum: int = 2) -> np.ndarray:
    x = np.asarray(x, dtype=float).ravel()
    x = x[~np.isnan(x)]
    if x.size < minimum:
        raise InputError(f"{what} needs at least {minimum} non-missing values, got {x.size}.")
    if not np.all(np.isfinite(x)):
        raise InputError(f"{what} cannot use infinite values.")
    return x


def _check_n(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise InputError(f"The number of samples must be a whole number ≥ 0, not {n!r}.")
    return validation.whole_number(n, "The number of samples", 0, MAX_SAMPLES)


class GaussianUnivariate:
    """Normal distribution fitted by its sample mean and standard deviation."""

    def fit(self, x: np.ndarray) -> "GaussianUnivariate":
        x = _finite(x, "A Gaussian fit")
        self.mean_ = float(x.mean())
        self.std_ = float(x.std(ddof=1))
        return self

    def sample(self, n: int, *, rng=None) -> np.ndarray:
        return as_generator(rng).normal(self.mean_, self.std_, size=_check_n(n))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        from scipy.special import ndtr

        if self.std_ == 0:
            return (np.asarray(x, dtype=float) >= self.mean_).astype(float)
        return ndtr((np.asarray(x, dtype=float) - self.mean_) / self.std_)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        from scipy.special import ndtri

        return self.mean_ + self.std_ * ndtri(np.asarray(u, dtype=float))

    def to_dict(self) -> dict:
        return {"type": "gaussian", "mean": self.mean_, "std": self.std_}


class KDEUnivariate:
    """Gaussian kernel density estimate; sampling is a smoothed bootstrap.

    ``bandwidth`` is ``"scott"`` (n^(-1/5), as :class:`scipy.stats.gaussian_kde`),
    ``"silverman"`` ((3n/4)^(-1/5)), or a positive factor that multiplies the
    sample standard deviation, so the kernel width is ``factor * std``.
    """

    def __init__(self, bandwidth: str | float = "scott"):
        self.bandwidth = bandwidth

    def fit(self, x: np.ndarray) -> "KDEUnivariate":
        x = _finite(x, "A kernel density estimate")
        n = x.size
        if self.bandwidth == "scott":
            factor = n ** (-1 / 5)
        elif self.bandwidth == "silverman":
            factor = (n * 3 / 4) ** (-1 / 5)
        elif isinstance(self.bandwidth, (int, float)) and not isinstance(self.bandwidth, bool) and self.bandwidth > 0:
            factor = float(self.bandwidth)
        else:
            raise InputError(f"bandwidth must be 'scott', 'silverman' or a positive number, not {self.bandwidth!r}.")
        self.data_ = x
        self.factor_ = float(factor)
        self.kernel_std_ = float(factor * x.std(ddof=1))
        return self

    def sample(self, n: int, *, rng=None) -> np.ndarray:
        rng = as_generator(rng)
        n = _check_n(n)
        picks = self.data_[rng.integers(0, self.data_.size, size=n)]
        return picks + rng.normal(0.0, self.kernel_std_, size=n)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        h = self.kernel_std_
        if h == 0:
            return np.where(np.isin(x, self.data_), np.inf, 0.0)
        z = (x[..., None] - self.data_) / h
        return np.exp(-0.5 * z * z).sum(axis=-1) / (self.data_.size * h * math.sqrt(2 * math.pi))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        from scipy.special import ndtr

        x = np.asarray(x, dtype=float)
        h = self.kernel_std_ or 1e-300
        return ndtr((x[..., None] - self.data_) / h).mean(axis=-1)


class EmpiricalUnivariate:
    """The data's own distribution: a piecewise-linear CDF through the sorted values."""

    def fit(self, x: np.ndarray) -> "EmpiricalUnivariate":
        x = np.sort(_finite(x, "An empirical distribution", minimum=1))
        self.values_ = x
        n = x.size
        # plotting positions (i + 0.5) / n keep ppf inside the observed range
        self.probs_ = (np.arange(n) + 0.5) / n
        return self

    def cdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return np.searchsorted(self.values_, x, side="right") / self.values_.size

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.interp(np.asarray(u, dtype=float), self.probs_, self.values_)

    def sample(self, n: int, *, rng=None) -> np.ndarray:
        return self.ppf(as_generator(rng).random(_check_n(n)))
