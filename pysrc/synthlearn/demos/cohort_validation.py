"""Problem 4: validate a synthetic clinical cohort. Which checks catch which flaw?

The real cohort is the bundled Wisconsin breast cancer table (569 patients, 30 measurements
of the cell nuclei and a ``diagnosis``, benign or malignant). It is split at random into
training rows (two thirds; every synthetic version is made from these only) and a real
holdout (one third). Four synthetic versions are made, three of them with a planted flaw:

* **A — Gaussian copula**: the honest attempt;
* **B — near-copy**: each row is a training row plus almost no noise (a kernel density
  estimate with bandwidth 0.01), as a memorising generator would produce;
* **C — broken correlations**: every column drawn on its own (independent columns), so
  each measurement looks right but e.g. radius no longer goes with area;
* **D — lost subgroup**: a copula fitted after most malignant patients were dropped
  (one in ten kept), so that subgroup nearly vanishes.

The reader chooses the checks; each is computed for every version with a pass mark, and the
result says which flaw each chosen check catches and which flaw no chosen check catches.
"""

from __future__ import annotations

import numpy as np

from .._rng import SEED_MAX, as_generator
from ..datasets import load
from ..learners import Encoder, LogisticRegression
from ..metrics.fidelity import quality
from ..metrics.privacy import privacy
from ..synthesizers import make_synthesizer
from ..table import Table
from ._result import metric, number

VERSIONS = {"A": "A — Gaussian copula", "B": "B — near-copy", "C": "C — broken correlations",
            "D": "D — lost subgroup"}
FLAWS = {"B": "the near-copy", "C": "the broken correlations", "D": "the lost subgroup"}
# check key -> (title, pass rule text)
CHECKS = {
    "shapes": ("Column shapes (1 − KS)", "≥ 0.90"),
    "correlations": ("Correlation similarity, strong pairs", "≥ 0.90"),
    "subgroup": ("Malignant share gap", "≤ 5 points"),
    "tstr": ("Malignant recall, trained on synthetic", "≥ 80 % of real-trained"),
    "copies": ("Exact copies of training rows", "≤ holdout rate + 1 point"),
    "dcr": ("DCR share (closer to train than holdout)", "≤ ideal + 5 points"),
}


def make_versions(train: Table, rng: np.random.Generator) -> dict[str, Table]:
    """The four synthetic versions of ``train`` (see the module docstring)."""
    n = train.n_rows
    malignant = train["diagnosis"].values == train["diagnosis"].categories.index("malignant")
    keep = ~malignant | (rng.random(n) < 0.1)
    return {
        "A": make_synthesizer("gaussian_copula").fit(train, rng=rng).sample(n, rng=rng),
        "B": make_synthesizer("kde", bandwidth=0.01).fit(train, rng=rng).sample(n, rng=rng),
        "C": make_synthesizer("independent").fit(train, rng=rng).sample(n, rng=rng),
        "D": make_synthesizer("gaussian_copula").fit(train.take(np.flatnonzero(keep)), rng=rng).sample(n, rng=rng),
    }


def malignant_recall(train: Table, test: Table) -> float:
    """Recall of the malignant class on ``test`` for a logistic regression trained on ``train``."""
    m = train["diagnosis"].categories.index("malignant")
    y = (train["diagnosis"].values == m).astype(int)
    y_test = test["diagnosis"].values == m
    if y.min() == y.max():
        return float(y[0])
    features = [c for c in train.names if c != "diagnosis"]
    enc = Encoder(features, standardize=True).fit(train)
    proba = LogisticRegression(l2=1.0).fit(enc.transform(train), y).predict_proba(enc.transform(test))[:, 1]
    return float(np.mean(proba[y_test] > 0.5))


