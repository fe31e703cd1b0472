"""What an exercise's hidden checks call. Each check raises :class:`CheckFailed` with a
sentence that says what was measured, or returns a dict of what it measured.

Statistical checks run the learner's function with seeded generators (seeds 1..runs) and
test each run at ``alpha / runs`` (Bonferroni), so a correct solution fails a check with
probability at most ``alpha`` (default 1e-5, i.e. under 1 in 10,000 by a factor of ten).
The p-values' calibration and the power figures below are measured in
``tests/unit/test_grading.py``.
"""

from __future__ import annotations

import random
from typing import Any, Callable

import numpy as np

from . import stats
from .stats import empirical_cdf, laplace_cdf, normal_cdf, uniform_cdf

__all__ = ["CheckFailed", "expect", "samples_follow", "samples_match", "frequencies_match", "noise_scale",
           "uses_rng", "matches_reference", "normal_cdf", "laplace_cdf", "uniform_cdf", "empirical_cdf", "fmt"]

ALPHA = 1e-5
RUNS = 3


class CheckFailed(AssertionError):
    """A check did not hold; the message is shown to the learner as is."""

    def __init__(self, message: str, **measured: Any):
        super().__init__(message)
        self.measured = measured


def expect(condition: Any, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message)


def fmt(x: float) -> str:
    """A number as the feedback shows it (3 significant digits)."""
    return f"{x:.3g}"


