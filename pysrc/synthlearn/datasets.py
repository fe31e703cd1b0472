"""The small real tables bundled with synthlearn, and a toy table maker.

The tables live in ``synthlearn/data`` (CSV, gzip-compressed when larger than 50 kB)
with their source, licence and citation in ``datasets.json``; they are read with
:mod:`importlib.resources`, so they load the same from an installed package, a source
tree, or a package unpacked into the browser's file system (Pyodide).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from importlib import resources

import numpy as np

from ._rng import as_generator
from .csvio import read_csv
from .errors import InputError
from .table import Column, Table

__all__ = ["list_datasets", "load", "make_correlated"]

_PUBLIC_FIELDS = ("name", "title", "rows", "columns", "label", "source", "licence", "citation", "url",
                  "description", "made_compact")


@functools.lru_cache(maxsize=1)
def _metadata() -> dict[str, dict]:
    text = resources.files("synthlearn").joinpath("data", "datasets.json").read_text(encoding="utf-8")
    return json.loads(text)


def list_datasets() -> list[dict]:
    """One JSON-able dict per bundled table: name, title, rows, columns, label, source,
    licence, citation, url, description and how the file was made compact."""
    out = []
    for name, meta in sorted(_metadata().items()):
        item = {"name": name, **meta}
        out.append({k: item[k] for k in _PUBLIC_FIELDS})
    return out


@functools.lru_cache(maxsize=8)
def _load_cached(name: str) -> Table:
    meta = _metadata()[name]
    data = resources.files("synthlearn").joinpath("data", meta["file"]).read_bytes()
    # read_csv unpacks gzip itself (it recognises the magic bytes)
    return read_csv(data, kinds=meta["kinds"]).table


def load(name: str) -> Table:
    """The bundled table ``name`` (see :func:`list_datasets`), e.g. ``load("adult")``.

    Each call returns fresh value arrays, so changing one table cannot change the next.
    """
    names = sorted(_metadata())
    if not isinstance(name, str) or name.strip().lower() not in names:
        raise InputError(f"There is no bundled dataset named {name!r}; choose one of: {', '.join(names)}.")
    table = _load_cached(name.strip().lower())
    return Table(tuple(dataclasses.replace(c, values=c.values.copy()) for c in table.columns))


def make_correlated(n: int, rho: float, *, rng: int | np.random.Generator | None = None) -> Table:
    """``n`` rows of two standard normal columns ``x`` and ``y`` whose population
    correlation is ``rho``: ``y = rho * x + sqrt(1 - rho**2) * z`` with ``x, z``
    independent standard normal draws."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= 10_000_000:
        raise InputError(f"n must be a whole number from 2 to 10,000,000, not {n!r}.")
    if isinstance(rho, bool) or not isinstance(rho, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(rho)) or not -1.0 <= float(rho) <= 1.0:
        raise InputError(f"rho is a correlation and must be between -1 and 1, not {rho!r}.")
    gen = as_generator(rng)
    rho = float(rho)
    x, z = gen.standard_normal((2, int(n)))
    y = rho * x + math.sqrt(max(0.0, 1.0 - rho * rho)) * z
    return Table((Column("x", "numeric", x), Column("y", "numeric", y)))
