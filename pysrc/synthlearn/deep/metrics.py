"""Per-frame quality numbers for 2-D samples: modes covered and the MMD to the real sample."""

from __future__ import annotations

import numpy as np

from .toy import RING_STD, ring_centers

MODE_RADIUS = 3 * RING_STD   # a sample is "at" a mode when within 3 standard deviations of its centre
MODE_SHARE = 0.25            # a mode counts when it holds at least a quarter of its fair share (1/8)


def mode_counts(samples: np.ndarray, centers: np.ndarray | None = None, radius: float = MODE_RADIUS) -> np.ndarray:
    """How many samples fall within ``radius`` of each centre."""
    centers = ring_centers() if centers is None else centers
    d = np.sqrt(((samples[:, None, :] - centers[None, :, :]) ** 2).sum(-1))
    nearest = d.argmin(axis=1)
    near = d[np.arange(len(samples)), nearest] <= radius
    return np.bincount(nearest[near], minlength=len(centers))


def modes_covered(samples: np.ndarray, centers: np.ndarray | None = None, radius: float = MODE_RADIUS,
                  share: float = MODE_SHARE) -> int:
    """Number of modes holding at least ``share`` x (n / k) samples within ``radius``."""
    counts = mode_counts(samples, centers, radius)
    return int((counts >= share * len(samples) / len(counts)).sum())


def high_quality_share(samples: np.ndarray, centers: np.ndarray | None = None, radius: float = MODE_RADIUS) -> float:
    """Share of samples that sit within ``radius`` of some mode."""
    return float(mode_counts(samples, centers, radius).sum() / len(samples))


def mmd(x: np.ndarray, y: np.ndarray, bandwidth: float = 0.5) -> float:
    """Squared maximum mean discrepancy with a Gaussian kernel (biased V-statistic, >= 0)."""
    def k(a, b):
        d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
        return np.exp(-np.maximum(d2, 0.0) / (2 * bandwidth ** 2))
    return float(max(k(x, x).mean() + k(y, y).mean() - 2 * k(x, y).mean(), 0.0))
