"""The privacy–fidelity slider: from a perfect copy to pure noise.

The Evaluation lesson's demo. A correlated two-column table
(:func:`synthlearn.datasets.make_correlated`) is split in half: the *training* rows feed
the "generator", the *holdout* rows are never used. The generator is a deliberately
simple noise mechanism (not differential privacy): each standardised training value is
mixed with independent standard normal noise that makes up a share ``p`` of its standard
deviation,

    z_syn = √(1 − p²) · z_real + p · ε,

and the real mean and standard deviation of each column are restored. At ``p = 0`` the
synthetic rows are the training rows; at ``p = 1`` they are independent noise with the
real means and spreads. The correlation shrinks to ``(1 − p²) · ρ`` on average.

Fidelity is scored by :func:`synthlearn.metrics.fidelity.quality` and privacy by
:func:`synthlearn.metrics.privacy.privacy`, against the training rows (and the holdout).
Because the demo knows which training row each synthetic row was made from, it also
counts how many synthetic rows a nearest-neighbour linkage traces back to their source.
"""

from __future__ import annotations

import numpy as np

from .._rng import SEED_MAX, as_generator
from ..datasets import make_correlated
from ..metrics.fidelity import quality
from ..metrics.privacy import RowSpace, nearest_distances
from ..metrics.privacy import privacy as privacy_metrics
from ..table import Table
from ._result import metric, number


def add_privacy_noise(train: Table, p: float, rng: np.random.Generator) -> Table:
    """Row ``i`` of the result is row ``i`` of ``train`` with noise making up a share ``p`` of each column's spread."""
    if p == 0:
        return train.like({c.name: c.values.copy() for c in train.columns})  # an exact copy
    out = {}
    for c in train.columns:
        mean, sd = float(c.values.mean()), float(c.values.std())
        z = (c.values - mean) / sd
        noise = rng.standard_normal(z.size)
        out[c.name] = mean + sd * (np.sqrt(1.0 - p * p) * z + p * noise)
    return train.like(out)


def traced_share(train: Table, synthetic: Table) -> float:
    """Share of synthetic rows whose nearest training row (privacy-metric distance) is the row they came from.

    Row ``i`` of ``synthetic`` was made from row ``i`` of ``train``; a tie with another
    training row counts as traced.
    """
    space = RowSpace(train, synthetic)
    e_train, e_syn = space.embed(train), space.embed(synthetic)
    nearest = nearest_distances(space, e_syn, e_train, k=1)[:, 0]
    to_source = np.minimum(np.abs(e_syn.numbers.astype(float) - e_train.numbers.astype(float)), 1.0).sum(axis=1)
    to_source /= space.n_columns
    return float(np.mean(to_source <= nearest + 1e-6))


def _reading(p: float, kept: float, traced: float, share: float, n_train: int) -> str:
    """Where the slider sits, read from the computed numbers (``kept`` is NaN when ρ ≈ 0)."""
    relation = ("the real correlation is close to zero, so there is hardly any relation to lose — any noise "
                "scores well on correlation similarity here" if np.isnan(kept) else
                f"the synthetic correlation keeps {kept:.0%} of the real one")
    facts = (f"{traced:.0%} of the synthetic rows lead back to the training row they were made from "
             f"(by chance: {1 / n_train:.1%}), {share:.0%} sit closer to a training row than to any holdout row "
             f"(50 % = no link), and {relation}.")
    if p == 0:
        where = "A copy: the synthetic rows are the training rows, with full fidelity and no privacy."
    elif traced >= 0.5:
        where = "Close to the copy end: most synthetic rows can still be traced to one real row."
    elif traced > 0.05:
        where = "In between: privacy is being bought with fidelity, and some rows can still be traced."
    elif np.isnan(kept) or kept >= 0.5:
        where = ("These tests no longer link rows to people while the relation largely survives — evidence, "
                 "not proof, of privacy (see the notes).")
    elif kept >= 0.25:
        where = "Towards the noise end: the rows are hard to link, and less than half of the relation survives."
    else:
        where = "Close to the noise end: the rows are hard to link to anyone, and the relation is nearly gone."
    return f"{where} {facts}"


