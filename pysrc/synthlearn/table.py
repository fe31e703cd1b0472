"""The in-memory table every synthesizer and metric works on.

A :class:`Table` is an ordered list of :class:`Column` objects of equal length. Every
column stores its values as a ``float64`` numpy array with ``NaN`` for a missing value,
so all maths is vectorised:

* ``numeric`` / ``integer``: the numbers themselves (integers are whole floats);
* ``categorical`` / ``boolean``: integer codes ``0..k-1`` into ``categories``;
* ``datetime``: seconds since 1970-01-01 UTC.

Columns are immutable by convention: synthesizers build new ones with
:meth:`Column.with_values`, which keeps the kind and the domain.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from .errors import InputError

KINDS = ("numeric", "integer", "categorical", "boolean", "datetime")
DISCRETE_KINDS = ("categorical", "boolean")
DAY = 86400.0
# The largest magnitude a number column may hold. Beyond it, sums of squares (variances,
# correlations, distances) overflow float64 (max ~1.8e308) even for 100,000 rows, so every
# model and metric would return inf or NaN; such a column is refused with this advice.
MAX_ABS = 1e150
TOO_LARGE = ("numbers beyond ±1e150 cannot be modelled or compared (their squares overflow): rescale the column "
             "(divide it by a power of ten) or remove it from the file")
_EXACT = 2.0 ** 52  # beyond this a float holds only whole numbers: nothing to round


@dataclass(frozen=True)
class ValueFormat:
    """How a column's values were written in its source file, so new values are written alike.

    * ``decimals`` (numeric): the most digits after the decimal point in the source; ``None``
      keeps full precision (the source used exponents or more than ``MAX_DECIMALS`` digits).
    * ``whole`` (numeric): every source value was a whole number (``12.0``): new ones are too.
    * ``unit`` (datetime): the finest step written, in seconds: ``86400`` for dates only,
      ``60`` for ``hh:mm``, ``1`` for seconds, ``1e-3``/``1e-6`` for fractions of a second.

    :meth:`Column.conform` rounds new values to this format, so the numbers a metric sees
    are the numbers the CSV holds; the CSV writer then writes the shortest text of each
    value (``repr``), which has at most ``decimals`` digits after the point.
    """

    decimals: int | None = None
    whole: bool = False
    unit: float | None = None

    MAX_DECIMALS = 12

    def round(self, values: np.ndarray) -> np.ndarray:
        """``values`` rounded to the format (NaN and values too large to round are kept; -0.0 is 0.0)."""
        return self._round(np.asarray(values, dtype=float)) + 0.0

    def _round(self, out: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", over="ignore"):
            if self.unit is not None and self.unit < 1:  # fractions of a second: round decimals exactly
                digits = int(round(-np.log10(self.unit)))
                return np.where(np.abs(out) < _EXACT / 10.0 ** digits, np.round(out, digits), out)
            if self.unit is not None:
                return np.where(np.abs(out) < _EXACT, np.round(out / self.unit) * self.unit, out)
            if self.whole:
                return np.where(np.abs(out) < _EXACT, np.round(out), out)
            if self.decimals is not None:
                ok = np.abs(out) < _EXACT / 10.0 ** self.decimals
                return np.where(ok, np.round(out, self.decimals), out)
        return out

    def moment_text(self, moment: _dt.datetime) -> str:
        """A datetime (naive, UTC) as the source would have written it."""
        unit = self.unit
        if unit is None:
            return moment.date().isoformat() if moment.time() == _dt.time(0) else moment.isoformat(sep=" ")
        if unit >= DAY:
            return moment.date().isoformat()
        spec = "minutes" if unit >= 60 else "seconds" if unit >= 1 else "milliseconds" if unit >= 1e-3 \
            else "microseconds"
        return moment.isoformat(sep=" ", timespec=spec)


@dataclass(frozen=True)
class Column:
    """One column: a name, a kind, float values (NaN = missing) and its domain."""

    name: str
    kind: str
    values: np.ndarray
    categories: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None  # (min, max) of the observed or declared domain
    fmt: ValueFormat | None = None  # how the source wrote the values (numeric, datetime), see ValueFormat

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InputError(f"Column '{self.name}': unknown kind '{self.kind}' (use one of {', '.join(KINDS)}).",
                             column=self.name)
        values = np.asarray(self.values, dtype=float)
        if values.ndim != 1:
            raise InputError(f"Column '{self.name}' must be one-dimensional.", column=self.name)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "categories", tuple(str(c) for c in self.categories))
        if not self.is_discrete and values.size:
            with np.errstate(invalid="ignore"):
                big = np.abs(values) > MAX_ABS
            if big.any():
                raise InputError(f"Column '{self.name}' holds {values[big][0]!r}: {TOO_LARGE}.", column=self.name)
        if self.bounds is None and not self.is_discrete:
            finite = values[~np.isnan(values)]
            if finite.size:
                object.__setattr__(self, "bounds", (float(finite.min()), float(finite.max())))

    # -- facts -----------------------------------------------------------------------
    @property
    def is_discrete(self) -> bool:
        return self.kind in DISCRETE_KINDS

    @property
    def missing(self) -> np.ndarray:
        return np.isnan(self.values)

    @property
    def missing_share(self) -> float:
        return float(self.missing.mean()) if self.values.size else 0.0

    def __len__(self) -> int:
        return int(self.values.size)

    # -- building new columns ----------------------------------------------------------
    def with_values(self, values: np.ndarray) -> "Column":
        """A column of the same kind and domain holding ``values`` (conformed to the kind)."""
        return dataclasses.replace(self, values=self.conform(values))

    def conform(self, values: np.ndarray) -> np.ndarray:
        """Round integers, codes and booleans, and numbers/datetimes to the source's format
        (:class:`ValueFormat`); keep NaN as missing."""
        values = np.asarray(values, dtype=float).copy()
        if self.kind in ("integer",) + DISCRETE_KINDS:
            values = np.round(values)
        elif self.fmt is not None:
            values = self.fmt.round(values)
        if self.is_discrete and self.categories:
            ok = ~np.isnan(values)
            values[ok] = np.clip(values[ok], 0, len(self.categories) - 1)
        return values

    # -- display -----------------------------------------------------------------------
    def format_value(self, v: float) -> str:
        """The text of one value as it would be written to CSV ('' when missing)."""
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if self.is_discrete:
            return self.categories[int(v)]
        if self.kind == "integer":
            return str(int(round(v)))
        if self.kind == "datetime":
            moment = _dt.datetime.fromtimestamp(float(v), tz=_dt.timezone.utc).replace(tzinfo=None)
            return (self.fmt or ValueFormat()).moment_text(moment)
        return f"{v:.6g}" if abs(v) < 1e15 else repr(float(v))

    def to_strings(self) -> list[str]:
        return [self.format_value(float(v)) for v in self.values]


@dataclass(frozen=True)
class Table:
    """An ordered collection of equally long columns."""

    columns: tuple[Column, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        cols = tuple(self.columns)
        object.__setattr__(self, "columns", cols)
        names = [c.name for c in cols]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise InputError(f"Duplicate column name(s): {', '.join(dup)}.", column=dup[0])
        lengths = {len(c) for c in cols}
        if len(lengths) > 1:
            raise InputError("All columns of a table must have the same number of rows.")

    # -- facts -------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def n_rows(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    @property
    def n_cols(self) -> int:
        return len(self.columns)

    def __getitem__(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise InputError(f"There is no column named '{name}' (columns: {', '.join(self.names)}).", column=name)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def schema(self) -> list[dict]:
        """JSON-able description of every column (kind, missing share, domain)."""
        out = []
        for c in self.columns:
            item = {"name": c.name, "kind": c.kind, "missing_share": round(c.missing_share, 6)}
            if c.is_discrete:
                item["categories"] = list(c.categories)
            elif c.bounds is not None:
                item["bounds"] = [c.bounds[0], c.bounds[1]]
            out.append(item)
        return out

    # -- building new tables -----------------------------------------------------------
    def select(self, names: Sequence[str]) -> "Table":
        return Table(tuple(self[n] for n in names))

    def drop(self, names: Iterable[str]) -> "Table":
        gone = set(names)
        return Table(tuple(c for c in self.columns if c.name not in gone))

    def take(self, rows: np.ndarray | Sequence[int]) -> "Table":
        """Rows by index (or a boolean mask), keeping every column's kind and domain."""
        idx = np.asarray(rows)
        return Table(tuple(dataclasses.replace(c, values=c.values[idx]) for c in self.columns))

    def with_columns(self, columns: Iterable[Column]) -> "Table":
        """Replace (by name) or append columns."""
        new = {c.name: c for c in columns}
        kept = [new.pop(c.name, c) for c in self.columns]
        return Table(tuple(kept) + tuple(new.values()))

    def like(self, values: dict[str, np.ndarray]) -> "Table":
        """A table with this schema and the given values per column (same order)."""
        return Table(tuple(c.with_values(values[c.name]) for c in self.columns))

    def matrix(self, names: Sequence[str] | None = None) -> np.ndarray:
        """Values as an ``(n_rows, n_cols)`` float array (codes for discrete columns)."""
        cols = self.columns if names is None else [self[n] for n in names]
        if not cols:
            return np.empty((self.n_rows, 0))
        return np.column_stack([c.values for c in cols])

    def head_records(self, n: int = 10) -> list[dict[str, str]]:
        """The first ``n`` rows as dicts of display strings (for previews)."""
        n = min(n, self.n_rows)
        return [{c.name: c.format_value(float(c.values[i])) for c in self.columns} for i in range(n)]

    @classmethod
    def from_arrays(cls, data: dict[str, Sequence], kinds: dict[str, str] | None = None) -> "Table":
        """Build a table from numeric arrays or lists of labels.

        A column whose values are all numbers (or None/NaN) is numeric (``integer`` if all
        whole); anything else is categorical, with categories in sorted order.
        Pass ``kinds`` to force a kind.
        """
        kinds = kinds or {}
        cols = []
        for name, raw in data.items():
            cols.append(column_from_values(str(name), list(raw) if not isinstance(raw, np.ndarray) else raw,
                                           kinds.get(name)))
        return cls(tuple(cols))


