"""Guide chapter 3: fidelity is not utility, and a generator can miss whole modes.

* :func:`label_relation` — a Gaussian copula's rows, and the same rows with the label column
  shuffled: every marginal is identical, the feature→label relation is gone. Column shapes
  cannot tell them apart; TSTR can.
* :func:`coverage` — simulated 2-D data from eight clusters of unequal size; a Gaussian mixture
  with enough components reaches every cluster, one with too few merges them, and a generator
  that learned only the common clusters (a stand-in for mode collapse) never reaches the rare ones.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..table import Table
from ._result import choice, metric, number
from .guide_common import load_split, quality_score, synthesize, tstr_scores

LABELS = {"penguins": "species", "breast_cancer": "diagnosis"}


def shuffle_column(table: Table, name: str, rng: np.random.Generator) -> Table:
    """``table`` with the values of column ``name`` in random order (its marginal unchanged)."""
    values = {c.name: c.values for c in table.columns}
    values[name] = values[name][rng.permutation(table.n_rows)]
    return table.like(values)


def label_relation(dataset: str = "penguins", seed: int = 0) -> dict:
    """Copula rows vs the same rows with the label shuffled: column shapes, pair trends, TSTR."""
    from ..metrics.fidelity import quality

    dataset = choice("dataset", dataset, tuple(LABELS))
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    label = LABELS[dataset]
    train, holdout = load_split(dataset, rng)
    kept = synthesize("gaussian_copula", train, train.n_rows, rng)
    lost = shuffle_column(kept, label, rng)
    rows, res = [], {}
    for key, title, syn in (("kept", "Copula rows", kept), ("lost", "Same rows, label shuffled", lost)):
        q = quality(train, syn)
        u = tstr_scores(train, syn, holdout, label, rng)
        res[key] = {"shapes": q.column_shapes, "pairs": q.pair_trends_all, **u}
        rows.append([title, f"{q.column_shapes:.3f}", f"{q.pair_trends_all:.3f}", f"{u['tstr']:.3f}"])
    k, lo = res["kept"], res["lost"]
    metrics = [
        metric("shapes_kept", "Column shapes, copula", k["shapes"], ".3f",
               "Mean over columns of 1 − KS (numbers) or 1 − total variation (categories); 1 = same marginals."),
        metric("shapes_lost", "Column shapes, label shuffled", lo["shapes"], ".3f",
               "The same score after shuffling the label: shuffling never changes a marginal."),
        metric("tstr_kept", "TSTR accuracy, copula", k["tstr"], ".3f",
               f"Accuracy on held-out real rows of a logistic regression trained on the copula's rows to predict '{label}'."),
        metric("tstr_lost", "TSTR accuracy, label shuffled", lo["tstr"], ".3f",
               "The same model trained on the rows whose label was shuffled."),
        metric("majority", "Most common class", k["majority"], ".3f",
               "Accuracy of always predicting the training rows' most common class."),
    ]
    summary = (f"Both synthetic tables have the same column-shape score ({k['shapes']:.3f} and {lo['shapes']:.3f}), "
               f"but a model trained on the shuffled one scores {lo['tstr']:.3f} on real rows instead of "
               f"{k['tstr']:.3f} (most common class: {k['majority']:.3f}). The all-pairs trend score moves only from "
               f"{k['pairs']:.3f} to {lo['pairs']:.3f}, because the label is one column among many; TSTR shows the loss "
               f"plainly.")
    table = {"caption": f"'{dataset}': fidelity and utility of two synthetic tables",
             "columns": ["Synthetic table", "Column shapes", "Pair trends", "TSTR accuracy"], "rows": rows}
    return {"summary": summary, "metrics": metrics, "tables": [table]}


#: Cluster centres on a circle and their shares (a long tail: the last three are rare).
N_MODES = 8
SHARES = np.array([0.30, 0.22, 0.16, 0.12, 0.09, 0.06, 0.03, 0.02])
SPREAD = 0.35
PLOTTED = 600  # points drawn per panel: the SVG stays small and quick to draw
GENERATORS = {"mixture8": "Gaussian mixture, 8 components", "mixture2": "Gaussian mixture, 2 components",
              "common_only": "Learned only the 4 common clusters"}


def centres() -> np.ndarray:
    angle = 2 * np.pi * np.arange(N_MODES) / N_MODES
    return 4.0 * np.c_[np.cos(angle), np.sin(angle)]


def make_modes(n: int, rng: np.random.Generator) -> tuple[Table, np.ndarray]:
    """``n`` simulated points from the eight clusters, and each point's cluster."""
    mode = rng.choice(N_MODES, size=n, p=SHARES)
    xy = centres()[mode] + SPREAD * rng.standard_normal((n, 2))
    return Table.from_arrays({"x": xy[:, 0], "y": xy[:, 1]}), mode


