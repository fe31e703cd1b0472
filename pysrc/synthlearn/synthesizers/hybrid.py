"""Hybrid release: a shuffled mix of real and synthetic rows, each flagged.

Mixing real rows into a release keeps their exact values (and their disclosure risk);
the ``is_synthetic`` column says which row is which, so analyses can separate them.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..table import Column, Table

FLAG = "is_synthetic"


def _merged(real: Column, synth: Column) -> tuple[Column, np.ndarray, np.ndarray]:
    """One column spec for both (categories by label, bounds joined, the source's value format:
    dates stay dates, decimals and whole numbers as written) and both value arrays in it."""
    if real.kind != synth.kind:
        raise InputError(f"Column '{real.name}' is {real.kind} in the real table but {synth.kind} in the "
                         "synthetic one.", column=real.name)
    if real.is_discrete:
        cats = list(real.categories) + [c for c in synth.categories if c not in real.categories]
        index = {c: i for i, c in enumerate(cats)}
        remap = np.array([index[c] for c in synth.categories], dtype=float)
        sv = np.full(synth.values.size, np.nan)
        ok = ~synth.missing
        sv[ok] = remap[synth.values[ok].astype(int)]
        return Column(real.name, real.kind, np.zeros(0), tuple(cats)), real.values, sv
    bounds = [b for b in (real.bounds, synth.bounds) if b is not None]
    joined = (min(b[0] for b in bounds), max(b[1] for b in bounds)) if bounds else None
    fmt = real.fmt if real.fmt is not None else synth.fmt
    return Column(real.name, real.kind, np.zeros(0), bounds=joined, fmt=fmt), real.values, synth.values


def hybrid_release(real: Table, synthetic: Table, *, real_share: float = 0.5, n_rows: int | None = None,
                   rng=None) -> Table:
    """``n_rows`` rows (default: as many as ``real``), a share ``real_share`` of them real.

    Real and synthetic rows are drawn without replacement, shuffled together, and a boolean
    column ``is_synthetic`` is appended. Both tables need the same column names and kinds.
    """
    rng = as_generator(rng)
    if not isinstance(real, Table) or not isinstance(synthetic, Table):
        raise InputError("A hybrid release needs a real Table and a synthetic Table.")
    if isinstance(real_share, bool) or not isinstance(real_share, (int, float)) or not 0 <= real_share <= 1:
        raise InputError(f"real_share must be a number from 0 to 1, not {real_share!r}.")
    if FLAG in real or FLAG in synthetic:
        raise InputError(f"The tables already have a column named '{FLAG}'; rename it first.", column=FLAG)
    if sorted(real.names) != sorted(synthetic.names):
        missing = sorted(set(real.names) ^ set(synthetic.names))
        raise InputError(f"The real and synthetic tables must have the same columns (differing: "
                         f"{', '.join(missing)}).", column=missing[0])
    n = real.n_rows if n_rows is None else n_rows
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError(f"n_rows must be a whole number of at least 1, not {n!r}.")
    n_real = int(round(real_share * n))
    n_syn = n - n_real
    if n_real > real.n_rows:
        raise InputError(f"The release needs {n_real} real rows but the real table has {real.n_rows}; "
                         "lower real_share or n_rows.")
    if n_syn > synthetic.n_rows:
        raise InputError(f"The release needs {n_syn} synthetic rows but the synthetic table has "
                         f"{synthetic.n_rows}; sample more synthetic rows or lower n_rows.")
    pick_real = rng.choice(real.n_rows, size=n_real, replace=False)
    pick_syn = rng.choice(synthetic.n_rows, size=n_syn, replace=False)
    order = rng.permutation(n)
    cols = []
    for name in real.names:
        spec, rv, sv = _merged(real[name], synthetic[name])
        values = np.concatenate([rv[pick_real], sv[pick_syn]])[order]
        cols.append(spec.with_values(values))
    flag = np.concatenate([np.zeros(n_real), np.ones(n_syn)])[order]
    cols.append(Column(FLAG, "boolean", flag, categories=("False", "True")))
    return Table(tuple(cols))