def scores(train: Table, holdout: Table, synthetic: Table, real_recall: float, rng) -> dict[str, tuple[float, bool, str]]:
    """Every check for one version: key -> (value, passes, text)."""
    q = quality(train, synthetic)
    m = train["diagnosis"].categories.index("malignant")
    gap = abs(float(np.mean(synthetic["diagnosis"].values == m)) - float(np.mean(train["diagnosis"].values == m)))
    recall = malignant_recall(synthetic, holdout)
    p = privacy(train, synthetic, holdout, max_queries=None, max_attack=None, rng=rng)
    copies = p.get("identical_match_rate")
    dcr = p.get("dcr_share")
    return {
        "shapes": (q.column_shapes, q.column_shapes >= 0.90, f"{q.column_shapes:.3f}"),
        "correlations": (q.pair_trends_strong, q.pair_trends_strong >= 0.90, f"{q.pair_trends_strong:.3f}"),
        "subgroup": (gap, gap <= 0.05, f"{gap * 100:.1f} points"),
        "tstr": (recall, recall >= 0.8 * real_recall, f"{recall:.0%}"),
        "copies": (copies["value"], copies["value"] <= copies["details"]["holdout_rate"] + 0.01,
                   f"{copies['value']:.1%}"),
        "dcr": (dcr["value"], dcr["value"] <= dcr["details"]["ideal"] + 0.05, f"{dcr['value']:.1%}"),
    }


def catches(results: dict[str, dict], chosen: list[str]) -> dict[str, list[str]]:
    """Flaw version -> the chosen checks that fail on it (and therefore catch it)."""
    return {v: [c for c in chosen if not results[v][c][1]] for v in FLAWS}


def run(shapes: bool = True, correlations: bool = False, subgroup: bool = False, tstr: bool = False,
        copies: bool = True, dcr: bool = False, seed: int = 0) -> dict:
    """Compute the chosen checks on the four synthetic cohorts; say which flaw each check catches."""
    chosen = [k for k, on in (("shapes", shapes), ("correlations", correlations), ("subgroup", subgroup),
                              ("tstr", tstr), ("copies", copies), ("dcr", dcr)) if on]
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    rng = as_generator(seed)
    real = load("breast_cancer")
    order = rng.permutation(real.n_rows)
    cut = 2 * real.n_rows // 3
    train, holdout = real.take(np.sort(order[:cut])), real.take(np.sort(order[cut:]))
    versions = make_versions(train, rng)
    real_recall = malignant_recall(train, holdout)
    results = {v: scores(train, holdout, t, real_recall, rng) for v, t in versions.items()}
    caught = catches(results, chosen)
    rows = []
    for v, title in VERSIONS.items():
        cells = [{"text": f"{results[v][c][2]} {'pass' if results[v][c][1] else 'FAIL'}",
                  "mark": "kept" if results[v][c][1] else "flag"} for c in chosen]
        rows.append([title] + cells)
    columns = ["Version"] + [f"{CHECKS[c][0]} ({CHECKS[c][1]})" for c in chosen]
    found = [v for v in FLAWS if caught[v]]
    lines = [f"Flaw {v}, {FLAWS[v]}, is caught by: " + (", ".join(CHECKS[c][0] for c in caught[v])
                                                               if caught[v] else "none of your checks.")
             for v in FLAWS]
    false_alarm = [CHECKS[c][0] for c in chosen if not results["A"][c][1]]
    if false_alarm:
        lines.append("The honest copy (A) fails: " + ", ".join(false_alarm) + " — a check's pass mark is a rule "
                     "of thumb, and a small cohort makes every score noisy.")
    summary = (f"Your {len(chosen)} check(s) catch {len(found)} of the 3 planted flaws." if chosen else
               "Choose at least one check: with none, every flawed cohort would be released.")
    metrics = [metric("caught", "Flaws caught (of 3)", len(found), ".0f",
                      "A flaw is caught when at least one chosen check fails on that version."),
               metric("real_recall", "Malignant recall, trained on real", real_recall, ".0%",
                      "The yardstick for the utility check: the same model trained on the real training rows.")]
    table = {"caption": f"Your checks on four synthetic cohorts ({train.n_rows} training, {holdout.n_rows} "
                        "holdout patients)", "columns": columns, "rows": rows}
    return {"summary": summary, "metrics": metrics, "tables": [table] if chosen else [], "notes": lines}
