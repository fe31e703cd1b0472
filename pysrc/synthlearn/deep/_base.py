"""Shared fit/sample plumbing of the deep models (scikit-learn style)."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from .._rng import as_generator
from ..errors import InputError


def check_data(X) -> np.ndarray:
    """A finite 2-D float array with at least 8 rows."""
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise InputError("The training data must be numbers.") from None
    if X.ndim != 2 or X.shape[0] < 8 or X.shape[1] < 1:
        raise InputError("The training data must be a table of at least 8 rows of numbers.")
    if not np.isfinite(X).all():
        raise InputError("The training data contain missing or infinite values; drop or fill them first.")
    return X


def check_int(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise InputError(f"{name} must be a whole number between {lo} and {hi}, not {value!r}.")
    return int(value)


def check_float(name: str, value, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise InputError(f"{name} must be a number between {lo:g} and {hi:g}, not {value!r}.")
    return float(value)


class DeepModel:
    """``fit`` runs ``fit_iter`` to the end; ``fit_iter`` yields the step count every ``every`` steps."""

    steps: int
    history_: dict

    def _setup(self, X: np.ndarray, rng: np.random.Generator) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _step(self, X: np.ndarray, rng: np.random.Generator) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit_iter(self, X, rng: int | np.random.Generator | None = None, every: int = 50) -> Iterator[int]:
        """Train for ``self.steps`` steps, yielding the number of steps done every ``every`` steps."""
        X = check_data(X)
        every = check_int("every", every, 1, 10**6)
        rng = as_generator(rng)
        self._setup(X, rng)
        self.history_ = {}
        for step in range(1, self.steps + 1):
            for key, value in self._step(X, rng).items():
                self.history_.setdefault(key, []).append(value)
            if step % every == 0 or step == self.steps:
                yield step

    def fit(self, X, rng: int | np.random.Generator | None = None) -> "DeepModel":
        for _ in self.fit_iter(X, rng, every=self.steps):
            pass
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "history_"):
            raise InputError(f"Fit the {type(self).__name__} before sampling from it.")


def batch(X: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    return X[rng.integers(0, len(X), size)]
