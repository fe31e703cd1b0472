"""Fit & sample: learn a one-dimensional distribution, then draw synthetic values from it.

The Methods lesson's first demo. It shows the shared idea of every statistical
synthesizer — *fit* a model to real values, *sample* new ones — and why the model's
shape matters: a single Gaussian cannot reproduce two peaks; a KDE can.
"""

from __future__ import annotations

import numpy as np

from .._rng import SEED_MAX, as_generator
from ..stats import describe, ks_statistic
from ..univariate import GaussianUnivariate, KDEUnivariate
from ._result import choice, metric, number

DISTRIBUTIONS = {
    "normal": "Normal",
    "lognormal": "Skewed (log-normal)",
    "bimodal": "Bimodal mixture",
    "uniform": "Uniform",
    "heavy_tailed": "Heavy-tailed (Student t, 3 d.f.)",
}
METHODS = {"gaussian": "Gaussian fit", "kde": "Kernel density (KDE)"}


def true_sample(distribution: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw the "real" data the demo pretends was measured."""
    if distribution == "normal":
        return rng.normal(50.0, 10.0, n)
    if distribution == "lognormal":
        return rng.lognormal(3.0, 0.6, n)
    if distribution == "bimodal":
        first = rng.random(n) < 0.5
        return np.where(first, rng.normal(30.0, 5.0, n), rng.normal(70.0, 6.0, n))
    if distribution == "uniform":
        return rng.uniform(0.0, 100.0, n)
    return 50.0 + 10.0 * rng.standard_t(3, n)


def _verdict(distribution: str, method: str, ks: float, n: int) -> str:
    # The two-sample KS test at the 5% level rejects "same distribution" when
    # D > c(0.05) * sqrt((n + m) / (n * m)) with c = 1.358 (Smirnov's asymptotic value).
    critical = 1.358 * np.sqrt(2.0 / n)
    name = DISTRIBUTIONS[distribution].split(" (")[0].lower()
    if ks <= critical:
        head = (f"The synthetic sample is hard to tell apart from the real one: KS = {ks:.3f} is below "
                f"{critical:.3f}, the 5% critical value for two samples of {n}.")
    else:
        head = (f"The synthetic sample differs detectably from the real one: KS = {ks:.3f} is above "
                f"{critical:.3f}, the 5% critical value for two samples of {n}.")
    if method == "gaussian" and distribution == "bimodal":
        why = " A single bell curve puts its peak in the valley between the two real modes."
    elif method == "gaussian" and distribution == "lognormal":
        why = " A symmetric bell curve cannot follow the long right tail, and it draws impossible negative-side values."
    elif method == "gaussian" and distribution == "uniform":
        why = " A bell curve spills past the hard edges of a uniform range."
    elif method == "gaussian" and distribution == "heavy_tailed":
        why = " The sample standard deviation is inflated by rare extremes, so the bell curve is too wide in the middle."
    elif method == "kde" and ks > critical:
        why = " The kernel smooths the real values; with sharp edges or extreme tails the smoothing shows."
    elif method == "kde":
        why = f" A KDE makes no assumption about the shape of the {name} data; it follows the sample itself."
    else:
        why = " Here the Gaussian assumption matches how the data were made."
    return head + why


def run(distribution: str = "bimodal", n: int = 1000, method: str = "gaussian", seed: int = 42,
        figure: bool = True) -> dict:
    """Fit ``method`` to ``n`` values from ``distribution``, sample ``n`` synthetic values, compare."""
    choice("distribution", distribution, DISTRIBUTIONS)
    choice("method", method, METHODS)
    n = number("n", n, 100, 10_000, integer=True)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    rng = as_generator(seed)
    real = true_sample(distribution, n, rng)
    model = GaussianUnivariate() if method == "gaussian" else KDEUnivariate()
    synthetic = model.fit(real).sample(n, rng=rng)
    ks = ks_statistic(real, synthetic)
    r, s = describe(real), describe(synthetic)
    result = {
        "summary": _verdict(distribution, method, ks, n),
        "metrics": [
            metric("real_mean", "Real mean", r["mean"], ".2f", "Average of the real sample."),
            metric("synthetic_mean", "Synthetic mean", s["mean"], ".2f", "Average of the synthetic sample."),
            metric("real_std", "Real σ", r["std"], ".2f", "Sample standard deviation of the real values."),
            metric("synthetic_std", "Synthetic σ", s["std"], ".2f", "Sample standard deviation of the synthetic values."),
            metric("ks", "KS distance", ks, ".3f",
                   "Largest vertical gap between the two empirical CDFs: 0 = identical, 1 = no overlap."),
        ],
    }
    if figure:
        result["figures"] = [_figure(real, synthetic, distribution, method)]
    return result


_FIGURE: dict = {}  # the one figure this demo draws, reused across calls (see _figure)


def _new_figure() -> dict:
    from matplotlib.ticker import MaxNLocator

    from ..plotting import REAL, SYNTHETIC, new_figure

    fig = new_figure(6.4, 3.2, layout=None)  # fixed margins: interactive redraws stay fast
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.15, top=0.96)
    ax = fig.add_subplot()
    # one artist per sample (stairs) instead of 40 bar patches: several times faster to draw
    real = ax.stairs([0.0], [0.0, 1.0], fill=True, alpha=0.55, color=REAL, label="real")
    synthetic = ax.stairs([0.0], [0.0, 1.0], linewidth=2, color=SYNTHETIC, label="synthetic")
    ax.set_xlabel("value")
    ax.set_ylabel("density")
    # fixed label positions: matplotlib then skips measuring every tick label again to place them
    ax.xaxis.set_label_coords(0.5, -0.12)
    ax.yaxis.set_label_coords(-0.095, 0.5)
    # at most 6 ticks per axis: each tick label is laid out and measured on every draw
    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.spines[["top", "right"]].set_visible(False)
    return {"fig": fig, "ax": ax, "real": real, "synthetic": synthetic}


def _figure(real: np.ndarray, synthetic: np.ndarray, distribution: str, method: str) -> dict:
    """The histogram figure. A slider moves many times a second in the browser, so the figure,
    its axes and its two artists are made once and only their data change: the axes keep their
    tick objects and text layouts, which are most of a fresh figure's drawing time. The SVG is
    the same as a fresh figure's (tests/unit/test_fit_sample.py checks)."""
    from ..plotting import figure_svg

    if not _FIGURE:
        _FIGURE.update(_new_figure())
    f = _FIGURE
    lo = min(real.min(), synthetic.min())
    hi = max(real.max(), synthetic.max())
    if distribution == "heavy_tailed":  # keep the bulk readable; extremes are few
        lo, hi = np.percentile(np.concatenate([real, synthetic]), [0.5, 99.5])
    bins = np.linspace(lo, hi, 41)
    real_density, _ = np.histogram(real, bins=bins, density=True)
    synthetic_density, _ = np.histogram(synthetic, bins=bins, density=True)
    f["real"].set_data(real_density, bins)
    f["synthetic"].set_data(synthetic_density, bins)
    ax = f["ax"]
    # limits set directly: relim() on step patches walks every Bézier segment (a third of the
    # non-drawing time in Pyodide); this is the view autoscaling would pick (5 % x margins, y from 0)
    margin = 0.05 * (hi - lo) if hi > lo else 0.5
    ax.set_xlim(lo - margin, hi + margin)
    ax.set_ylim(0.0, 1.05 * max(real_density.max(), synthetic_density.max(), 1e-12))
    label = f"synthetic ({METHODS[method]})"
    if "legend" not in f:
        f["synthetic"].set_label(label)
        f["legend"] = ax.legend(frameon=False, loc="upper right")
    else:
        f["legend"].get_texts()[1].set_text(label)
    alt = (f"Histogram of {real.size} real values from a {DISTRIBUTIONS[distribution]} distribution "
           f"with the {METHODS[method]} synthetic sample drawn over it as an outline.")
    return {"alt": alt, "svg": figure_svg(f["fig"])}
