"""An empirical privacy audit of the differentially private synthesizer (MST).

A differential-privacy guarantee bounds how well *any* test can tell two neighbouring
tables apart from what the mechanism releases. Auditing turns that around (Jagielski,
Ullman & Oprea 2020; Nasr et al. 2021): run the mechanism many times on a table ``D`` and on
``D`` plus one **canary** row, attack every release, and bound from below how distinguishable
the two worlds were. A lower bound above the claimed ε proves the implementation broken; a
bound below it is consistent with the claim (it cannot prove the claim).

**The attack** reads what MST releases — its noisy one- and two-way counts (the synthetic
rows are drawn from them, so any attack on rows is weaker). The auditor knows ``D``, so the
canary's cell in every measured table has a known count without the canary; the score is
the noise-weighted sum of the excesses in those cells, ``Σ_m (y_m − c_m) / σ_m²``, divided by
``sqrt(Σ_m 1 / σ_m²)`` with the σ the implementation *states* (:meth:`privacy_report`).
Without the canary it is standard normal; with it, its mean is
``μ = sqrt(Σ 1/σ_m²)``. The test says "canary" when the score exceeds a threshold fixed in
advance (half the claimed μ), giving a false-positive rate (FPR, runs without the canary)
and a true-positive rate (TPR, runs with it).

**Two lower bounds**, from Clopper–Pearson intervals on TPR and FPR (each at ``1 − α/2``,
so both hold together with confidence ``1 − α``):

* ``epsilon_lower_generic`` — no assumption about the mechanism: (ε, δ)-DP implies
  ``TPR ≤ e^ε · FPR + δ``, so ``ε ≥ log((TPR_low − δ) / FPR_high)`` (Jagielski et al. 2020).
  Valid for any mechanism, but weak for Gaussian noise at small ε: it needs many runs to
  move away from zero;
* ``mu_lower`` and ``epsilon_lower`` — the measurements are Gaussian, whose trade-off
  between TPR and FPR is that of μ-Gaussian DP (Dong, Roth & Su 2019):
  ``TPR ≤ Φ(Φ⁻¹(FPR) + μ)``. So ``μ ≥ Φ⁻¹(TPR_low) − Φ⁻¹(FPR_high)``, and ``epsilon_lower``
  is the ε of a ``mu_lower``-GDP mechanism at the stated δ. This assumes the release is a
  Gaussian mechanism — true of the measurements audited here, and of an implementation whose
  noise is merely on the wrong scale, the bug this audit is meant to catch.

The claim compared against is the stated ε. A correct implementation gives
``epsilon_lower ≤ ε`` (with probability ≥ 1 − α); ``noise_scale=0.5`` audits a deliberately
broken MST (every Gaussian noise halved, the stated σ unchanged), which the audit should catch.
One-run auditing (Steinke, Nasr & Jagielski 2023) reaches similar bounds from a single
training run with many canaries; with a synthesizer that fits in milliseconds, many runs
are affordable, so this module uses the simpler many-runs design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._rng import as_generator
from .errors import InputError
from .table import Column, Table


def clopper_pearson(k: int, n: int, alpha: float) -> tuple[float, float]:
    """Two-sided ``1 − alpha`` Clopper–Pearson interval for a binomial proportion ``k / n``."""
    from scipy.stats import beta

    lo = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return lo, hi


def gdp_delta(epsilon: float, mu: float) -> float:
    """δ(ε) of μ-Gaussian DP: ``Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2)`` (Dong, Roth & Su 2019, Cor. 2.13)."""
    from scipy.special import log_ndtr

    if mu <= 0:
        return 0.0
    a = log_ndtr(-epsilon / mu + mu / 2)
    b = epsilon + log_ndtr(-epsilon / mu - mu / 2)
    return float(math.exp(a) * -math.expm1(b - a)) if b < a else 0.0


def gdp_epsilon(mu: float, delta: float) -> float:
    """The smallest ε with ``gdp_delta(ε, μ) ≤ δ`` (0 when μ ≤ 0)."""
    if mu <= 0 or gdp_delta(0.0, mu) <= delta:
        return 0.0
    lo, hi = 0.0, 1.0
    while gdp_delta(hi, mu) > delta:
        hi *= 2.0
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if gdp_delta(mid, mu) > delta else (lo, mid)
    return hi


def audit_table(n: int = 60, rng=0) -> Table:
    """A small categorical table for audits (three columns of 4, 3 and 2 categories)."""
    gen = as_generator(rng)
    a = gen.integers(0, 4, n)
    b = (a + gen.integers(0, 2, n)) % 3
    c = (gen.random(n) < 0.3 + 0.1 * b).astype(int)
    return Table((Column("a", "categorical", a.astype(float), categories=("a0", "a1", "a2", "a3")),
                  Column("b", "categorical", b.astype(float), categories=("b0", "b1", "b2")),
                  Column("c", "categorical", c.astype(float), categories=("c0", "c1"))))


@dataclass
class AuditResult:
    """Outcome of :func:`audit_mst` (all JSON-able through :meth:`to_dict`)."""

    epsilon: float
    delta: float
    noise_scale: float
    runs: int
    threshold: float
    mu_claimed: float
    tpr: float
    fpr: float
    tpr_low: float
    fpr_high: float
    mu_lower: float
    epsilon_lower: float
    epsilon_lower_generic: float
    confidence: float
    mean_score_without: float
    mean_score_with: float
    scores: dict | None = None   # {"without": array, "with": array}: the attack's scores (not in to_dict)

    @property
    def violation(self) -> bool:
        """True when the audit proves the claim false (``epsilon_lower > epsilon``)."""
        return self.epsilon_lower > self.epsilon

    @property
    def noise_violation(self) -> bool:
        """True when the attack's μ bound exceeds what the *stated* noise allows for the cells it read.

        A sharper test than :attr:`violation`: the stated ε also pays for the tree selection and
        the zCDP-to-(ε, δ) conversion, so a scale bug can stay below ε while breaking the noise claim.
        """
        return self.mu_lower > self.mu_claimed

    def to_dict(self) -> dict:
        out = {k: float(v) if isinstance(v, (float, np.floating)) else v for k, v in self.__dict__.items()
               if k != "scores"}
        out["violation"] = self.violation
        out["noise_violation"] = self.noise_violation
        return out


def _canary_score(model, codes: np.ndarray, canary: np.ndarray, names: list[str]) -> tuple[float, float]:
    """(standardised score, claimed μ) of one fitted MST, against the canary-free codes ``codes``."""
    sigma1, sigma3 = model._sigmas
    total, weight = 0.0, 0.0
    for j, name in enumerate(names):
        noisy = model.one_way_noisy_[name]
        base = np.count_nonzero(codes[:, j] == canary[j])
        total += (noisy[canary[j]] - base) / sigma1 ** 2
        weight += 1.0 / sigma1 ** 2
    for (pa, ch), noisy in model.two_way_noisy_.items():
        i, j = names.index(pa), names.index(ch)
        base = np.count_nonzero((codes[:, i] == canary[i]) & (codes[:, j] == canary[j]))
        total += (noisy[canary[i], canary[j]] - base) / sigma3 ** 2
        weight += 1.0 / sigma3 ** 2
    return total / math.sqrt(weight), math.sqrt(weight)


def _check(table: Table, canary: dict | None) -> tuple[Table, np.ndarray]:
    if not isinstance(table, Table) or table.n_rows < 2:
        raise InputError("The audit needs a table with at least two rows.")
    if not all(c.is_discrete for c in table.columns) or any(c.missing.any() for c in table.columns):
        raise InputError("The audit runs on a table of categorical columns without missing values.")
    if canary is None:
        values = np.array([len(c.categories) - 1 for c in table.columns])
    else:
        try:
            values = np.array([table[name].categories.index(str(canary[name])) for name in table.names])
        except (KeyError, ValueError):
            raise InputError("The canary must give one of its categories for every column of the table.") from None
    row = Table(tuple(c.with_values(np.array([float(v)])) for c, v in zip(table.columns, values)))
    with_canary = Table(tuple(c.with_values(np.r_[c.values, r.values]) for c, r in zip(table.columns, row.columns)))
    return with_canary, values


def audit_mst(table: Table | None = None, *, epsilon: float = 1.0, delta: float = 1e-9, runs: int = 400,
              canary: dict | None = None, noise_scale: float = 1.0, confidence: float = 0.95,
              rng=None) -> AuditResult:
    """Audit :class:`~synthlearn.synthesizers.mst.MSTSynthesizer` with one canary row (see the module docstring).

    ``runs`` fits without and as many with the canary (``table`` defaults to
    :func:`audit_table`; ``canary`` maps each column to a category, default the last of each).
    ``noise_scale`` ≠ 1 audits the deliberately broken variant (TEST ONLY).
    """
    from .synthesizers.mst import MSTSynthesizer

    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or not 10 <= runs <= 1_000_000:
        raise InputError(f"runs must be a whole number between 10 and 1,000,000, not {runs!r}.")
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be between 0 and 1, not {confidence!r}.")
    table = audit_table() if table is None else table
    gen = as_generator(rng)
    with_canary, values = _check(table, canary)
    codes = table.matrix().astype(np.intp)
    names = table.names
    scores = {False: [], True: []}
    mu_claimed = float("nan")
    for _ in range(int(runs)):
        for present in (False, True):
            model = MSTSynthesizer(epsilon=epsilon, delta=delta, missing="none")
            model._noise_scale = float(noise_scale)   # TEST-ONLY knob: 1.0 is the real mechanism
            model.fit(with_canary if present else table, rng=gen)
            s, mu_claimed = _canary_score(model, codes, values, names)
            scores[present].append(s)
    without, withc = np.array(scores[False]), np.array(scores[True])
    threshold = mu_claimed / 2
    alpha = 1 - confidence
    fp, tp = int(np.sum(without > threshold)), int(np.sum(withc > threshold))
    fpr_high = clopper_pearson(fp, without.size, alpha)[1]
    tpr_low = clopper_pearson(tp, withc.size, alpha)[0]
    from scipy.special import ndtri

    mu_lower = float(ndtri(tpr_low) - ndtri(fpr_high)) if 0 < tpr_low and fpr_high < 1 else 0.0
    mu_lower = max(mu_lower, 0.0)
    generic = math.log((tpr_low - delta) / fpr_high) if tpr_low > delta else 0.0
    return AuditResult(epsilon=float(epsilon), delta=float(delta), noise_scale=float(noise_scale), runs=int(runs),
                       threshold=threshold, mu_claimed=mu_claimed, tpr=tp / withc.size, fpr=fp / without.size,
                       tpr_low=tpr_low, fpr_high=fpr_high, mu_lower=mu_lower,
                       epsilon_lower=gdp_epsilon(mu_lower, delta), epsilon_lower_generic=max(generic, 0.0),
                       confidence=float(confidence), mean_score_without=float(without.mean()),
                       mean_score_with=float(withc.mean()), scores={"without": without, "with": withc})
