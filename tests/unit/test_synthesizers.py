"""Synthesizers: schema, missing values, reproducibility and each model against a reference."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from synthlearn.errors import InputError
from synthlearn.synthesizers import (
    METHODS,
    BayesianNetworkSynthesizer,
    GaussianCopulaSynthesizer,
    GaussianMixtureSynthesizer,
    IndependentSynthesizer,
    KDESynthesizer,
    MSTSynthesizer,
    describe_methods,
    make_synthesizer,
)
from synthlearn.synthesizers.bayesnet import chow_liu_edges, mutual_information
from synthlearn.synthesizers.kde import pairwise_covariance
from synthlearn.table import Column, Table

# every method with parameters that keep the tests fast and DP noise small enough to measure
FAST = {
    "independent": {},
    "gaussian_copula": {},
    "kde": {},
    "gaussian_mixture": {"n_components": 3, "max_iter": 50},
    "bayesian_network": {},
    "cart": {"privacy_check": "off", "min_leaf": 20},
    "dp_mst": {"epsilon": 50.0},
}


def mixed_table(n: int = 3000, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    a = rng.normal(50, 10, n)
    b = 0.8 * (a - 50) / 10 + 0.6 * rng.normal(size=n)
    a[rng.random(n) < 0.15] = np.nan
    ints = rng.integers(0, 20, n).astype(float)
    cat = rng.integers(0, 3, n).astype(float)
    cat[rng.random(n) < 0.25] = np.nan
    rare = np.zeros(n)
    rare[0] = 1  # a category seen once
    many = rng.integers(0, 400, n).astype(float)  # high cardinality
    flag = (b > 0).astype(float)
    when = 1.6e9 + rng.uniform(0, 3e7, n)
    cols = (
        Column("a", "numeric", a),
        Column("b", "numeric", b),
        Column("ints", "integer", ints),
        Column("cat", "categorical", cat, categories=("x", "y", "z")),
        Column("rare", "categorical", rare, categories=("common", "once")),
        Column("many", "categorical", many, categories=tuple(f"id{i:03d}" for i in range(400))),
        Column("flag", "boolean", flag, categories=("False", "True")),
        Column("when", "datetime", when),
        Column("const", "integer", np.full(n, 7.0)),
        Column("empty", "numeric", np.full(n, np.nan)),
        Column("const_cat", "categorical", np.zeros(n), categories=("only",)),
    )
    return Table(cols)


@pytest.fixture(scope="module")
def table() -> Table:
    return mixed_table()


@pytest.fixture(scope="module")
def samples(table) -> dict[str, Table]:
    return {key: make_synthesizer(key, **FAST[key]).fit(table, rng=0).sample(3000, rng=1) for key in METHODS}


@pytest.mark.parametrize("key", list(METHODS))
def test_schema_kinds_and_domains(key, table, samples):
    out = samples[key]
    assert out.n_rows == 3000
    assert out.names == table.names
    for real, syn in zip(table.columns, out.columns):
        assert syn.kind == real.kind
        assert syn.categories == real.categories
        v = syn.values[~syn.missing]
        if real.is_discrete:
            assert np.all(v == np.round(v)) and np.all((v >= 0) & (v < len(real.categories)))
        elif real.bounds is not None:
            assert syn.bounds == real.bounds
            assert np.all((v >= real.bounds[0]) & (v <= real.bounds[1])), real.name
        if real.kind == "integer":
            assert np.all(v == np.round(v))


@pytest.mark.parametrize("key", [k for k in METHODS if k != "dp_mst"])
def test_missing_share_reproduced_and_constants_copied(key, table, samples):
    out = samples[key]
    for name in ("a", "cat", "b", "ints"):
        assert abs(out[name].missing_share - table[name].missing_share) < 0.03, name
    assert np.all(out["const"].values == 7.0)
    assert np.all(out["empty"].missing)
    assert np.all(out["const_cat"].values == 0)


def test_dp_mst_missing_share_close_with_large_epsilon(table, samples):
    out = samples["dp_mst"]
    for name in ("a", "cat", "b"):
        assert abs(out[name].missing_share - table[name].missing_share) < 0.05, name


@pytest.mark.parametrize("key", list(METHODS))
def test_same_seed_same_rows_other_seed_other_rows(key):
    t = mixed_table(400, seed=3)
    one = make_synthesizer(key, **FAST[key]).fit(t, rng=5).sample(200, rng=9)
    two = make_synthesizer(key, **FAST[key]).fit(t, rng=5).sample(200, rng=9)
    other = make_synthesizer(key, **FAST[key]).fit(t, rng=5).sample(200, rng=10)
    np.testing.assert_array_equal(one.matrix(), two.matrix())
    assert not np.array_equal(one.matrix(), other.matrix(), equal_nan=True)


@pytest.mark.parametrize("key", list(METHODS))
def test_unfitted_and_bad_n_raise_input_error(key, table):
    synth = make_synthesizer(key, **FAST[key])
    with pytest.raises(InputError, match="not fitted"):
        synth.sample(5)
    synth.fit(table.take(np.arange(50)), rng=0)
    for bad in (0, -3, 1_000_001, 2.5, "10", True):
        with pytest.raises(InputError):
            synth.sample(bad)


@pytest.mark.parametrize("key", list(METHODS))
def test_empty_tables_rejected(key, table):
    synth = make_synthesizer(key)
    with pytest.raises(InputError, match="without rows"):
        synth.fit(table.take(np.zeros(0, dtype=int)))
    with pytest.raises(InputError, match="without columns"):
        synth.fit(Table(()))


# -- registry -------------------------------------------------------------------------
def test_registry_lists_every_method_with_specs():
    assert set(METHODS) == {"independent", "gaussian_copula", "kde", "gaussian_mixture", "bayesian_network",
                            "cart", "dp_mst"}
    for key, entry in METHODS.items():
        assert entry["title"] and entry["description"]
        synth = entry["class"]()
        defaults = {p["name"]: p["default"] for p in entry["params"]}
        assert synth.get_params() == defaults, key
        for p in entry["params"]:
            assert set(p) >= {"name", "type", "default", "min", "max", "help"}
    import json

    json.dumps(describe_methods())


@pytest.mark.parametrize("method, params, words", [
    ("nope", {}, "valid: independent"),
    ("kde", {"colour": 1}, "valid: bandwidth"),
    ("gaussian_mixture", {"n_components": 0}, "n_components"),
    ("gaussian_mixture", {"n_components": 2.5}, "whole number"),
    ("dp_mst", {"epsilon": 0}, "epsilon"),
    ("dp_mst", {"epsilon": -1.0}, "epsilon"),
    ("dp_mst", {"delta": 1.0}, "delta"),
    ("bayesian_network", {"n_bins": 1}, "n_bins"),
    ("independent", {"marginals": "weird"}, "'empirical'"),
    ("kde", {"bandwidth": -1}, "bandwidth"),
    ("dp_mst", {"bounds": {"a": (3, 1)}}, "low ≤ high"),
])
def test_make_synthesizer_rejects_bad_parameters(method, params, words):
    with pytest.raises(InputError, match=words):
        make_synthesizer(method, **params)


def test_direct_construction_is_validated_at_fit(table):
    with pytest.raises(InputError, match="n_bins"):
        BayesianNetworkSynthesizer(n_bins=1).fit(table)
    with pytest.raises(InputError, match="epsilon"):
        MSTSynthesizer(epsilon=0).fit(table)
    small = table.take(np.arange(3))
    with pytest.raises(InputError, match="cannot exceed the number of rows"):
        GaussianMixtureSynthesizer(n_components=5).fit(small)


# -- the copula and the baseline ------------------------------------------------------
def correlated(n: int, rho: float, seed: int) -> Table:
    rng = np.random.default_rng(seed)
    x = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=n)
    return Table.from_arrays({"x": x[:, 0] * 3 + 10, "y": np.exp(x[:, 1])})


def test_copula_keeps_a_strong_correlation_and_the_baseline_loses_it():
    from scipy.stats import spearmanr

    t = correlated(5000, 0.8, seed=1)
    real = spearmanr(t["x"].values, t["y"].values).statistic
    cop = GaussianCopulaSynthesizer().fit(t, rng=0).sample(5000, rng=1)
    ind = IndependentSynthesizer().fit(t).sample(5000, rng=1)
    assert abs(spearmanr(cop["x"].values, cop["y"].values).statistic - real) < 0.05
    assert abs(np.corrcoef(cop["x"].values, np.log(cop["y"].values))[0, 1] - 0.8) < 0.05
    assert abs(np.corrcoef(ind["x"].values, ind["y"].values)[0, 1]) < 0.05


def test_copula_marginals_match_by_ks():
    from scipy.stats import ks_2samp

    t = correlated(3000, 0.5, seed=2)
    out = GaussianCopulaSynthesizer().fit(t, rng=0).sample(3000, rng=1)
    for name in ("x", "y"):
        assert ks_2samp(t[name].values, out[name].values).statistic < 0.05


def test_copula_correlation_between_category_and_number():
    rng = np.random.default_rng(4)
    x = rng.normal(size=4000)
    label = np.where(x + 0.3 * rng.normal(size=4000) > 0, "high", "low")
    t = Table.from_arrays({"x": x, "label": list(label)})
    out = GaussianCopulaSynthesizer().fit(t, rng=0).sample(4000, rng=1)
    high = out["label"].categories.index("high")
    is_high = out["label"].values == high
    real_gap = x[label == "high"].mean() - x[label == "low"].mean()
    gap = out["x"].values[is_high].mean() - out["x"].values[~is_high].mean()
    # most of the gap survives (jittering a category inside its interval attenuates it a little);
    # the independent baseline has no gap at all
    assert 0.6 * real_gap < gap <= real_gap
    ind = IndependentSynthesizer().fit(t).sample(4000, rng=1)
    is_high = ind["label"].values == high
    assert abs(ind["x"].values[is_high].mean() - ind["x"].values[~is_high].mean()) < 0.1


def test_copula_conditional_matches_the_bivariate_normal_formula():
    t = correlated(6000, 0.8, seed=5)
    model = GaussianCopulaSynthesizer().fit(t, rng=0)
    # known x at +1 standard deviation (x = 3 z + 10): log y | z ~ N(0.8 z, 1 - 0.64)
    known = Table((t["x"].with_values(np.full(4000, 13.0)), t["y"].with_values(np.ones(4000))))
    out = model.sample_conditional(known, ["y"], rng=1)
    assert np.all(out["x"].values == 13.0)
    logy = np.log(out["y"].values)
    assert abs(logy.mean() - 0.8) < 0.06
    assert abs(logy.std() - 0.6) < 0.05


def test_copula_conditional_errors():
    t = correlated(100, 0.5, seed=6)
    model = GaussianCopulaSynthesizer().fit(t, rng=0)
    with pytest.raises(InputError, match="no column named 'z'"):
        model.sample_conditional(t, ["z"])
    with pytest.raises(InputError, match="needs the column 'x'"):
        model.sample_conditional(t.select(["y"]), ["y"])
    with pytest.raises(InputError, match="at least one column"):
        model.sample_conditional(t, [])


def test_copula_missingness_follows_other_columns():
    rng = np.random.default_rng(7)
    x = rng.normal(size=4000)
    y = rng.normal(size=4000)
    y[x > 0.5] = np.nan  # y is missing exactly when x is large
    t = Table.from_arrays({"x": x, "y": y})
    out = GaussianCopulaSynthesizer().fit(t, rng=0).sample(4000, rng=1)
    miss = out["y"].missing
    assert abs(miss.mean() - np.isnan(y).mean()) < 0.03
    real_gap = x[np.isnan(y)].mean() - x[~np.isnan(y)].mean()
    gap = out["x"].values[miss].mean() - out["x"].values[~miss].mean()
    # one normal score carries both the value and its missingness, so the link is kept in part
    assert 0.5 * real_gap < gap <= real_gap


def test_nearest_correlation_repairs_an_indefinite_matrix():
    from synthlearn.synthesizers.copula import nearest_correlation

    bad = np.array([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1.0]])
    assert np.linalg.eigvalsh(bad).min() < 0
    fixed = nearest_correlation(bad)
    assert np.linalg.eigvalsh(fixed).min() > -1e-10
    np.testing.assert_allclose(np.diag(fixed), 1.0)
    np.testing.assert_allclose(fixed, fixed.T)


def test_independent_gaussian_marginal_matches_mean_and_std():
    t = correlated(4000, 0.0, seed=8)
    out = IndependentSynthesizer("gaussian").fit(t).sample(20000, rng=1)
    x = t["x"].values
    assert abs(out["x"].values.mean() - x.mean()) < 0.1
    assert abs(out["x"].values.std() - x.std()) < 0.1


# -- KDE -----------------------------------------------------------------------------
def test_kde_kernel_covariance_matches_scipy():
    from scipy.stats import gaussian_kde

    t = correlated(500, 0.6, seed=9)
    ours = KDESynthesizer().fit(t)
    ref = gaussian_kde(t.matrix(["x", "y"]).T)
    np.testing.assert_allclose(ours.kernel_covariance_, ref.covariance, rtol=1e-10)
    silver = KDESynthesizer("silverman").fit(t)
    ref_s = gaussian_kde(t.matrix(["x", "y"]).T, bw_method="silverman")
    np.testing.assert_allclose(silver.kernel_covariance_, ref_s.covariance, rtol=1e-10)


def test_kde_sample_variance_is_data_plus_kernel():
    t = correlated(2000, 0.0, seed=10)
    model = KDESynthesizer(0.5).fit(t)
    out = model.sample(200_000, rng=1)
    expected = t["x"].values.var(ddof=1) * (1 + 0.25)
    assert abs(out["x"].values.var() / expected - 1) < 0.03


def test_pairwise_covariance_matches_pandas_pairwise_complete():
    import pandas as pd

    rng = np.random.default_rng(11)
    x = rng.normal(size=(300, 4)) @ rng.normal(size=(4, 4))
    x[rng.random(x.shape) < 0.2] = np.nan
    np.testing.assert_allclose(pairwise_covariance(x), pd.DataFrame(x).cov().to_numpy(), rtol=1e-8, atol=1e-10)


def test_kde_keeps_category_combinations_of_real_rows():
    rng = np.random.default_rng(12)
    a = rng.integers(0, 3, 500).astype(float)
    t = Table((Column("a", "categorical", a, categories=("p", "q", "r")),
               Column("b", "categorical", (a + 1) % 3, categories=("p", "q", "r")),
               Column("x", "numeric", rng.normal(size=500))))
    out = KDESynthesizer().fit(t).sample(1000, rng=1)
    assert np.all(out["b"].values == (out["a"].values + 1) % 3)


# -- Gaussian mixture -------------------------------------------------------------------
def two_blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    comp = rng.random(3000) < 0.3
    x = np.where(comp[:, None], rng.normal([10, -5], 1.0, (3000, 2)), rng.normal([0, 0], [1.0, 2.0], (3000, 2)))
    return x, comp


def test_mixture_recovers_the_means_of_two_separated_components():
    x, comp = two_blobs()
    t = Table.from_arrays({"u": x[:, 0], "v": x[:, 1]})
    model = GaussianMixtureSynthesizer(n_components=2).fit(t, rng=0)
    order = np.argsort(model.means_[:, 0])
    np.testing.assert_allclose(model.means_[order], [x[~comp].mean(0), x[comp].mean(0)], atol=0.05)
    np.testing.assert_allclose(model.weights_[order], [1 - comp.mean(), comp.mean()], atol=0.01)
    assert model.converged_


def test_mixture_log_likelihood_matches_scikit_learn():
    from sklearn.mixture import GaussianMixture

    x, _ = two_blobs(1)
    t = Table.from_arrays({"u": x[:, 0], "v": x[:, 1]})
    ours = GaussianMixtureSynthesizer(n_components=2, tol=1e-8).fit(t, rng=0)
    ref = GaussianMixture(2, tol=1e-8, random_state=0).fit(x)
    assert abs(ours.log_likelihood_ - ref.score(x)) < 1e-4
    out = ours.sample(20000, rng=1)
    np.testing.assert_allclose(out.matrix().mean(0), x.mean(0), atol=0.1)


def test_mixture_ties_categories_to_components():
    x, comp = two_blobs(2)
    label = np.where(comp, 1.0, 0.0)
    t = Table((Column("u", "numeric", x[:, 0]), Column("g", "categorical", label, categories=("left", "right"))))
    out = GaussianMixtureSynthesizer(n_components=2).fit(t, rng=0).sample(5000, rng=1)
    right = out["g"].values == 1
    assert out["u"].values[right].mean() > 9 and out["u"].values[~right].mean() < 1


# -- discretizer, Chow–Liu -------------------------------------------------------------------
def test_mutual_information_matches_scikit_learn():
    from sklearn.metrics import mutual_info_score

    rng = np.random.default_rng(13)
    a = rng.integers(0, 6, 2000)
    b = (a + rng.integers(0, 3, 2000)) % 6
    assert mutual_information(a, b) == pytest.approx(mutual_info_score(a, b), rel=1e-10)
    big_a = rng.integers(0, 5000, 2000)  # sparse branch: many more cells than rows
    big_b = rng.integers(0, 3000, 2000)
    assert mutual_information(big_a, big_b) == pytest.approx(mutual_info_score(big_a, big_b), rel=1e-10)


def test_chow_liu_is_the_maximum_spanning_tree_by_brute_force():
    rng = np.random.default_rng(14)
    mi = rng.random((5, 5))
    mi = (mi + mi.T) / 2
    np.fill_diagonal(mi, 0)
    edges = chow_liu_edges(mi)
    assert len(edges) == 4
    best = -1.0
    pairs = list(itertools.combinations(range(5), 2))
    for tree in itertools.combinations(pairs, 4):  # brute force over all 4-edge forests that are trees
        parent = list(range(5))

        def find(i):
            while parent[i] != i:
                i = parent[i]
            return i

        ok = True
        for a, b in tree:
            ra, rb = find(a), find(b)
            if ra == rb:
                ok = False
                break
            parent[ra] = rb
        if ok:
            best = max(best, sum(mi[a, b] for a, b in tree))
    assert sum(mi[p, c] for p, c in edges) == pytest.approx(best)


def test_bayesian_network_finds_the_planted_edges():
    rng = np.random.default_rng(15)
    n = 3000
    a = rng.integers(0, 4, n)
    b = np.where(rng.random(n) < 0.9, a, rng.integers(0, 4, n))  # b depends on a
    c = rng.normal(size=n) + 3 * b  # c depends on b
    noise = rng.integers(0, 4, n)
    t = Table((Column("a", "categorical", a.astype(float), categories=tuple("ABCD")),
               Column("b", "categorical", b.astype(float), categories=tuple("ABCD")),
               Column("c", "numeric", c),
               Column("noise", "categorical", noise.astype(float), categories=tuple("ABCD"))))
    model = BayesianNetworkSynthesizer().fit(t)
    undirected = {frozenset(e) for e in model.edges_}
    assert frozenset(("a", "b")) in undirected and frozenset(("b", "c")) in undirected
    assert len(model.edges_) == 3
    out = model.sample(5000, rng=1)
    assert np.mean(out["a"].values == out["b"].values) == pytest.approx(np.mean(a == b), abs=0.03)
    # parents come before children in a valid orientation from the root
    seen = {model.root_}
    for p, c in model.edges_:
        assert p in seen
        seen.add(c)


def test_bayesian_network_lumps_rare_categories_and_keeps_the_domain(table):
    model = BayesianNetworkSynthesizer(max_categories=10).fit(table)
    bins = {b.name: b for b in model.discretizer_.columns_}
    assert bins["many"].n_value_states == 10
    out = model.sample(3000, rng=2)
    assert len(np.unique(out["many"].values)) > 50  # "other" is drawn back into real categories


def test_discretizer_bins_match_numpy_histogram_and_invert_inside_bins():
    from synthlearn.discretize import Discretizer

    rng = np.random.default_rng(16)
    x = rng.uniform(0, 10, 1000)
    x[:50] = np.nan
    t = Table((Column("x", "numeric", x, bounds=(0.0, 10.0)),
               Column("n", "integer", rng.integers(1, 6, 1000).astype(float)),
               Column("c", "categorical", rng.integers(0, 3, 1000).astype(float), categories=("a", "b", "c"))))
    disc = Discretizer(n_bins=8).fit(t)
    codes = disc.transform(t)
    ok = ~np.isnan(x)
    hist, edges = np.histogram(x[ok], bins=8, range=(0, 10))
    np.testing.assert_array_equal(np.bincount(codes[ok, 0], minlength=9)[:8], hist)
    assert np.all(codes[~ok, 0] == 8)  # missing: its own, last state
    assert disc.n_states_.tolist() == [9, 5, 3]  # 8 bins + missing; 5 whole numbers; 3 categories
    back = disc.inverse(codes, rng=0)
    bx = back["x"].values
    assert np.array_equal(np.isnan(bx), ~ok)
    state = codes[ok, 0]
    assert np.all((bx[ok] >= edges[state]) & (bx[ok] <= edges[state + 1]))
    np.testing.assert_array_equal(back["n"].values, t["n"].values)  # exact integers
    np.testing.assert_array_equal(back["c"].values, t["c"].values)


def test_discretizer_declared_bounds_clamp_outliers():
    from synthlearn.discretize import Discretizer

    t = Table((Column("x", "numeric", np.array([-5.0, 0.5, 9.9, 50.0])),))
    disc = Discretizer(n_bins=10, bounds={"x": (0, 10)}, missing="always").fit(t)
    assert disc.transform(t)[:, 0].tolist() == [0, 0, 9, 9]
    assert disc.columns_[0].bounds_source == "declared"
    with pytest.raises(InputError, match="not a column"):
        Discretizer(bounds={"zz": (0, 1)}).fit(t)


# -- partial synthesis, hybrid release ---------------------------------------------------
def test_partial_synthesis_replaces_only_the_chosen_column():
    from synthlearn.synthesizers import partially_synthesize

    t = correlated(3000, 0.9, seed=17)
    out = partially_synthesize(t, ["y"], rng=0)
    np.testing.assert_array_equal(out["x"].values, t["x"].values)
    assert np.mean(out["y"].values == t["y"].values) < 0.01
    # drawn conditionally: still strongly tied to the real x of the same row
    assert np.corrcoef(out["x"].values, np.log(out["y"].values))[0, 1] > 0.85
    with pytest.raises(InputError, match="no column named"):
        partially_synthesize(t, ["nope"])


def test_hybrid_release_mixes_and_flags_rows():
    from synthlearn.synthesizers import hybrid_release

    t = correlated(1000, 0.5, seed=18)
    syn = GaussianCopulaSynthesizer().fit(t, rng=0).sample(1000, rng=1)
    out = hybrid_release(t, syn, real_share=0.3, rng=2)
    flag = out["is_synthetic"]
    assert flag.kind == "boolean" and out.n_rows == 1000
    assert int((flag.values == 0).sum()) == 300
    real_rows = {tuple(r) for r in t.matrix()}
    syn_rows = {tuple(r) for r in syn.matrix()}
    m = out.matrix(["x", "y"])
    for row, f in zip(m, flag.values):
        assert tuple(row) in (syn_rows if f == 1 else real_rows)
    assert not np.all(np.diff(flag.values) >= 0)  # shuffled, not stacked
    with pytest.raises(InputError, match="real_share"):
        hybrid_release(t, syn, real_share=1.5)
    with pytest.raises(InputError, match="same columns"):
        hybrid_release(t, syn.select(["x"]))
