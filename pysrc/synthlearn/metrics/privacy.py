"""Privacy: how close synthetic rows sit to the real rows they were trained on.

**One distance for every comparison.** The distance between two rows is the mean over the
columns of a per-column distance in [0, 1]:

* numbers and datetimes: ``min(|a − b| / range, 1)``, where ``range = max − min`` of that column
  in the *real training* table (the same normalisation for train, holdout and synthetic rows);
  a column that is constant in the training table counts 0 if equal, 1 if not;
* categories and booleans: 0 if equal, 1 if not;
* missing values: missing vs missing = 0, missing vs a value = 1.

This is SDMetrics' DCR distance, except that SDMetrics takes each column's range from the
reference table at hand (train for the distance to train, holdout for the distance to
holdout); one shared range keeps distances to train and to holdout comparable. Numbers
are compared in float32, so distances agree with a float64 computation to about 1e-6.
Nearest neighbours are exact, found in chunks with numpy: category matches are counted
first (a lower bound of the distance) and numbers are compared only for reference rows
that can still be nearest (see :func:`nearest_distances`).

**Metrics** (each result carries its formula, ideal value and what it cannot prove):

* identical-match rate — synthetic rows equal to a training row in every column;
* DCR share — share of synthetic rows whose closest real record is in train rather than in
  the holdout (ties count ½); ideal ``n_train / (n_train + n_holdout)`` (50 % for equal sizes);
  SDMetrics' DCR overfitting protection ``min(2 · (1 − share), 1)`` (its ties count as holdout);
* nearest-neighbour distance ratio (NNDR) ``d1 / d2`` of each synthetic row within train;
* distance-based membership inference — ROC AUC of ``−distance to the nearest synthetic
  row`` for telling training rows (members) from holdout rows (non-members);
* k-anonymity of chosen quasi-identifier columns in the synthetic table.

None of these proves privacy: they test particular attacks on particular rows. Only a
synthesizer trained with differential privacy gives a guarantee.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..learners import roc_auc
from ..table import Table
from ._checks import NUMERIC_KINDS, align, check_limit, jsonable, subsample_rows

_CLIP = 1e6        # normalised values are clipped to ±_CLIP (a distance saturates at 1 long before)
_MISSING = 1e9     # normalised value standing for "missing": ≥ 1 away from every real value
_CELLS = 1 << 18   # query × reference cells computed at once (1 MB of float32: stays in cache)
MIN_QUERIES = 200  # the work budget never cuts a search below this many query rows
_INDICATOR_BYTES = 64 << 20   # level-indicator rows for counting category matches, at most 64 MB


# --------------------------------------------------------------------------------------------
# the shared row space
# --------------------------------------------------------------------------------------------
@dataclass
class Embedded:
    """Rows in the shared space: normalised numbers (float32) and category codes (missing = a code)."""

    numbers: np.ndarray   # (n, n_numbers), (x − min) / range, missing = _MISSING
    codes: np.ndarray     # (n, n_categorical) small unsigned integers
    in_unit: np.ndarray   # per number column: every value lies in [0, 1] (so |Δ| ≤ 1 without a cap)
    n: int


class RowSpace:
    """The shared normalisation of :mod:`synthlearn.metrics.privacy` (ranges from the training table).

    Build it from the real training table and every other table it will embed (all aligned),
    so that a column constant in train gets one list of exact values.
    """

    def __init__(self, train: Table, *others: Table):
        self.names = train.names
        self.numbers: list[tuple[int, float, float]] = []      # (column index, min, range)
        self.levels: list[tuple[int, np.ndarray | int]] = []   # (column index, exact values or #categories)
        for j, col in enumerate(train.columns):
            if col.kind in NUMERIC_KINDS:
                f = col.values[~col.missing]
                lo, hi = (float(f.min()), float(f.max())) if f.size else (0.0, 0.0)
                if hi > lo:
                    self.numbers.append((j, lo, hi - lo))
                else:
                    vals = np.concatenate([t.columns[j].values for t in (train,) + others])
                    self.levels.append((j, np.unique(vals[~np.isnan(vals)])))
            else:
                self.levels.append((j, len(col.categories)))
        self.n_columns = train.n_cols
        self.n_categorical = len(self.levels)
        widest = max([(info.size if isinstance(info, np.ndarray) else info) + 1 for _, info in self.levels],
                     default=1)
        self._code_dtype = np.uint8 if widest <= 255 else np.uint16 if widest <= 65535 else np.uint32
        self._count_dtype = np.uint8 if self.n_categorical <= 255 else np.uint16 if self.n_categorical <= 65535 \
            else np.uint32
        sizes = [(info.size if isinstance(info, np.ndarray) else info) + 1 for _, info in self.levels]
        self._level_offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp) if sizes else \
            np.zeros(0, dtype=np.intp)
        self._n_levels = int(sum(sizes))

    def embed(self, table: Table) -> Embedded:
        """The rows of ``table`` (aligned with the training table) in this space."""
        n = table.n_rows
        nums = np.empty((n, len(self.numbers)), dtype=np.float32)
        for i, (j, lo, span) in enumerate(self.numbers):
            v = table.columns[j].values
            u = np.clip((v - lo) / span, -_CLIP, _CLIP)
            nums[:, i] = np.where(np.isnan(v), _MISSING, u)
        codes = np.empty((n, self.n_categorical), dtype=self._code_dtype)
        for i, (j, info) in enumerate(self.levels):
            v = table.columns[j].values
            miss = np.isnan(v)
            if isinstance(info, np.ndarray):          # a number constant in train: its exact values
                codes[:, i] = np.where(miss, info.size, np.searchsorted(info, np.where(miss, 0.0, v)))
            else:
                codes[:, i] = np.where(miss, info, v)
        in_unit = np.all((nums >= 0) & (nums <= 1), axis=0) if n else np.ones(nums.shape[1], dtype=bool)
        return Embedded(nums, codes, in_unit, n)


def _k_smallest_per_row(rows: np.ndarray, dist: np.ndarray, m: int, k: int) -> np.ndarray:
    """The ``k`` smallest candidate distances of each of ``m`` rows (``inf`` where a row has fewer).

    ``rows`` must be sorted (row-major candidate order). For ``k ≤ 2`` this is two
    segmented minima (linear time); larger ``k`` sorts.
    """
    out = np.full((m, k), np.inf)
    if rows.size == 0:
        return out
    present = np.flatnonzero(np.diff(rows, prepend=-1))        # first candidate of each row
    which = rows[present]
    if k <= 2:
        first = np.minimum.reduceat(dist, present)
        out[which, 0] = first
        if k == 2:
            at_min = np.flatnonzero(dist == first[np.searchsorted(which, rows)])
            one = at_min[np.flatnonzero(np.diff(rows[at_min], prepend=-1))]   # one minimum per row
            rest = dist.copy()
            rest[one] = np.inf
            out[which, 1] = np.minimum.reduceat(rest, present)
        return out
    order = np.lexsort((dist, rows))
    r, d = rows[order], dist[order]
    starts = np.searchsorted(r, np.arange(m))
    ends = np.searchsorted(r, np.arange(m), side="right")
    for i in range(k):
        ok = starts + i < ends
        out[ok, i] = d[starts[ok] + i]
    return out


def _level_indicator(space: RowSpace, ref_codes: np.ndarray, nr: int) -> np.ndarray | None:
    """Per category level, the 0/1 row "the reference row has this level", or None when too large.

    Matches are then counted by adding rows (no comparisons in the inner loop), which matters
    in the browser where numpy has no SIMD (11 ns against 50 ns per cell on Adult).
    """
    if not space.n_categorical or space._n_levels * nr > _INDICATOR_BYTES:
        return None
    indicator = np.zeros((space._n_levels, nr), dtype=space._count_dtype)
    for i in range(space.n_categorical):
        indicator[space._level_offsets[i] + ref_codes[i], np.arange(nr)] = 1
    return indicator


def _count_equal(count: np.ndarray, equal: np.ndarray, ref_codes: np.ndarray, query_codes: np.ndarray) -> None:
    """Category matches of each query row with each reference row, by comparison, into ``count``."""
    count[:] = 0
    for i in range(ref_codes.shape[0]):
        np.equal(ref_codes[i][None, :], query_codes[:, i, None], out=equal)
        np.add(count, equal.view(np.uint8).astype(count.dtype, copy=False), out=count)


def nearest_distances(space: RowSpace, query: Embedded, reference: Embedded, k: int = 1) -> np.ndarray:
    """The ``k`` smallest row distances from each query row to the reference rows, ascending.

    Exact; shape ``(query.n, k)``; distances are means over columns, in [0, 1]. Works in
    chunks of query rows. The number of category mismatches is a lower bound of a distance
    (times the number of columns), so with categorical columns only the reference rows whose
    mismatch count can still beat the current k-th best get their numbers compared.
    """
    if reference.n < k:
        raise InputError(f"A nearest-neighbour search for {k} neighbours needs at least {k} reference rows.")
    nq, nr = query.n, reference.n
    n_cat = space.n_categorical
    n_num = query.numbers.shape[1]
    cap = ~(query.in_unit & reference.in_unit)
    out = np.empty((nq, k), dtype=np.float64)
    b = max(1, _CELLS // max(nr, 1))
    ref_codes = np.ascontiguousarray(reference.codes.T)
    ref_nums = np.ascontiguousarray(reference.numbers.T)
    count = np.empty((b, nr), dtype=space._count_dtype)
    work = np.empty((b, nr), dtype=np.float32)
    # comparing the numbers of a candidate pair costs more than a dense pass over one cell:
    # with few number columns the dense pass wins unless the candidates are very few
    limit = min(0.25, 0.02 * max(n_num, 1))
    indicator = _level_indicator(space, ref_codes, nr)
    query_levels = query.codes.astype(np.intp) + space._level_offsets[None, :] if indicator is not None else None
    equal = np.empty((b, nr), dtype=bool) if n_cat and indicator is None else None

    def pair_numbers(qi: np.ndarray, ri: np.ndarray, s: int) -> np.ndarray:
        diff = np.abs(query.numbers[s + qi] - reference.numbers[ri])
        if cap.any():
            np.minimum(diff, 1.0, out=diff, where=cap[None, :])
        return diff.sum(axis=1, dtype=np.float64)

    def dense(s: int, e: int, matches: np.ndarray | None) -> np.ndarray:
        m = e - s
        dist = np.zeros((m, nr), dtype=np.float32) if matches is None else \
            (np.float32(n_cat) - matches.astype(np.float32))
        tmp = work[:m]
        for i in range(n_num):
            np.subtract(ref_nums[i][None, :], query.numbers[s:e, i, None], out=tmp)
            np.abs(tmp, out=tmp)
            if cap[i]:
                np.minimum(tmp, 1.0, out=tmp)
            dist += tmp
        if k == 1:
            return dist.min(axis=1, keepdims=True).astype(np.float64)
        return np.sort(np.partition(dist, k - 1, axis=1)[:, :k], axis=1).astype(np.float64)

    for s in range(0, nq, b):
        e = min(s + b, nq)
        m = e - s
        if n_cat == 0:
            out[s:e] = dense(s, e, None)
            continue
        c = count[:m]
        if indicator is not None:
            rows = query_levels[s:e]
            np.take(indicator, rows[:, 0], axis=0, out=c)
            for i in range(1, n_cat):
                c += indicator[rows[:, i]]
        else:
            _count_equal(c, equal[:m], ref_codes, query.codes[s:e])
        if n_num == 0:
            mism = n_cat - c.astype(np.float64)
            out[s:e] = mism.min(axis=1, keepdims=True) if k == 1 else \
                np.sort(np.partition(mism, k - 1, axis=1)[:, :k], axis=1)
            continue
        # stage 1: the rows with the fewest mismatches (at least k per query) give an upper bound
        t1 = c.max(axis=1)
        while True:
            flat1 = np.flatnonzero(c >= t1[:, None])
            lack = np.bincount(flat1 // nr, minlength=m) < k
            if not lack.any():
                break
            t1[lack] = np.maximum(t1[lack], 1) - 1
        if flat1.size > limit * m * nr:
            out[s:e] = dense(s, e, c)
            continue
        qi, ri = flat1 // nr, flat1 % nr
        d1 = (n_cat - c.ravel()[flat1].astype(np.float64)) + pair_numbers(qi, ri, s)
        best = _k_smallest_per_row(qi, d1, m, k)
        # stage 2: every other reference row whose mismatches alone do not exceed the bound
        t2 = np.maximum(n_cat - np.floor(best[:, -1] + 1e-6), 0).astype(c.dtype)      # t2 ≤ t1
        flat2 = np.flatnonzero(c >= t2[:, None])
        if flat2.size > limit * m * nr:
            out[s:e] = dense(s, e, c)
            continue
        if flat2.size > flat1.size:
            q2 = flat2 // nr
            new = c.ravel()[flat2] < t1[q2]
            flat2, q2 = flat2[new], q2[new]
            d2 = (n_cat - c.ravel()[flat2].astype(np.float64)) + pair_numbers(q2, flat2 % nr, s)
            best = np.sort(np.hstack([best, _k_smallest_per_row(q2, d2, m, k)]), axis=1)[:, :k]
        out[s:e] = best
    return out / space.n_columns


# --------------------------------------------------------------------------------------------
# single metrics
# --------------------------------------------------------------------------------------------
def _row_ids(*tables: Table) -> list[np.ndarray]:
    """An integer id per row such that equal rows (missing = missing) get equal ids across tables."""
    mats = [t.matrix() + 0.0 for t in tables]          # + 0.0 turns -0.0 into 0.0
    allm = np.vstack(mats)
    allm = np.where(np.isnan(allm), -np.inf, allm)
    _, inv = np.unique(allm, axis=0, return_inverse=True)
    inv = inv.ravel()
    out, s = [], 0
    for m in mats:
        out.append(inv[s:s + len(m)])
        s += len(m)
    return out


def identical_match_rate(train: Table, other: Table) -> float:
    """Share of rows of ``other`` equal to some training row in every column (missing = missing)."""
    ids_train, ids_other = _row_ids(train, other)
    return float(np.isin(ids_other, ids_train).mean())


def dcr_share(d_train: np.ndarray, d_holdout: np.ndarray) -> float:
    """Share of rows closer to train than to holdout, ties counted ½."""
    d_train, d_holdout = np.asarray(d_train), np.asarray(d_holdout)
    return float(np.mean(d_train < d_holdout) + 0.5 * np.mean(d_train == d_holdout))


def nndr(d12: np.ndarray) -> np.ndarray:
    """``d1 / d2`` per row from the two smallest distances; 1 when both are 0 (a repeated record)."""
    d1, d2 = d12[:, 0], d12[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d2 > 0, d1 / np.where(d2 > 0, d2, 1.0), 1.0)


def k_anonymity(table: Table, columns: list[str], k: int = 5) -> dict:
    """Equivalence classes of ``table`` on ``columns`` (exact values, missing = missing).

    Returns the smallest class size and the share of rows in classes smaller than ``k``.
    """
    if not columns:
        raise InputError("k-anonymity needs at least one quasi-identifier column.")
    for c in columns:
        if c not in table:
            raise InputError(f"The quasi-identifier '{c}' is not a column (columns: {', '.join(table.names)}).",
                             column=c)
    (ids,) = _row_ids(table.select(list(columns)))
    sizes = np.bincount(ids)
    sizes = sizes[sizes > 0]
    per_row = np.bincount(ids)[ids]
    return {"min_class_size": int(sizes.min()), "classes": int(sizes.size), "k": int(k),
            "share_below_k": float(np.mean(per_row < k)), "unique_share": float(np.mean(per_row == 1))}


# --------------------------------------------------------------------------------------------
# the privacy evaluation
# --------------------------------------------------------------------------------------------
TEXTS = {
    "identical_match_rate": dict(
        name="Identical-match rate",
        formula="share of synthetic rows equal to at least one training row in every column",
        ideal="no higher than the share of holdout rows that equal a training row (real records collide too)",
        cannot_prove="A low rate does not stop near-copies (one column changed) nor inference about a person; "
                     "it only rules out verbatim copies."),
    "dcr_share": dict(
        name="DCR share (closer to train than to holdout)",
        formula="mean over synthetic rows of [DCR_train < DCR_holdout] + ½·[DCR_train = DCR_holdout], "
                "DCR = distance to the closest record",
        ideal="n_train / (n_train + n_holdout) — 50 % for equal sizes: the synthetic rows are no closer to the "
              "training records than to fresh records from the same population",
        cannot_prove="A good DCR share does not prove privacy: it averages over rows, so a few copied or "
                     "singled-out records can hide in it; only differential privacy gives a guarantee."),
    "dcr_overfitting_protection": dict(
        name="DCR overfitting protection (SDMetrics)",
        formula="min(2 · (1 − share closer to train), 1), ties counted as closer to holdout (SDMetrics); "
                "size-adjusted: min((1 − share) / (1 − ideal share), 1)",
        ideal="1.0",
        cannot_prove="The SDMetrics formula assumes train and holdout of equal size; use the size-adjusted value "
                     "otherwise. Like the DCR share it is an average and proves no privacy."),
    "nndr": dict(
        name="Nearest-neighbour distance ratio",
        formula="d1 / d2 per synthetic row, the distances to its closest and second-closest training rows "
                "(1 when both are 0)",
        ideal="close to the same ratio for holdout rows; values near 0 mean a synthetic row sits on one "
              "training record and far from the rest",
        cannot_prove="A high ratio does not prove a row cannot be linked to a person; it is a heuristic "
                     "for 'singled out' records."),
    "membership_inference_auc": dict(
        name="Membership inference (distance attack) ROC AUC",
        formula="ROC AUC of the score −(distance from a real row to its nearest synthetic row), training rows "
                "= members, holdout rows = non-members",
        ideal="0.5 (the attack cannot tell members from non-members); 1.0 = it always can",
        cannot_prove="An AUC of 0.5 defeats this one attack only; stronger attacks (shadow models, "
                     "density ratios) may still succeed, and an average hides vulnerable outliers."),
    "k_anonymity": dict(
        name="k-anonymity of the quasi-identifiers (synthetic table)",
        formula="group synthetic rows by their quasi-identifier values; smallest group size, and the share "
                "of rows in groups smaller than k",
        ideal="every group ≥ k; for synthetic data this matters only where a synthetic row can be linked to "
              "a real person",
        cannot_prove="k-anonymity says nothing about attribute disclosure (a group sharing a sensitive value) "
                     "and, on synthetic rows, nothing about whether any real person is exposed."),
}


@dataclass
class PrivacyResult:
    """Privacy metrics with their definitions; ``sizes`` states every subsample."""

    metrics: list[dict] = field(default_factory=list)
    sizes: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def get(self, key: str) -> dict | None:
        """The metric with this key, or None if it was not computed."""
        for m in self.metrics:
            if m["key"] == key:
                return m
        return None

    def to_dict(self) -> dict:
        """JSON-able dict."""
        return jsonable({"metrics": self.metrics, "sizes": self.sizes, "notes": self.notes})


def _metric(key: str, value: float | None, **details) -> dict:
    return {"key": key, **TEXTS[key], "value": value, "details": details}


def _fit_budget(limit: int | None, n_ref: int, space: RowSpace, work: float | None) -> int | None:
    """Query rows allowed: ``limit``, lowered so that queries × references × columns ≤ ``work``."""
    if limit is None or work is None:
        return limit
    n_num, n_cat = len(space.numbers), space.n_categorical
    # per query × reference cell: a category compare costs ~¼ of a number compare; with enough
    # categorical columns the numbers are compared only for a few candidates (see nearest_distances)
    pruned = n_cat >= 2 and 4 * n_cat >= n_num
    cost = n_ref * (0.25 * n_cat + (2.0 if pruned else n_num))
    return int(min(limit, max(MIN_QUERIES, work // max(cost, 1.0))))


def _membership_attack(space: RowSpace, train: tuple[Table, Embedded], holdout: tuple[Table, Embedded],
                       synthetic: Table, per_side: int | None, gen: np.random.Generator, sizes: dict) -> dict:
    """The distance attack: members (training rows) against non-members (holdout rows), each
    scored by the distance to its nearest synthetic row; ``sizes`` gets the attack's sizes."""
    embedded = []
    for table, whole in (train, holdout):
        rows = subsample_rows(table.n_rows, per_side, gen)
        embedded.append(whole if rows is None else space.embed(table.take(rows)))
    e_syn = space.embed(synthetic)
    dm = nearest_distances(space, embedded[0], e_syn, k=1)[:, 0]
    dn = nearest_distances(space, embedded[1], e_syn, k=1)[:, 0]
    auc = roc_auc(np.r_[np.ones(dm.size), np.zeros(dn.size)], -np.r_[dm, dn])
    sizes.update(attack_members=int(dm.size), attack_non_members=int(dn.size))
    return _metric("membership_inference_auc", auc, members=int(dm.size), non_members=int(dn.size),
                   median_distance_members=float(np.median(dm)), median_distance_non_members=float(np.median(dn)))


