"""Issue 12: the sequential-tree synthesizer, within-bin sampling, missing values, the DP audit."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy.stats import ks_2samp, norm

from synthlearn.constraints import sample_with_constraints
from synthlearn.discretize import Discretizer, WithinBinSampler
from synthlearn.errors import InputError
from synthlearn.privacy_audit import audit_mst, clopper_pearson, gdp_delta, gdp_epsilon
from synthlearn.synthesizers import METHODS, BayesianNetworkSynthesizer, MSTSynthesizer, make_synthesizer
from synthlearn.synthesizers.cart import SequentialCARTSynthesizer, category_order
from synthlearn.table import Column, Table


def skewed_table(n: int = 2000, seed: int = 0, missing: bool = True) -> Table:
    rng = np.random.default_rng(seed)
    g = rng.integers(0, 3, n)
    x = np.exp(rng.normal(1.0 + 0.5 * g, 0.6, n))                  # skewed, depends on g
    zero = np.where(rng.random(n) < 0.6, 0.0, np.round(rng.exponential(300, n) + 1))  # zero-inflated integer
    y = (x + rng.normal(0, 1, n) > 4).astype(float)
    if missing:
        x[rng.random(n) < 0.1] = np.nan
    return Table((Column("g", "categorical", g.astype(float), categories=("a", "b", "c")),
                  Column("x", "numeric", x), Column("zero", "integer", zero),
                  Column("y", "boolean", y, categories=("False", "True"))))


# -- the sequential-tree synthesizer ----------------------------------------------------------
def test_cart_keeps_schema_relations_and_missing_share():
    t = skewed_table()
    out = SequentialCARTSynthesizer(privacy_check="off").fit(t, rng=0).sample(4000, rng=1)
    assert out.names == t.names and [c.kind for c in out.columns] == [c.kind for c in t.columns]
    assert abs(out["x"].missing_share - t["x"].missing_share) < 0.02
    assert not out["zero"].missing.any() and not out["g"].missing.any()
    assert abs(np.mean(out["zero"].values == 0) - np.mean(t["zero"].values == 0)) < 0.03   # the point mass kept
    assert ks_2samp(out["x"].values[~out["x"].missing], t["x"].values[~t["x"].missing]).statistic < 0.04
    for g in range(3):   # the dependence of x on g survives
        real = np.nanmedian(t["x"].values[t["g"].values == g])
        syn = np.nanmedian(out["x"].values[out["g"].values == g])
        assert abs(syn - real) / real < 0.1


def test_cart_numbers_are_not_copied_from_rows():
    t = skewed_table(missing=False)
    out = SequentialCARTSynthesizer(privacy_check="off").fit(t, rng=0).sample(2000, rng=1)
    copied = np.isin(out["x"].values, t["x"].values).mean()
    assert copied < 0.02   # a continuous value drawn inside its bin is (almost) never a real row's value


def test_cart_respects_constraints_and_seeds():
    t = skewed_table()
    synth = SequentialCARTSynthesizer(privacy_check="off").fit(t, rng=3)
    out, info = sample_with_constraints(synth, 500, ["x <= 20", "zero <= 500"], rng=4)
    assert out.n_rows == 500 and not info["gave_up"]
    assert np.all(out["x"].values[~out["x"].missing] <= 20) and np.all(out["zero"].values <= 500)
    assert not out["x"].missing.any()   # a missing value does not satisfy a constraint on its column
    a = SequentialCARTSynthesizer(privacy_check="off").fit(t, rng=3).sample(300, rng=4)
    b = SequentialCARTSynthesizer(privacy_check="off").fit(t, rng=3).sample(300, rng=4)
    np.testing.assert_array_equal(a.matrix(), b.matrix())


def test_category_order_sorts_by_target_share_for_two_states():
    pred = np.repeat(np.arange(4), 100)
    share = np.array([0.9, 0.1, 0.5, 0.3])
    target = (np.tile(np.arange(100), 4) < np.repeat(share, 100) * 100).astype(int)
    rank = category_order(pred, target, 4, 2)
    assert list(np.argsort(rank)) in ([1, 3, 2, 0], [0, 2, 3, 1])


def memorisable(n: int = 600, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    cats = tuple(f"v{i}" for i in range(10))
    return Table(tuple(Column(f"c{j}", "categorical", rng.integers(0, 10, n).astype(float), categories=cats)
                       for j in range(5)))


def test_privacy_check_refuses_or_warns_when_rows_are_memorised():
    t = memorisable()
    loose = dict(min_leaf=1, max_depth=40, alpha=0.0)
    with pytest.raises(InputError, match="Raise min_leaf"):
        SequentialCARTSynthesizer(privacy_check="refuse", **loose).fit(t, rng=0)
    with pytest.warns(UserWarning, match="closer"):
        synth = SequentialCARTSynthesizer(privacy_check="warn", **loose).fit(t, rng=0)
    assert synth.privacy_check_["status"] == "high" and synth.privacy_check_["dcr_share"] > 0.57
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        safe = SequentialCARTSynthesizer(privacy_check="refuse", min_leaf=1000).fit(t, rng=0)   # no splits at all
    assert safe.privacy_check_["status"] == "ok" and safe.privacy_check_["dcr_share"] < 0.57


def test_privacy_check_is_skipped_on_tiny_tables():
    t = memorisable(60)
    assert SequentialCARTSynthesizer().fit(t, rng=0).privacy_check_["status"] == "skipped"


# -- within-bin sampling -----------------------------------------------------------------------
def test_within_bin_sampler_follows_the_training_values():
    rng = np.random.default_rng(0)
    v = rng.lognormal(0, 1, 5000)
    v = v[v < 10]
    sampler = WithinBinSampler().fit(v, np.zeros(v.size, dtype=int), np.array([0.0]), np.array([10.0]))
    draws = sampler.sample(np.zeros(5000, dtype=int), rng=1)
    assert ks_2samp(draws, v).statistic < 0.03
    assert ks_2samp(rng.uniform(0, 10, 5000), v).statistic > 0.3     # what uniform draws would give
    assert draws.min() >= 0 and draws.max() <= 10


def test_within_bin_sampler_is_uniform_in_empty_bins_and_keeps_point_masses():
    v = np.r_[np.zeros(900), np.linspace(1, 9, 100)]
    s = WithinBinSampler().fit(v, np.zeros(v.size, dtype=int), np.array([0.0, 10.0]), np.array([10.0, 20.0]))
    draws = s.sample(np.r_[np.zeros(4000, dtype=int), np.ones(4000, dtype=int)], rng=2)
    # the point mass keeps all but at most 1/(knots - 1) = 1/32 of its share (one knot interval leaks)
    assert 0.9 - 1 / 32 - 0.02 < np.mean(draws[:4000] == 0) <= 0.9 + 0.02
    assert ks_2samp(draws[4000:], np.random.default_rng(3).uniform(10, 20, 4000)).statistic < 0.04


def test_bayesian_network_column_shapes_follow_the_data_inside_bins():
    t = skewed_table(missing=False)
    out = BayesianNetworkSynthesizer(n_bins=10).fit(t).sample(4000, rng=1)
    for name in ("x", "zero"):
        stat = ks_2samp(out[name].values, t[name].values).statistic
        assert stat < 0.04, name
    uniform = Discretizer(10).fit(t)
    coarse = uniform.inverse(uniform.transform(t), rng=1)
    assert ks_2samp(coarse["x"].values, t["x"].values).statistic > 0.05   # the old uniform draws were worse


def test_dp_numbers_follow_the_noisy_finer_bins():
    t = skewed_table(5000, missing=False)
    bounds = {"x": (0.0, 30.0), "zero": (0.0, 3000.0)}
    fine = MSTSynthesizer(epsilon=20.0, n_bins=8, bounds=bounds).fit(t, rng=0).sample(5000, rng=1)
    coarse = MSTSynthesizer(epsilon=20.0, n_bins=8, bounds=bounds, fine_bins=1).fit(t, rng=0).sample(5000, rng=1)
    ks_fine = ks_2samp(fine["x"].values, t["x"].values).statistic
    ks_coarse = ks_2samp(coarse["x"].values, t["x"].values).statistic
    assert ks_fine < 0.05 and ks_fine < ks_coarse
    assert abs(np.mean(fine["zero"].values == 0) - 0.6) < 0.03   # the lower bound is its own state


# -- missing values ----------------------------------------------------------------------------
@pytest.mark.parametrize("key", list(METHODS))
def test_no_method_adds_missing_values_to_complete_columns(key):
    t = skewed_table(1500, missing=True)   # x has missing values; g, zero and y have none
    params = {"epsilon": 0.5} if key == "dp_mst" else {}
    if key == "cart":
        params["privacy_check"] = "off"
    for seed in range(3):
        out = make_synthesizer(key, **params).fit(t, rng=seed).sample(3000, rng=seed)
        for name in ("g", "zero", "y"):
            assert not out[name].missing.any(), (key, name)


def test_dp_missing_states_are_schema_information():
    t = skewed_table(800, missing=True)
    with pytest.raises(InputError, match="missing='none'"):
        MSTSynthesizer(missing="none").fit(t, rng=0)
    complete = skewed_table(800, missing=False)
    m = MSTSynthesizer(epsilon=0.5, missing="none").fit(complete, rng=0)
    assert all(b.missing_state is None for b in m.discretizer_.columns_)
    assert "declared" in m.privacy_report()["missing_states"]
    phantom = MSTSynthesizer(epsilon=0.5, missing="all").fit(complete, rng=0).sample(3000, rng=0)
    assert any(c.missing.any() for c in phantom.columns)   # the old behaviour, now opt-in and stated
    rep = MSTSynthesizer(epsilon=0.5).fit(t, rng=0).privacy_report()
    assert [c["can_be_missing"] for c in rep["columns"]] == [False, True, False, False]


# -- the audit ---------------------------------------------------------------------------------
def test_clopper_pearson_and_gaussian_dp_curve():
    lo, hi = clopper_pearson(30, 100, 0.05)
    assert lo == pytest.approx(0.2124, abs=1e-3) and hi == pytest.approx(0.3998, abs=1e-3)
    assert clopper_pearson(0, 10, 0.05)[0] == 0.0 and clopper_pearson(10, 10, 0.05)[1] == 1.0
    assert gdp_delta(0.0, 1.0) == pytest.approx(norm.cdf(0.5) - norm.cdf(-0.5))
    for mu, delta in ((0.5, 1e-5), (2.0, 1e-9)):
        eps = gdp_epsilon(mu, delta)
        assert gdp_delta(eps, mu) == pytest.approx(delta, rel=1e-6)
    # the stated zCDP conversion is never tighter than the exact Gaussian curve
    rho = 0.3
    assert gdp_epsilon(math.sqrt(2 * rho), 1e-5) < rho + 2 * math.sqrt(rho * math.log(1e5))


def test_audit_passes_the_real_mechanism_and_catches_halved_noise():
    ok = audit_mst(epsilon=8.0, delta=1e-5, runs=150, rng=1)
    broken = audit_mst(epsilon=8.0, delta=1e-5, runs=150, noise_scale=0.5, rng=1)
    assert ok.epsilon_lower <= 8.0 and not ok.violation
    assert ok.mu_lower <= ok.mu_claimed
    assert broken.violation and broken.epsilon_lower > 8.0
    assert broken.mu_lower > ok.mu_claimed and broken.noise_violation and not ok.noise_violation
    assert MSTSynthesizer._noise_scale == 1.0   # the knob is per instance and test-only


def test_cli_audit_prints_the_bound_and_rejects_bad_input(capsys):
    import json

    from synthlearn.app.cli import main

    assert main(["audit", "--epsilon", "8", "--delta", "1e-5", "--runs", "40", "--json", "-q"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["epsilon"] == 8.0 and out["runs"] == 40 and out["violation"] is False
    assert main(["audit", "--epsilon", "0", "-q"]) == 2
    assert "epsilon" in capsys.readouterr().err


def test_dp_audit_demo_contract():
    from synthlearn.demos import dp_audit

    res = dp_audit.run(runs=50, seed=3)
    assert res["summary"] and res["figures"][0]["svg"].startswith("<svg") and res["figures"][0]["alt"]
    keys = {m["key"] for m in res["metrics"]}
    assert {"epsilon", "epsilon_lower", "tpr", "fpr"} <= keys
    again = dp_audit.run(runs=50, seed=3, figure=False)
    assert [m["value"] for m in again["metrics"]] == [m["value"] for m in res["metrics"]]
    for bad in ({"epsilon": 0}, {"variant": "other"}, {"runs": 5}):
        with pytest.raises(InputError):
            dp_audit.run(**bad)


def test_generator_page_backend_runs_the_new_method():
    import json

    from synthlearn.app import studio

    assert "cart" in studio.PAGE_METHODS
    s = {"data": "penguins", "method": "cart", "params": {}, "n": 200, "seed": 4}
    res = studio.run(s)
    json.dumps(res, allow_nan=False)
    text = studio.download(res["run_id"], "synthetic_csv")["text"]
    assert text.count("\n") >= 200
