"""Rebalance a rare class with synthetic rows, and judge the classifier on real data.

The Motivations lesson's demo. The Wisconsin breast cancer table is split into a real
training set and a real held-out test set (stratified, 30 % test). Malignant cases are
then made rare *in training only* (``minority_per_100`` malignant rows per 100 benign
rows), a logistic regression is trained on that imbalanced set ("before") and again
after oversampling the malignant class with :func:`synthlearn.synthesizers.rebalance.oversample`
("after"). Both models are scored on the same real test rows.
"""

from __future__ import annotations

import numpy as np

from .._rng import SEED_MAX, as_generator
from ..datasets import load
from ..learners import Encoder, LogisticRegression, roc_auc
from ..synthesizers.rebalance import oversample
from ..table import Table
from ._result import choice, metric, number

METHODS = {"none": "None", "random": "Random duplicates", "smote": "SMOTE"}
LABEL = "diagnosis"
RARE = "malignant"
COMMON = "benign"
TEST_SHARE = 0.3
PLOT_X, PLOT_Y = "worst_radius", "worst_concave_points"


def split_stratified(table: Table, label: str, test_share: float, rng: np.random.Generator) -> tuple[Table, Table]:
    """Real training and test tables, each class split in the same proportion."""
    y = table[label].values
    test = np.zeros(table.n_rows, dtype=bool)
    for value in np.unique(y[~np.isnan(y)]):
        members = np.flatnonzero(y == value)
        test[rng.permutation(members)[: int(round(test_share * members.size))]] = True
    return table.take(np.flatnonzero(~test)), table.take(np.flatnonzero(test))


def make_rare(train: Table, minority_per_100: int, rng: np.random.Generator) -> Table:
    """Keep all benign training rows and ``minority_per_100`` malignant rows per 100 of them."""
    y = train[LABEL].values
    rare_code = train[LABEL].categories.index(RARE)
    rare, common = np.flatnonzero(y == rare_code), np.flatnonzero(y != rare_code)
    keep = max(2, int(round(minority_per_100 * common.size / 100)))
    kept = rng.choice(rare, size=min(keep, rare.size), replace=False)
    return train.take(np.sort(np.concatenate([common, kept])))


def fit_and_score(train: Table, test: Table) -> dict:
    """Train a standardised logistic regression on ``train``; predictions and scores on ``test``."""
    features = [name for name in train.names if name != LABEL]
    rare_code = train[LABEL].categories.index(RARE)
    encoder = Encoder(features, standardize=True).fit(train)
    model = LogisticRegression().fit(encoder.transform(train), train[LABEL].values == rare_code)
    x_test = encoder.transform(test)
    truth = test[LABEL].values == rare_code
    predicted = model.predict(x_test).astype(bool)
    caught = int(np.sum(predicted & truth))
    false_alarms = int(np.sum(predicted & ~truth))
    return {
        "predicted": predicted, "truth": truth,
        "caught": caught, "missed": int(truth.sum()) - caught,
        "false_alarms": false_alarms, "cleared": int((~truth).sum()) - false_alarms,
        "recall": caught / int(truth.sum()),
        "false_alarm_rate": false_alarms / int((~truth).sum()),
        "auc": roc_auc(truth, model.decision_function(x_test)),
    }


