"""Differential privacy of the MST synthesizer: conversion, noise scales, accounting, utility."""

from __future__ import annotations

import math

import numpy as np
import pytest

from synthlearn.discretize import Discretizer
from synthlearn.errors import InputError
from synthlearn.synthesizers import MSTSynthesizer
from synthlearn.synthesizers.bayesnet import contingency
from synthlearn.synthesizers.mst import epsilon_from_rho, gaussian_sigma, rho_from_epsilon_delta
from synthlearn.table import Column, Table


def cat_table(n: int = 500, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 5, n)
    b = np.where(rng.random(n) < 0.8, a, rng.integers(0, 5, n))
    c = rng.integers(0, 4, n)
    x = rng.uniform(0, 100, n)
    labels = tuple("ABCDE")
    return Table((Column("a", "categorical", a.astype(float), categories=labels),
                  Column("b", "categorical", b.astype(float), categories=labels),
                  Column("c", "categorical", c.astype(float), categories=labels[:4]),
                  Column("x", "numeric", x, bounds=(0.0, 100.0))))


@pytest.mark.parametrize("eps, delta", [(0.1, 1e-9), (1.0, 1e-6), (8.0, 1e-9), (50.0, 1e-5)])
def test_conversion_round_trip_and_root_of_the_formula(eps, delta):
    from scipy.optimize import brentq

    rho = rho_from_epsilon_delta(eps, delta)
    assert epsilon_from_rho(rho, delta) == pytest.approx(eps, rel=1e-12)
    reference = brentq(lambda r: r + 2 * math.sqrt(r * math.log(1 / delta)) - eps, 0, eps)
    assert rho == pytest.approx(reference, rel=1e-9)


def test_conversion_rejects_bad_budgets():
    for eps, delta in [(0, 1e-9), (-1, 1e-9), (1, 0), (1, 1)]:
        with pytest.raises(InputError):
            rho_from_epsilon_delta(eps, delta)


def test_noise_scales_follow_the_formulas_and_accounting_sums_to_rho():
    t = cat_table()
    model = MSTSynthesizer(epsilon=2.0, delta=1e-8, n_bins=8, bounds={"x": (0, 100)}).fit(t, rng=0)
    rep = model.privacy_report()
    rho = (math.sqrt(math.log(1e8) + 2.0) - math.sqrt(math.log(1e8))) ** 2
    assert rep["rho"] == pytest.approx(rho)
    steps = {s["step"]: s for s in rep["steps"]}
    d = 4
    one, sel, two = steps["one-way marginals"], steps["tree selection"], steps["two-way marginals"]
    assert one["sigma"] == pytest.approx(math.sqrt(d / (2 * rho / 3)))  # sigma = sqrt(1 / (2 rho/3/d))
    assert sel["count"] == d - 1 and two["count"] == d - 1
    assert sel["epsilon_each"] == pytest.approx(math.sqrt(8 * (rho / 3) / (d - 1)))
    assert sel["epsilon_each"] ** 2 / 8 * (d - 1) == pytest.approx(rho / 3)  # each selection costs eps^2/8
    assert two["sigma"] == pytest.approx(math.sqrt((d - 1) / (2 * rho / 3)))
    assert sum(s["rho"] for s in rep["steps"]) == pytest.approx(rho)
    assert rep["rho_spent"] == pytest.approx(rho)
    for s in (one, two):  # each Gaussian measurement is rho_each-zCDP: sensitivity^2 / (2 sigma^2)
        assert 1 / (2 * s["sigma"] ** 2) == pytest.approx(s["rho_each"])
    assert gaussian_sigma(0.5) == pytest.approx(1.0)
    import json

    json.dumps(rep)


