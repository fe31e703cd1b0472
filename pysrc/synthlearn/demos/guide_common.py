"""Shared steps of the Guide's demos: split a real table, synthesize, score.

Nothing here is a new metric: the scores come from :mod:`synthlearn.metrics` (quality,
detection, TSTR, privacy); these helpers only run them with the settings every Guide
demo uses, so the chapters compare like with like.
"""

from __future__ import annotations

import numpy as np

from ..datasets import load
from ..synthesizers import make_synthesizer
from ..table import Table

#: Method keys the Guide's selects offer, with the titles the tables show.
TITLES = {
    "independent": "Independent columns",
    "gaussian_copula": "Gaussian copula",
    "kde": "Kernel density (smoothed bootstrap)",
    "gaussian_mixture": "Gaussian mixture",
    "bayesian_network": "Bayesian network (Chow–Liu)",
    "dp_mst": "DP MST (ε = 1)",
}

#: Public bounds for the penguins' numbers (wider than any penguin measured), so DP runs
#: never read bounds from the private rows.
PENGUIN_BOUNDS = {"bill_length_mm": (30.0, 60.0), "bill_depth_mm": (13.0, 22.0),
                  "flipper_length_mm": (170.0, 235.0), "body_mass_g": (2500.0, 6500.0), "year": (2007.0, 2009.0)}


def split(table: Table, rng: np.random.Generator, train_share: float = 0.5) -> tuple[Table, Table]:
    """A random split of the rows into a training part and a held-out part."""
    order = rng.permutation(table.n_rows)
    cut = int(round(train_share * table.n_rows))
    return table.take(np.sort(order[:cut])), table.take(np.sort(order[cut:]))


def load_split(name: str, rng: np.random.Generator, train_share: float = 0.5,
               drop_missing: bool = True) -> tuple[Table, Table]:
    """A bundled table (rows with a missing value dropped), split into train and holdout."""
    table = load(name)
    if drop_missing:
        ok = np.ones(table.n_rows, dtype=bool)
        for c in table.columns:
            ok &= ~c.missing
        table = table.take(np.flatnonzero(ok))
    return split(table, rng, train_share)


def synthesize(method: str, train: Table, n: int, rng: np.random.Generator, **params) -> Table:
    """Fit ``method`` (a key of ``METHODS``) to ``train`` and draw ``n`` rows, one ``rng`` for both."""
    if method == "dp_mst" and "bounds" not in params:
        bounds = {k: v for k, v in PENGUIN_BOUNDS.items() if k in train}
        params = {**params, "bounds": bounds or None}
    return make_synthesizer(method, **params).fit(train, rng=rng).sample(n, rng=rng)


def quality_score(train: Table, synthetic: Table) -> float:
    """SDMetrics-style quality, all pairs (:func:`synthlearn.metrics.fidelity.quality`)."""
    from ..metrics.fidelity import quality

    return float(quality(train, synthetic).overall_all_pairs)


def tstr_scores(train: Table, synthetic: Table, holdout: Table, label: str, rng: np.random.Generator) -> dict:
    """Logistic-regression accuracy trained on real / synthetic, tested on the holdout, and the majority baseline.

    A synthetic table whose label has a single class (a very noisy DP release can produce one)
    trains a "model" that can only predict that class: its accuracy is that class's share of
    the holdout rows.
    """
    from ..metrics.utility import tstr

    values = synthetic[label].values
    present = np.unique(values[~np.isnan(values)])
    if present.size < 2:
        res = tstr(train, train, holdout, label, learners=("logistic_regression",), rng=rng)
        item = res.learners[0]
        only = holdout[label].values == present[0] if present.size else np.zeros(holdout.n_rows, dtype=bool)
        return {"trtr": float(item["trtr"]["accuracy"]), "tstr": float(np.mean(only)),
                "majority": float(res.majority_accuracy)}
    res = tstr(train, synthetic, holdout, label, learners=("logistic_regression",), rng=rng)
    item = res.learners[0]
    return {"trtr": float(item["trtr"]["accuracy"]), "tstr": float(item["tstr"]["accuracy"]),
            "majority": float(res.majority_accuracy)}


def privacy_scores(train: Table, synthetic: Table, holdout: Table, rng: np.random.Generator) -> dict:
    """DCR share, membership-attack AUC and exact-copy rate (:func:`synthlearn.metrics.privacy.privacy`)."""
    from ..metrics.privacy import privacy

    res = privacy(train, synthetic, holdout, rng=rng)
    return {"dcr_share": float(res.get("dcr_share")["value"]),
            "mia_auc": float(res.get("membership_inference_auc")["value"]),
            "copies": float(res.get("identical_match_rate")["value"])}


def pct(x: float) -> str:
    """A share as the pages print it."""
    return f"{x:.1%}"