def run(privacy: float = 0.3, rho: float = 0.8, n: int = 400, seed: int = 42, figure: bool = True) -> dict:
    """Blend training rows with noise of weight ``privacy``; score fidelity and privacy."""
    p = number("privacy", privacy, 0.0, 1.0)
    rho = number("rho", rho, -0.95, 0.95)
    n = number("n", n, 200, 4000, integer=True)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    rng = as_generator(seed)
    real = make_correlated(n, rho, rng=rng)
    half = n // 2
    train, holdout = real.take(np.arange(half)), real.take(np.arange(half, n))
    synthetic = add_privacy_noise(train, p, rng)

    q = quality(train, synthetic)
    pair = q.pairs[0]
    r_real, r_syn = pair["real_correlation"], pair["synthetic_correlation"]
    priv = privacy_metrics(train, synthetic, holdout, max_queries=None, max_attack=None, rng=rng)
    share = priv.get("dcr_share")["value"]
    protection = priv.get("dcr_overfitting_protection")["value"]
    mia = priv.get("membership_inference_auc")["value"]
    copies = priv.get("identical_match_rate")["value"]
    kept = r_syn / r_real if abs(r_real) >= 0.1 else float("nan")  # a share of almost nothing means nothing
    traced = traced_share(train, synthetic)
    fidelity = q.overall_all_pairs

    cannot_prove = priv.get("dcr_share")["cannot_prove"]
    metrics = [
        metric("real_correlation", "Real correlation ρ", r_real, ".3f",
               "Pearson correlation of the two columns in the training rows."),
        metric("synthetic_correlation", "Synthetic correlation", r_syn, ".3f",
               "Pearson correlation of the two columns in the synthetic rows; on average (1 − p²) · ρ."),
        metric("fidelity", "Fidelity score", fidelity, ".3f",
               "Mean of the column-shape score (1 − KS distance, averaged over the two columns) and the "
               "correlation similarity 1 − |ρ_real − ρ_syn| / 2 (SDMetrics quality, all pairs); 1 = identical."),
        metric("column_shapes", "Column shapes (1 − KS)", q.column_shapes, ".3f",
               "1 minus the largest gap between real and synthetic cumulative distributions, averaged over columns."),
        metric("correlation_similarity", "Correlation similarity", pair["score"], ".3f",
               "1 − |ρ_real − ρ_syn| / 2: 1 when the correlations agree, 0 when they are opposite (1 vs −1)."),
        metric("privacy", "Privacy score (DCR protection)", protection, ".3f",
               "SDMetrics' DCR overfitting protection, min(2 · (1 − share closer to train), 1): 1 = synthetic rows are "
               "no closer to the training rows than to fresh real rows; 0 = all sit closer to a training row."),
        metric("dcr_share", "Closer to train than to holdout", share, ".1%",
               "Share of synthetic rows whose closest real record (DCR) is a training row rather than a holdout "
               "row, ties counted ½; 50 % = no sign of a link to the training rows."),
        metric("membership_auc", "Membership attack AUC", mia, ".3f",
               "ROC AUC of a simple attack that guesses a real row was used for training when a synthetic row lies "
               "close to it: 0.5 = no better than chance, 1 = it always tells training rows from holdout rows."),
        metric("traced", "Rows traced to their source", traced, ".1%",
               "Share of synthetic rows whose nearest training row (same distance as the DCR) is the row they were "
               "made from: a linkage attack only this demo can score, because it knows each row's source."),
        metric("copies", "Exact copies of training rows", copies, ".1%",
               "Share of synthetic rows equal to a training row in every column."),
    ]
    summary = _reading(p, kept, traced, share, train.n_rows)
    notes = [
        "What the fidelity score cannot prove: it compares each column and the one pair; "
        "it says nothing about relations it does not look at, and at p = 1 the columns still match "
        "because the noise was given the real means and spreads.",
        cannot_prove,
    ]
    result = {"summary": summary, "metrics": metrics, "notes": notes}
    if figure:
        result["figures"] = [_figure(train, synthetic, r_real, r_syn, p)]
    return result


def _figure(train: Table, synthetic: Table, r_real: float, r_syn: float, p: float) -> dict:
    from ..plotting import REAL, SYNTHETIC, figure_svg, new_figure

    fig = new_figure(6.4, 3.2)
    axes = fig.subplots(1, 2, sharex=True, sharey=True)
    for ax, table, colour, title in ((axes[0], train, REAL, f"real (training), ρ = {r_real:.2f}"),
                                     (axes[1], synthetic, SYNTHETIC, f"synthetic, ρ = {r_syn:.2f}")):
        ax.scatter(table["x"].values, table["y"].values, s=5, alpha=0.5, color=colour)
        ax.set_title(title, fontsize="medium")
        ax.set_xlabel("x")
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel("y")
    alt = (f"Two scatter plots side by side: {train.n_rows} real training rows with correlation {r_real:.2f}, "
           f"and as many synthetic rows made with privacy noise p = {p:.2f}, correlation {r_syn:.2f}.")
    return {"alt": alt, "svg": figure_svg(fig)}