def test_added_noise_has_the_stated_standard_deviation():
    t = cat_table(300, seed=1)
    one_way, two_way = [], []
    sigma1 = sigma3 = None
    for seed in range(40):
        model = MSTSynthesizer(epsilon=1.0, n_bins=8, bounds={"x": (0, 100)}).fit(t, rng=seed)
        codes = model.discretizer_.transform(t)
        sigma1, sigma3 = (s["sigma"] for s in model.privacy_report()["steps"] if "sigma" in s)
        for j, name in enumerate(t.names):
            if name in model.fine_noisy_:   # measured at the finer resolution: the bins' counts are sums
                fine = model.fine_noisy_[name]
                assert np.allclose(model.one_way_noisy_[name], fine.sum(axis=1))
                b = model.discretizer_.columns_[j]
                true, _ = MSTSynthesizer._one_way(b, codes[:, j], t[name].values, fine.shape[1], 0.0,
                                                  np.random.default_rng(0))
                noise = fine - MSTSynthesizer._one_way(b, codes[:, j], t[name].values, fine.shape[1], 0.0,
                                                       np.random.default_rng(0))[1]
                one_way.append(noise[noise != 0])   # cells that are never measured carry no noise
                assert np.allclose(true, np.bincount(codes[:, j], minlength=true.size))
                continue
            true = np.bincount(codes[:, j], minlength=model.one_way_noisy_[name].size)
            one_way.append(model.one_way_noisy_[name] - true)
        for (pa, ch), noisy in model.two_way_noisy_.items():
            i, j = t.names.index(pa), t.names.index(ch)
            two_way.append((noisy - contingency(codes[:, i], codes[:, j], *noisy.shape)).ravel())
    one_way = np.concatenate(one_way)
    two_way = np.concatenate(two_way)
    assert abs(one_way.mean()) < 4 * sigma1 / math.sqrt(one_way.size)
    assert one_way.std() == pytest.approx(sigma1, rel=0.05)
    assert two_way.std() == pytest.approx(sigma3, rel=0.05)


def test_larger_epsilon_gives_closer_marginals_on_average():
    t = cat_table(1000, seed=2)

    def error(eps: float) -> float:
        errs = []
        for seed in range(6):
            out = MSTSynthesizer(epsilon=eps, n_bins=8, bounds={"x": (0, 100)}).fit(t, rng=seed).sample(1000, rng=seed)
            for name in ("a", "b", "c"):
                k = len(t[name].categories)
                real = np.bincount(t[name].values.astype(int), minlength=k) / t.n_rows
                v = out[name].values
                syn = np.bincount(v[~np.isnan(v)].astype(int), minlength=k) / out.n_rows
                errs.append(0.5 * np.abs(real - syn).sum())
        return float(np.mean(errs))

    low, mid, high = error(0.05), error(1.0), error(20.0)
    assert low > mid > high
    assert high < 0.05


def test_high_epsilon_selects_the_dependent_pair():
    t = cat_table(2000, seed=3)
    hits = 0
    for seed in range(5):
        model = MSTSynthesizer(epsilon=20.0, n_bins=8, bounds={"x": (0, 100)}).fit(t, rng=seed)
        hits += {frozenset(e) for e in model.edges_} >= {frozenset(("a", "b"))}
    assert hits == 5
    out = model.sample(4000, rng=0)
    assert np.mean(out["a"].values == out["b"].values) == pytest.approx(np.mean(t["a"].values == t["b"].values),
                                                                          abs=0.05)


def test_privacy_report_says_which_bounds_are_public():
    t = cat_table()
    declared = MSTSynthesizer(bounds={"x": (0, 100)}).fit(t, rng=0).privacy_report()
    assert declared["not_private"] == [] and declared["warning"] == ""
    assert "numeric bounds" in declared["public"] and "category domains" in declared["public"]
    from_data = MSTSynthesizer().fit(t, rng=0).privacy_report()
    assert from_data["not_private"] == ["x"]
    assert "NOT private" in {c["name"]: c["domain"] for c in from_data["columns"]}["x"]
    assert "x" in from_data["warning"]
    assert abs(from_data["n_rows_estimate"] - t.n_rows) < 100  # noisy, private estimate of the row count


def test_constant_columns_are_not_copied_under_dp():
    """A constant found in the data would leak it: every column goes through the noisy marginals."""
    t = cat_table(200).with_columns([Column("k", "categorical", np.zeros(200), categories=("yes", "no"))])
    model = MSTSynthesizer(epsilon=0.1).fit(t, rng=0)
    assert "k" in model.modelled_ and model.fixed_ == {}


def test_bounds_errors():
    t = cat_table()
    with pytest.raises(InputError, match="not a column"):
        MSTSynthesizer(bounds={"nope": (0, 1)}).fit(t)
    with pytest.raises(InputError, match="categories"):
        MSTSynthesizer(bounds={"a": (0, 1)}).fit(t)


def test_single_column_spends_everything_on_the_one_way_marginal():
    t = cat_table().select(["a"])
    rep = MSTSynthesizer(epsilon=1.0).fit(t, rng=0).privacy_report()
    assert rep["steps"][0]["rho"] == pytest.approx(rep["rho"])
    assert rep["edges"] == []