def run(method: str = "smote", minority_per_100: int = 10, target_ratio: float = 1.0, seed: int = 42,
        figure: bool = True) -> dict:
    """Oversample the rare class with ``method`` and compare a classifier before and after, on real test data."""
    choice("method", method, METHODS)
    minority_per_100 = number("minority_per_100", minority_per_100, 5, 50, integer=True)
    target_ratio = number("target_ratio", target_ratio, 0.1, 1.0)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    rng = as_generator(seed)

    train, test = split_stratified(load("breast_cancer"), LABEL, TEST_SHARE, rng)
    train = make_rare(train, minority_per_100, rng)
    before = fit_and_score(train, test)
    if method == "none":
        augmented, is_synthetic = train, np.zeros(train.n_rows, dtype=bool)
    else:
        result = oversample(train, LABEL, target_ratio=target_ratio, k_neighbors=5, method=method, rng=rng)
        augmented, is_synthetic = result.table, result.synthetic
    after = fit_and_score(augmented, test) if is_synthetic.any() else before

    rare_code = train[LABEL].categories.index(RARE)
    y_train, y_aug = train[LABEL].values, augmented[LABEL].values
    n_rare, n_common = int(np.sum(y_train == rare_code)), int(np.sum(y_train != rare_code))
    n_added = int(is_synthetic.sum())
    n_test_rare, n_test_common = int(before["truth"].sum()), int((~before["truth"]).sum())

    def pct(x: float) -> str:
        return f"{x:.0%}"

    if method == "none":
        summary = (f"Baseline: trained on {n_rare} malignant and {n_common} benign real rows, the model catches "
                   f"{before['caught']} of the {n_test_rare} malignant test cases (recall {pct(before['recall'])}). "
                   "Choose an oversampling method to compare.")
    elif n_added == 0:
        summary = (f"The rare class already has {n_rare} rows, at least {target_ratio:.0%} of the {n_common} "
                   "common rows, so no synthetic rows were added; raise the target ratio.")
    else:
        d_recall = after["recall"] - before["recall"]
        d_alarm = after["false_alarm_rate"] - before["false_alarm_rate"]
        if d_recall > 0:
            head = (f"Adding {n_added} synthetic malignant rows ({METHODS[method]}) raised recall on the real test "
                    f"cases from {pct(before['recall'])} to {pct(after['recall'])}: "
                    f"{after['caught'] - before['caught']} more of the {n_test_rare} malignant cases caught")
        elif d_recall < 0:
            head = (f"Adding {n_added} synthetic malignant rows ({METHODS[method]}) lowered recall on the real test "
                    f"cases from {pct(before['recall'])} to {pct(after['recall'])}")
        else:
            head = (f"Adding {n_added} synthetic malignant rows ({METHODS[method]}) left recall on the real test "
                    f"cases at {pct(after['recall'])}")
        if d_alarm > 0:
            tail = (f", at the cost of {after['false_alarms'] - before['false_alarms']} more false alarm(s) "
                    f"among {n_test_common} benign cases.")
        elif d_alarm < 0:
            tail = f", with {before['false_alarms'] - after['false_alarms']} fewer false alarm(s)."
        else:
            tail = ", with the same number of false alarms."
        auc_note = (f" The ranking quality (ROC AUC) moved only from {before['auc']:.3f} to {after['auc']:.3f}: "
                    "oversampling mostly moves where the model draws the line."
                    if abs(after["auc"] - before["auc"]) < 0.01 else
                    f" ROC AUC moved from {before['auc']:.3f} to {after['auc']:.3f}.")
        summary = head + tail + auc_note

    recall_help = "Share of the real malignant test cases the model flags as malignant (higher is better)."
    alarm_help = "Share of the real benign test cases wrongly flagged as malignant (lower is better)."
    auc_help = ("Probability that a random malignant test case gets a higher score than a random benign one "
                "(0.5 = chance, 1 = perfect ranking); it ignores where the decision threshold sits.")
    metrics = [
        metric("rare_real", "Real malignant rows in training", n_rare, ".0f",
               "Malignant rows kept in the training set to make the class rare."),
        metric("rare_synthetic", "Synthetic malignant rows added", n_added, ".0f",
               "Rows made by the oversampling method; they are used for training only."),
        metric("recall_before", "Recall before", before["recall"], ".1%", recall_help + " Model trained without synthetic rows."),
        metric("recall_after", "Recall after", after["recall"], ".1%", recall_help + " Model trained with the synthetic rows."),
        metric("false_alarms_before", "False-alarm rate before", before["false_alarm_rate"], ".1%", alarm_help),
        metric("false_alarms_after", "False-alarm rate after", after["false_alarm_rate"], ".1%", alarm_help),
        metric("auc_before", "ROC AUC before", before["auc"], ".3f", auc_help),
        metric("auc_after", "ROC AUC after", after["auc"], ".3f", auc_help),
    ]
    counts = {
        "caption": "Class counts: training before and after oversampling, and the real test set",
        "columns": ["Class", "Training before", "Training after", "of which synthetic", "Test (real)"],
        "rows": [
            [RARE, str(n_rare), str(int(np.sum(y_aug == rare_code))), {"text": str(n_added), "mark": "generated"},
             str(n_test_rare)],
            [COMMON, str(n_common), str(int(np.sum(y_aug != rare_code))), "0", str(n_test_common)],
        ],
    }
    outcomes = {
        "caption": f"Predictions on the {n_test_rare + n_test_common} real test cases",
        "columns": ["Model", "Malignant caught", "Malignant missed", "False alarms", "Benign cleared"],
        "rows": [[label, str(s["caught"]), {"text": str(s["missed"]), "mark": "flag"},
                  {"text": str(s["false_alarms"]), "mark": "flag"}, str(s["cleared"])]
                 for label, s in (("Before (imbalanced)", before), ("After (oversampled)", after))],
    }
    result = {
        "summary": summary,
        "metrics": metrics,
        "tables": [counts, outcomes],
        "notes": [f"The test set has {n_test_rare} malignant cases, so one case moves recall by "
                  f"{1 / n_test_rare:.1%}: change the seed to see how much of a difference is luck."],
    }
    if figure:
        result["figures"] = [_figure(augmented, is_synthetic, rare_code, method)]
    return result


def _figure(table: Table, is_synthetic: np.ndarray, rare_code: int, method: str) -> dict:
    from ..plotting import REAL, SYNTHETIC, figure_svg, new_figure

    x, y = table[PLOT_X].values, table[PLOT_Y].values
    rare = table[LABEL].values == rare_code
    fig = new_figure(6.4, 3.4)
    ax = fig.add_subplot()
    common = ~rare
    ax.scatter(x[common], y[common], s=10, color="#9e9e9e", alpha=0.5, label="benign (real)")
    ax.scatter(x[rare & ~is_synthetic], y[rare & ~is_synthetic], s=28, color=REAL, label="malignant (real)")
    if is_synthetic.any():
        ax.scatter(x[is_synthetic], y[is_synthetic], s=14, marker="x", color=SYNTHETIC, linewidths=1,
                   label=f"malignant (synthetic, {METHODS[method]})")
    ax.set_xlabel(PLOT_X.replace("_", " "))
    ax.set_ylabel(PLOT_Y.replace("_", " "))
    ax.legend(frameon=False, loc="upper left", fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    n_syn = int(is_synthetic.sum())
    where = ("on the segments between real malignant rows" if method == "smote" else
             "exactly on top of real malignant rows")
    alt = (f"Scatter plot of the training set, {PLOT_X.replace('_', ' ')} against {PLOT_Y.replace('_', ' ')}: "
           f"{int(common.sum())} benign rows in grey, {int((rare & ~is_synthetic).sum())} real malignant rows"
           + (f", and {n_syn} synthetic malignant rows drawn as crosses {where}." if n_syn else "; no synthetic rows."))
    return {"alt": alt, "svg": figure_svg(fig)}
