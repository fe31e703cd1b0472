"""Guide chapter 2: every method of ``synthlearn`` on one real table, side by side.

Each method in :data:`synthlearn.synthesizers.METHODS` is fitted to the same training half of a
bundled table and scored on fidelity (quality, all pairs), utility (TSTR accuracy of a logistic
regression, tested on the held-out half) and privacy (DCR share, membership-attack AUC).
"""

from __future__ import annotations

from .._rng import as_generator
from ..datasets import list_datasets
from ._result import choice, metric, number
from .guide_common import TITLES, load_split, pct, privacy_scores, quality_score, synthesize, tstr_scores

DATASETS = ("penguins", "wine")


def score_methods(dataset: str, seed: int) -> tuple[dict, dict]:
    """Scores of every method on ``dataset`` (train/holdout halves drawn with ``seed``), and the TRTR figures."""
    rng = as_generator(seed)
    label = next(d["label"] for d in list_datasets() if d["name"] == dataset)
    train, holdout = load_split(dataset, rng)
    out = {}
    base = None
    for method in TITLES:
        synthetic = synthesize(method, train, train.n_rows, rng)
        u = tstr_scores(train, synthetic, holdout, label, rng)
        base = u
        out[method] = {"quality": quality_score(train, synthetic), "tstr": u["tstr"],
                       **privacy_scores(train, synthetic, holdout, rng)}
    return out, {"trtr": base["trtr"], "majority": base["majority"], "label": label, "rows": train.n_rows}


def run(dataset: str = "penguins", seed: int = 0) -> dict:
    """Fit all six methods to one table; a table of fidelity, utility and privacy scores."""
    dataset = choice("dataset", dataset, DATASETS)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    scores, ref = score_methods(dataset, seed)
    rows = [[TITLES[m], f"{s['quality']:.3f}", f"{s['tstr']:.3f}", pct(s["dcr_share"]), f"{s['mia_auc']:.3f}"]
            for m, s in scores.items()]
    best_q = max(scores, key=lambda m: scores[m]["quality"])
    best_u = max(scores, key=lambda m: scores[m]["tstr"])
    leak = max(scores, key=lambda m: scores[m]["mia_auc"])
    metrics = [
        metric("trtr", "Reference: trained on real rows", ref["trtr"], ".3f",
               f"Accuracy predicting '{ref['label']}' on the held-out real rows, model trained on the real training rows."),
        metric("majority", "Baseline: most common class", ref["majority"], ".3f",
               "Accuracy of always predicting the most common class of the training rows."),
        metric("best_quality", "Highest quality score", scores[best_q]["quality"], ".3f",
               f"Best SDMetrics-style quality (all pairs) among the six methods: {TITLES[best_q]}."),
        metric("best_tstr", "Highest TSTR accuracy", scores[best_u]["tstr"], ".3f",
               f"Best train-synthetic-test-real accuracy among the six methods: {TITLES[best_u]}."),
        metric("worst_auc", "Highest attack AUC", scores[leak]["mia_auc"], ".3f",
               f"Membership attack AUC of the method that leaks most by this test: {TITLES[leak]} (0.5 = chance)."),
    ]
    summary = (f"On {ref['rows']} training rows of '{dataset}', {TITLES[best_q]} has the best quality score, "
               f"{TITLES[best_u]} the best TSTR accuracy ({scores[best_u]['tstr']:.3f}; real-data model "
               f"{ref['trtr']:.3f}), and {TITLES[leak]} gives the membership attack its best AUC "
               f"({scores[leak]['mia_auc']:.3f}). No method wins every column.")
    table = {"caption": f"Six methods on '{dataset}' (half the rows train, half are held out)",
             "columns": ["Method", "Quality", "TSTR accuracy", "DCR share (ideal 50 %)", "Attack AUC (ideal 0.5)"],
             "rows": rows}
    return {"summary": summary, "metrics": metrics, "tables": [table]}
