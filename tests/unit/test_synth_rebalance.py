"""SMOTE-style and random oversampling."""

from __future__ import annotations

import numpy as np
import pytest

from synthlearn.errors import InputError
from synthlearn.synthesizers import oversample
from synthlearn.table import Column, Table


def imbalanced(seed: int = 0, n_major: int = 400, n_minor: int = 60) -> Table:
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    y = np.r_[np.zeros(n_major), np.ones(n_minor)]
    u = np.r_[rng.normal(0, 1, n_major), rng.normal(3, 1, n_minor)]
    v = np.r_[rng.normal(0, 2, n_major), rng.normal(-2, 0.5, n_minor)]
    g = rng.integers(0, 3, n).astype(float)
    return Table((Column("u", "numeric", u), Column("v", "numeric", v),
                  Column("g", "categorical", g, categories=("a", "b", "c")),
                  Column("y", "categorical", y, categories=("no", "yes"))))


def test_smote_rows_lie_on_segments_between_minority_neighbours():
    t = imbalanced()
    res = oversample(t, "y", k_neighbors=5, rng=0)
    assert res.counts_before == {"no": 400, "yes": 60}
    assert res.counts_after == {"no": 400, "yes": 400}
    assert res.table.n_rows == 800 and res.synthetic.sum() == 340
    assert not res.synthetic[:460].any()
    new = res.table.take(res.synthetic)
    assert np.all(new["y"].values == 1)
    x = t.matrix(["u", "v"])
    seed, nb = res.parents[:, 0], res.parents[:, 1]
    assert np.all(t["y"].values[seed] == 1) and np.all(t["y"].values[nb] == 1) and np.all(seed != nb)
    # each new point is seed + lambda (neighbour - seed) with one lambda in [0, 1] for both coordinates
    d = x[nb] - x[seed]
    lam = ((new.matrix(["u", "v"]) - x[seed]) * d).sum(1) / (d * d).sum(1)
    assert np.all((lam >= 0) & (lam <= 1))
    np.testing.assert_allclose(x[seed] + lam[:, None] * d, new.matrix(["u", "v"]), atol=1e-9)
    # categories come from one of the two parents
    g = new["g"].values
    assert np.all((g == t["g"].values[seed]) | (g == t["g"].values[nb]))


def test_smote_neighbours_are_among_the_k_nearest_by_scikit_learn():
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(1)
    t = Table((Column("u", "numeric", rng.normal(size=300)), Column("v", "numeric", rng.normal(size=300) * 5),
               Column("y", "integer", (np.arange(300) < 40).astype(float))))
    res = oversample(t, "y", k_neighbors=3, rng=2)
    x = t.matrix(["u", "v"])
    z = (x - x.mean(0)) / x.std(0)  # the same standardisation (over the whole table)
    members = np.flatnonzero(t["y"].values == 1)
    nn = NearestNeighbors(n_neighbors=4).fit(z[members])
    _, idx = nn.kneighbors(z[members])
    allowed = {int(m): set(members[idx[i, 1:]].tolist()) for i, m in enumerate(members)}
    for s, b in res.parents:
        assert int(b) in allowed[int(s)]


def test_integers_are_conformed_and_target_ratio_respected():
    rng = np.random.default_rng(3)
    t = Table((Column("age", "integer", rng.integers(18, 90, 500).astype(float)),
               Column("y", "categorical", (rng.random(500) < 0.1).astype(float), categories=("n", "p"))))
    res = oversample(t, "y", target_ratio=0.5, rng=0)
    before = res.counts_before
    assert res.counts_after["p"] == int(np.ceil(0.5 * before["n"]))
    ages = res.table["age"].values
    assert np.all(ages == np.round(ages)) and ages.min() >= 18 and ages.max() <= 89


def test_random_oversampling_duplicates_rows():
    t = imbalanced(4)
    res = oversample(t, "y", method="random", rng=0)
    new = res.table.take(res.synthetic).matrix()
    rows = {tuple(r) for r in t.matrix()[t["y"].values == 1]}
    assert all(tuple(r) in rows for r in new)


def test_missing_values_are_kept_and_seed_reproducible():
    t = imbalanced(5, n_minor=6)  # k = 5 neighbours: every other minority row, missing or not
    u = t["u"].values.copy()
    u[::3] = np.nan
    t = t.with_columns([t["u"].with_values(u)])
    a = oversample(t, "y", rng=3)
    b = oversample(t, "y", rng=3)
    np.testing.assert_array_equal(a.table.matrix(), b.table.matrix())
    new_u = a.table["u"].values[a.synthetic]
    seed_u = u[a.parents[:, 0]]
    nb_u = u[a.parents[:, 1]]
    # where either parent is missing, the seed's value (or its missing value) is kept
    assert np.array_equal(np.isnan(new_u), np.isnan(seed_u))
    only_nb_missing = np.isnan(nb_u) & ~np.isnan(seed_u)
    assert only_nb_missing.any()
    np.testing.assert_array_equal(new_u[only_nb_missing], seed_u[only_nb_missing])
    assert a.to_dict()["n_synthetic"] == int(a.synthetic.sum())


@pytest.mark.parametrize("kwargs, words", [
    ({"label": "nope"}, "no label column"),
    ({"label": "g", "method": "magic"}, "method"),
    ({"label": "g", "target_ratio": 0}, "target_ratio"),
    ({"label": "g", "k_neighbors": 0}, "k_neighbors"),
])
def test_bad_arguments(kwargs, words):
    with pytest.raises(InputError, match=words):
        oversample(imbalanced(), **kwargs)


def test_one_class_and_tiny_minority_rejected():
    t = imbalanced()
    one = t.take(t["y"].values == 0)
    with pytest.raises(InputError, match="at least two"):
        oversample(one, "y")
    tiny = t.take(np.r_[np.arange(400), 400])
    with pytest.raises(InputError, match="only 1 row"):
        oversample(tiny, "y")
