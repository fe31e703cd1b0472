"""Guide chapter 6: a membership-inference attack and its ROC curve, against three synthesizers.

The attacker holds the synthetic rows and a set of candidate real rows — half of them were in
the training data (members), half were not (the holdout). Its score for a candidate is minus
the distance to the closest synthetic row (the distance of :mod:`synthlearn.metrics.privacy`):
the closer, the more likely a member. Sweeping a threshold over the score gives the ROC curve;
its area is the attack's AUC, the figure :func:`synthlearn.metrics.privacy.privacy` reports.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..learners import roc_auc
from ..metrics.privacy import RowSpace, nearest_distances
from ..table import Table
from ._result import choice, metric, number
from .guide_common import load_split, synthesize

TARGETS = {"kde": ("kde", {"bandwidth": 0.05}, "KDE, bandwidth 0.05 (overfits)"),
           "copula": ("gaussian_copula", {}, "Gaussian copula"),
           "dp": ("dp_mst", {"epsilon": 1.0}, "DP MST, ε = 1")}


def attack_scores(train: Table, holdout: Table, synthetic: Table) -> tuple[np.ndarray, np.ndarray]:
    """Membership labels (1 = training row) and attack scores (−distance to the closest synthetic row)."""
    space = RowSpace(train, synthetic, holdout)
    e_syn = space.embed(synthetic)
    dm = nearest_distances(space, space.embed(train), e_syn, k=1)[:, 0]
    dn = nearest_distances(space, space.embed(holdout), e_syn, k=1)[:, 0]
    return np.r_[np.ones(dm.size), np.zeros(dn.size)], -np.r_[dm, dn]


def roc_points(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """False- and true-positive rates at every distinct threshold (ties moved together)."""
    order = np.argsort(-score, kind="stable")
    s, t = score[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), s.size - 1]
    tp, fp = np.cumsum(t)[last], np.cumsum(1 - t)[last]
    return np.r_[0.0, fp / max(fp[-1], 1)], np.r_[0.0, tp / max(tp[-1], 1)]


def tpr_at(fpr: np.ndarray, tpr: np.ndarray, target: float) -> float:
    """The best true-positive rate at a false-positive rate of at most ``target``."""
    return float(tpr[fpr <= target + 1e-12].max())


def run(target: str = "kde", seed: int = 0, figure: bool = True) -> dict:
    """Attack all three synthesizers; metrics for ``target``, ROC curves for all."""
    target = choice("target", target, tuple(TARGETS))
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    train, holdout = load_split("penguins", rng)
    curves, rows = {}, []
    for key, (method, params, title) in TARGETS.items():
        synthetic = synthesize(method, train, train.n_rows, rng, **params)
        y, score = attack_scores(train, holdout, synthetic)
        fpr, tpr = roc_points(y, score)
        curves[key] = {"fpr": fpr, "tpr": tpr, "auc": roc_auc(y, score), "tpr01": tpr_at(fpr, tpr, 0.1),
                       "accuracy": float(np.max(0.5 * (tpr + 1 - fpr)))}
        c = curves[key]
        rows.append([title, f"{c['auc']:.3f}", f"{c['tpr01']:.1%}", f"{c['accuracy']:.3f}"])
    c = curves[target]
    metrics = [
        metric("auc", "Attack AUC", c["auc"], ".3f",
               "Area under the ROC curve: the chance a random member scores above a random non-member; 0.5 = guessing."),
        metric("tpr_at_10", "Members found at 10 % false alarms", c["tpr01"], ".1%",
               "True-positive rate when at most 10 % of non-members are wrongly called members."),
        metric("best_accuracy", "Best attack accuracy", c["accuracy"], ".3f",
               "Best balanced accuracy over all thresholds (members and non-members in equal numbers); 0.5 = guessing."),
    ]
    title = TARGETS[target][2]
    summary = (f"Against {title}, the attack reaches AUC {c['auc']:.3f} and finds {c['tpr01']:.1%} of the members "
               f"at 10 % false alarms (guessing would find 10 %). A low score means this attack failed — "
               f"not that every attack will.")
    table = {"caption": "The same attack against three synthesizers (penguins, 50/50 split)",
             "columns": ["Synthesizer", "AUC", "Members found at 10 % false alarms", "Best accuracy"], "rows": rows}
    result = {"summary": summary, "metrics": metrics, "tables": [table]}
    if figure:
        result["figures"] = [_figure(curves)]
    return result


def _figure(curves: dict) -> dict:
    from ..plotting import figure_svg, new_figure

    fig = new_figure(4.2, 3.6)
    ax = fig.subplots()
    styles = {"kde": ("#e8710a", "-"), "copula": ("#3f51b5", "--"), "dp": ("#2e7d32", "-.")}
    for key, c in curves.items():
        colour, ls = styles[key]
        ax.step(c["fpr"], c["tpr"], where="post", color=colour, ls=ls, label=f"{TARGETS[key][2]} ({c['auc']:.2f})")
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":", label="guessing (0.50)")
    ax.set_xlabel("false-positive rate")
    ax.set_ylabel("true-positive rate")
    ax.legend(fontsize="x-small", loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    alt = "ROC curves of a membership attack: " + ", ".join(
        f"{TARGETS[k][2]} AUC {c['auc']:.2f}" for k, c in curves.items()) + "; the diagonal is guessing."
    return {"alt": alt, "svg": figure_svg(fig)}
