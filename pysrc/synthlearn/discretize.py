"""Turn a mixed table into small integer codes, and back: the binning of the Bayesian network and MST.

Every column becomes a discrete variable with a fixed number of *states*:

* number columns (numeric, datetime): ``n_bins`` equal-width bins over the bounds (the
  ``bounds`` given for the column, else the column's own ``bounds``); values outside are
  clamped into the first or last bin. With ``point_low=True`` an integer column's lower
  bound is a state of its own (counts and amounts are often exactly 0) and ``n_bins − 1``
  equal-width bins cover the rest. Integer columns whose bounds hold at most ``n_bins``
  whole numbers get one state per whole number, so they come back exactly;
* categorical and boolean columns: one state per category of the column's domain;
* missing values: one extra state, the last. With ``missing="observed"`` a column gets it
  only if it has missing values when fitted; with ``missing="always"`` every column gets it;
  ``missing`` may also list the columns that can be missing (declared schema: the choice
  then does not depend on the data, as differential privacy requires).

``max_categories`` (optional, not data-independent, so never used under differential
privacy) keeps the ``max_categories - 1`` most frequent categories as states and puts the
rest into one "other" state; :meth:`Discretizer.inverse` draws a category inside "other"
by its observed frequency. This keeps pairwise tables small on high-cardinality columns.

:meth:`Discretizer.inverse` maps states back: a number is drawn uniformly inside its bin
(integers then rounded) — or, with ``within="data"``, from the training values' smoothed
distribution inside the bin (:class:`WithinBinSampler`) — a category is the category, the
missing state is missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._rng import as_generator
from .errors import InputError
from .table import Column, Table


@dataclass
class ColumnBins:
    """How one column maps to states."""

    name: str
    kind: str
    n_states: int
    missing_state: int | None  # index of the missing state, or None
    low: float = 0.0
    width: float = 1.0
    n_value_states: int = 1  # states that are not "missing"
    exact_integers: bool = False
    bounds_source: str = "data"  # "declared" or "data" for number columns, "domain" for categories
    code_to_state: np.ndarray | None = None  # categories: category code -> state
    state_to_code: np.ndarray | None = None  # categories: state -> code (-1 for "other")
    other_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    other_cdf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    point_low: bool = False  # numbers: state 0 is exactly ``low``; the bins cover (low, high]
    sampler: "WithinBinSampler | None" = None  # numbers: draws inside bins (else uniform)

    def bin_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """(lows, highs) of the value states of a binned number column."""
        s = np.arange(self.n_value_states, dtype=float)
        if self.point_low:
            lows = np.where(s == 0, self.low, self.low + (s - 1) * self.width)
            return lows, np.where(s == 0, self.low, lows + self.width)
        lows = self.low + s * self.width
        return lows, lows + self.width

    @property
    def discrete(self) -> bool:
        return self.code_to_state is not None

    def labels(self, column: Column) -> list[str]:
        """A readable label per state (bin interval, category or 'missing')."""
        out = []
        for s in range(self.n_value_states):
            if self.discrete:
                code = self.state_to_code[s]
                out.append("(other)" if code < 0 else column.categories[code])
            elif self.exact_integers:
                out.append(f"{self.low + s:g}")
            elif self.point_low and s == 0:
                out.append(f"{self.low:g}")
            else:
                a = self.low + (s - self.point_low) * self.width
                out.append(f"[{a:.4g}, {a + self.width:.4g})")
        if self.missing_state is not None:
            out.append("(missing)")
        return out


class Discretizer:
    """Map each column of a table to integer states (see the module docstring).

    After :meth:`fit`: ``columns_`` (a :class:`ColumnBins` per column) and ``n_states_``.
    """

    def __init__(self, n_bins: int = 20, bounds: dict[str, tuple[float, float]] | None = None,
                 missing: str = "observed", max_categories: int | None = None, within: str = "uniform",
                 point_low: bool = False):
        self.n_bins = n_bins
        self.bounds = bounds
        self.missing = missing
        self.max_categories = max_categories
        self.within = within
        self.point_low = point_low

    def fit(self, table: Table) -> "Discretizer":
        """Decide the states of every column of ``table``."""
        if isinstance(self.n_bins, bool) or not isinstance(self.n_bins, (int, np.integer)) or self.n_bins < 2:
            raise InputError(f"n_bins must be a whole number of at least 2, not {self.n_bins!r}.")
        if isinstance(self.missing, str):
            if self.missing not in ("observed", "always"):
                raise InputError(f"missing must be 'observed', 'always' or a list of column names, "
                                 f"not {self.missing!r}.")
        else:
            unknown = [name for name in self.missing if name not in table]
            if unknown:
                raise InputError(f"Missing values were declared for '{unknown[0]}', which is not a column "
                                 f"(columns: {', '.join(table.names)}).", column=str(unknown[0]))
        if self.max_categories is not None and (not isinstance(self.max_categories, (int, np.integer))
                                                or self.max_categories < 2):
            raise InputError(f"max_categories must be a whole number of at least 2, not {self.max_categories!r}.")
        bounds = dict(self.bounds or {})
        for name in bounds:
            if name not in table:
                raise InputError(f"Bounds were given for '{name}', which is not a column "
                                 f"(columns: {', '.join(table.names)}).", column=name)
        self.template_ = table.take(np.zeros(0, dtype=int))
        if self.within not in ("uniform", "data"):
            raise InputError(f"within must be 'uniform' or 'data', not {self.within!r}.")
        self.columns_ = [self._fit_column(c, bounds.get(c.name)) for c in table.columns]
        if self.within == "data":
            self._fit_samplers(table)
        self.n_states_ = np.array([b.n_states for b in self.columns_], dtype=int)
        return self

    def _fit_column(self, c: Column, declared: tuple[float, float] | None) -> ColumnBins:
        if isinstance(self.missing, str):
            has_missing = self.missing == "always" or bool(c.missing.any())
        else:
            has_missing = c.name in self.missing
            if not has_missing and c.missing.any():
                raise InputError(f"Column '{c.name}' has missing values but was not declared as one that can "
                                 "be missing.", column=c.name)
        if c.is_discrete:
            if declared is not None:
                raise InputError(f"Column '{c.name}' is {c.kind}: its domain is its categories, not bounds.",
                                 column=c.name)
            k = len(c.categories)
            code_to_state = np.arange(k)
            state_to_code = np.arange(k)
            other_codes = np.zeros(0, dtype=int)
            other_cdf = np.zeros(0)
            n_value = k
            if self.max_categories is not None and k > self.max_categories:
                counts = np.bincount(c.values[~c.missing].astype(int), minlength=k)
                order = np.argsort(-counts, kind="stable")
                keep = np.sort(order[: self.max_categories - 1])
                other_codes = np.sort(order[self.max_categories - 1:])
                code_to_state = np.full(k, len(keep))
                code_to_state[keep] = np.arange(len(keep))
                state_to_code = np.append(keep, -1)
                weights = counts[other_codes].astype(float)
                weights = weights if weights.sum() > 0 else np.ones(other_codes.size)
                other_cdf = np.cumsum(weights) / weights.sum()
                n_value = len(keep) + 1
            n_value = max(n_value, 1)
            return ColumnBins(c.name, c.kind, n_value + has_missing, n_value if has_missing else None,
                              n_value_states=n_value, bounds_source="domain", code_to_state=code_to_state,
                              state_to_code=state_to_code, other_codes=other_codes, other_cdf=other_cdf)
        if declared is not None:
            lo, hi = declared
            source = "declared"
        elif c.bounds is not None:
            lo, hi = c.bounds
            source = "data"
        else:
            lo, hi = 0.0, 0.0
            source = "data"
        n_values = hi - lo + 1
        point = False
        if c.kind == "integer" and lo == math.floor(lo) and hi == math.floor(hi) and n_values <= self.n_bins:
            n_value, low, width, exact = int(n_values), lo, 1.0, True
        elif hi > lo:
            point = bool(self.point_low and c.kind == "integer")
            n_value, low, width, exact = int(self.n_bins), lo, (hi - lo) / (self.n_bins - point), False
        else:
            n_value, low, width, exact, point = 1, lo, 0.0, False, False
        return ColumnBins(c.name, c.kind, n_value + has_missing, n_value if has_missing else None, low=low,
                          width=width, n_value_states=n_value, exact_integers=exact, bounds_source=source,
                          point_low=point)

    def _fit_samplers(self, table: Table) -> None:
        """``within="data"``: sketch the training values inside every bin of every binned number column."""
        codes = self.transform(table)
        for j, b in enumerate(self.columns_):
            if b.discrete or b.exact_integers or b.width <= 0:
                continue
            v = table[b.name].values
            ok = ~np.isnan(v)
            lows, highs = b.bin_edges()
            b.sampler = WithinBinSampler().fit(v[ok], codes[ok, j], lows, highs)

    def _check_fitted(self) -> None:
        if not hasattr(self, "columns_"):
            raise InputError("The discretizer is not fitted yet: call fit(table) first.")

    def transform(self, table: Table) -> np.ndarray:
        """An ``(n_rows, n_columns)`` integer array of states."""
        self._check_fitted()
        out = np.empty((table.n_rows, len(self.columns_)), dtype=np.intp)
        for j, b in enumerate(self.columns_):
            c = table[b.name]
            v = c.values
            miss = np.isnan(v)
            if miss.any() and b.missing_state is None:
                raise InputError(f"Column '{b.name}' has missing values but had none when the bins were fitted.",
                                 column=b.name)
            filled = np.where(miss, 0.0, v)
            if b.discrete:
                state = b.code_to_state[np.clip(filled.astype(int), 0, b.code_to_state.size - 1)] \
                    if b.code_to_state.size else np.zeros(v.size, dtype=int)
            elif b.exact_integers:
                state = np.clip(np.round(filled - b.low), 0, b.n_value_states - 1).astype(int)
            elif b.width > 0 and b.point_low:
                state = np.where(filled <= b.low, 0,
                                 1 + np.clip(np.floor((filled - b.low) / b.width), 0, b.n_value_states - 2)).astype(int)
            elif b.width > 0:
                state = np.clip(np.floor((filled - b.low) / b.width), 0, b.n_value_states - 1).astype(int)
            else:
                state = np.zeros(v.size, dtype=int)
            out[:, j] = np.where(miss, b.missing_state if b.missing_state is not None else 0, state)
        return out

    def fit_transform(self, table: Table) -> np.ndarray:
        return self.fit(table).transform(table)

    def inverse(self, codes: np.ndarray, rng=None, samplers: dict | None = None) -> Table:
        """A table (the fitted schema) with values drawn inside the states ``codes``.

        A number inside a bin is drawn by the column's sampler — one in ``samplers`` (name ->
        object with ``sample(states, rng)``), else the one fitted with ``within="data"`` — or
        uniformly when it has none.
        """
        samplers = samplers or {}
        self._check_fitted()
        rng = as_generator(rng)
        codes = np.asarray(codes)
        if codes.ndim != 2 or codes.shape[1] != len(self.columns_):
            raise InputError(f"Expected an array of shape (rows, {len(self.columns_)}) of states.")
        n = codes.shape[0]
        values = {}
        for j, b in enumerate(self.columns_):
            s = codes[:, j].astype(int)
            miss = s == b.missing_state if b.missing_state is not None else np.zeros(n, dtype=bool)
            sv = np.clip(s, 0, b.n_value_states - 1)
            if b.discrete:
                if b.state_to_code.size == 0:
                    v = np.full(n, np.nan)
                else:
                    v = b.state_to_code[sv].astype(float)
                    other = v < 0
                    if other.any():
                        pick = np.searchsorted(b.other_cdf, rng.random(int(other.sum())), side="right")
                        v[other] = b.other_codes[np.clip(pick, 0, b.other_codes.size - 1)]
            elif b.exact_integers:
                v = b.low + sv
            elif samplers.get(b.name, b.sampler) is not None:
                v = samplers.get(b.name, b.sampler).sample(sv, rng)
            else:
                lows, highs = b.bin_edges()
                v = lows[sv] + rng.random(n) * (highs[sv] - lows[sv])
            values[b.name] = np.where(miss, np.nan, v)
        cols = []
        for c in self.template_.columns:
            v = values[c.name]
            if c.kind == "integer":
                v = np.round(v)
            cols.append(c.with_values(v))
        return Table(tuple(cols))


class WithinBinSampler:
    """Draw numbers inside bins from the training values' smoothed distribution in each bin.

    For every bin ``s`` with edges ``[lo_s, hi_s]`` :meth:`fit` keeps ``knots`` quantiles of
    the training values that fell in it (its empirical quantile function, sketched).
    :meth:`sample` draws from a mixture: with probability ``n_s / (n_s + prior)`` a uniform
    ``u`` is mapped through the sketched quantile function, interpolated linearly between
    knots (so draws follow the shape of the data inside the bin, a value shared by many rows
    stays a point mass but for at most ``1 / (knots − 1)`` of its share, and a draw between two
    distinct knots is not a row's exact value); otherwise the
    number is uniform on the bin. A bin with few rows is thus drawn almost uniformly; an empty
    bin is uniform.
    """

    def __init__(self, knots: int = 33, prior: float = 5.0):
        self.knots = knots
        self.prior = prior

    def fit(self, values: np.ndarray, states: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> "WithinBinSampler":
        """Sketch ``values`` (observed numbers) per state; ``lows``/``highs`` are each state's bin edges."""
        values = np.asarray(values, dtype=float)
        states = np.asarray(states, dtype=np.intp)
        self.lows_, self.highs_ = np.asarray(lows, dtype=float), np.asarray(highs, dtype=float)
        probs = np.linspace(0.0, 1.0, int(self.knots))
        table = self.lows_[:, None] + probs[None, :] * (self.highs_ - self.lows_)[:, None]
        order = np.lexsort((values, states))
        v, s = values[order], states[order]
        bins = np.arange(self.lows_.size)
        starts, ends = np.searchsorted(s, bins, side="left"), np.searchsorted(s, bins, side="right")
        counts = (ends - starts).astype(float)
        for b in np.flatnonzero(counts > 0):
            table[b] = np.quantile(v[starts[b]:ends[b]], probs)
        self.quantiles_ = table
        self.counts_ = counts
        self.weights_ = counts / (counts + float(self.prior)) if self.prior > 0 else (counts > 0).astype(float)
        return self

    def sample(self, states: np.ndarray, rng=None) -> np.ndarray:
        """One number per entry of ``states`` (valid state indices), drawn with ``rng``."""
        rng = as_generator(rng)
        states = np.asarray(states, dtype=np.intp)
        k = self.quantiles_.shape[1]
        u = rng.random((2, states.size))
        pos = u[0] * (k - 1)
        i = np.minimum(pos.astype(np.intp), k - 2)
        frac = pos - i
        q = self.quantiles_
        data = q[states, i] * (1.0 - frac) + q[states, i + 1] * frac
        lo, hi = self.lows_[states], self.highs_[states]
        return np.where(u[1] < self.weights_[states], data, lo + u[0] * (hi - lo))
