"""One way to turn a seed into a numpy Generator (SPEC 7 style); no global state."""

from __future__ import annotations

import numpy as np

RNGLike = "int | np.random.Generator | None"
SEED_MAX = 2**32 - 1  # the largest seed a demo or a run accepts; every seed input's max is this number


def as_generator(rng: int | np.random.Generator | None) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``rng`` (a seed, a Generator, or None)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, (bool, float)) or not isinstance(rng, (int, np.integer)):
        from .errors import InputError

        raise InputError(f"The seed must be a whole number, not {rng!r}.")
    if rng < 0:
        from .errors import InputError

        raise InputError(f"The seed must be zero or positive, not {rng}.")
    return np.random.default_rng(int(rng))
