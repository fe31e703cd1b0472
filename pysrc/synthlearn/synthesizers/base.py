"""What every synthesizer shares: parameter specs, validation and assembling the output.

A synthesizer follows the scikit-learn pattern:

* ``__init__`` stores its parameters and nothing else;
* ``fit(table, *, rng=None)`` validates them, learns a model and sets attributes ending
  in ``_``; it returns ``self``;
* ``sample(n, *, rng=None)`` returns a :class:`~synthlearn.table.Table` with the schema
  of the fitted table (same names, kinds, categories and bounds).

Columns that hold a single value (or only missing values) are *fixed*: they are copied
as constants and never enter a model. Every other column, missing values included, is
modelled by the synthesizer.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..table import Column, Table
from ..table import check_table as check_nonempty
from ..validation import MAX_ROWS, row_count

MAX_SAMPLE_ROWS = MAX_ROWS


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a synthesizer, described for a form, the CLI and validation.

    ``type`` is ``"int"``, ``"float"``, ``"choice"`` (one of ``choices``),
    ``"float_or_choice"`` (a number in range or one of ``choices``) or ``"bounds"``
    (a dict ``name -> (low, high)`` or None). ``min_exclusive`` marks a lower limit that is
    itself not allowed (``epsilon > 0``).
    """

    name: str
    type: str
    default: Any
    help: str
    min: float | None = None
    max: float | None = None
    choices: tuple = ()
    min_exclusive: bool = False
    max_exclusive: bool = False

    def to_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "default": self.default, "min": self.min,
                "max": self.max, "choices": list(self.choices), "min_exclusive": self.min_exclusive,
                "max_exclusive": self.max_exclusive, "help": self.help}

    def _range_text(self) -> str:
        lo = "" if self.min is None else f"{'>' if self.min_exclusive else '≥'} {self.min:g}"
        hi = "" if self.max is None else f"{'<' if self.max_exclusive else '≤'} {self.max:g}"
        return " and ".join(p for p in (lo, hi) if p)

    def validate(self, value: Any, owner: str) -> Any:
        """Return ``value`` (normalised) or raise :class:`InputError` naming the valid values."""
        if self.type in ("choice", "float_or_choice") and isinstance(value, str):
            if value in self.choices:
                return value
            raise InputError(f"{owner}: {self.name} must be one of {', '.join(map(repr, self.choices))}"
                             f"{' or a number ' + self._range_text() if self.type == 'float_or_choice' else ''},"
                             f" not {value!r}.")
        if self.type == "choice":
            raise InputError(f"{owner}: {self.name} must be one of {', '.join(map(repr, self.choices))}, "
                             f"not {value!r}.")
        if self.type == "bounds":
            return _validate_bounds(value, owner, self.name)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            kind = "a whole number" if self.type == "int" else "a number"
            raise InputError(f"{owner}: {self.name} must be {kind}, not {value!r}.")
        number = float(value)
        if not math.isfinite(number):
            raise InputError(f"{owner}: {self.name} must be a finite number, not {value!r}.")
        if self.type == "int":
            if number != round(number):
                raise InputError(f"{owner}: {self.name} must be a whole number, not {value!r}.")
            number = int(round(number))
        too_low = self.min is not None and (number <= self.min if self.min_exclusive else number < self.min)
        too_high = self.max is not None and (number >= self.max if self.max_exclusive else number > self.max)
        if too_low or too_high:
            raise InputError(f"{owner}: {self.name} must be {self._range_text()}, not {value!r}.")
        return number


def _validate_bounds(value: Any, owner: str, name: str) -> dict[str, tuple[float, float]] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError(f"{owner}: {name} must be a dict of column name -> (low, high), not {value!r}.")
    out = {}
    for col, pair in value.items():
        try:
            lo, hi = (float(v) for v in pair)
        except (TypeError, ValueError):
            raise InputError(f"{owner}: {name} for column '{col}' must be two numbers (low, high).",
                             column=str(col)) from None
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
            raise InputError(f"{owner}: {name} for column '{col}' must be finite with low ≤ high, "
                             f"not ({lo:g}, {hi:g}).", column=str(col))
        out[str(col)] = (lo, hi)
    return out


def check_n(n: Any) -> int:
    """The number of rows to sample, validated (1 ≤ n ≤ :data:`synthlearn.validation.MAX_ROWS`)."""
    if isinstance(n, str):
        raise InputError(f"The number of rows to sample must be a whole number, not {n!r}.")
    return row_count(n, "The number of rows to sample")


def check_table(table: Any, owner: str) -> Table:
    """A table with at least one row and one column and no infinite values, or an :class:`InputError`."""
    return check_nonempty(table, f"The table {owner} learns from", finite=True,
                          empty=f"{owner} cannot learn from a table without {{part}}.")


def fixed_value(column: Column) -> float | None:
    """The constant of a column that holds one value and no missing ones, NaN if all missing, else None."""
    v = column.values
    miss = np.isnan(v)
    if miss.all():
        return float("nan")
    if miss.any():
        return None
    first = v[0]
    return float(first) if np.all(v == first) else None


def empty_like(table: Table) -> Table:
    """The schema of ``table`` with zero rows (kinds, categories and bounds kept)."""
    return table.take(np.zeros(0, dtype=int))


def conform_numeric(column: Column, values: np.ndarray) -> np.ndarray:
    """Clip numbers into the column's bounds (integers into the whole numbers inside them)."""
    values = np.asarray(values, dtype=float)
    if column.is_discrete or column.bounds is None:
        return values
    lo, hi = column.bounds
    if column.kind == "integer":
        values = np.round(values)
        if math.ceil(lo) <= math.floor(hi):
            lo, hi = math.ceil(lo), math.floor(hi)
    return np.clip(values, lo, hi)  # NaN stays NaN