def _p(p: float) -> str:
    """``p = 0.003`` or ``p < 1e-16`` (the p-value as feedback shows it)."""
    return "p < 1e-16" if p < 1e-16 else f"p = {p:.1g}"


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _as_sample(value: Any, n: int | None, what: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{what} should be numbers, but got {type(value).__name__}.") from None
    if arr.ndim != 1:
        raise CheckFailed(f"{what} should be a flat array of numbers, but has shape {arr.shape}.")
    if n is not None and arr.size != n:
        raise CheckFailed(f"{what} should hold {n} values, but holds {arr.size}.")
    if arr.size < 20:
        raise CheckFailed(f"{what} holds only {arr.size} values; too few to judge.")
    if not np.all(np.isfinite(arr)):
        raise CheckFailed(f"{what} contain NaN or infinite values.")
    return arr


def _moments_note(sample: np.ndarray, mean: float | None, std: float | None, z: float) -> str:
    parts = []
    se = sample.size ** -0.5
    if mean is not None and std:
        tol = z * std * se
        parts.append(f"your samples' mean is {fmt(sample.mean())}, expected {fmt(mean)} ± {fmt(tol)}")
    if std:
        tol = z * std * se * 1.5  # the sd of a sample sd is about std/√(2n); 1.5 covers heavy tails
        parts.append(f"their standard deviation is {fmt(sample.std())}, expected {fmt(std)} ± {fmt(tol)}")
    return ("; ".join(parts) + ".") if parts else ""


def samples_follow(draw: Callable[[np.random.Generator], Any], cdf: Callable, *, n: int | None = None,
                   mean: float | None = None, std: float | None = None, what: str = "the target distribution",
                   runs: int = RUNS, alpha: float = ALPHA) -> dict:
    """One-sample KS test of ``draw(rng)`` against the continuous ``cdf``, on ``runs`` seeds.

    False-fail rate for a correct sampler: at most ``alpha`` (1e-5 by default); the p-values'
    calibration is tested in tests/unit/test_grading.py. Power with n = 2,000 per run, target
    N(0, 1) (measured, 500 repetitions, benchmarks/grading_power.py): variance used as sd
    (sd √2) → 1.00; mean off by 0.2 sd → 1.00; uniform with the same mean and sd → 1.00;
    sd 1.3 → 1.00; sd 1.2 → 0.64; sd 1.1 → 0.01 (KS is weak against small scale errors:
    use :func:`noise_scale`'s exact scale test when the scale is what matters).
    """
    z = stats.normal_quantile(alpha / runs / 2)
    worst = None
    for seed in range(1, runs + 1):
        sample = _as_sample(draw(_rng(seed)), n, "Your samples")
        d, p = stats.ks_1samp(sample, cdf)
        if worst is None or p < worst[1]:
            worst = (d, p, seed, sample)
    d, p, seed, sample = worst
    measured = {"ks": d, "p": p, "seed": seed, "mean": float(sample.mean()), "std": float(sample.std())}
    if p < alpha / runs:
        raise CheckFailed(f"Your samples do not follow {what}: with seed {seed} their KS distance from it is "
                          f"{fmt(d)} ({_p(p)}; the check fails below p = {alpha / runs:.1g}, which a correct "
                          f"sampler reaches less than once in {round(1 / alpha):,} checks). "
                          + _moments_note(sample, mean, std, z), **measured)
    return measured


def samples_match(draw: Callable[[np.random.Generator], Any], reference: Callable[[np.random.Generator], Any], *,
                  n: int | None = None, what: str = "our reference sampler", runs: int = RUNS,
                  alpha: float = ALPHA) -> dict:
    """Two-sample KS test of ``draw(rng)`` against ``reference(rng)`` (independent seeds).

    Use it when the target has no closed-form CDF (an empirical or fitted model). The
    false-fail bound is ``alpha`` as for :func:`samples_follow`. Power with 2,000 + 2,000
    values, reference N(0, 1) (measured, 500 repetitions): mean off by 0.2 sd → 0.98;
    uniform on [−3.3, 3.3] → 1.00; sd 1.4 → 1.00; sd 1.2 → 0.04.
    """
    z = stats.normal_quantile(alpha / runs / 2)
    worst = None
    for seed in range(1, runs + 1):
        sample = _as_sample(draw(_rng(seed)), n, "Your samples")
        ref = _as_sample(reference(_rng(10_000 + seed)), None, "The reference sample")
        d, p = stats.ks_2samp(sample, ref)
        if worst is None or p < worst[1]:
            worst = (d, p, seed, sample, ref)
    d, p, seed, sample, ref = worst
    measured = {"ks": d, "p": p, "seed": seed, "mean": float(sample.mean()), "std": float(sample.std())}
    if p < alpha / runs:
        se_scale = float(ref.std()) * (2 ** 0.5)  # two samples: the difference's sd is larger
        raise CheckFailed(f"Your samples do not match {what}: with seed {seed} the KS distance between them is "
                          f"{fmt(d)} ({_p(p)}). " + _moments_note(sample, float(ref.mean()), se_scale, z)
                          .replace(f"expected {fmt(se_scale)}", f"expected {fmt(ref.std())}"), **measured)
    return measured


def frequencies_match(draw: Callable[[np.random.Generator], Any], probs: dict, *, n: int | None = None,
                      what: str = "the target frequencies", runs: int = RUNS, alpha: float = ALPHA) -> dict:
    """Chi-square goodness-of-fit of the labels ``draw(rng)`` returns against ``probs`` (label → p).

    A label outside ``probs`` fails at once. False-fail bound ``alpha``. Power with n = 2,000,
    target 0.5/0.3/0.2 (measured, 500 repetitions): 0.55/0.25/0.2 → 0.94; uniform → 1.00.
    """
    labels = list(probs)
    p = np.array([probs[k] for k in labels], dtype=float)
    worst = None
    for seed in range(1, runs + 1):
        values = np.asarray(draw(_rng(seed)), dtype=object).ravel()
        if n is not None and values.size != n:
            raise CheckFailed(f"Your function should return {n} labels, but returned {values.size}.")
        keys = [v.item() if hasattr(v, "item") else v for v in values]
        unknown = sorted({str(k) for k in keys if k not in probs})
        if unknown:
            raise CheckFailed(f"Your labels include {', '.join(unknown[:3])}, which should never appear.")
        counts = np.array([sum(1 for k in keys if k == label) for label in labels], dtype=float)
        stat, pv = stats.chisquare(counts, p * values.size)
        if worst is None or pv < worst[1]:
            worst = (stat, pv, seed, counts)
    stat, pv, seed, counts = worst
    shares = ", ".join(f"{lab}: {fmt(c / counts.sum())} (expected {fmt(q)})" for lab, c, q in zip(labels, counts, p))
    measured = {"chi2": stat, "p": pv, "seed": seed, "shares": (counts / counts.sum()).tolist()}
    if pv < alpha / runs:
        raise CheckFailed(f"Your labels' frequencies do not match {what}: with seed {seed}, {shares} "
                          f"(chi-square {fmt(stat)}, {_p(pv)}).", **measured)
    return measured


def _scale_p(noise: np.ndarray, scale: float, kind: str) -> float:
    """Exact two-sided p-value of the noise's scale: Σ|x|/b ~ Gamma(n, 1) for Laplace noise,
    Σx²/σ² ~ χ²(n) = Gamma(n/2, 2) for Gaussian noise."""
    n = noise.size
    if kind == "laplace":
        upper = stats.gammaincc(n, float(np.sum(np.abs(noise))) / scale)
    else:
        upper = stats.gammaincc(n / 2.0, float(np.sum(noise ** 2)) / (2.0 * scale ** 2))
    return float(min(1.0, 2.0 * min(upper, 1.0 - upper)))


def noise_scale(mechanism: Callable[[np.random.Generator], float], *, true_value: float, scale: float,
                n: int = 2000, kind: str = "laplace", runs: int = RUNS, alpha: float = ALPHA) -> dict:
    """Call ``mechanism(rng)`` ``n`` times per run; its noise (output − ``true_value``) must be
    Laplace(0, ``scale``) (or ``kind="gaussian"``: N(0, scale²)).

    Two tests per run, each at ``alpha / (2 runs)``: an exact test of the scale (Σ|noise|/scale
    is Gamma(n, 1) for Laplace noise; Σnoise²/scale² is χ²(n) for Gaussian noise) and a KS test
    of the shape. False-fail bound ``alpha``. Power for ε = 0.5, sensitivity 1 (scale 2),
    n = 2,000 (measured, 500 repetitions, benchmarks/grading_power.py): scale ε instead of 1/ε
    → 1.00; scale 2/ε → 1.00; Gaussian noise with sd 2 → 1.00 (the KS test alone: 0.23);
    Laplace scale 2.2 instead of 2 → 0.69; no noise → fails at once.
    """
    if kind not in ("laplace", "gaussian"):
        raise ValueError("kind must be 'laplace' or 'gaussian'")
    cdf = laplace_cdf(0.0, scale) if kind == "laplace" else normal_cdf(0.0, scale)
    level = alpha / (2 * runs)
    worst = None
    for seed in range(1, runs + 1):
        gen = _rng(seed)
        outputs = [mechanism(gen) for _ in range(n)]
        noise = _as_sample(outputs, n, "Your noisy answers") - true_value
        if np.allclose(noise, noise[0]):
            raise CheckFailed(f"Your mechanism returned the same answer ({fmt(noise[0] + true_value)}) every time: "
                              "it adds no random noise.")
        d, p_ks = stats.ks_1samp(noise, cdf)
        p_scale = _scale_p(noise, scale, kind)
        p = min(p_ks, p_scale)
        if worst is None or p < worst[2]:
            worst = (d, p_ks, p, p_scale, seed, noise)
    d, p_ks, p, p_scale, seed, noise = worst
    b_hat = float(np.mean(np.abs(noise))) if kind == "laplace" else float(np.sqrt(np.mean(noise ** 2)))
    z = stats.normal_quantile(level / 2)
    tol = z * scale / np.sqrt(n) * (1.0 if kind == "laplace" else 0.71)
    measured = {"ks": d, "p": p, "p_ks": p_ks, "p_scale": p_scale, "seed": seed, "scale": b_hat,
                "mean": float(noise.mean())}
    if p < level:
        name = "mean absolute noise (the Laplace scale)" if kind == "laplace" else "noise standard deviation"
        sd = scale * (2 ** 0.5 if kind == "laplace" else 1.0)
        raise CheckFailed(f"Your noise does not look like {kind.capitalize()} noise of scale {fmt(scale)}: with seed {seed} "
                          f"your {name} is {fmt(b_hat)}, expected {fmt(scale)} ± {fmt(tol)}; its mean is "
                          f"{fmt(noise.mean())}, expected 0 ± {fmt(z * sd / np.sqrt(n))} (scale test {_p(p_scale)}, "
                          f"KS distance {fmt(d)}, {_p(p_ks)}).", **measured)
    return measured


def _same(a: Any, b: Any) -> bool:
    try:
        x, y = np.asarray(a), np.asarray(b)
        if x.dtype.kind in "fc" or y.dtype.kind in "fc":
            return x.shape == y.shape and bool(np.array_equal(x, y, equal_nan=True))
        return x.shape == y.shape and bool(np.all(x == y))
    except (TypeError, ValueError):
        return a == b


def uses_rng(func: Callable[[np.random.Generator], Any], *, seeds: tuple[int, int] = (7, 8)) -> dict:
    """``func(rng)`` must give the same output for the same seed and differ across seeds.

    The global generators (``np.random`` and ``random``) are reseeded differently between the
    two same-seed calls (and restored afterwards), so a function that draws from them fails.
    Deterministic: no false fails.
    """
    np_state, py_state = np.random.get_state(), random.getstate()
    try:
        np.random.seed(11), random.seed(11)
        first = func(_rng(seeds[0]))
        np.random.seed(12), random.seed(12)
        again = func(_rng(seeds[0]))
        other = func(_rng(seeds[1]))
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)
    if not _same(first, again):
        raise CheckFailed("The same seed gave different outputs: your function draws from a random source other "
                          "than the rng it is given (np.random.* or the random module?). Use rng.normal, rng.choice, ….")
    if _same(first, other):
        raise CheckFailed(f"Seeds {seeds[0]} and {seeds[1]} gave the same output: your function does not use the rng "
                          "it is given (did you create your own generator with a fixed seed?).")
    return {"reproducible": True, "varies": True}


