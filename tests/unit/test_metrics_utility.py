"""Learners, detection and TSTR utility, against scikit-learn, scipy and closed-form cases."""

from __future__ import annotations

import numpy as np
import pytest

from synthlearn import InputError, Table
from synthlearn import learners as L
from synthlearn.metrics.detection import detection, stratified_folds
from synthlearn.metrics.utility import tstr

sklearn = pytest.importorskip("sklearn")
from sklearn.linear_model import LogisticRegression as SkLogistic  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score  # noqa: E402


# ----------------------------------------------------------------------------------------------
# scores
# ----------------------------------------------------------------------------------------------
def test_roc_auc_matches_sklearn_with_ties():
    rng = np.random.default_rng(0)
    y = rng.random(500) < 0.3
    score = rng.integers(0, 6, size=500) + y * rng.integers(0, 3, size=500)     # many ties
    assert L.roc_auc(y, score) == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    assert L.roc_auc(y, np.zeros(500)) == 0.5
    assert L.roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.3, 0.4])) == 1.0


def test_average_ranks_match_scipy():
    from scipy.stats import rankdata

    v = np.array([3.0, 1.0, 3.0, 2.0, 3.0, -1.0, 2.0])
    assert np.array_equal(L.average_ranks(v), rankdata(v))


def test_roc_auc_needs_both_classes():
    with pytest.raises(InputError, match="both positive and negative"):
        L.roc_auc(np.ones(4), np.arange(4.0))


def test_accuracy_and_macro_f1_match_sklearn():
    rng = np.random.default_rng(1)
    t = rng.integers(0, 3, size=300)
    p = np.where(rng.random(300) < 0.7, t, rng.integers(0, 4, size=300))        # class 3 only predicted
    assert L.accuracy(t, p) == pytest.approx(accuracy_score(t, p))
    assert L.f1_macro(t, p) == pytest.approx(f1_score(t, p, average="macro", zero_division=0), abs=1e-12)


# ----------------------------------------------------------------------------------------------
# logistic regression
# ----------------------------------------------------------------------------------------------
def _linear_data(rng, n=1500, p=5):
    x = rng.normal(size=(n, p))
    w = np.linspace(-2, 2, p)
    y = (x @ w + 0.5 + rng.logistic(size=n) > 0).astype(int)
    return x, y


@pytest.mark.parametrize("l2", [1.0, 4.0])
def test_logistic_regression_matches_sklearn(l2):
    x, y = _linear_data(np.random.default_rng(2))
    ours = L.LogisticRegression(l2=l2, tol=1e-12).fit(x, y)
    ref = SkLogistic(C=1.0 / l2, tol=1e-12, max_iter=10_000).fit(x, y)
    assert np.allclose(ours.coef_, ref.coef_, atol=1e-5)
    assert np.allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    assert np.allclose(ours.predict_proba(x), ref.predict_proba(x), atol=1e-6)
    assert np.array_equal(ours.predict(x), ref.predict(x))


def test_logistic_regression_multiclass_agrees_with_one_vs_rest_sklearn():
    from sklearn.multiclass import OneVsRestClassifier

    rng = np.random.default_rng(3)
    x = rng.normal(size=(900, 3))
    y = np.argmax(x @ rng.normal(size=(3, 4)) + 0.3 * rng.normal(size=(900, 4)), axis=1)
    labels = np.array(["w", "x", "y", "z"])[y]
    ours = L.LogisticRegression().fit(x, labels)
    ref = OneVsRestClassifier(SkLogistic(C=1.0, tol=1e-10, max_iter=10_000)).fit(x, labels)
    assert list(ours.classes_) == ["w", "x", "y", "z"]
    assert np.mean(ours.predict(x) == ref.predict(x)) > 0.99
    assert np.allclose(ours.predict_proba(x), ref.predict_proba(x), atol=1e-4)


def test_browser_matrix_products_give_the_same_model(monkeypatch):
    x, y = _linear_data(np.random.default_rng(21))
    native = L.LogisticRegression(tol=1e-12).fit(x, y)
    monkeypatch.setattr(L, "_NO_BLAS", True)                  # the einsum path used in Pyodide
    assert np.allclose(L.tdot(x, x), x.T @ x) and np.allclose(L.dot_nt(x[:50], x[:40]), x[:50] @ x[:40].T)
    browser = L.LogisticRegression(tol=1e-12).fit(x, y)
    assert np.allclose(native.coef_, browser.coef_, atol=1e-10)


def test_logistic_regression_bad_input():
    with pytest.raises(InputError, match="two classes"):
        L.LogisticRegression().fit(np.ones((5, 2)), np.zeros(5))
    with pytest.raises(InputError, match="missing or infinite"):
        L.LogisticRegression().fit(np.array([[1.0], [np.nan]]), np.array([0, 1]))
    with pytest.raises(InputError, match="l2"):
        L.LogisticRegression(l2=-1).fit(np.ones((4, 1)), np.array([0, 1, 0, 1]))


