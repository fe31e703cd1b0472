"""Univariate models, the KS statistic and the fit & sample demo."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from synthlearn.demos.fit_sample import DISTRIBUTIONS, run
from synthlearn.errors import InputError
from synthlearn.stats import ks_statistic
from synthlearn.univariate import EmpiricalUnivariate, GaussianUnivariate, KDEUnivariate


@pytest.mark.parametrize("seed", range(5))
def test_ks_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=rng.integers(5, 400)), rng.standard_t(3, size=rng.integers(5, 400))
    assert ks_statistic(a, b) == pytest.approx(stats.ks_2samp(a, b).statistic, abs=1e-12)
    ties_a, ties_b = rng.integers(0, 5, 50).astype(float), rng.integers(0, 5, 70).astype(float)
    assert ks_statistic(ties_a, ties_b) == pytest.approx(stats.ks_2samp(ties_a, ties_b).statistic, abs=1e-12)


def test_ks_drops_missing_values():
    a = np.array([1.0, 2.0, np.nan, 3.0])
    assert ks_statistic(a, [1.0, 2.0, 3.0]) == 0.0
    assert np.isnan(ks_statistic([np.nan], [1.0]))


def test_gaussian_fit_matches_the_sample_moments_and_scipy():
    x = np.random.default_rng(0).normal(5, 2, 2000)
    model = GaussianUnivariate().fit(x)
    assert model.mean_ == pytest.approx(x.mean()) and model.std_ == pytest.approx(x.std(ddof=1))
    grid = np.linspace(0, 10, 7)
    assert model.cdf(grid) == pytest.approx(stats.norm(model.mean_, model.std_).cdf(grid))
    assert model.ppf([0.1, 0.5]) == pytest.approx(stats.norm(model.mean_, model.std_).ppf([0.1, 0.5]))


def test_kde_bandwidth_and_density_match_scipy():
    x = np.random.default_rng(1).lognormal(size=300)
    model = KDEUnivariate().fit(x)
    reference = stats.gaussian_kde(x)
    assert model.factor_ == pytest.approx(reference.factor)
    grid = np.linspace(0, 5, 11)
    assert model.pdf(grid) == pytest.approx(reference(grid), rel=1e-9)
    silverman = KDEUnivariate("silverman").fit(x)
    assert silverman.factor_ == pytest.approx(stats.gaussian_kde(x, bw_method="silverman").factor)


def test_kde_samples_follow_the_density():
    x = np.random.default_rng(2).normal(0, 1, 4000)
    draws = KDEUnivariate().fit(x).sample(4000, rng=3)
    # a KDE sample is the data plus kernel noise: its variance is var(x) * (1 + factor^2)
    factor = 4000 ** (-1 / 5)
    assert draws.var() == pytest.approx(x.var() * (1 + factor ** 2), rel=0.08)
    assert stats.ks_2samp(x, draws).pvalue > 0.01


def test_empirical_ppf_stays_in_range_and_inverts_cdf():
    x = np.random.default_rng(4).exponential(size=500)
    model = EmpiricalUnivariate().fit(x)
    draws = model.sample(1000, rng=5)
    assert draws.min() >= x.min() and draws.max() <= x.max()
    assert model.cdf(np.sort(x))[-1] == 1.0


def test_same_seed_same_samples_different_seed_different():
    model = KDEUnivariate().fit(np.arange(100.0))
    assert np.array_equal(model.sample(50, rng=7), model.sample(50, rng=7))
    assert not np.array_equal(model.sample(50, rng=7), model.sample(50, rng=8))


@pytest.mark.parametrize("bad", [[], [1.0], [np.nan, np.nan, 3.0], [1.0, np.inf]])
def test_fit_refuses_unusable_data(bad):
    with pytest.raises(InputError):
        GaussianUnivariate().fit(bad)


@pytest.mark.parametrize("params,message", [
    ({"n": 50}, "Choose n from 100 to 10,000; 50 is outside that range"),
    ({"n": 100.5}, "Choose a whole number for n, not 100.5"),
    ({"distribution": "cauchy"}, "not a valid distribution"), ({"method": "gan"}, "not a valid method"),
    ({"seed": -1}, "Choose the seed from 0 to 4,294,967,295"), ({"n": "many"}, "'many' is not a number"),
    ({"seed": None}, "Type a number for the seed: the box is empty"), ({"seed": ""}, "the box is empty"),
])
def test_demo_refuses_bad_parameters(params, message):
    with pytest.raises(InputError, match=message):
        run(**params, figure=False)


def test_demo_numbers_are_the_real_statistics():
    out = run(distribution="normal", n=500, method="gaussian", seed=9, figure=False)
    rng = np.random.default_rng(9)
    real = rng.normal(50.0, 10.0, 500)
    synthetic = rng.normal(real.mean(), real.std(ddof=1), 500)
    values = {m["key"]: m["value"] for m in out["metrics"]}
    assert values["real_mean"] == pytest.approx(real.mean())
    assert values["synthetic_std"] == pytest.approx(synthetic.std(ddof=1))
    assert values["ks"] == pytest.approx(stats.ks_2samp(real, synthetic).statistic)


def test_gaussian_fails_on_bimodal_and_kde_does_better():
    gauss = {m["key"]: m["value"] for m in run(distribution="bimodal", method="gaussian", n=5000, figure=False)["metrics"]}
    kde = {m["key"]: m["value"] for m in run(distribution="bimodal", method="kde", n=5000, figure=False)["metrics"]}
    assert gauss["ks"] > 2 * kde["ks"]
    summary = run(distribution="bimodal", method="gaussian", n=5000, figure=False)["summary"]
    assert "differs detectably" in summary and "valley" in summary


@pytest.mark.parametrize("distribution", sorted(DISTRIBUTIONS))
def test_demo_figure_is_svg_with_alt_text(distribution):
    out = run(distribution=distribution, n=200, figure=True)
    (figure,) = out["figures"]
    assert figure["svg"].startswith("<svg") and "200 real values" in figure["alt"]
