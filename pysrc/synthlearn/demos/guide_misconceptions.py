"""Guide chapter 1: three misconceptions, each answered by a measurement.

* :func:`memorisation` — a smoothed bootstrap (KDE) with a small bandwidth emits near-copies of
  its training rows: its DCR share and membership-attack AUC move away from the ideal, while
  a Gaussian copula's stay close to it.
* :func:`missing_subgroup` — a generator trained without one penguin species cannot produce
  that species, and a classifier trained on its output never predicts it.
* :func:`poor_generator` — synthetic data from a poor generator can train a model that is
  worse than predicting the most common class.

All three use the bundled Palmer penguins table (real data), split in half: training rows
and held-out rows.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..table import Table
from ._result import choice, metric, number
from .guide_common import TITLES, load_split, pct, privacy_scores, quality_score, synthesize, tstr_scores

LABEL = "species"
SPECIES = ("Adelie", "Chinstrap", "Gentoo")


def memorisation(bandwidth: float = 0.05, seed: int = 0) -> dict:
    """KDE with factor ``bandwidth`` vs a Gaussian copula: DCR share, attack AUC, quality."""
    bw = number("bandwidth", bandwidth, 0.01, 1.0)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    train, holdout = load_split("penguins", rng)
    rows = []
    scores = {}
    for key, method, params in (("kde", "kde", {"bandwidth": bw}), ("copula", "gaussian_copula", {})):
        synthetic = synthesize(method, train, train.n_rows, rng, **params)
        p = privacy_scores(train, synthetic, holdout, rng)
        q = quality_score(train, synthetic)
        scores[key] = {**p, "quality": q}
        title = f"KDE, bandwidth {bw:g}" if key == "kde" else TITLES["gaussian_copula"]
        rows.append([title, f"{q:.3f}", pct(p["dcr_share"]), f"{p['mia_auc']:.3f}"])
    k, c = scores["kde"], scores["copula"]
    metrics = [
        metric("kde_dcr_share", "KDE: closer to train than to holdout", k["dcr_share"], ".1%",
               "Share of synthetic rows whose closest real row is a training row rather than a held-out one; "
               "50 % = no sign of copying (training and holdout have the same size)."),
        metric("kde_mia_auc", "KDE: membership attack AUC", k["mia_auc"], ".3f",
               "ROC AUC of an attacker who calls a real row a member when a synthetic row lies close to it; "
               "0.5 = chance."),
        metric("copula_dcr_share", "Copula: closer to train than to holdout", c["dcr_share"], ".1%",
               "The same DCR share for the Gaussian copula's rows."),
        metric("copula_mia_auc", "Copula: membership attack AUC", c["mia_auc"], ".3f",
               "The same attack against the Gaussian copula's rows."),
        metric("kde_quality", "KDE: quality score", k["quality"], ".3f",
               "SDMetrics-style quality (column shapes and pair trends, all pairs); 1 = identical."),
    ]
    gap = k["mia_auc"] - c["mia_auc"]
    summary = (f"With bandwidth {bw:g}, {pct(k['dcr_share'])} of the KDE's rows sit closer to a training row than to "
               f"any held-out row (copula: {pct(c['dcr_share'])}), and the attack's AUC is {k['mia_auc']:.3f} "
               f"against {c['mia_auc']:.3f} — {'higher' if gap > 0 else 'not higher'} for the KDE. "
               f"Its quality score is {k['quality']:.3f}: looking good and leaking can go together.")
    table = {"caption": "Two synthesizers on the same penguin training rows",
             "columns": ["Synthesizer", "Quality", "DCR share (ideal 50 %)", "Attack AUC (ideal 0.5)"], "rows": rows}
    return {"summary": summary, "metrics": metrics, "tables": [table],
            "notes": ["A DCR share or AUC near the ideal is evidence of no copying, not a proof of privacy."]}


def drop_group(table: Table, column: str, value: str) -> Table:
    """The rows of ``table`` whose ``column`` is not ``value``."""
    col = table[column]
    code = col.categories.index(value)
    return table.take(np.flatnonzero(col.values != code))


def missing_subgroup(species: str = "Gentoo", method: str = "gaussian_copula", seed: int = 0) -> dict:
    """Train without ``species``; count it in the synthetic rows and in a TSTR model's predictions."""
    species = choice("species", species, SPECIES)
    method = choice("method", method, ("independent", "gaussian_copula", "kde", "bayesian_network"))
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    train, holdout = load_split("penguins", rng)
    without = drop_group(train, LABEL, species)
    synthetic = synthesize(method, without, train.n_rows, rng)
    code = train[LABEL].categories.index(species)
    real_share = float(np.mean(holdout[LABEL].values == code))
    syn_share = float(np.mean(synthetic[LABEL].values == code))
    from ..learners import Encoder, LogisticRegression

    features = [n for n in train.names if n != LABEL]
    enc = Encoder(features, standardize=True).fit(synthetic)
    model = LogisticRegression().fit(enc.transform(synthetic), synthetic[LABEL].values.astype(int))
    predicted = model.predict(enc.transform(holdout))
    truth = holdout[LABEL].values == code
    recall = float(np.mean(predicted[truth] == code)) if truth.any() else float("nan")
    metrics = [
        metric("real_share", f"{species} in the held-out real rows", real_share, ".1%",
               "Share of the real held-out penguins that belong to the left-out species."),
        metric("synthetic_share", f"{species} in the synthetic rows", syn_share, ".1%",
               "Share of synthetic rows with the left-out species: the generator never saw it."),
        metric("recall", f"Real {species} recognised (TSTR)", recall, ".1%",
               "Share of real held-out penguins of that species that a model trained on the synthetic rows "
               "labels correctly."),
    ]
    summary = (f"{species} make up {pct(real_share)} of the real penguins but {pct(syn_share)} of the rows from "
               f"{TITLES[method]} trained without them; a model trained on those rows recognises "
               f"{pct(recall)} of the real {species}. A generator reproduces what it saw — nothing more.")
    return {"summary": summary, "metrics": metrics}


def poor_generator(method: str = "independent", seed: int = 0) -> dict:
    """TSTR accuracy of ``method`` beside training on real rows and the majority-class baseline."""
    method = choice("method", method, tuple(TITLES))
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    train, holdout = load_split("penguins", rng)
    synthetic = synthesize(method, train, train.n_rows, rng)
    s = tstr_scores(train, synthetic, holdout, LABEL, rng)
    verdict = ("worse than always predicting the most common species" if s["tstr"] < s["majority"] else
               "better than the trivial baseline")
    metrics = [
        metric("trtr", "Trained on real rows", s["trtr"], ".3f",
               "Accuracy on held-out real penguins of a logistic regression trained on the real training rows."),
        metric("tstr", "Trained on synthetic rows (TSTR)", s["tstr"], ".3f",
               "Accuracy on the same held-out rows of the same model trained on the synthetic rows."),
        metric("majority", "Always the most common species", s["majority"], ".3f",
               "Accuracy of the trivial rule that always predicts the training rows' most common species."),
    ]
    summary = (f"A model trained on rows from {TITLES[method]} scores {s['tstr']:.3f} on real penguins — "
               f"{verdict} ({s['majority']:.3f}); trained on the real rows it scores {s['trtr']:.3f}.")
    return {"summary": summary, "metrics": metrics}
