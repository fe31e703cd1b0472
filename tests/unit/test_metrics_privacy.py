"""Privacy metrics: the distance against a direct implementation, SDMetrics' DCR metric, closed-form cases."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from synthlearn import Column, InputError, Table
from synthlearn.metrics import privacy as P
from synthlearn.metrics._checks import align


def _population(rng: np.random.Generator, n: int) -> Table:
    """Continuous numbers (no accidental ties), a category, an integer, some missing values."""
    a = rng.normal(size=n)
    b = rng.gamma(2.0, size=n)
    b[rng.random(n) < 0.05] = np.nan
    c = rng.choice(["u", "v", "w"], size=n, p=[0.5, 0.3, 0.2]).tolist()
    k = rng.integers(0, 4, size=n).astype(float)
    return Table.from_arrays({"a": a, "b": b, "c": c, "k": k}, kinds={"k": "integer"})


def _reference_distances(train: Table, query: Table, ref: Table) -> np.ndarray:
    """The documented row distance, written out directly from the column values (slow, clear)."""
    out = np.zeros((query.n_rows, ref.n_rows))
    for name in train.names:
        tc, qc, rc = train[name], query[name], ref[name]
        q = qc.values[:, None]
        r = rc.values[None, :]
        qm, rm = np.isnan(q), np.isnan(r)
        if tc.is_discrete:
            d = (q != r).astype(float)
        else:
            f = tc.values[~tc.missing]
            span = f.max() - f.min()
            d = (q != r).astype(float) if span == 0 else np.minimum(np.abs(q - r) / span, 1.0)
        d = np.where(qm & rm, 0.0, np.where(qm | rm, 1.0, d))
        out += d
    return out / train.n_cols


@pytest.mark.parametrize("indicator_bytes", [P._INDICATOR_BYTES, 0])   # 0: count matches by comparing
def test_nearest_distances_match_a_direct_computation(monkeypatch, indicator_bytes):
    monkeypatch.setattr(P, "_INDICATOR_BYTES", indicator_bytes)
    rng = np.random.default_rng(0)
    train, other = _population(rng, 300), _population(rng, 120)
    const = Column("z", "numeric", np.full(300, 2.0))
    train = train.with_columns([const])
    zvals = np.where(rng.random(120) < 0.2, 5.0, 2.0)
    zvals[:3] = np.nan
    other = other.with_columns([Column("z", "numeric", zvals)])
    other = other.with_columns([other["a"].with_values(other["a"].values * 3)])     # out of the train range
    train, other = align(train, ("other", other))
    space = P.RowSpace(train, other)
    got = P.nearest_distances(space, space.embed(other), space.embed(train), k=3)
    ref = np.sort(_reference_distances(train, other, train), axis=1)[:, :3]
    assert np.allclose(got, ref, atol=1e-6)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_k_smallest_per_row_against_sorting(k):
    rng = np.random.default_rng(10)
    rows = np.sort(rng.integers(0, 40, size=500))
    rows = rows[rows != 7]                                     # row 7 has no candidate
    dist = rng.integers(0, 6, size=rows.size).astype(float)    # many ties
    got = P._k_smallest_per_row(rows, dist, 40, k)
    for r in range(40):
        ref = np.sort(dist[rows == r])[:k]
        ref = np.r_[ref, np.full(k - ref.size, np.inf)]
        assert np.array_equal(got[r], ref), r


def test_nearest_distances_without_categories_and_without_numbers():
    rng = np.random.default_rng(1)
    nums = Table.from_arrays({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    cats = Table.from_arrays({"c": rng.choice(list("xyz"), size=200).tolist(),
                              "d": rng.choice(list("pq"), size=200).tolist()})
    for t in (nums, cats):
        q = t.take(np.arange(50))
        space = P.RowSpace(t, q)
        got = P.nearest_distances(space, space.embed(q), space.embed(t), k=2)
        ref = np.sort(_reference_distances(t, q, t), axis=1)[:, :2]
        assert np.allclose(got, ref, atol=1e-6)


def test_copy_of_train_is_flagged_by_every_metric():
    rng = np.random.default_rng(2)
    train, holdout = _population(rng, 1500), _population(rng, 1500)
    res = P.privacy(train, train, holdout, rng=0)
    assert res.get("identical_match_rate")["value"] == 1.0
    assert res.get("dcr_share")["value"] > 0.99
    assert res.get("dcr_share")["details"]["ideal"] == 0.5
    assert res.get("dcr_overfitting_protection")["value"] < 0.02
    assert res.get("membership_inference_auc")["value"] > 0.99
    assert res.get("nndr")["details"]["median"] == 0.0


def test_fresh_draws_from_the_same_distribution_look_private():
    rng = np.random.default_rng(3)
    train, holdout, synthetic = (_population(rng, 2000) for _ in range(3))
    res = P.privacy(train, synthetic, holdout, max_queries=2000, rng=0)
    assert res.get("identical_match_rate")["value"] == 0.0
    assert res.get("dcr_share")["value"] == pytest.approx(0.5, abs=0.04)
    assert res.get("membership_inference_auc")["value"] == pytest.approx(0.5, abs=0.04)
    nndr = res.get("nndr")["details"]
    assert nndr["median"] == pytest.approx(nndr["holdout_median"], abs=0.05)
    assert res.sizes["attack_members"] == 2000 and res.sizes["synthetic_queries"] == 2000


def test_ideal_share_follows_the_sizes():
    rng = np.random.default_rng(4)
    train, holdout, synthetic = _population(rng, 3000), _population(rng, 1000), _population(rng, 1500)
    res = P.privacy(train, synthetic, holdout, max_queries=1500, rng=0)
    share = res.get("dcr_share")
    assert share["details"]["ideal"] == 0.75
    assert share["value"] == pytest.approx(0.75, abs=0.04)
    assert res.get("dcr_overfitting_protection")["details"]["size_adjusted"] > 0.85


def test_dcr_protection_matches_sdmetrics():
    pd = pytest.importorskip("pandas")
    pytest.importorskip("sdmetrics")
    from sdmetrics.single_table import DCROverfittingProtection

    rng = np.random.default_rng(5)

    def draw(n):
        x = rng.integers(0, 11, size=n).astype(float)
        x[:2] = [0.0, 10.0]                               # every table spans 0..10: the same range
        return {"x": x, "c": rng.choice(list("abcd"), size=n).tolist(), "d": rng.choice(list("pq"), size=n).tolist()}

    tr, ho = draw(200), draw(200)
    sy = draw(150)
    sy["x"][:40] = tr["x"][:40]
    sy["c"][:40] = tr["c"][:40]
    sy["d"][:40] = tr["d"][:40]                            # some copies, some ties
    meta = {"columns": {"x": {"sdtype": "numerical"}, "c": {"sdtype": "categorical"}, "d": {"sdtype": "categorical"}}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = DCROverfittingProtection.compute(pd.DataFrame(tr), pd.DataFrame(sy), pd.DataFrame(ho), meta, None)
    res = P.privacy(Table.from_arrays(tr), Table.from_arrays(sy), Table.from_arrays(ho), max_queries=None, rng=0)
    assert res.get("dcr_overfitting_protection")["value"] == pytest.approx(ref, abs=1e-12)


def test_identical_match_rate_counts_exact_rows_only():
    rng = np.random.default_rng(6)
    train = _population(rng, 400)
    fresh = _population(rng, 400)
    half = Table(tuple(Column(c.name, c.kind, np.concatenate([c.values[:200], f.values[:200]]), c.categories)
                       for c, f in zip(train.columns, fresh.columns)))
    assert P.identical_match_rate(train, half) == 0.5
    nudged = train.with_columns([train["a"].with_values(train["a"].values + 1e-9)])
    assert P.identical_match_rate(train, nudged) == pytest.approx(float(np.isnan(train["a"].values).mean()))


def test_k_anonymity_closed_form():
    t = Table.from_arrays({"age": [30, 30, 30, 40, 40, 50, None, None], "sex": list("ffffmmff")})
    out = P.k_anonymity(t, ["age", "sex"], k=3)
    # groups: (30,f)×3, (40,f)×1, (40,m)×1, (50,m)×1, (missing,f)×2
    assert out["min_class_size"] == 1
    assert out["classes"] == 5
    assert out["share_below_k"] == pytest.approx(5 / 8)
    with pytest.raises(InputError, match="'zip' is not a column"):
        P.k_anonymity(t, ["zip"])


def test_privacy_is_seeded_and_works_without_holdout():
    rng = np.random.default_rng(7)
    train, synthetic = _population(rng, 600), _population(rng, 600)
    a = P.privacy(train, synthetic, quasi_identifiers=["c", "k"], max_queries=200, rng=9)
    b = P.privacy(train, synthetic, quasi_identifiers=["c", "k"], max_queries=200, rng=9)
    assert a.to_dict() == b.to_dict()
    keys = [m["key"] for m in a.metrics]
    assert keys == ["identical_match_rate", "nndr", "k_anonymity"]
    assert a.notes and "holdout" in a.notes[0]
    for m in a.metrics:
        assert m["formula"] and m["ideal"] and m["cannot_prove"]
    assert "differential privacy" in P.TEXTS["dcr_share"]["cannot_prove"]


def test_work_budget_lowers_and_states_the_query_counts():
    rng = np.random.default_rng(9)
    train, synthetic, holdout = (_population(rng, 1000) for _ in range(3))
    res = P.privacy(train, synthetic, holdout, max_work=1e5, rng=0)
    assert res.sizes["synthetic_queries"] == P.MIN_QUERIES
    assert res.sizes["attack_members"] == res.sizes["attack_non_members"] == P.MIN_QUERIES
    full = P.privacy(train, synthetic, holdout, max_work=None, max_queries=None, max_attack=None, rng=0)
    assert full.sizes["synthetic_queries"] == 1000 and full.sizes["attack_members"] == 1000


def test_privacy_bad_input():
    rng = np.random.default_rng(8)
    train = _population(rng, 50)
    with pytest.raises(InputError, match="max_queries"):
        P.privacy(train, train, max_queries=0)
    with pytest.raises(InputError, match="holdout table must have the same columns"):
        P.privacy(train, train, train.drop(["a"]))
