"""Guide chapter 4: deliberately flawed synthetic tables under every metric.

The real table is the bundled Palmer penguins (rows with a missing value dropped), split in
half. Four "synthesizers" are scored against the training half with the metrics of
:mod:`synthlearn.metrics`:

* **copula** — a Gaussian copula, a reasonable generator;
* **near_copy** — the training rows with 1 % noise on the numbers (a near-copy);
* **shuffled** — every column shuffled on its own (right marginals, no relations);
* **mode_drop** — a copula trained without the Gentoo penguins (a dropped mode).

Each row of the result's table is one flawed table; each column one metric, so the reader
sees which metric catches which flaw.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..table import Table
from ._result import choice, metric, number
from .guide_common import load_split, pct, privacy_scores, synthesize, tstr_scores
from .guide_misconceptions import drop_group
from .guide_utility import shuffle_column

LABEL = "species"
CAUGHT = 0.05
FLAWS = {"copula": "Gaussian copula (reference)", "near_copy": "Near-copy (1 % noise)",
         "shuffled": "Shuffled columns", "mode_drop": "Mode dropped (no Gentoo)"}


def near_copy(train: Table, rng: np.random.Generator, share: float = 0.01) -> Table:
    """The training rows with Gaussian noise of ``share`` × each number column's standard deviation."""
    values = {}
    for c in train.columns:
        v = c.values.copy()
        if not c.is_discrete:
            v = v + share * np.nanstd(v) * rng.standard_normal(v.size)
        values[c.name] = v
    return train.like(values)


def flawed(flaw: str, train: Table, rng: np.random.Generator) -> Table:
    """One of the four tables of :data:`FLAWS`, as many rows as ``train``."""
    if flaw == "copula":
        return synthesize("gaussian_copula", train, train.n_rows, rng)
    if flaw == "near_copy":
        return near_copy(train, rng)
    if flaw == "shuffled":
        out = train
        for name in train.names:
            out = shuffle_column(out, name, rng)
        return out
    return synthesize("gaussian_copula", drop_group(train, LABEL, "Gentoo"), train.n_rows, rng)


def all_metrics(train: Table, holdout: Table, synthetic: Table, rng: np.random.Generator) -> dict:
    """Every metric family on one synthetic table (library functions only)."""
    from ..metrics.detection import detection
    from ..metrics.fidelity import column_distances, mmd, quality

    q = quality(train, synthetic)
    js = float(np.mean([d["js_distance"] for d in column_distances(train, synthetic)]))
    det = detection(train, synthetic, rng=rng)
    return {"shapes": q.column_shapes, "pairs": q.pair_trends_all, "js": js,
            "mmd": mmd(train, synthetic, rng=rng)["mmd"], "detection_auc": det.auc, "pmse": det.pmse,
            **{k: v for k, v in tstr_scores(train, synthetic, holdout, LABEL, rng).items() if k == "tstr"},
            **privacy_scores(train, synthetic, holdout, rng)}


HELP = {
    "shapes": ("Column shapes", ".3f", "Mean of 1 − KS (numbers) or 1 − TV (categories) over columns; 1 = same marginals."),
    "pairs": ("Pair trends", ".3f", "Mean correlation / contingency similarity over all column pairs; 1 = same relations."),
    "js": ("Jensen–Shannon distance", ".3f", "Mean over columns of the JS distance of 20-bin histograms; 0 = same."),
    "mmd": ("MMD", ".3f", "Maximum mean discrepancy of whole rows (RBF kernel, median heuristic); 0 = same distribution."),
    "detection_auc": ("Detection AUC", ".3f", "Cross-validated AUC of a logistic regression telling real from synthetic rows; 0.5 = indistinguishable."),
    "pmse": ("pMSE", ".4f", "Mean squared distance of the propensity scores from the synthetic share; 0 = indistinguishable."),
    "tstr": ("TSTR accuracy", ".3f", "Accuracy on held-out real penguins of a logistic regression trained on the table."),
    "dcr_share": ("DCR share", ".1%", "Share of rows closer to a training row than to any held-out row; 50 % = no sign of copying."),
    "mia_auc": ("Attack AUC", ".3f", "Membership attack AUC (distance to the closest synthetic row); 0.5 = chance."),
    "copies": ("Exact copies", ".1%", "Share of synthetic rows identical to a training row."),
}


def run(flaw: str = "near_copy", seed: int = 0) -> dict:
    """Score four tables (a reference and three flawed ones) with every metric; highlight ``flaw``."""
    flaw = choice("flaw", flaw, tuple(FLAWS))
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    train, holdout = load_split("penguins", rng)
    scores = {f: all_metrics(train, holdout, flawed(f, train, rng), rng) for f in FLAWS}
    s, ref = scores[flaw], scores["copula"]
    metrics = [metric(k, label, s[k], fmt, help) for k, (label, fmt, help) in HELP.items()]
    rows = [[FLAWS[f]] + [format(v[k], HELP[k][1]) for k in HELP] for f, v in scores.items()]
    # "caught": the metric is at least 0.05 worse than for the copula reference
    worse = {"mmd": s["mmd"] - ref["mmd"], "shapes": ref["shapes"] - s["shapes"], "pairs": ref["pairs"] - s["pairs"], "js": s["js"] - ref["js"],
             "detection_auc": s["detection_auc"] - ref["detection_auc"], "tstr": ref["tstr"] - s["tstr"],
             "dcr_share": s["dcr_share"] - ref["dcr_share"], "mia_auc": s["mia_auc"] - ref["mia_auc"]}
    caught = [HELP[k][0] for k, d in worse.items() if d >= CAUGHT]
    summary = (f"{FLAWS[flaw]}: " + (f"caught by {', '.join(caught)} (at least {CAUGHT} worse than for the copula)." if caught
                                     else f"no metric is {CAUGHT} worse than for the copula reference.")
               + f" Its DCR share is {pct(s['dcr_share'])} and its detection AUC {s['detection_auc']:.3f}.")
    table = {"caption": "Every metric on every table (penguins, training half as the real reference)",
             "columns": ["Table"] + [HELP[k][0] for k in HELP], "rows": rows}
    return {"summary": summary, "metrics": metrics, "tables": [table]}
