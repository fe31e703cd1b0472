"""Input checks shared by every metric: same columns, same kinds, one category list.

Metrics compare a real table with a synthetic one (and sometimes a holdout). The tables
must describe the same columns; categorical codes are only comparable once both tables
use the same category list, so :func:`align` recodes them onto the union of labels
(real categories first, in their order, then labels seen only in the other tables).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..errors import InputError
from ..table import NUMERIC_KINDS, Column, Table, concat_rows
from ..table import check_table as check_nonempty
from ..validation import jsonable

__all__ = ["NUMERIC_KINDS", "align", "check_limit", "check_table", "jsonable", "stack_rows", "subsample_rows"]


def _family(kind: str) -> str:
    """Kinds that compare with each other: integer and numeric are both numbers."""
    return "number" if kind in ("numeric", "integer") else kind


def check_table(table: object, what: str) -> Table:
    """``table`` must be a non-empty :class:`Table`; ``what`` names it in the message."""
    return check_nonempty(table, f"The {what} table")


def align(real: Table, *others: tuple[str, Table]) -> tuple[Table, ...]:
    """Check ``others`` against ``real`` and return all tables on one schema.

    Each entry of ``others`` is ``(name, table)``, the name being used in messages
    ("synthetic", "holdout"). Columns are put in the real table's order; categorical
    and boolean columns get one shared category list.
    """
    check_table(real, "real")
    tables = [check_table(t, name) for name, t in others]
    for (name, t) in others:
        missing = [n for n in real.names if n not in t]
        extra = [n for n in t.names if n not in real]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"lacks {', '.join(repr(n) for n in missing)}")
            if extra:
                parts.append(f"has extra {', '.join(repr(n) for n in extra)}")
            raise InputError(f"The {name} table must have the same columns as the real table: it "
                             f"{' and '.join(parts)}.", column=(missing or extra)[0])
        for c in real.columns:
            k = t[c.name].kind
            if _family(k) != _family(c.kind):
                raise InputError(f"Column '{c.name}' is {c.kind} in the real table but {k} in the {name} "
                                 "table; give both tables the same kinds.", column=c.name)
    tables = [t.select(real.names) for t in tables]
    out_real = []
    out_others: list[list[Column]] = [[] for _ in tables]
    for j, c in enumerate(real.columns):
        if not c.is_discrete:
            out_real.append(c)
            for i, t in enumerate(tables):
                out_others[i].append(t.columns[j])
            continue
        labels = list(c.categories)
        seen = set(labels)
        for t in tables:
            for lab in t.columns[j].categories:
                if lab not in seen:
                    seen.add(lab)
                    labels.append(lab)
        cats = tuple(labels)
        out_real.append(dataclasses.replace(c, categories=cats))
        for i, t in enumerate(tables):
            out_others[i].append(recode(t.columns[j], cats))
    return (Table(tuple(out_real)),) + tuple(Table(tuple(cols)) for cols in out_others)


def recode(col: Column, categories: tuple[str, ...]) -> Column:
    """The discrete column ``col`` with codes into ``categories`` (which hold all its labels)."""
    if tuple(col.categories) == tuple(categories):
        return col
    index = {lab: i for i, lab in enumerate(categories)}
    lookup = np.array([index[lab] for lab in col.categories] + [np.nan], dtype=float)
    codes = col.values
    ok = ~np.isnan(codes)
    idx = np.where(ok, codes, len(col.categories)).astype(np.intp)
    idx = np.clip(idx, 0, len(col.categories))
    return dataclasses.replace(col, values=lookup[idx], categories=tuple(categories))


def codes_with_missing(col: Column) -> tuple[np.ndarray, int]:
    """Integer codes of a discrete column with missing as the extra level ``k``; returns (codes, k+1)."""
    k = len(col.categories)
    v = col.values
    codes = np.where(np.isnan(v), k, v).astype(np.intp)
    return codes, k + 1


def subsample_rows(n: int, limit: int | None, gen: np.random.Generator) -> np.ndarray | None:
    """Row indices of a random subsample of size ``limit`` (sorted), or None to use all ``n`` rows."""
    if limit is None or n <= limit:
        return None
    return np.sort(gen.choice(n, size=int(limit), replace=False))


def check_limit(value: object, what: str, minimum: int = 1) -> int | None:
    """A row limit: a whole number ≥ ``minimum`` or None (no limit)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InputError(f"{what} must be a whole number ≥ {minimum} or None, not {value!r}.")
    return int(value)


def stack_rows(*tables: Table) -> Table:
    """The rows of several tables with one schema (already aligned), one after another."""
    return concat_rows(tables)
