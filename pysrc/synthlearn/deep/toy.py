"""Two-dimensional data sets that show what deep generative models get right and wrong."""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..errors import InputError

TOY_DATASETS = {
    "ring": "Ring of 8 Gaussians",
    "moons": "Two moons",
    "spiral": "Spiral",
    "penguins": "Penguins: flipper length vs body mass (standardised)",
}
RING_RADIUS = 2.0
RING_STD = 0.15


def ring_centers(k: int = 8, radius: float = RING_RADIUS) -> np.ndarray:
    angles = 2 * np.pi * np.arange(k) / k
    return radius * np.column_stack([np.cos(angles), np.sin(angles)])


def _penguins() -> np.ndarray:
    from ..datasets import load

    table = load("penguins")
    x = np.column_stack([table["flipper_length_mm"].values, table["body_mass_g"].values])
    x = x[np.isfinite(x).all(axis=1)]
    return (x - x.mean(axis=0)) / x.std(axis=0)


def make_toy(name: str, n: int, rng: int | np.random.Generator | None = None) -> np.ndarray:
    """``n`` points of the named 2-D data set (``penguins`` resamples the real rows)."""
    rng = as_generator(rng)
    if name == "ring":
        centers = ring_centers()
        return centers[rng.integers(0, len(centers), n)] + rng.normal(0.0, RING_STD, (n, 2))
    if name == "moons":
        t = rng.uniform(0.0, np.pi, n)
        upper = rng.random(n) < 0.5
        x = np.where(upper, np.cos(t), 1.0 - np.cos(t))
        y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
        pts = np.column_stack([x - 0.5, y - 0.25]) * 1.5
        return pts + rng.normal(0.0, 0.08, (n, 2))
    if name == "spiral":
        t = np.sqrt(rng.uniform(0.0, 1.0, n)) * 3.0 * np.pi
        r = t / (1.5 * np.pi)
        pts = np.column_stack([r * np.cos(t), r * np.sin(t)])
        return pts + rng.normal(0.0, 0.05, (n, 2))
    if name == "penguins":
        real = _penguins()
        return real[rng.integers(0, len(real), n)]
    raise InputError(f"'{name}' is not a toy data set; choose one of: {', '.join(TOY_DATASETS)}.")
