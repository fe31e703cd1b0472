"""Constraint parsing (no eval), checking with missing values, and rejection sampling."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from synthlearn.constraints import parse_constraint, sample_with_constraints, violations
from synthlearn.errors import InputError
from synthlearn.synthesizers import GaussianCopulaSynthesizer, IndependentSynthesizer
from synthlearn.table import Column, Table


def stays(n: int = 2000, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    day = 86400.0
    admit = 1.7e9 + rng.integers(0, 365, n) * day
    los = rng.integers(0, 30, n).astype(float)
    discharge = admit + los * day
    discharge[rng.random(n) < 0.1] = np.nan  # still in hospital
    age = rng.integers(0, 100, n).astype(float)
    ward = rng.integers(0, 3, n).astype(float)
    return Table((Column("admission", "datetime", admit), Column("discharge", "datetime", discharge),
                  Column("age", "integer", age), Column("length of stay", "integer", los),
                  Column("ward", "categorical", ward, categories=("icu", "surgery", "general")),
                  Column("x", "numeric", rng.normal(size=n))))


@pytest.mark.parametrize("text, left, op, right, kind", [
    ("admission <= discharge", "admission", "<=", "discharge", "column"),
    ("age>=18", "age", ">=", 18.0, "number"),
    ("18 < age", "age", ">", 18.0, "number"),
    ("x != -1.5e-3", "x", "!=", -1.5e-3, "number"),
    ("ward == 'icu'", "ward", "==", "icu", "text"),
    ('ward != "general"', "ward", "!=", "general", "text"),
    ("`length of stay` < 28", "length of stay", "<", 28.0, "number"),
    ("admission >= '2023-11-15'", "admission", ">=", "2023-11-15", "text"),
])
def test_parse(text, left, op, right, kind):
    c = parse_constraint(text, stays(10))
    assert (c.left, c.op, c.right, c.right_kind) == (left, op, right, kind)


@pytest.mark.parametrize("text, words", [
    ("__import__('os').system('true')", "one comparison"),
    ("age >= 18 and age < 90", "one comparison"),
    ("age + 1 > 3", "cannot read"),
    ("age", "one comparison"),
    ("length of stay > 3", "backticks"),
    ("3 < 4", "column name"),
    ("agee >= 18", "no column named 'agee'"),
    ("ward < 'icu'", "only == and !="),
    ("ward == 2", "quoted category"),
    ("ward == 'zoo'", "not a category"),
    ("age == ward", "cannot compare"),
    ("age == 'old'", "not a text"),
    ("admission < 'yesterday'", "not a date"),
    ("", "comparison"),
])
def test_parse_errors(text, words):
    with pytest.raises(InputError, match=words):
        parse_constraint(text, stays(10))


def test_holds_against_a_direct_numpy_check_and_missing_does_not_satisfy():
    t = stays()
    c = parse_constraint("admission <= discharge", t)
    a, d = t["admission"].values, t["discharge"].values
    expected = np.where(np.isnan(d), False, a <= d)
    assert np.isnan(d).any() and not c.holds(t)[np.isnan(d)].any()
    np.testing.assert_array_equal(c.holds(t), expected)
    c2 = parse_constraint("ward != 'icu'", t)
    np.testing.assert_array_equal(c2.holds(t), t["ward"].values != 0)
    moment = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    c3 = parse_constraint("admission < '2024-01-01'", t)
    np.testing.assert_array_equal(c3.holds(t), a < moment)
    rep = violations(t, ["age >= 18", "ward != 'icu'"])
    assert rep["per_constraint"]["age >= 18"] == pytest.approx(np.mean(t["age"].values < 18))
    assert rep["violation_rate"] == pytest.approx(np.mean((t["age"].values < 18) | (t["ward"].values == 0)))


def test_categories_compared_by_label_across_columns():
    a = Column("a", "categorical", np.array([0.0, 1.0, np.nan]), categories=("p", "q"))
    b = Column("b", "categorical", np.array([1.0, 1.0, 0.0]), categories=("q", "p"))
    t = Table((a, b))
    assert parse_constraint("a == b", t).holds(t).tolist() == [True, False, False]  # missing: not satisfied


def test_sampled_rows_satisfy_constraints_after_rounding():
    t = stays()
    synth = IndependentSynthesizer().fit(t)
    out, rep = sample_with_constraints(synth, 1500, ["admission <= discharge", "age >= 18", "`length of stay` <= 20"],
                                       rng=0)
    assert out.n_rows == 1500 and out.names == t.names
    assert np.all(out["age"].values >= 18) and np.all(out["age"].values == np.round(out["age"].values))
    assert np.all(out["length of stay"].values <= 20)
    d = out["discharge"].values
    # a missing discharge cannot be shown to follow the admission: such rows are rejected
    assert not np.isnan(d).any() and np.all(out["admission"].values <= d)
    assert rep["violation_rate_after"] == 0.0 and not rep["gave_up"]
    # the reported raw violation rate is the rate of the synthesizer's own raw rows
    raw = synth.sample(50_000, rng=1)
    reference = violations(raw, rep["constraints"])["violation_rate"]
    assert rep["violation_rate_before"] == pytest.approx(reference, abs=0.02)
    assert rep["violation_rate_before"] > 0.3
    assert rep["rows_drawn"] > 1500


def test_a_constraint_broken_by_rounding_is_caught():
    """x is whole, y = x + 0.3: the copula's y is not rounded but x is, so x <= y can break only after rounding."""
    rng = np.random.default_rng(4)
    x = rng.integers(0, 50, 3000).astype(float)
    t = Table((Column("x", "integer", x), Column("y", "numeric", x + 0.3)))
    synth = GaussianCopulaSynthesizer().fit(t, rng=0)
    raw = synth.sample(3000, rng=1)
    assert np.mean(raw["x"].values > raw["y"].values) > 0  # rounding does break it in raw rows
    out, rep = sample_with_constraints(synth, 3000, "x <= y", rng=1)
    assert np.all(out["x"].values <= out["y"].values)
    assert rep["violation_rate_before"] > 0 and rep["violation_rate_after"] == 0


