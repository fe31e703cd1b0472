"""Fidelity metrics against SDMetrics 0.32, scipy and closed-form cases."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from synthlearn import Column, InputError, Table
from synthlearn.metrics import fidelity as F

pd = pytest.importorskip("pandas")
sdmetrics = pytest.importorskip("sdmetrics")

DAY = 86400.0
EPOCH = np.datetime64("2020-01-01", "s")


def _mixed(rng: np.random.Generator, n: int, shift: float = 0.0, break_y: bool = False) -> dict:
    """Arrays for a small mixed table: correlated numbers, a category tied to x, a datetime, a boolean."""
    x = rng.normal(size=n) + shift
    y = 0.8 * x + 0.6 * rng.normal(size=n)
    if break_y:
        y = rng.normal(size=n)
    x[rng.choice(n, n // 30, replace=False)] = np.nan
    u = rng.random(n)
    c = np.where(np.nan_to_num(x) > 0.3, "a", np.where(u < 0.5, "b", "c")).astype(object)
    c[rng.choice(n, n // 40, replace=False)] = None
    k = rng.integers(0, 5, size=n).astype(float)            # an integer column, uncorrelated
    days = rng.integers(0, 1000, size=n).astype(float)
    b = rng.random(n) < 0.3 + 0.4 * (np.nan_to_num(x) > 1)
    return {"x": x, "y": y, "c": c, "k": k, "days": days, "b": b}


def _table(a: dict) -> Table:
    labels = sorted({v for v in a["c"] if v is not None})
    codes = np.array([np.nan if v is None else labels.index(v) for v in a["c"]])
    return Table((
        Column("x", "numeric", a["x"]), Column("y", "numeric", a["y"]),
        Column("c", "categorical", codes, categories=tuple(labels)),
        Column("k", "integer", a["k"]),
        Column("d", "datetime", a["days"] * DAY),
        Column("b", "boolean", a["b"].astype(float), categories=("False", "True")),
    ))


def _frame(a: dict) -> "pd.DataFrame":
    return pd.DataFrame({"x": a["x"], "y": a["y"], "c": a["c"], "k": a["k"].astype(int),
                         "d": EPOCH + (a["days"] * DAY).astype("timedelta64[s]"), "b": a["b"]})


META = {"columns": {"x": {"sdtype": "numerical"}, "y": {"sdtype": "numerical"}, "c": {"sdtype": "categorical"},
                    "k": {"sdtype": "numerical"}, "d": {"sdtype": "datetime", "datetime_format": "%Y-%m-%d"},
                    "b": {"sdtype": "boolean"}}}


def _sdm_report(real_df, syn_df, thresholds: bool = True):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sdmetrics.reports.single_table import QualityReport

        rep = QualityReport()
        if not thresholds:
            rep.real_correlation_threshold = 0
            rep.real_association_threshold = 0
        rep.generate(real_df, syn_df, META, verbose=False)
    return rep


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    ra = _mixed(rng, 400)
    sa = _mixed(rng, 300, shift=0.2, break_y=True)
    return _table(ra), _table(sa), _frame(ra), _frame(sa)


# ----------------------------------------------------------------------------------------------
# single metrics
# ----------------------------------------------------------------------------------------------
def test_ks_and_tv_complement_match_sdmetrics(data):
    from sdmetrics.single_column import KSComplement, TVComplement

    real, syn, rdf, sdf = data
    for name in ("x", "y", "k", "d"):
        assert F.ks_complement(real[name], syn[name]) == pytest.approx(KSComplement.compute(rdf[name], sdf[name]),
                                                                       abs=1e-12)
    for name in ("c", "b"):
        assert F.tv_complement(real[name], syn[name]) == pytest.approx(TVComplement.compute(rdf[name], sdf[name]),
                                                                       abs=1e-12)


def test_tv_complement_with_a_category_only_in_the_synthetic_table():
    from sdmetrics.single_column import TVComplement

    real = ["a", "a", "b", "c", None, "b"]
    syn = ["a", "d", "d", "b", "b", "e", None]
    t_real = Table.from_arrays({"v": real})
    t_syn = Table.from_arrays({"v": syn})
    assert t_real["v"].categories != t_syn["v"].categories
    ours = F.tv_complement(t_real["v"], t_syn["v"])
    assert ours == pytest.approx(TVComplement.compute(pd.Series(real), pd.Series(syn)), abs=1e-12)


def test_correlation_similarity_matches_sdmetrics(data):
    from sdmetrics.column_pairs import CorrelationSimilarity

    real, syn, rdf, sdf = data
    ours = F.pair_trend(real["x"], real["y"], syn["x"], syn["y"])
    ref = CorrelationSimilarity.compute_breakdown(rdf[["x", "y"]], sdf[["x", "y"]])
    assert ours["metric"] == "CorrelationSimilarity"
    assert ours["score"] == pytest.approx(ref["score"], abs=1e-12)
    assert ours["real_correlation"] == pytest.approx(ref["real"], abs=1e-12)


def test_contingency_similarity_of_two_categories_matches_sdmetrics(data):
    from sdmetrics.column_pairs import ContingencySimilarity

    real, syn, rdf, sdf = data
    ours = F.pair_trend(real["c"], real["b"], syn["c"], syn["b"])
    ref = ContingencySimilarity.compute_breakdown(rdf[["c", "b"]], sdf[["c", "b"]], real_association_threshold=0.01)
    assert ours["score"] == pytest.approx(ref["score"], abs=1e-12)
    assert ours["real_association"] == pytest.approx(ref["real_association"], abs=1e-12)


def test_cramers_v_matches_scipy():
    from scipy.stats.contingency import association

    counts = np.array([[10, 3, 0, 7], [2, 8, 5, 1], [4, 4, 9, 0]])
    assert F.cramers_v_from_counts(counts) == pytest.approx(association(counts, method="cramer"), abs=1e-12)
    assert np.isnan(F.cramers_v_from_counts(np.array([[5, 6, 7]])))


# ----------------------------------------------------------------------------------------------
# the whole quality report
# ----------------------------------------------------------------------------------------------
def test_quality_matches_sdmetrics_quality_report(data):
    real, syn, rdf, sdf = data
    ours = F.quality(real, syn)
    rep = _sdm_report(rdf, sdf)
    props = rep.get_properties().set_index("Property")["Score"]
    assert ours.column_shapes == pytest.approx(props["Column Shapes"], abs=1e-12)
    assert ours.pair_trends_strong == pytest.approx(props["Column Pair Trends"], abs=1e-12)
    assert ours.overall == pytest.approx(rep.get_score(), abs=1e-12)
    details = rep.get_details("Column Pair Trends")
    strong = {(r["Column 1"], r["Column 2"]) for _, r in details.iterrows() if r["Meets Threshold?"]}
    assert {(p["column_1"], p["column_2"]) for p in ours.pairs if p["strong"]} == strong
    assert 0 < ours.n_strong_pairs < ours.n_pairs          # the data has strong and weak pairs


def test_all_pairs_score_matches_sdmetrics_without_thresholds(data):
    real, syn, rdf, sdf = data
    ours = F.quality(real, syn)
    rep = _sdm_report(rdf, sdf, thresholds=False)
    details = rep.get_details("Column Pair Trends").set_index(["Column 1", "Column 2"])["Score"]
    for p in ours.pairs:
        assert p["score"] == pytest.approx(details[(p["column_1"], p["column_2"])], abs=1e-12), p
    assert ours.pair_trends_all == pytest.approx(rep.get_properties().set_index("Property")["Score"]
                                                 ["Column Pair Trends"], abs=1e-12)
    assert ours.overall_all_pairs == pytest.approx(rep.get_score(), abs=1e-12)


def test_constant_column_pairs_are_left_out_like_sdmetrics():
    rng = np.random.default_rng(3)
    a = _mixed(rng, 200)
    s = _mixed(rng, 200, shift=0.5)
    real, syn = _table(a), _table(s)
    const = Column("z", "numeric", np.full(200, 3.0))
    real, syn = real.with_columns([const]), syn.with_columns([const])
    rdf, sdf = _frame(a).assign(z=3.0), _frame(s).assign(z=3.0)
    meta = {"columns": {**META["columns"], "z": {"sdtype": "numerical"}}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sdmetrics.reports.single_table import QualityReport

        rep = QualityReport()
        rep.real_correlation_threshold = 0
        rep.real_association_threshold = 0
        rep.generate(rdf, sdf, meta, verbose=False)
    ours = F.quality(real, syn)
    assert ours.overall_all_pairs == pytest.approx(rep.get_score(), abs=1e-12)
    z_pairs = [p for p in ours.pairs
               if "z" in (p["column_1"], p["column_2"]) and p["metric"] == "CorrelationSimilarity"]
    assert z_pairs and all(np.isnan(p["score"]) for p in z_pairs)


def test_identical_tables_score_one(data):
    real, _, _, _ = data
    q = F.quality(real, real)
    assert q.column_shapes == 1.0
    assert q.pair_trends_all == pytest.approx(1.0)
    assert q.overall == pytest.approx(1.0)
    assert all(d["js_distance"] == 0.0 for d in F.column_distances(real, real))


def test_independent_baseline_keeps_marginals_and_breaks_pairs(data):
    real, _, _, _ = data
    ind = F.independent_baseline(real, rng=5)
    q = F.quality(real, ind)
    assert q.column_shapes == 1.0
    assert q.pair_trends_strong < 0.9                       # x–y (ρ ≈ 0.8) is lost
    again = F.independent_baseline(real, rng=5)
    assert all(np.array_equal(a.values, b.values, equal_nan=True) for a, b in zip(ind.columns, again.columns))


def test_quality_rejects_bad_thresholds(data):
    real, syn, _, _ = data
    with pytest.raises(InputError, match="strong_correlation"):
        F.quality(real, syn, strong_correlation=1.5)


# ----------------------------------------------------------------------------------------------
# distances
# ----------------------------------------------------------------------------------------------
def test_jensen_shannon_matches_scipy(data):
    from scipy.spatial.distance import jensenshannon

    real, syn, _, _ = data
    for name in real.names:
        r, s, _ = F.shared_histograms(real[name], syn[name], bins=20)
        assert F.js_distance(real[name], syn[name]) == pytest.approx(
            jensenshannon(r / r.sum(), s / s.sum(), base=2), abs=1e-12)


def test_js_distance_counts_missing_values():
    a = Table.from_arrays({"v": [1.0, 2.0, 3.0, 4.0]})
    b = Table.from_arrays({"v": [1.0, 2.0, None, None]})
    assert F.js_distance(a["v"], b["v"]) > 0.3
    assert F.ks_complement(a["v"], b["v"]) == pytest.approx(0.5)      # KS only sees {1, 2}


def test_wasserstein_matches_scipy():
    from scipy.stats import wasserstein_distance

    rng = np.random.default_rng(11)
    u = rng.gamma(2.0, size=500)
    v = np.round(rng.normal(2.0, 1.5, size=333), 1)
    assert F.wasserstein_1d(u, v) == pytest.approx(wasserstein_distance(u, v), rel=1e-12)
    real = Column("v", "numeric", u)
    syn = Column("v", "numeric", v)
    span = u.max() - u.min()
    assert F.normalised_wasserstein(real, syn) == pytest.approx(
        wasserstein_distance((u - u.min()) / span, (v - u.min()) / span), rel=1e-12)


def test_mmd_matches_a_direct_computation():
    from scipy.spatial.distance import cdist, pdist

    rng = np.random.default_rng(2)
    real = Table.from_arrays({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    syn = Table.from_arrays({"a": rng.normal(0.5, size=50), "b": rng.normal(size=50)})
    out = F.mmd(real, syn, max_rows=None, rng=0)
    # reference: standardise with the real table, RBF with the median pooled distance
    x = real.matrix()
    y = syn.matrix()
    mu, sd = x.mean(axis=0), x.std(axis=0)
    x, y = (x - mu) / sd, (y - mu) / sd
    sigma2 = np.median(pdist(np.vstack([x, y]), "sqeuclidean"))
    k = lambda p, q: np.exp(-cdist(p, q, "sqeuclidean") / (2 * sigma2))
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    m, n = len(x), len(y)
    ref = ((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
           - 2 * kxy.mean())
    assert out["mmd2"] == pytest.approx(ref, rel=1e-9)


def test_mmd_is_seeded_and_separates_shifted_tables():
    rng = np.random.default_rng(4)
    real = Table.from_arrays({"a": rng.normal(size=3000), "c": rng.choice(["u", "v"], size=3000).tolist()})
    same = Table.from_arrays({"a": rng.normal(size=3000), "c": rng.choice(["u", "v"], size=3000).tolist()})
    shifted = Table.from_arrays({"a": rng.normal(1.0, size=3000), "c": rng.choice(["u", "v"], size=3000).tolist()})
    a = F.mmd(real, same, rng=1)
    assert a == F.mmd(real, same, rng=1)
    assert a["rows_real"] == 1000
    assert abs(a["mmd2"]) < 0.01
    assert F.mmd(real, shifted, rng=1)["mmd2"] > 10 * max(abs(a["mmd2"]), 1e-3)


def test_pearson_matrix_matches_pandas_pairwise_complete():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(300, 5))
    x[:, 1] += x[:, 0]
    x[:, 4] = 2.0                                              # constant: undefined
    x[rng.random((300, 5)) < 0.1] = np.nan
    got = F.pearson_matrix(x)
    ref = pd.DataFrame(x).corr(min_periods=2).to_numpy()
    assert np.allclose(got[:4, :4], ref[:4, :4], atol=1e-12)
    assert np.all(np.isnan(got[4, :])) and np.all(np.isnan(ref[4, :]))


def test_association_matrix_uses_pearson_for_numbers(data):
    real, syn, _, _ = data
    out = F.association_difference(real, syn)
    x, y = real["x"].values, real["y"].values
    ok = ~np.isnan(x)
    assert out["real"][0, 1] == pytest.approx(np.corrcoef(x[ok], y[ok])[0, 1], abs=1e-12)
    assert out["difference"].shape == (real.n_cols, real.n_cols)
    assert np.allclose(np.diag(out["difference"]), 0.0)
    assert out["measure"][0][2] == "cramers_v"


# ----------------------------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------------------------
def test_tables_with_different_columns_are_named():
    a = Table.from_arrays({"x": [1.0, 2.0], "y": ["a", "b"]})
    b = Table.from_arrays({"x": [1.0, 2.0], "z": ["a", "b"]})
    with pytest.raises(InputError, match="lacks 'y'.*extra 'z'"):
        F.quality(a, b)


def test_tables_with_different_kinds_are_named():
    a = Table.from_arrays({"x": [1.0, 2.0], "y": ["a", "b"]})
    b = Table.from_arrays({"x": ["p", "q"], "y": ["a", "b"]})
    with pytest.raises(InputError, match="'x' is integer in the real table but categorical"):
        F.quality(a, b)


def test_empty_tables_are_refused():
    a = Table.from_arrays({"x": [1.0, 2.0]})
    empty = a.take(np.array([], dtype=int))
    with pytest.raises(InputError, match="synthetic table has no rows"):
        F.quality(a, empty)
    with pytest.raises(InputError, match="real table has no columns"):
        F.quality(Table(()), a)
