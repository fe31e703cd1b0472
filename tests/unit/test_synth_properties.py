"""Property tests: any small mixed table either works or raises one clear InputError, for every
method; a well-formed table (enough rows, no constant or all-missing columns) always works."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthlearn.constraints import sample_with_constraints
from synthlearn.errors import InputError
from synthlearn.synthesizers import METHODS, make_synthesizer, oversample, partially_synthesize
from synthlearn.table import Column, Table

NUMBER = st.one_of(st.just(np.nan), st.sampled_from([0.0, 1.0, -2.5, 7.0]),
                   st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))


@st.composite
def small_tables(draw) -> Table:
    n = draw(st.integers(1, 6))
    n_cols = draw(st.integers(1, 4))
    cols = []
    for j in range(n_cols):
        kind = draw(st.sampled_from(["numeric", "integer", "categorical", "boolean", "datetime", "constant"]))
        if kind in ("numeric", "datetime"):
            values = draw(st.lists(NUMBER, min_size=n, max_size=n))
            cols.append(Column(f"c{j}", kind, np.array(values, dtype=float)))
        elif kind == "integer":
            values = draw(st.lists(st.one_of(st.just(np.nan), st.integers(-5, 5).map(float)), min_size=n, max_size=n))
            cols.append(Column(f"c{j}", "integer", np.array(values)))
        elif kind == "constant":
            value = draw(st.sampled_from([np.nan, 3.0]))
            cols.append(Column(f"c{j}", "numeric", np.full(n, value)))
        else:
            k = 2 if kind == "boolean" else draw(st.integers(1, 5))
            cats = ("False", "True") if kind == "boolean" else tuple(f"v{i}" for i in range(k))
            values = draw(st.lists(st.one_of(st.just(np.nan), st.integers(0, k - 1).map(float)),
                                   min_size=n, max_size=n))
            cols.append(Column(f"c{j}", kind, np.array(values), categories=cats))
    return Table(tuple(cols))


@st.composite
def well_formed_tables(draw) -> Table:
    """20-40 rows; every column holds at least two distinct values and a few missing ones at most."""
    n = draw(st.integers(20, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    cols = []
    for j, kind in enumerate(draw(st.lists(st.sampled_from(["numeric", "integer", "categorical", "boolean",
                                                                 "datetime"]), min_size=1, max_size=4))):
        if kind in ("numeric", "datetime"):
            values = rng.normal(draw(st.floats(-1e3, 1e3)), draw(st.floats(0.1, 100)), size=n)
        elif kind == "integer":
            values = rng.integers(-5, 6, size=n).astype(float)
        else:
            k = 2 if kind == "boolean" else draw(st.integers(2, 5))
            values = np.concatenate([np.arange(k), rng.integers(0, k, size=n - k)]).astype(float)
            cats = ("False", "True") if kind == "boolean" else tuple(f"v{i}" for i in range(k))
        if draw(st.booleans()):
            values[rng.choice(n, size=2, replace=False)] = np.nan
        if kind in ("categorical", "boolean"):
            cols.append(Column(f"c{j}", kind, values, categories=cats))
        else:
            cols.append(Column(f"c{j}", kind, values))
    return Table(tuple(cols))


def _one_sentence(exc: InputError) -> None:
    text = str(exc)
    assert text and "\n" not in text and "Traceback" not in text, text


PARAMS = [(key, {}) for key in METHODS] + [("gaussian_mixture", {"n_components": 1}),
                                           ("dp_mst", {"epsilon": 0.01, "n_bins": 2})]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=small_tables(), seed=st.integers(0, 2**16))
def test_every_method_works_or_raises_input_error(table, seed):
    for key, params in PARAMS:
        try:
            synth = make_synthesizer(key, **params).fit(table, rng=seed)
            out = synth.sample(7, rng=seed)
        except InputError as exc:
            _one_sentence(exc)
            continue
        assert out.n_rows == 7 and out.names == table.names
        for real, syn in zip(table.columns, out.columns):
            assert syn.kind == real.kind
            v = syn.values[~syn.missing]
            if real.is_discrete:
                assert np.all((v >= 0) & (v < len(real.categories)))
        try:
            sample_with_constraints(synth, 3, f"{table.names[0]} == {table.names[0]}", rng=seed, max_rounds=2)
        except InputError as exc:
            _one_sentence(exc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=well_formed_tables(), seed=st.integers(0, 2**16))
def test_every_method_works_on_a_well_formed_table(table, seed):
    """No InputError is swallowed here: a method that refuses a well-formed table fails the test."""
    for key, params in PARAMS:
        out = make_synthesizer(key, **params).fit(table, rng=seed).sample(12, rng=seed)
        assert out.n_rows == 12 and out.names == table.names, key
        for real, syn in zip(table.columns, out.columns):
            assert syn.kind == real.kind, key
            v = syn.values[~syn.missing]
            if real.is_discrete:
                assert np.all((v >= 0) & (v < len(real.categories))), key
    out = partially_synthesize(table, [table.names[-1]], rng=seed)
    assert out.n_rows == table.n_rows


@settings(max_examples=40, deadline=None)
@given(table=small_tables(), seed=st.integers(0, 2**16))
def test_partial_synthesis_and_oversampling_work_or_raise_input_error(table, seed):
    try:
        out = partially_synthesize(table, [table.names[-1]], rng=seed)
        assert out.n_rows == table.n_rows
    except InputError as exc:
        _one_sentence(exc)
    try:
        res = oversample(table, table.names[0], rng=seed)
        assert res.table.n_rows >= table.n_rows
    except InputError as exc:
        _one_sentence(exc)