def sample_rows_of_cdf(cdf: np.ndarray, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Draw one state per sample from the row ``rows[i]`` of a matrix of cumulative probabilities.

    ``cdf`` is ``(r, k)`` with each row non-decreasing and ending at 1; ``u`` are uniforms
    in [0, 1). Vectorised with one ``searchsorted`` over the rows laid end to end (row ``j``
    shifted by ``+j``), so memory stays ``O(r k + n)``.
    """
    cdf = np.array(cdf, dtype=float)
    r, k = cdf.shape
    cdf[:, -1] = 1.0
    flat = (cdf + np.arange(r)[:, None]).ravel()
    idx = np.searchsorted(flat, u + rows, side="right") - rows * k
    return np.clip(idx, 0, k - 1)


def normalise_rows(counts: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to one (an all-zero row becomes uniform)."""
    counts = np.asarray(counts, dtype=float)
    sums = counts.sum(axis=-1, keepdims=True)
    k = counts.shape[-1]
    return np.where(sums > 0, counts / np.where(sums > 0, sums, 1.0), 1.0 / k)


def psd_factor(cov: np.ndarray) -> np.ndarray:
    """``A`` with ``A @ A.T == cov`` for a symmetric PSD ``cov``.

    The Cholesky factor when ``cov`` is positive definite (unique, so the same seed gives the
    same rows on every platform), else an eigen-factor, which tolerates rank loss.
    """
    if cov.size == 0:
        return cov
    cov = (cov + cov.T) / 2
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        pass
    w, v = np.linalg.eigh(cov)
    return v * np.sqrt(np.clip(w, 0, None))


class Synthesizer:
    """Base class of every synthesizer (see the module docstring for the contract)."""

    #: Parameter specs; the registry and :meth:`_validated_params` read them.
    param_specs: tuple[ParamSpec, ...] = ()
    #: Human title used in messages.
    title: str = "Synthesizer"

    # -- parameters -----------------------------------------------------------------
    def get_params(self) -> dict:
        """The constructor parameters and their current values."""
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {name: getattr(self, name) for name in names}

    def set_params(self, **params: Any) -> "Synthesizer":
        """Change parameters (unknown names raise :class:`InputError`)."""
        valid = self.get_params()
        for name, value in params.items():
            if name not in valid:
                raise InputError(f"{self.title} has no parameter '{name}' (valid: {', '.join(valid)}).")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def _validated_params(self) -> dict:
        specs = {s.name: s for s in self.param_specs}
        return {name: specs[name].validate(value, self.title) if name in specs else value
                for name, value in self.get_params().items()}

    # -- contract -------------------------------------------------------------------
    def fit(self, table: Table, *, rng=None) -> "Synthesizer":  # pragma: no cover - abstract
        raise NotImplementedError

    def sample(self, n: int, *, rng=None) -> Table:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- helpers for subclasses -------------------------------------------------------
    def _begin_fit(self, table: Table, detect_fixed: bool = True) -> list[Column]:
        """Validate ``table``, remember its schema and fixed columns; return the modelled columns.

        ``detect_fixed=False`` models every column (differential privacy must not copy a
        constant it found in the data).
        """
        check_table(table, self.title)
        self.template_ = empty_like(table)
        self.n_rows_ = int(table.n_rows)
        self.fixed_ = {}
        modelled = []
        for c in table.columns:
            v = fixed_value(c) if detect_fixed else None
            if v is None:
                modelled.append(c)
            else:
                self.fixed_[c.name] = v
        self.modelled_ = [c.name for c in modelled]
        return modelled

    def _check_fitted(self) -> None:
        if not hasattr(self, "template_"):
            raise InputError(f"{self.title} is not fitted yet: call fit(table) before sample(n).")

    def _assemble(self, values: dict[str, np.ndarray], n: int) -> Table:
        """The output table: modelled ``values`` clipped to bounds, fixed columns as constants."""
        cols = []
        for c in self.template_.columns:
            if c.name in self.fixed_:
                v = np.full(n, self.fixed_[c.name])
            else:
                v = conform_numeric(c, values[c.name])
            cols.append(c.with_values(v))
        return Table(tuple(cols))


def sample_tree(synth: "Synthesizer", n: int, rng=None, samplers: dict | None = None) -> Table:
    """``n`` rows of a fitted tree model over discretised columns (the Bayesian network, MST):
    ancestral sampling with ``synth._order`` / ``synth._cdfs``, states back to values with
    ``synth.discretizer_`` (``samplers``: per-column samplers inside a bin), fixed columns added."""
    synth._check_fitted()
    n = check_n(n)
    rng = as_generator(rng)
    values = {}
    if synth.modelled_:
        states = ancestral_sample(synth._order, synth._cdfs, n, len(synth.modelled_), rng)
        out = synth.discretizer_.inverse(states, rng=rng, samplers=samplers)
        values = {c.name: c.values for c in out.columns}
    return synth._assemble(values, n)


def ancestral_sample(order: list[tuple[int | None, int]], cdfs: list[np.ndarray], n: int, d: int,
                     rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` rows of ``d`` discrete states down a tree.

    ``order`` lists (parent index or None for the root, child index) so that every parent
    comes before its children; ``cdfs[i]`` holds one cumulative distribution per parent state.
    """
    states = np.zeros((n, d), dtype=np.intp)
    for (p, c), cdf in zip(order, cdfs):
        rows = np.zeros(n, dtype=np.intp) if p is None else states[:, p]
        states[:, c] = sample_rows_of_cdf(cdf, rows, rng.random(n))
    return states
