"""Utility: does a model trained on synthetic data work on real data?

*TRTR* trains on the real training table and tests on a real test table; *TSTR* trains on
the synthetic table and tests on the same real test table. For each learner we report
accuracy, macro F1 and (for a two-class label) ROC AUC, and the ratio TSTR / TRTR
(1 = the synthetic table is as useful as the real one for this task).

The test table must not have been used to fit the synthesizer, or TSTR is optimistic.
A ratio near 1 says the label's relation to the other columns survived, for these learners;
it says nothing about other tasks, and on an imbalanced label even a majority-class guess
reaches a high accuracy (reported as ``majority_accuracy``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..learners import DecisionTree, Encoder, LogisticRegression, accuracy, f1_macro, roc_auc
from ..table import Table
from ._checks import align, check_limit, jsonable, subsample_rows

MIN_ROWS = 10

LEARNERS = {
    "logistic_regression": ("Logistic regression (L2 = 1; standardised numbers, one-hot categories)",
                            lambda: LogisticRegression(l2=1.0)),
    "decision_tree": ("Decision tree (CART, depth 6, ≥ 5 rows per leaf)",
                      lambda: DecisionTree(max_depth=6, min_samples_leaf=5)),
}


@dataclass
class UtilityResult:
    """TRTR vs TSTR scores per learner."""

    label: str
    classes: list[str]
    positive: str | None
    rows: dict
    majority_accuracy: float
    majority_f1_macro: float
    learners: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-able dict."""
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})


def _labelled(table: Table, label: str, what: str) -> tuple[Table, np.ndarray]:
    col = table[label]
    keep = ~col.missing
    if keep.sum() < MIN_ROWS:
        raise InputError(f"The {what} table has {int(keep.sum())} rows with a value in '{label}'; "
                         f"the utility test needs at least {MIN_ROWS}.", column=label)
    t = table.take(np.flatnonzero(keep)) if not keep.all() else table
    y = t[label].values.astype(np.intp)
    present = np.unique(y)
    if present.size < 2:
        only = col.categories[int(present[0])]
        raise InputError(f"The label '{label}' has only one class ('{only}') in the {what} table; "
                         "a classifier needs at least two.", column=label)
    return t, y


def _scores(model, x_test: np.ndarray, y_test: np.ndarray, positive: int | None) -> dict:
    pred = model.predict(x_test)
    out = {"accuracy": accuracy(y_test, pred), "f1_macro": f1_macro(y_test, pred), "roc_auc": None}
    if positive is not None:
        proba = model.predict_proba(x_test)
        where = np.flatnonzero(model.classes_ == positive)
        score = proba[:, where[0]] if where.size else np.zeros(len(y_test))
        out["roc_auc"] = roc_auc(y_test == positive, score)
    return out


