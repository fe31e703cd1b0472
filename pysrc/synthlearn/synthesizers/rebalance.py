"""Oversample small classes: SMOTE-style interpolation or plain duplication.

SMOTE (Chawla et al., 2002) makes a new row of a small class by taking one of its rows
(the *seed*), one of the seed's ``k`` nearest neighbours *within the same class*, and a
point on the segment between them: ``seed + λ·(neighbour − seed)`` with ``λ ~ U(0, 1)``,
one ``λ`` per new row so the row lies on the segment. Here, for mixed tables:

* distance: standardised numbers (Euclidean; a missing value is 0 plus a 0/1 "missing"
  coordinate) plus 1 per categorical column that differs (as SMOTE-NC, with the median
  standard deviation, here 1, as the penalty);
* number columns are interpolated, then conformed (integers rounded); where the seed or
  the neighbour is missing, the seed's value (or missing) is kept;
* categorical and boolean columns are taken from one of the two parents, each with
  probability ½, column by column;
* the label is the class being oversampled. Rows whose label is missing are kept as they
  are and never used.

``method="random"`` duplicates random rows of the class instead (random oversampling).
New rows are appended after the original ones; ``synthetic`` marks them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..table import NUMERIC_KINDS, Table

_CHUNK = 512


@dataclass
class RebalanceResult:
    """The augmented table, class counts before and after, and which rows are new."""

    table: Table
    label: str
    method: str
    counts_before: dict[str, int]
    counts_after: dict[str, int]
    synthetic: np.ndarray  # bool, one per row of ``table``
    parents: np.ndarray  # (n_new, 2) input row indices of (seed, neighbour); equal for "random"

    def to_dict(self) -> dict:
        return {"label": self.label, "method": self.method, "counts_before": dict(self.counts_before),
                "counts_after": dict(self.counts_after), "n_rows": int(self.table.n_rows),
                "n_synthetic": int(self.synthetic.sum())}


def _features(table: Table, exclude: str) -> tuple[np.ndarray, list[np.ndarray]]:
    """Standardised number coordinates (plus missing indicators) and category codes."""
    coords, cats = [], []
    for c in table.columns:
        if c.name == exclude:
            continue
        miss = c.missing
        if c.kind in NUMERIC_KINDS:
            obs = c.values[~miss]
            if obs.size == 0:
                continue
            sd = float(obs.std()) or 1.0
            coords.append(np.where(miss, 0.0, (c.values - obs.mean()) / sd))
            if miss.any():
                coords.append(miss.astype(float))
        else:
            cats.append(np.where(miss, -1, np.nan_to_num(c.values, nan=0.0)).astype(int))
    x = np.column_stack(coords) if coords else np.zeros((table.n_rows, 0))
    return x, cats


def _neighbours(x: np.ndarray, cats: list[np.ndarray], seeds: np.ndarray, pool: np.ndarray, k: int) -> np.ndarray:
    """For each seed row, the indices (into ``pool``) of its ``k`` nearest rows of ``pool`` other than itself."""
    xp = x[pool]
    sq_p = (xp * xp).sum(axis=1)
    out = np.empty((seeds.size, k), dtype=np.intp)
    pos_in_pool = {int(r): i for i, r in enumerate(pool)}
    for start in range(0, seeds.size, _CHUNK):
        s = seeds[start:start + _CHUNK]
        xs = x[s]
        d = (xs * xs).sum(axis=1)[:, None] + sq_p[None, :] - 2.0 * xs @ xp.T
        for c in cats:
            d += c[s][:, None] != c[pool][None, :]
        d[np.arange(s.size), [pos_in_pool[int(r)] for r in s]] = np.inf  # not itself
        # Round away last-bit differences between BLAS builds (native vs Pyodide), then order
        # by (distance, index) with a stable sort: argpartition's order inside the k nearest
        # is implementation-defined, and the random neighbour pick must not depend on it.
        d = np.round(d, 9)
        out[start:start + s.size] = np.argsort(d, axis=1, kind="stable")[:, :k]
    return out


def oversample(table: Table, label: str, *, target_ratio: float = 1.0, k_neighbors: int = 5,
               method: str = "smote", rng=None) -> RebalanceResult:
    """Add rows to every class smaller than ``target_ratio`` × the largest class.

    ``target_ratio`` in (0, 1]: 1 makes every class as large as the largest. ``k_neighbors``
    is SMOTE's k (capped at the class size minus one). Raises :class:`InputError` if the
    label column does not exist, has fewer than two classes, or a class to oversample has
    fewer than two rows.
    """
    rng = as_generator(rng)
    if not isinstance(table, Table) or table.n_rows == 0:
        raise InputError("Oversampling needs a table with rows.")
    if label not in table:
        raise InputError(f"There is no label column named '{label}' (columns: {', '.join(table.names)}).",
                         column=label)
    if method not in ("smote", "random"):
        raise InputError(f"method must be 'smote' or 'random', not {method!r}.")
    if isinstance(target_ratio, bool) or not isinstance(target_ratio, (int, float)) \
            or not (0 < target_ratio <= 1):
        raise InputError(f"target_ratio must be a number in (0, 1], not {target_ratio!r}.")
    if isinstance(k_neighbors, bool) or not isinstance(k_neighbors, (int, np.integer)) \
            or not (1 <= k_neighbors <= 100):
        raise InputError(f"k_neighbors must be a whole number from 1 to 100, not {k_neighbors!r}.")
    col = table[label]
    y = col.values
    classes, counts = np.unique(y[~np.isnan(y)], return_counts=True)
    if classes.size < 2:
        raise InputError(f"The label column '{label}' has {classes.size} class(es); oversampling needs at least two.",
                         column=label)
    majority = int(counts.max())
    goal = int(math.ceil(target_ratio * majority))
    names = {float(v): col.format_value(float(v)) for v in classes}
    counts_before = {names[float(v)]: int(c) for v, c in zip(classes, counts)}

    x, cats = (None, None) if method == "random" else _features(table, label)
    parents_all = []
    for value, count in zip(classes, counts):
        need = goal - int(count)
        if need <= 0:
            continue
        if count < 2:
            raise InputError(f"Class '{names[float(value)]}' of '{label}' has only {count} row; oversampling "
                             "needs at least two rows per class.", column=label)
        members = np.flatnonzero(y == value)
        seeds = members[rng.integers(0, members.size, size=need)]
        if method == "random":
            parents_all.append(np.column_stack([seeds, seeds]))
            continue
        k = min(int(k_neighbors), members.size - 1)
        uniq, inverse = np.unique(seeds, return_inverse=True)
        near = _neighbours(x, cats, uniq, members, k)
        choice = near[inverse.ravel(), rng.integers(0, k, size=need)]
        parents_all.append(np.column_stack([seeds, members[choice]]))
    parents = np.concatenate(parents_all) if parents_all else np.zeros((0, 2), dtype=np.intp)
    new = _make_rows(table, label, parents, method, rng)
    n_old = table.n_rows
    out_cols = []
    for c in table.columns:
        out_cols.append(c.with_values(np.concatenate([c.values, new[c.name]])))
    out = Table(tuple(out_cols))
    synthetic = np.zeros(out.n_rows, dtype=bool)
    synthetic[n_old:] = True
    y2 = out[label].values
    counts_after = {names[float(v)]: int(np.sum(y2 == v)) for v in classes}
    return RebalanceResult(out, label, method, counts_before, counts_after, synthetic, parents)


def _make_rows(table: Table, label: str, parents: np.ndarray, method: str, rng: np.random.Generator) -> dict:
    seed, nb = parents[:, 0], parents[:, 1]
    m = seed.size
    lam = rng.random(m)
    out = {}
    for c in table.columns:
        a = c.values[seed]
        if method == "random" or c.name == label:
            out[c.name] = a
            continue
        b = c.values[nb]
        if c.kind in NUMERIC_KINDS:
            both = ~np.isnan(a) & ~np.isnan(b)
            out[c.name] = np.where(both, a + lam * (b - a), a)
        else:
            out[c.name] = np.where(rng.random(m) < 0.5, a, b)
    return out
