"""Not a copy: each synthetic row beside its nearest real row, and how far apart they are.

The explainer's demo. A bundled real table is split at random into *training* rows (80 %),
which the model learns from, and *holdout* rows (20 %), real people the model never saw.
The model samples new rows; for each shown synthetic row the demo finds the nearest training
row and prints both, with their distance. The distance is the one every privacy check in
synthlearn uses (:mod:`synthlearn.metrics.privacy`): the mean over the columns of
``min(|a − b| / range, 1)`` for numbers and 0/1 for categories, so 0 = the same row and
1 = different in every column.

The yardstick is the holdout: a real person who was *not* in the training rows also has a
nearest training row. If synthetic rows sit about as far from the training rows as new real
people do, the model has learned the population rather than the people; if they sit much
closer, it has memorised. A kernel density estimate with a tiny bandwidth (each synthetic row
is a training row plus almost no noise) shows the second case.
"""

from __future__ import annotations

import numpy as np

from .._rng import SEED_MAX, as_generator
from ..datasets import load
from ..metrics.privacy import RowSpace, nearest_distances
from ..synthesizers import make_synthesizer
from ..table import Table
from ._result import choice, metric, number

DATASETS = {"penguins": "Palmer penguins (344 rows)", "adult": "Adult census (32,561 rows)"}
MODELS = {
    "gaussian_copula": ("gaussian_copula", {}),
    "bayesian_network": ("bayesian_network", {}),
    "kde_overfit": ("kde", {"bandwidth": 0.01}),
}
MODEL_TITLES = {"gaussian_copula": "Gaussian copula", "bayesian_network": "Bayesian network (Chow–Liu tree)",
                "kde_overfit": "Overfitting KDE (bandwidth 0.01)"}
ADULT_COLUMNS = ["age", "workclass", "education", "marital_status", "occupation", "sex", "hours_per_week",
                 "income"]
N_METRIC_ROWS = 400      # synthetic rows scored for the metrics (the table shows only a few)
TRAIN_SHARE = 0.8


def real_table(dataset: str) -> Table:
    """The real table of the demo (Adult restricted to eight readable columns)."""
    table = load(dataset)
    return table.select(ADULT_COLUMNS) if dataset == "adult" else table


def split(table: Table, rng: np.random.Generator) -> tuple[Table, Table]:
    """Random training (80 %) and holdout (20 %) rows."""
    order = rng.permutation(table.n_rows)
    cut = int(round(TRAIN_SHARE * table.n_rows))
    return table.take(np.sort(order[:cut])), table.take(np.sort(order[cut:]))


def distance_matrix(space: RowSpace, query: Table, reference: Table) -> np.ndarray:
    """Dense privacy-metric distances (query rows × reference rows); for a few query rows only."""
    q, r = space.embed(query), space.embed(reference)
    num = np.minimum(np.abs(q.numbers[:, None, :].astype(float) - r.numbers[None, :, :].astype(float)), 1.0)
    cat = (q.codes[:, None, :] != r.codes[None, :, :])
    return (num.sum(axis=2) + cat.sum(axis=2)) / space.n_columns


def _cells(table: Table, i: int) -> list[str]:
    out = []
    for col in table.columns:
        v = float(col.values[i])
        if np.isnan(v):
            out.append("(missing)")
        elif col.kind == "numeric":
            out.append(f"{v:.4g}")
        else:
            out.append(col.format_value(v))
    return out


def pairs_table(synthetic: Table, train: Table, space: RowSpace, n_show: int) -> tuple[dict, np.ndarray]:
    """Rows: each shown synthetic row, then its nearest training row; cells that match are marked."""
    shown = synthetic.take(np.arange(n_show))
    d = distance_matrix(space, shown, train)
    nearest = np.argmin(d, axis=1)
    rows = []
    for i in range(n_show):
        syn, real = _cells(shown, i), _cells(train, int(nearest[i]))
        dist = f"{d[i, nearest[i]]:.3f}"
        rows.append([{"text": f"synthetic {i + 1}", "mark": "generated"}]
                    + [{"text": s, "mark": "generated"} for s in syn] + [dist])
        rows.append([f"nearest real to {i + 1}"]
                    + [{"text": r, "mark": "kept"} if r == s else r for r, s in zip(real, syn)] + [""])
    caption = ("Each synthetic row (highlighted), then the training row nearest to it; real cells equal to the "
               "synthetic ones are marked. Distance: 0 = identical, 1 = different in every column.")
    return {"caption": caption, "columns": ["Row"] + synthetic.names + ["Distance"], "rows": rows}, d[
        np.arange(n_show), nearest]


