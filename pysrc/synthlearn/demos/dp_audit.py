"""Auditing a differential-privacy claim: can an attacker tell whether one row was in the data?

The privacy chapter's demo. It runs :func:`synthlearn.privacy_audit.audit_mst`: the DP
synthesizer (MST) is fitted ``runs`` times on a small table and ``runs`` times on the same
table plus one *canary* row; an attacker who knows everything except whether the canary was
there scores each release, and the rates at which the score crosses a fixed threshold give a
lower bound on the ε the implementation really has (with 95 % confidence). The *broken*
variant halves every noise draw while still stating the original noise — the kind of bug an
audit exists to catch.
"""

from __future__ import annotations

import numpy as np

from .._rng import SEED_MAX
from ..privacy_audit import audit_mst
from ._result import choice, metric, number

VARIANTS = {"correct": "Correct implementation", "broken": "Broken: noise halved (for the audit only)"}


def _reading(res) -> str:
    if res.violation:
        return (f"Caught: the attack proves this release leaks more than it claims — with 95 % confidence the "
                f"real ε is at least {res.epsilon_lower:.2f}, above the stated ε = {res.epsilon:g}.")
    if res.epsilon_lower == 0:
        return (f"The attack could not show any leak with {res.runs} runs per side (lower bound 0). That is "
                "consistent with the claim but does not prove it; at small ε an audit needs many more runs.")
    return (f"Consistent with the claim: the attack shows the real ε is at least {res.epsilon_lower:.2f}, "
            f"below the stated ε = {res.epsilon:g}. An audit can refute a claim, never prove it.")


def run(epsilon: float = 8.0, variant: str = "correct", runs: int = 150, seed: int = 1, figure: bool = True) -> dict:
    """Audit MST at ``epsilon`` (δ = 1e-5) with ``runs`` fits per side; ``variant`` 'broken' halves the noise."""
    eps = number("epsilon", epsilon, 0.5, 16.0)
    variant = choice("variant", variant, VARIANTS)
    runs = number("runs", runs, 50, 2000, integer=True)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    res = audit_mst(epsilon=eps, delta=1e-5, runs=runs, noise_scale=0.5 if variant == "broken" else 1.0, rng=seed)
    metrics = [
        metric("epsilon", "Stated ε", res.epsilon, ".2f", "The privacy loss the implementation claims (δ = 1e-5)."),
        metric("epsilon_lower", "Audited ε (lower bound)", res.epsilon_lower, ".2f",
               "With 95 % confidence the real ε is at least this, assuming Gaussian noise (its shape, not its "
               "size): the ε of the weakest Gaussian mechanism that fits the attack's rates."),
        metric("epsilon_lower_generic", "Audited ε, no assumption", res.epsilon_lower_generic, ".2f",
               "log((TPR_low − δ) / FPR_high): valid for any mechanism, and weaker."),
        metric("tpr", "Canary detected when present (TPR)", res.tpr, ".1%",
               "Share of runs with the canary where the attack's score crossed the threshold."),
        metric("fpr", "False alarms when absent (FPR)", res.fpr, ".1%",
               "Share of runs without the canary where the score crossed the threshold."),
        metric("mu_lower", "Gaussian-DP μ (lower bound)", res.mu_lower, ".2f",
               f"Φ⁻¹(TPR_low) − Φ⁻¹(FPR_high); the stated noise allows at most μ = {res.mu_claimed:.2f} for "
               "what this attack reads."),
    ]
    notes = [
        "The attack reads the noisy counts MST releases, the strongest view; synthetic rows are drawn from them, "
        "so an attack on rows can only do worse.",
        "Method: Jagielski et al. (2020), Nasr et al. (2021); the Gaussian trade-off is from Dong, Roth & Su (2019).",
    ]
    result = {"summary": _reading(res), "metrics": metrics, "notes": notes}
    if figure:
        result["figures"] = [_figure(res)]
    return result


def _figure(res) -> dict:
    from ..plotting import REAL, SYNTHETIC, figure_svg, new_figure

    fig = new_figure(6.4, 3.0)
    ax = fig.subplots()
    both = np.concatenate([res.scores["without"], res.scores["with"]])
    bins = np.linspace(both.min(), both.max(), 31)
    ax.hist(res.scores["without"], bins=bins, alpha=0.6, color=REAL, label="without the canary")
    ax.hist(res.scores["with"], bins=bins, alpha=0.6, color=SYNTHETIC, label="with the canary")
    ax.axvline(res.threshold, color="black", linestyle="--", linewidth=1, label="threshold")
    ax.set_xlabel("attack score (standardised excess count in the canary's cells)")
    ax.set_ylabel("runs")
    ax.legend(frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    alt = (f"Two overlapping histograms of the attack's score over {res.runs} runs each: without the canary "
           f"(mean {res.mean_score_without:.2f}) and with it (mean {res.mean_score_with:.2f}), and the threshold "
           f"at {res.threshold:.2f}.")
    return {"alt": alt, "svg": figure_svg(fig)}