def privacy(train: Table, synthetic: Table, holdout: Table | None = None, *,
            quasi_identifiers: list[str] | None = None, k: int = 5, max_queries: int | None = 2000,
            max_attack: int | None = 2000, max_work: float | None = 1.5e9, rng=None) -> PrivacyResult:
    """Distance-based privacy metrics of ``synthetic`` against the real ``train`` (and ``holdout``).

    ``max_queries`` synthetic (and holdout) rows, drawn with ``rng``, are searched against every
    training / holdout row for DCR and NNDR; the attack uses at most ``max_attack`` members and
    as many non-members, against every synthetic row. On wide tables these counts are lowered
    (not below 200) so that the searches stay within ``max_work`` query × reference × column
    comparisons in all (40 % DCR, 20 % holdout reference, 40 % attack); ``sizes`` in the result
    states the counts used. ``None`` lifts a limit. Identical matches and k-anonymity use all
    rows. Without a holdout only identical matches, NNDR and k-anonymity are computed.
    """
    max_queries = check_limit(max_queries, "max_queries", minimum=10)
    max_attack = check_limit(max_attack, "max_attack", minimum=10)
    if max_work is not None and (isinstance(max_work, bool) or not isinstance(max_work, (int, float))
                                 or not max_work > 0):
        raise InputError(f"max_work must be a positive number or None, not {max_work!r}.")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k must be a whole number ≥ 1, not {k!r}.")
    gen = as_generator(rng)
    if holdout is None:
        train, synthetic = align(train, ("synthetic", synthetic))
        tables = (synthetic,)
    else:
        train, synthetic, holdout = align(train, ("synthetic", synthetic), ("holdout", holdout))
        tables = (synthetic, holdout)
    if train.n_rows < 2:
        raise InputError("The privacy metrics need at least two training rows.")
    space = RowSpace(train, *tables)
    result = PrivacyResult()
    sizes = result.sizes
    sizes.update(train=train.n_rows, synthetic=synthetic.n_rows, holdout=None if holdout is None else holdout.n_rows)

    # identical matches (all rows)
    ids = _row_ids(train, *tables)
    syn_match = float(np.isin(ids[1], ids[0]).mean())
    hold_match = float(np.isin(ids[2], ids[0]).mean()) if holdout is not None else None
    result.metrics.append(_metric("identical_match_rate", syn_match, holdout_rate=hold_match,
                                  synthetic_duplicates=float(1 - np.unique(ids[1]).size / ids[1].size)))

    # synthetic rows against train (and holdout)
    n_ref = train.n_rows + (0 if holdout is None else holdout.n_rows)
    qi = subsample_rows(synthetic.n_rows, _fit_budget(max_queries, n_ref, space, None if max_work is None
                                                      else 0.4 * max_work), gen)
    q = space.embed(synthetic if qi is None else synthetic.take(qi))
    sizes["synthetic_queries"] = q.n
    e_train = space.embed(train)
    d_train = nearest_distances(space, q, e_train, k=2)
    ratio = nndr(d_train)
    nndr_details = {"median": float(np.median(ratio)), "p05": float(np.percentile(ratio, 5)),
                    "share_below_0_5": float(np.mean(ratio < 0.5)),
                    "median_dcr_train": float(np.median(d_train[:, 0]))}
    if holdout is not None:
        e_hold = space.embed(holdout)
        d_hold = nearest_distances(space, q, e_hold, k=1)[:, 0]
        share = dcr_share(d_train[:, 0], d_hold)
        strict = float(np.mean(d_train[:, 0] < d_hold))
        ideal = train.n_rows / (train.n_rows + holdout.n_rows)
        result.metrics.append(_metric(
            "dcr_share", share, ideal=ideal, ties=float(np.mean(d_train[:, 0] == d_hold)),
            median_dcr_train=float(np.median(d_train[:, 0])), median_dcr_holdout=float(np.median(d_hold))))
        result.metrics.append(_metric(
            "dcr_overfitting_protection", float(min(2.0 * (1.0 - strict), 1.0)),
            size_adjusted=float(min((1.0 - share) / (1.0 - ideal), 1.0)), equal_sizes=train.n_rows == holdout.n_rows))
        # holdout rows as the reference for NNDR and distances
        hi = subsample_rows(holdout.n_rows, _fit_budget(max_queries, train.n_rows, space, None if max_work is None
                                                        else 0.2 * max_work), gen)
        hq = e_hold if hi is None else space.embed(holdout.take(hi))
        sizes["holdout_queries"] = hq.n
        h_train = nearest_distances(space, hq, e_train, k=2)
        h_ratio = nndr(h_train)
        nndr_details.update(holdout_median=float(np.median(h_ratio)), holdout_p05=float(np.percentile(h_ratio, 5)),
                            holdout_median_dcr_train=float(np.median(h_train[:, 0])))
    result.metrics.append(_metric("nndr", nndr_details["median"], **nndr_details))

    # membership inference
    if holdout is not None:
        per_side = _fit_budget(max_attack, synthetic.n_rows, space, None if max_work is None else 0.2 * max_work)
        result.metrics.append(_membership_attack(space, (train, e_train), (holdout, e_hold), synthetic, per_side,
                                                 gen, sizes))
    else:
        result.notes.append("No holdout table: the DCR share, the DCR overfitting protection and the membership "
                            "inference attack need real rows that were not used for training.")

    if quasi_identifiers:
        syn = k_anonymity(synthetic, list(quasi_identifiers), k)
        real = k_anonymity(train, list(quasi_identifiers), k)
        result.metrics.append(_metric("k_anonymity", float(syn["min_class_size"]), columns=list(quasi_identifiers),
                                      synthetic=syn, real_train=real))
    return result
