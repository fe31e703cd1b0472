"""The data a run reads: a bundled dataset by name or a CSV file (the one data-source loader),
and the seeded holdout split."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

import numpy as np

from ..errors import InputError
from ..table import Table
from .config import ConfigError, name_of

__all__ = ["bundled_datasets", "check_columns", "load_data", "load_table", "split_holdout"]


def bundled_datasets() -> dict[str, dict]:
    """The bundled datasets' facts by (lower-case) name."""
    from ..datasets import list_datasets

    return {d["name"]: d for d in list_datasets()}


def _reread(table: Table, kinds: dict) -> Table:
    from ..csvio import read_csv, write_csv

    return read_csv(write_csv(table), kinds={**{c.name: c.kind for c in table.columns}, **kinds}).table


def _force_kinds(table: Table, kinds: dict, source: str, strict: bool) -> dict:
    """The kinds to force on ``table`` (those that differ); with ``strict`` an unknown column is an error."""
    for col in kinds:
        if strict and col not in table:
            raise InputError(f"Config key 'kinds' names a column '{col}' that is not in '{source}' "
                             f"(columns: {', '.join(table.names)}).", column=col, key="kinds")
    return {c: k for c, k in kinds.items() if c in table and table[c].kind != k}


def load_table(source: str, kinds: dict | None = None, *, what: str = "data", strict: bool = True,
               max_bytes: int | None = None) -> tuple[Table, dict]:
    """The table ``source`` names — a bundled dataset, or the path of a CSV file (a file wins
    over a bundled name) — with ``kinds`` forced on the columns it names, and its facts:
    ``{"source", "bundled", "label", "title", "warnings"}``.

    ``what`` names the table in messages ("No real file named …"); ``strict=False`` ignores
    kinds for columns the table lacks; ``max_bytes`` refuses larger files before reading them. Mistakes raise :class:`InputError` with ``key="data"``
    (or ``"kinds"``).
    """
    from ..csvio import read_csv

    if not isinstance(source, str) or not source.strip():
        raise InputError("Choose a bundled table or a CSV file first.", key="data")
    source = source.strip()
    kinds = dict(kinds or {})
    bundled = bundled_datasets()
    path = Path(source)
    if source.lower() in bundled and not path.is_file():
        from ..datasets import load

        table = load(source)
        wanted = _force_kinds(table, kinds, source, strict)
        facts = bundled[source.lower()]
        return (_reread(table, wanted) if wanted else table), {
            "source": source, "bundled": True, "label": facts["label"], "title": facts["title"], "warnings": []}
    if not path.exists():
        hint = "" if path.suffix or what != "data" else f" and '{source}' is not a bundled dataset " \
                                                        f"({', '.join(bundled)})"
        raise InputError(f"No {what} file named '{source}' was found{hint}.", key="data")
    if max_bytes is not None and path.is_file() and os.path.getsize(path) > max_bytes:
        size = os.path.getsize(path)
        raise InputError(f"The file is {size / 2**20:,.1f} MB; this page reads files up to "
                         f"{max_bytes / 2**20:,.0f} MB: use a sample of the rows.", key="data")
    result = read_csv(path)
    wanted = _force_kinds(result.table, kinds, source, strict)
    if wanted:
        result = read_csv(path, kinds={**{c.name: c.kind for c in result.table.columns}, **wanted})
    return result.table, {"source": source, "bundled": False, "label": None, "title": path.name,
                          "warnings": list(result.warnings)}


def check_columns(table: Table, columns: list[str], key: str, names: Mapping[str, str] | None = None) -> None:
    """Every name in ``columns`` must be a column of ``table``; else a ConfigError naming ``key``
    (in the words ``names`` gives it, see :func:`~synthlearn.pipeline.config.validate_config`)."""
    for col in columns:
        if col not in table:
            raise ConfigError(f"{name_of(key, names)} names a column '{col}' that is not in the data "
                              f"(columns: {', '.join(table.names)}).", column=col, key=key)


def load_data(config: dict, table: Table | None = None,
              names: Mapping[str, str] | None = None) -> tuple[Table, dict]:
    """The table a (validated) config names, with ``kinds`` and ``exclude`` applied, and facts
    about it: ``{"source", "bundled", "label", "rows", "columns", "excluded", "warnings"}``.

    ``table`` replaces reading ``config["data"]`` (the browser passes its table; ``kinds`` is
    then not applied, ``exclude`` is).
    """
    if table is None:
        try:
            table, facts = load_table(config["data"], config.get("kinds"))
        except ConfigError:
            raise
        except InputError as exc:
            if exc.key is None:
                raise
            raise ConfigError(str(exc), column=exc.column, key=exc.key) from None
    else:
        if not isinstance(table, Table):
            raise InputError(f"run_config needs a Table, not {type(table).__name__}.")
        facts = {"source": config["data"], "bundled": False, "label": None, "warnings": []}
    excluded = list(config.get("exclude") or [])
    check_columns(table, excluded, "exclude", names)
    label = facts["label"]
    if excluded:
        table = table.drop(excluded)
        if len(table.names) == 0:
            raise ConfigError(f"{name_of('exclude', names)}: every column is left out; keep at least one.",
                              key="exclude")
        if label in excluded:
            label = None
    info = {"source": facts["source"], "bundled": facts["bundled"], "label": label, "rows": table.n_rows,
            "columns": table.n_cols, "excluded": excluded, "warnings": facts["warnings"]}
    return table, info


def split_holdout(table: Table, share: float, rng: int | np.random.Generator | None = None) -> tuple[Table, Table]:
    """Split ``table`` at random into (train, holdout), ``round(share · rows)`` rows in the holdout.

    Both parts keep the original row order and every column's domain; each gets at least one row.
    """
    return table.split(share, rng)
