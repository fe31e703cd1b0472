"""Guide chapter 7: a validation loop against stated targets, and a drift monitor.

* :func:`validation_loop` — every method is fitted to the penguins' training half and checked
  against three targets the reader sets (quality, TSTR accuracy relative to real data, DCR
  share); the table says which targets each method passes.
* :func:`drift` — simulated monthly data whose mean moves by a set amount each month. A
  generator fitted in month 0 is compared, month by month, with the new real data by the
  column-shape score (1 − KS); when the score falls below the threshold the monitor flags a
  refit, and the generator is refitted on that month's data.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..table import Table
from ._result import metric, number
from .guide_approaches import score_methods
from .guide_common import TITLES, synthesize


def validation_loop(min_quality: float = 0.85, min_utility: float = 0.8, max_dcr_share: float = 0.6,
                    seed: int = 0) -> dict:
    """Pass/fail of each method against three targets on the penguins table."""
    min_quality = number("min_quality", min_quality, 0.5, 1.0)
    min_utility = number("min_utility", min_utility, 0.0, 1.0)
    max_dcr_share = number("max_dcr_share", max_dcr_share, 0.5, 1.0)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    scores, ref = score_methods("penguins", seed)
    rows, passing = [], []
    for m, s in scores.items():
        ratio = s["tstr"] / ref["trtr"]
        checks = [s["quality"] >= min_quality, ratio >= min_utility, s["dcr_share"] <= max_dcr_share]
        if all(checks):
            passing.append(TITLES[m])
        rows.append([TITLES[m]] + [{"text": f"{v} {'pass' if ok else 'fail'}", "mark": "kept" if ok else "flag"}
                                   for v, ok in zip((f"{s['quality']:.3f}", f"{ratio:.2f}", f"{s['dcr_share']:.1%}"),
                                                    checks)])
    metrics = [
        metric("passing", "Methods passing all three targets", float(len(passing)), ".0f",
               "Number of the six methods whose quality, relative TSTR accuracy and DCR share all meet the targets."),
        metric("trtr", "Accuracy trained on real rows", ref["trtr"], ".3f",
               "The real-data model's accuracy on the held-out rows: the denominator of relative utility."),
    ]
    summary = (f"{len(passing)} of 6 methods pass every target: {', '.join(passing)}." if passing else
               "No method passes every target: relax a target, or change the method or its parameters, and run again.")
    table = {"caption": "Targets per method (penguins, half the rows train, half are held out)",
             "columns": ["Method", f"Quality ≥ {min_quality:g}", f"TSTR / TRTR ≥ {min_utility:g}",
                         f"DCR share ≤ {max_dcr_share:.0%}"], "rows": rows}
    return {"summary": summary, "metrics": metrics, "tables": [table]}


MONTHS = 12


def month_data(month: int, shift: float, n: int, rng: np.random.Generator) -> Table:
    """Simulated transactions of one month: log amount drifts by ``shift`` per month; hour of day does not."""
    amount = 3.0 + shift * month + 0.8 * rng.standard_normal(n)
    hour = np.clip(14 + 4 * rng.standard_normal(n) + 0.5 * (amount - 3.0), 0, 23.99)
    return Table.from_arrays({"log_amount": amount, "hour": hour})


def drift(shift: float = 0.1, threshold: float = 0.85, n: int = 500, seed: int = 0, figure: bool = True) -> dict:
    """Twelve months of drifting data; the column-shape score of the current generator each month."""
    from ..metrics.fidelity import quality

    shift = number("shift", shift, 0.0, 0.5)
    threshold = number("threshold", threshold, 0.5, 0.99)
    n = number("n", n, 200, 2000, integer=True)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    fitted_on = 0
    synthetic = synthesize("gaussian_copula", month_data(0, shift, n, rng), n, rng)
    scores, refits = [], []
    for month in range(1, MONTHS):
        real = month_data(month, shift, n, rng)
        score = quality(real, synthetic).column_shapes
        scores.append(score)
        if score < threshold:
            refits.append(month)
            fitted_on = month
            synthetic = synthesize("gaussian_copula", real, n, rng)
    metrics = [
        metric("refits", "Refits flagged", float(len(refits)), ".0f",
               "Months in which the column-shape score of the current generator against that month's real data "
               "fell below the threshold."),
        metric("worst", "Lowest monthly score", float(min(scores)), ".3f",
               "The lowest column-shape score (mean of 1 − KS over the two columns) seen before a refit."),
        metric("last_fit", "Generator last fitted in month", float(fitted_on), ".0f",
               "The month whose data the generator in use at the end was fitted to (0 = never refitted)."),
    ]
    summary = (f"With a drift of {shift:g} per month, the monitor flags {len(refits)} refit(s)"
               + (f" (months {', '.join(map(str, refits))})" if refits else "")
               + f"; the lowest score seen is {min(scores):.3f} against a threshold of {threshold:g}.")
    table = {"caption": "Monthly check: current generator vs the new month's real data (simulated)",
             "columns": ["Month", "Column-shape score", "Action"],
             "rows": [[str(m + 1), f"{s:.3f}", {"text": "refit", "mark": "flag"} if m + 1 in refits else "keep"]
                      for m, s in enumerate(scores)]}
    result = {"summary": summary, "metrics": metrics, "tables": [table],
              "notes": ["The data are simulated: the drift is known, so the monitor can be judged."]}
    if figure:
        result["figures"] = [_figure(scores, refits, threshold)]
    return result


def _figure(scores: list[float], refits: list[int], threshold: float) -> dict:
    from ..plotting import REAL, SYNTHETIC, figure_svg, new_figure

    fig = new_figure(6.0, 2.6)
    ax = fig.subplots()
    months = np.arange(1, MONTHS)
    ax.plot(months, scores, "o-", color=REAL, label="column-shape score")
    ax.axhline(threshold, color=SYNTHETIC, ls="--", lw=1, label="threshold")
    for m in refits:
        ax.axvline(m, color=SYNTHETIC, lw=0.6, ls=":")
    ax.set_xlabel("month")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize="small", loc="lower left")
    ax.spines[["top", "right"]].set_visible(False)
    alt = (f"Monthly column-shape scores against a threshold of {threshold:g}; refits in months "
           f"{', '.join(map(str, refits)) or 'none'}.")
    return {"alt": alt, "svg": figure_svg(fig)}