# ----------------------------------------------------------------------------------------------
# decision tree
# ----------------------------------------------------------------------------------------------
def test_decision_tree_is_in_sklearns_ballpark():
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(4)
    n = 4000
    x = np.column_stack([rng.normal(size=n), rng.integers(0, 10, size=n), rng.random(n) < 0.4, rng.gamma(2, size=n)])
    logit = np.sin(2 * x[:, 0]) + (x[:, 1] > 6) * 1.5 - x[:, 2] + 0.5 * (x[:, 3] > 2)
    y = (logit + rng.logistic(size=n) * 0.5 > 0.3).astype(int)
    tr, te = slice(0, 3000), slice(3000, None)
    ours = L.DecisionTree(max_depth=6, min_samples_leaf=5).fit(x[tr], y[tr])
    ref = DecisionTreeClassifier(max_depth=6, min_samples_leaf=5, random_state=0).fit(x[tr], y[tr])
    assert abs(L.accuracy(y[te], ours.predict(x[te])) - ref.score(x[te], y[te])) < 0.03
    leaves = ours.apply(x[tr])
    assert np.bincount(leaves)[np.unique(leaves)].min() >= 5
    assert len(ours.feature_) <= 2 ** 7 - 1


def test_decision_tree_is_exact_cart_on_one_hot_features():
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(5)
    x = (rng.random((2000, 6)) < 0.5).astype(float)
    y = ((x[:, 0] != x[:, 1]) | (x[:, 2] * x[:, 3] > 0)).astype(int)
    ours = L.DecisionTree(max_depth=4, min_samples_leaf=1).fit(x, y)
    ref = DecisionTreeClassifier(max_depth=4, random_state=0).fit(x, y)
    assert L.accuracy(y, ours.predict(x)) == pytest.approx(ref.score(x, y))


def test_forest_is_seeded():
    x, y = _linear_data(np.random.default_rng(6), n=500)
    a = L.RandomForest(n_trees=5).fit(x, y, rng=3).predict_proba(x)
    b = L.RandomForest(n_trees=5).fit(x, y, rng=3).predict_proba(x)
    assert np.array_equal(a, b)


# ----------------------------------------------------------------------------------------------
# encoding
# ----------------------------------------------------------------------------------------------
def test_encoder_imputes_with_the_training_median_and_flags_missing():
    train = Table.from_arrays({"a": [1.0, 2.0, 10.0, None], "c": ["x", "y", None, "x"]})
    other = Table.from_arrays({"a": [None, 5.0], "c": ["z", "y"]})
    x, names = L.encode(other, fitted_on=train)
    assert names == ["a", "a=(missing)", "c=x", "c=y", "c=(missing)"]
    assert x.tolist() == [[2.0, 1.0, 0.0, 0.0, 0.0], [5.0, 0.0, 0.0, 1.0, 0.0]]   # unseen 'z' → all zeros
    xs, _ = L.encode(train, standardize=True)
    assert np.allclose(xs[:, 0].mean(), 0.0) and np.allclose(xs[:, 0].std(), 1.0)   # numbers are standardised
    assert np.array_equal(xs[:, 1:], L.encode(train)[0][:, 1:])                     # 0/1 features stay 0/1


def test_encoder_names_a_missing_column():
    enc = L.Encoder().fit(Table.from_arrays({"a": [1.0, 2.0]}))
    with pytest.raises(InputError, match="no column 'a'"):
        enc.transform(Table.from_arrays({"b": [1.0]}))


# ----------------------------------------------------------------------------------------------
# detection
# ----------------------------------------------------------------------------------------------
def _table(rng, n, shift=0.0):
    return Table.from_arrays({"a": rng.normal(shift, 1, size=n), "b": rng.gamma(2.0, size=n),
                              "c": rng.choice(["p", "q", "r"], size=n, p=[0.5, 0.3, 0.2]).tolist()})


def test_detection_cannot_tell_draws_from_one_distribution():
    rng = np.random.default_rng(7)
    res = detection(_table(rng, 2000), _table(rng, 2000), rng=0)
    assert abs(res.auc - 0.5) < 0.04
    assert res.detection_score > 0.9
    assert res.pmse < 0.005


def test_detection_sees_a_shift_and_matches_sklearn_on_the_same_folds():
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(8)
    real, syn = _table(rng, 1500), _table(rng, 1500, shift=0.7)
    res = detection(real, syn, folds=3, rng=1)
    assert res.auc > 0.65 and res.detection_score < 0.7
    # the same folds, features and model with scikit-learn
    both = Table.from_arrays({n: np.concatenate([real[n].values, syn[n].values]) for n in ("a", "b")})
    c = np.concatenate([real["c"].values, syn["c"].values])
    x = np.column_stack([StandardScaler().fit_transform(both.matrix()), np.eye(3)[c.astype(int)]])
    y = np.r_[np.zeros(1500), np.ones(1500)]
    fold = stratified_folds(y, 3, np.random.default_rng(1))    # no subsample below max_rows: same draws
    aucs = []
    for f in range(3):
        test = fold == f
        m = SkLogistic(C=1.0, max_iter=1000).fit(x[~test], y[~test])
        aucs.append(roc_auc_score(y[test], m.predict_proba(x[test])[:, 1]))
    assert res.auc == pytest.approx(np.mean(aucs), abs=2e-3)


