"""Partial synthesis: replace only the sensitive columns, keep the rest of each row real.

A Gaussian copula is fitted to the whole table; then, row by row, the chosen columns are
redrawn from their distribution *conditioned on the row's other (real) values*
(:meth:`GaussianCopulaSynthesizer.sample_conditional`). The released table keeps every
real value of the other columns, so it is only as private as those columns are.
"""

from __future__ import annotations

from typing import Sequence

from .._rng import as_generator
from ..errors import InputError
from ..table import Table
from .copula import GaussianCopulaSynthesizer


def partially_synthesize(table: Table, columns: Sequence[str], *, rng=None) -> Table:
    """``table`` with ``columns`` replaced by values drawn conditionally on the other columns."""
    rng = as_generator(rng)
    if isinstance(columns, str):
        columns = [columns]
    columns = list(dict.fromkeys(columns))
    if not columns:
        raise InputError("Choose at least one column to synthesize.")
    if not isinstance(table, Table):
        raise InputError(f"Partial synthesis needs a Table, not {type(table).__name__}.")
    for name in columns:
        if name not in table:
            raise InputError(f"There is no column named '{name}' (columns: {', '.join(table.names)}).", column=name)
    model = GaussianCopulaSynthesizer().fit(table, rng=rng)
    return model.sample_conditional(table, columns, rng=rng)