def tstr(real_train: Table, synthetic: Table, real_test: Table, label: str, *,
         learners: tuple[str, ...] = ("logistic_regression", "decision_tree"),
         max_train_rows: int | None = None, rng=None) -> UtilityResult:
    """Train-on-real vs train-on-synthetic, both tested on ``real_test``, predicting ``label``.

    ``label`` must be a categorical or boolean column; rows where it is missing are left
    out (counts in ``rows``). ``max_train_rows`` caps each training table (drawn with ``rng``).
    """
    if not isinstance(label, str):
        raise InputError(f"The label must be a column name, not {label!r}.")
    if isinstance(real_train, Table) and label not in real_train:
        raise InputError(f"The label '{label}' is not a column of the real table "
                         f"(columns: {', '.join(real_train.names)}).", column=label)
    unknown = [name for name in learners if name not in LEARNERS]
    if unknown or not learners:
        raise InputError(f"Unknown learner(s) {unknown}; choose from {', '.join(LEARNERS)}.")
    max_train_rows = check_limit(max_train_rows, "max_train_rows", minimum=MIN_ROWS)
    gen = as_generator(rng)
    real_train, synthetic, real_test = align(real_train, ("synthetic", synthetic), ("real test", real_test))
    col = real_train[label]
    if not col.is_discrete:
        raise InputError(f"The label '{label}' is {col.kind}; the utility test needs a categorical or "
                         "boolean label.", column=label)
    if real_train.n_cols < 2:
        raise InputError("The utility test needs at least one column besides the label.", column=label)
    tables = {}
    for what, t in (("real training", real_train), ("synthetic", synthetic), ("real test", real_test)):
        tables[what] = _labelled(t, label, what)
    for what in ("real training", "synthetic"):
        t, y = tables[what]
        idx = subsample_rows(t.n_rows, max_train_rows, gen)
        if idx is not None:
            tables[what] = (t.take(idx), y[idx])
    test, y_test = tables["real test"]
    train, y_train = tables["real training"]
    classes = list(col.categories)
    test_classes = np.unique(y_test)
    positive = None
    if test_classes.size == 2:
        counts = np.bincount(y_train, minlength=len(classes))[test_classes]
        positive = int(test_classes[int(np.argmin(counts))]) if counts[0] != counts[1] else int(test_classes[1])
    features = [n for n in real_train.names if n != label]
    majority = int(np.argmax(np.bincount(y_train)))
    encoded = {}
    for key, what in (("trtr", "real training"), ("tstr", "synthetic")):
        t, y = tables[what]
        enc = Encoder(features, standardize=True).fit(t)
        encoded[key] = (enc.transform(t), y, enc.transform(test))
    results = []
    for name in learners:
        title, make = LEARNERS[name]
        item = {"learner": name, "title": title}
        for key, (x_train, y, x_test) in encoded.items():
            item[key] = _scores(make().fit(x_train, y), x_test, y_test, positive)
        item["ratio"] = {m: (item["tstr"][m] / item["trtr"][m] if item["trtr"][m] else None)
                         for m in ("accuracy", "f1_macro", "roc_auc") if item["trtr"][m] is not None}
        results.append(item)
    rows = {"real_train": train.n_rows, "synthetic": tables["synthetic"][0].n_rows, "real_test": test.n_rows,
            "missing_label_dropped": {"real_train": int(real_train[label].missing.sum()),
                                      "synthetic": int(synthetic[label].missing.sum()),
                                      "real_test": int(real_test[label].missing.sum())}}
    maj_pred = np.full_like(y_test, majority)
    return UtilityResult(label=label, classes=classes,
                         positive=None if positive is None else classes[positive], rows=rows,
                         majority_accuracy=accuracy(y_test, maj_pred), majority_f1_macro=f1_macro(y_test, maj_pred),
                         learners=results)


def class_balance(real: Table, synthetic: Table, label: str) -> dict:
    """How well the synthetic rows keep the label's class shares.

    Returns ``{"label", "gap", "worst_class", "real", "synthetic"}``: ``gap`` is the largest
    difference, over the classes of either table, between a class's share among the real
    rows and among the synthetic rows (0 = same base rates); ``real`` and ``synthetic`` map
    each class to its share (missing labels left out). A model trained on synthetic rows
    whose shares differ learns the wrong base rates.
    """
    real, synthetic = align(real, ("synthetic", synthetic))
    if label not in real:
        raise InputError(f"The label {label!r} is not a column (columns: {', '.join(real.names)}).", column=label)
    if not real[label].is_discrete:
        raise InputError(f"The label '{label}' is {real[label].kind}; choose a categorical or boolean column.",
                         column=label)

    def shares(col) -> dict[str, float]:
        counts = np.bincount(col.values[~col.missing].astype(np.intp), minlength=len(col.categories)).astype(float)
        total = counts.sum()
        return {str(c): (float(counts[i] / total) if total else 0.0) for i, c in enumerate(col.categories)}

    r, s = shares(real[label]), shares(synthetic[label])
    classes = list(dict.fromkeys(list(r) + list(s)))
    gaps = {c: abs(r.get(c, 0.0) - s.get(c, 0.0)) for c in classes}
    worst = max(classes, key=lambda c: gaps[c])
    return {"label": label, "gap": float(gaps[worst]), "worst_class": worst, "real": r, "synthetic": s}