def test_detection_close_to_sdmetrics_logistic_detection():
    sdm = pytest.importorskip("sdmetrics")
    from sdmetrics.single_table import LogisticDetection

    rng = np.random.default_rng(9)
    real, syn = _table(rng, 1500), _table(rng, 1500, shift=0.5)
    ours = detection(real, syn, rng=0).detection_score
    to_df = lambda t: __import__("pandas").DataFrame(
        {"a": t["a"].values, "b": t["b"].values, "c": [t["c"].categories[int(v)] for v in t["c"].values]})
    meta = {"columns": {"a": {"sdtype": "numerical"}, "b": {"sdtype": "numerical"}, "c": {"sdtype": "categorical"}}}
    ref = LogisticDetection.compute(to_df(real), to_df(syn), meta)
    assert ours == pytest.approx(ref, abs=0.02)      # SDMetrics' folds are unseeded: ±0.005 seen
    assert sdm is not None


def test_detection_is_seeded_and_states_its_subsample():
    rng = np.random.default_rng(10)
    real, syn = _table(rng, 800), _table(rng, 800, shift=0.2)
    a = detection(real, syn, max_rows=500, rng=4)
    assert a == detection(real, syn, max_rows=500, rng=4)
    assert (a.rows_real, a.rows_synthetic) == (500, 500)


# ----------------------------------------------------------------------------------------------
# TSTR
# ----------------------------------------------------------------------------------------------
def _labelled(rng, n):
    a = rng.normal(size=n)
    c = rng.choice(["p", "q"], size=n)
    y = np.where(a + (c == "q") + 0.5 * rng.normal(size=n) > 0.5, "yes", "no")
    return Table.from_arrays({"a": a, "c": c.tolist(), "y": y.tolist()})


def test_tstr_of_a_copy_of_the_training_table_is_one():
    rng = np.random.default_rng(11)
    train, test = _labelled(rng, 1000), _labelled(rng, 500)
    res = tstr(train, train, test, "y", rng=0)
    for item in res.learners:
        assert item["trtr"] == item["tstr"]
        assert item["ratio"] == {"accuracy": 1.0, "f1_macro": 1.0, "roc_auc": 1.0}
    assert res.positive in ("yes", "no")
    assert item["trtr"]["accuracy"] > 0.8


def test_tstr_of_shuffled_labels_loses_utility():
    rng = np.random.default_rng(12)
    train, test = _labelled(rng, 1000), _labelled(rng, 500)
    y = train["y"]
    shuffled = train.with_columns([y.with_values(y.values[rng.permutation(train.n_rows)])])
    res = tstr(train, shuffled, test, "y", rng=0)
    lr = res.learners[0]
    assert lr["learner"] == "logistic_regression"
    assert lr["trtr"]["roc_auc"] > 0.85
    assert lr["ratio"]["roc_auc"] < 0.8
    roc = [item["tstr"]["roc_auc"] for item in res.learners]
    assert max(roc) < 0.7


def test_tstr_reference_scores_match_sklearn():
    rng = np.random.default_rng(13)
    train, test = _labelled(rng, 800), _labelled(rng, 400)
    res = tstr(train, train, test, "y", learners=("logistic_regression",))
    xtr, _ = L.encode(train, ["a", "c"], standardize=True)
    xte, _ = L.encode(test, ["a", "c"], fitted_on=train, standardize=True)
    m = SkLogistic(C=1.0, max_iter=1000).fit(xtr, train["y"].values)
    pred = m.predict(xte)
    assert res.learners[0]["trtr"]["accuracy"] == pytest.approx(accuracy_score(test["y"].values, pred), abs=2e-3)


def test_tstr_errors_name_the_problem():
    rng = np.random.default_rng(14)
    train, test = _labelled(rng, 100), _labelled(rng, 50)
    one_class = train.with_columns([train["y"].with_values(np.zeros(100))])
    with pytest.raises(InputError, match="only one class .* in the synthetic table"):
        tstr(train, one_class, test, "y")
    with pytest.raises(InputError, match="only one class .* in the real training table"):
        tstr(one_class, train, test, "y")
    with pytest.raises(InputError, match="'nope' is not a column"):
        tstr(train, train, test, "nope")
    with pytest.raises(InputError, match="'a' is numeric"):
        tstr(train, train, test, "a")
    with pytest.raises(InputError, match="real test table has 5 rows"):
        tstr(train, train, test.take(np.arange(5)), "y")