def _short(value: Any, limit: int = 120) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, np.ndarray) and value.size > 8:
        return f"an array of shape {value.shape}"
    with np.printoptions(precision=4, threshold=8, edgeitems=3):
        text = repr(value) if not isinstance(value, np.ndarray) else np.array2string(value, separator=", ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def matches_reference(func: Callable, reference: Callable, cases: list, *, rtol: float = 1e-6,
                      atol: float = 1e-9, what: str = "our implementation") -> dict:
    """``func(*case)`` must equal ``reference(*case)`` within ``rtol``/``atol`` on every case.

    ``cases`` is a list of argument tuples (often drawn at random with a fixed seed in the
    check). Deterministic: no false fails. Feedback names the first case that differs.
    """
    worst = 0.0
    for i, case in enumerate(cases, 1):
        args = case if isinstance(case, tuple) else (case,)
        ours = reference(*args)
        try:
            theirs = func(*args)
        except CheckFailed:
            raise
        if theirs is None:
            raise CheckFailed("Your function returned None: did you forget `return`?")
        try:
            close = np.allclose(np.asarray(theirs, dtype=float), np.asarray(ours, dtype=float), rtol=rtol, atol=atol)
            gap = float(np.max(np.abs(np.asarray(theirs, dtype=float) - np.asarray(ours, dtype=float))))
        except (TypeError, ValueError):
            close, gap = False, float("inf")
        if not close:
            inputs = "arguments: " + ", ".join(_short(a, 60) for a in args)
            raise CheckFailed(f"On test case {i} of {len(cases)} ({inputs}) your function returned {_short(theirs)}; "
                              f"{what} gives {_short(ours)} (tolerance {rtol:g} relative).", case=i)
        worst = max(worst, gap)
    return {"cases": len(cases), "max_gap": worst}