def _is_missing(v: object) -> bool:
    return v is None or (isinstance(v, (float, np.floating)) and np.isnan(v)) or (isinstance(v, str) and v == "")


def column_from_values(name: str, raw: Sequence | np.ndarray, kind: str | None = None) -> Column:
    """Make one column from numbers or labels (see :meth:`Table.from_arrays`)."""
    if isinstance(raw, np.ndarray) and raw.dtype.kind in "fiub" and kind in (None, "numeric", "integer", "boolean"):
        values = raw.astype(float)
        if raw.dtype.kind == "b" and kind is None:
            kind = "boolean"
        if kind == "boolean":
            return Column(name, "boolean", values, categories=("False", "True"))
        if kind is None:
            finite = values[~np.isnan(values)]
            kind = "integer" if finite.size and np.all(finite == np.round(finite)) and raw.dtype.kind in "iu" else "numeric"
        return Column(name, kind, values)
    items = list(raw)
    numbers = all(_is_missing(v) or isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                  for v in items)
    if kind in ("numeric", "integer") or (kind is None and numbers):
        try:
            values = np.array([np.nan if _is_missing(v) else float(v) for v in items], dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"Column '{name}' holds values that are not numbers.", column=name) from None
        if kind is None:
            finite = values[~np.isnan(values)]
            kind = "integer" if finite.size and np.all(finite == np.round(finite)) else "numeric"
        return Column(name, kind, values)
    if kind == "datetime":
        raise InputError(f"Column '{name}': build datetime columns with the CSV reader.", column=name)
    labels = ["" if _is_missing(v) else str(v) for v in items]
    if kind == "boolean" or (kind is None and all(isinstance(v, (bool, np.bool_)) or _is_missing(v) for v in items)):
        cats: tuple[str, ...] = ("False", "True")
        kind = "boolean"
    else:
        cats = tuple(sorted({lab for lab in labels if lab != ""}))
        kind = "categorical"
    index = {c: i for i, c in enumerate(cats)}
    values = np.array([np.nan if lab == "" else index[lab] for lab in labels], dtype=float)
    return Column(name, kind, values, categories=cats)
