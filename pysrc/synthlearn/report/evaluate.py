"""The report's orchestrator: check the tables, run one builder per metric family, put the
rows, baselines, signals and figures together in a :class:`~synthlearn.report.model.Report`."""

from __future__ import annotations

import time

from .._rng import as_generator
from ..errors import InputError
from ..metrics import _checks
from ..table import Table
from ..validation import jsonable
from . import families
from .checks import RowBook, resolve_targets, verdict
from .figures import draw_figures
from .model import Report
from .signals import privacy_signals

__all__ = ["MIN_ROWS", "evaluate"]

MIN_ROWS = 10                # real and synthetic tables need at least this many rows

NOTES = [
    "Column shapes and pair trends follow SDMetrics 0.32's QualityReport; strong pairs are those with "
    "|ρ_real| > 0.5 (two numbers) or Cramér's V > 0.3 (otherwise), as in SDMetrics 0.32.",
    "Privacy distances use one normalisation for all tables: ranges from the real training table.",
    "None of these metrics proves privacy; only a synthesizer trained with differential privacy gives a "
    "guarantee.",
]


def _checked(real: Table, synthetic: Table, holdout: Table | None, label: str | None,
             quasi_identifiers) -> tuple[Table, Table, Table | None, list[str] | None]:
    """The tables on one schema, and the label and quasi-identifiers checked against them."""
    if holdout is None:
        real, synthetic = _checks.align(real, ("synthetic", synthetic))
    else:
        real, synthetic, holdout = _checks.align(real, ("synthetic", synthetic), ("holdout", holdout))
    for what, t in (("real", real), ("synthetic", synthetic)):
        if t.n_rows < MIN_ROWS:
            raise InputError(f"The {what} table has {t.n_rows} rows; the evaluation needs at least {MIN_ROWS}.")
    if label is not None:
        if not isinstance(label, str) or label not in real:
            raise InputError(f"The label {label!r} is not a column (columns: {', '.join(real.names)}).",
                             column=label if isinstance(label, str) else None)
        if not real[label].is_discrete:
            raise InputError(f"The label '{label}' is {real[label].kind}; choose a categorical or boolean column.",
                             column=label)
    if isinstance(quasi_identifiers, str):
        quasi_identifiers = [quasi_identifiers]
    for c in quasi_identifiers or []:
        if c not in real:
            raise InputError(f"The quasi-identifier '{c}' is not a column (columns: {', '.join(real.names)}).",
                             column=c)
    return real, synthetic, holdout, quasi_identifiers


def evaluate(real: Table, synthetic: Table, *, holdout: Table | None = None, label: str | None = None,
             quasi_identifiers: list[str] | None = None, targets: dict | None = None, rng=0,
             figures: bool = True) -> Report:
    """Evaluate ``synthetic`` against the ``real`` table it was trained on.

    ``holdout`` — real rows *not* used to train the synthesizer: enables the DCR share, the
    membership attack, the real-holdout reference and a clean utility test. ``label`` — a
    categorical column to predict (utility and class-balance rows only then).
    ``quasi_identifiers`` — columns for k-anonymity. ``targets`` — overrides of
    :data:`~synthlearn.report.checks.DEFAULT_TARGETS`. ``rng`` seeds every subsample and
    shuffle (same seed, same report). ``figures`` — build the SVG figures.
    """
    start = time.perf_counter()
    rows = RowBook(resolve_targets(targets))
    seeds = as_generator(rng).spawn(6)
    if isinstance(label, str):  # a 0/1 number column is a label: make it categorical in every table
        from ..csvio import label_as_category

        synthetic = label_as_category(synthetic, label, real)
        holdout = None if holdout is None else label_as_category(holdout, label, real)
        real = label_as_category(real, label)
    real, synthetic, holdout, quasi_identifiers = _checked(real, synthetic, holdout, label, quasi_identifiers)
    timings: dict[str, float] = {}

    def timed(name: str, func, *args):
        t = time.perf_counter()
        out = func(*args)
        timings[name] = time.perf_counter() - t
        return out

    base = timed("baselines", families.baselines, real, holdout, seeds[1])
    fid, details, q, assoc = timed("fidelity", families.fidelity_rows, rows, real, synthetic, base, seeds[0])
    families.class_balance_rows(rows, real, synthetic, label)
    det = timed("detection", families.detection_rows, rows, real, synthetic, seeds[2])
    util_scores, ut = timed("utility", families.utility_rows, rows, real, synthetic, holdout, label, seeds[3])
    priv_scores, pr = timed("privacy", families.privacy_rows, rows, real, synthetic, holdout, quasi_identifiers,
                            seeds[4])
    details.update(detection=det.to_dict(), privacy=pr.to_dict(), **({"utility": ut.to_dict()} if ut else {}))
    if label is None:
        timings.pop("utility")
    figs = timed("figures", draw_figures, real, synthetic, q, assoc) if figures else []
    timings["total"] = time.perf_counter() - start
    scores = {"fidelity": fid, "detection": {"auc": det.auc, "detection_score": det.detection_score,
                                             "pmse": det.pmse}, "utility": util_scores, "privacy": priv_scores}
    meta = {"sizes": {"real": real.n_rows, "synthetic": synthetic.n_rows,
                      "holdout": None if holdout is None else holdout.n_rows,
                      "mmd_rows": [details["mmd"]["rows_real"], details["mmd"]["rows_synthetic"]],
                      "detection_rows": [det.rows_real, det.rows_synthetic], "privacy": pr.sizes,
                      "utility": None if ut is None else details["utility"]["rows"]},
            "label": label, "quasi_identifiers": list(quasi_identifiers or []),
            "targets": {k: {"op": v[0], "value": v[1], "why": v[2]} for k, v in rows.targets.items()},
            "verdict": verdict(rows.rows), "signals": privacy_signals(rows.rows, priv_scores),
            "timings": timings, "notes": pr.notes + NOTES}
    return Report(scores=jsonable(scores), rows=jsonable(rows.rows), baselines=jsonable(base), figures=figs,
                  details=jsonable(details), meta=jsonable(meta))