def test_gives_up_clearly():
    t = stays(300)
    synth = IndependentSynthesizer().fit(t)
    out, rep = sample_with_constraints(synth, 100, "age >= 97", rng=0, max_rounds=1)
    assert rep["gave_up"] and rep["rounds"] == 1
    assert 0.9 < rep["violation_rate_after"] < 1.0 and out.n_rows == 100
    assert "Gave up" in rep["message"]


def test_an_impossible_constraint_is_refused_not_met_by_blanks():
    """Issue 10 item 8: `body_mass_g > 99999` on penguins blanked the column and 'held'."""
    from synthlearn.pipeline import ConfigError, run_config
    from synthlearn.datasets import load

    penguins = load("penguins")
    c = parse_constraint("body_mass_g > 99999", penguins)
    with pytest.raises(InputError, match=r"cannot be satisfied: 'body_mass_g' ranges from \d+ to \d+"):
        c.check_satisfiable(penguins)
    parse_constraint("body_mass_g > 5000", penguins).check_satisfiable(penguins)  # some rows do: no error
    # the sampler refuses it too (a synthesizer fitted elsewhere), rather than returning blanks
    synth = IndependentSynthesizer().fit(penguins, rng=0)
    with pytest.raises(InputError, match="looks unsatisfiable: none of"):
        sample_with_constraints(synth, 200, "body_mass_g > 99999", rng=0)
    # and a run refuses it before fitting, with the config key named
    with pytest.raises(ConfigError, match="constraints.*cannot be satisfied"):
        run_config({"data": "penguins", "method": "independent", "n": 50, "constraints": ["body_mass_g > 99999"]})
    # the missing values a column really has are never a way to meet a constraint
    out, rep = sample_with_constraints(synth, 300, "body_mass_g > 3000", rng=1)
    assert penguins["body_mass_g"].missing.any() and not out["body_mass_g"].missing.any()
    assert rep["violation_rate_after"] == 0.0


def test_same_seed_same_rows_and_errors():
    t = stays(500)
    synth = IndependentSynthesizer().fit(t)
    a, _ = sample_with_constraints(synth, 200, "age >= 50", rng=3)
    b, _ = sample_with_constraints(synth, 200, "age >= 50", rng=3)
    np.testing.assert_array_equal(a.matrix(), b.matrix())
    with pytest.raises(InputError, match="Fit the synthesizer"):
        sample_with_constraints(IndependentSynthesizer(), 10, "age >= 1")
    with pytest.raises(InputError, match="no column named"):
        sample_with_constraints(synth, 10, "height >= 1")
    with pytest.raises(InputError, match="max_rounds"):
        sample_with_constraints(synth, 10, "age >= 1", max_rounds=0)