def run(dataset: str = "penguins", model: str = "gaussian_copula", rows: int = 5, seed: int = 0) -> dict:
    """Fit ``model`` to the training rows of ``dataset``; show synthetic rows beside their nearest real rows."""
    choice("dataset", dataset, DATASETS)
    choice("model", model, MODELS)
    rows = number("rows", rows, 1, 12, integer=True)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    rng = as_generator(seed)
    train, holdout = split(real_table(dataset), rng)
    method, params = MODELS[model]
    synthetic = make_synthesizer(method, **params).fit(train, rng=rng).sample(N_METRIC_ROWS, rng=rng)
    space = RowSpace(train, synthetic, holdout)
    table, shown = pairs_table(synthetic, train, space, rows)

    e_train = space.embed(train)
    d_syn = nearest_distances(space, space.embed(synthetic), e_train, k=1)[:, 0]
    hold = holdout.take(np.arange(min(holdout.n_rows, N_METRIC_ROWS)))
    d_hold = nearest_distances(space, space.embed(hold), e_train, k=1)[:, 0]
    med_syn, med_hold = float(np.median(d_syn)), float(np.median(d_hold))
    close = float(np.percentile(d_hold, 5))
    too_close = float(np.mean(d_syn < close)) if close > 0 else float(np.mean(d_syn == 0))
    copies, hold_copies = float(np.mean(d_syn == 0)), float(np.mean(d_hold == 0))
    metrics = [
        metric("median_synthetic", "Median distance: synthetic → nearest real", med_syn, ".3f",
               f"Median over {synthetic.n_rows} synthetic rows of the distance to the nearest training row."),
        metric("median_holdout", "Median distance: new real person → nearest real", med_hold, ".3f",
               f"The yardstick: the same distance for {hold.n_rows} real holdout rows the model never saw."),
        metric("too_close", "Synthetic rows closer than 95 % of new real people", too_close, ".1%",
               "Share of synthetic rows nearer to a training row than the 5th percentile of the holdout "
               "distances (about 5 % is what a model of the population gives); when that percentile is 0, "
               "as in a table whose real people often share every value, the share at distance 0."),
        metric("copies", "Exact copies of a training row", copies, ".1%",
               "Share of synthetic rows at distance 0 from a training row (equal in every column)."),
        metric("holdout_copies", "New real people identical to a training row", hold_copies, ".1%",
               "The yardstick for copies: in a table with few, coarse columns, different real people "
               "share every value, so some exact matches are expected even without copying."),
    ]
    ratio = med_syn / med_hold if med_hold > 0 else float("inf")
    if too_close > 0.5 or ratio < 0.5:
        verdict = (f"Memorised: {too_close:.0%} of the synthetic rows sit closer to a real training row than 95 % of "
                   f"new real people do (median distance {med_syn:.3f} against {med_hold:.3f}). These rows are "
                   "near-copies of real people.")
    else:
        verdict = (f"Not copies: the synthetic rows are no closer to the training rows than new real people are "
                   f"(median distance {med_syn:.3f} against {med_hold:.3f}; {too_close:.0%} closer than 95 % of new "
                   "real people). Evidence against memorisation for these rows, not a privacy guarantee.")
    summary = f"{MODEL_TITLES[model]} fitted to {train.n_rows:,} training rows of {dataset}. {verdict}"
    notes = ["The distances are measured against the training rows only; a row being far from everyone in "
             "this table says nothing about people outside it, and passing this check is not a proof of privacy "
             "(only differential privacy, a property of how the model is fitted, gives a guarantee)."]
    return {"summary": summary, "metrics": metrics, "tables": [table], "notes": notes,
            "shown_distances": [float(x) for x in shown]}