def assign_modes(table: Table) -> np.ndarray:
    """The cluster each point falls in (within 3 spreads of its centre), or −1."""
    xy = np.c_[table["x"].values, table["y"].values]
    d = np.linalg.norm(xy[:, None, :] - centres()[None, :, :], axis=2)
    nearest = d.argmin(axis=1)
    return np.where(d.min(axis=1) <= 3 * SPREAD, nearest, -1)


def coverage(generator: str = "mixture8", n: int = 2000, seed: int = 0, figure: bool = True) -> dict:
    """Share of the real clusters a generator reaches, and its fidelity scores."""
    generator = choice("generator", generator, tuple(GENERATORS))
    n = number("n", n, 500, 5000, integer=True)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    real, mode = make_modes(n, rng)
    if generator == "common_only":
        fit_on, k = real.take(np.flatnonzero(mode < 4)), 4
    else:
        fit_on, k = real, 8 if generator == "mixture8" else 2
    synthetic = synthesize("gaussian_mixture", fit_on, n, rng, n_components=k)
    got = assign_modes(synthetic)
    expected = SHARES * n
    reached = np.array([np.sum(got == j) >= 0.25 * expected[j] for j in range(N_MODES)])
    off = float(np.mean(got == -1))
    q = quality_score(real, synthetic)
    metrics = [
        metric("modes_reached", "Real clusters reached", float(reached.mean()), ".0%",
               "Share of the 8 real clusters that receive at least a quarter of their expected number of synthetic points."),
        metric("rare_reached", "Rare clusters reached (3 smallest)", float(reached[-3:].mean()), ".0%",
               "The same, for the three clusters holding 2–6 % of the real points."),
        metric("off_support", "Synthetic points in no cluster", off, ".1%",
               "Share of synthetic points farther than 3 spreads from every real cluster centre (precision errors)."),
        metric("quality", "Quality score", q, ".3f",
               "SDMetrics-style quality (column shapes and the x–y correlation); it looks at marginals, not modes."),
    ]
    summary = (f"{GENERATORS[generator]}: reaches {int(reached.sum())} of 8 real clusters "
               f"({int(reached[-3:].sum())} of the 3 rare ones), puts {off:.1%} of its points where no real point lies, "
               f"and has a quality score of {q:.3f}.")
    table = {"caption": "Points per cluster, real vs synthetic",
             "columns": ["Cluster", "Real share", "Synthetic share"],
             "rows": [[str(j + 1), f"{np.mean(mode == j):.1%}", f"{np.mean(got == j):.1%}"] for j in range(N_MODES)]}
    result = {"summary": summary, "metrics": metrics, "tables": [table],
              "notes": ["The data are simulated: eight Gaussian clusters whose true centres are known, so coverage "
                        "can be counted exactly."]}
    if figure:
        result["figures"] = [_scatter(real, synthetic, GENERATORS[generator])]
    return result


def _scatter(real: Table, synthetic: Table, title: str) -> dict:
    from ..plotting import REAL, SYNTHETIC, figure_svg, new_figure

    fig = new_figure(6.4, 3.2)
    axes = fig.subplots(1, 2, sharex=True, sharey=True)
    for ax, t, colour, name in ((axes[0], real, REAL, "real (simulated)"), (axes[1], synthetic, SYNTHETIC, title)):
        shown = slice(0, PLOTTED)  # the rows are in random order: the first ones are a random subset
        ax.scatter(t["x"].values[shown], t["y"].values[shown], s=4, alpha=0.5, color=colour)
        ax.set_title(name, fontsize="small")
        ax.set_aspect("equal")
        ax.spines[["top", "right"]].set_visible(False)
    alt = (f"Two scatter plots (at most {PLOTTED} points each): eight real clusters on a circle, and the points "
           f"of: {title}.")
    return {"alt": alt, "svg": figure_svg(fig)}
