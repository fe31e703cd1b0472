"""One place for the checks every front end makes on a user's values.

Whole numbers, seeds, numbers in a range, row counts (one limit everywhere), lists of
column names, and the one JSON cleaner. Each check raises :class:`~synthlearn.errors.InputError`
with one sentence naming ``what`` was wrong; ``key`` (a config key such as ``"n"`` or
``"evaluation.label"``) travels on the error so that a front end can choose its own wording.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from ._rng import SEED_MAX
from .errors import InputError

#: The most rows any front end makes or a synthesizer samples in one call.
MAX_ROWS = 1_000_000
#: Seeds are 32-bit unsigned integers, as the pages accept (synthlearn._rng.SEED_MAX).
MAX_SEED = SEED_MAX

_NUMBER_TEXT = re.compile(r"[-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\Z")


def number_text(value: Any) -> Any:
    """A number written as text (a form field, or YAML 1.1 reading ``1e-9`` as text) as a number.

    Anything else is returned unchanged.
    """
    if isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
        text = value.strip()
        number = float(text.replace("_", ""))
        return int(number) if number.is_integer() and re.fullmatch(r"[-+]?[\d_]+", text) else number
    return value


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.6g}"


def whole_number(value: Any, what: str, low: int, high: int | None = None, *, key: str | None = None) -> int:
    """``value`` as an int in ``[low, high]`` (``high`` None: no upper limit); text is read as a number."""
    value = number_text(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or value != round(value):
        raise InputError(f"{what} must be a whole number, not {value!r}.", key=key)
    value = int(value)
    if value < low or (high is not None and value > high):
        span = f"from {low:,} to {high:,}" if high is not None else f"of at least {low:,}"
        raise InputError(f"{what} must be a whole number {span}, not {value:,}.", key=key)
    return value


def seed(value: Any, what: str = "The seed", *, key: str | None = None) -> int:
    """A seed: a whole number from 0 to :data:`MAX_SEED`."""
    return whole_number(value, what, 0, MAX_SEED, key=key)


def row_count(value: Any, what: str = "The number of rows", high: int = MAX_ROWS, *, key: str | None = None) -> int:
    """A number of rows to make: a whole number from 1 to ``high`` (at most :data:`MAX_ROWS`)."""
    return whole_number(value, what, 1, min(high, MAX_ROWS), key=key)


def number_in(value: Any, what: str, low: float, high: float, *, key: str | None = None) -> float:
    """``value`` as a float in ``[low, high]``; text is read as a number."""
    value = number_text(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or not low <= value <= high:
        shown = _fmt(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and math.isfinite(value) else repr(value)
        raise InputError(f"{what} must be a number from {_fmt(low)} to {_fmt(high)}, not {shown}.", key=key)
    return float(value)


def column_names(value: Any, what: str, *, key: str | None = None) -> list[str]:
    """A list of column names (one name is a list of one; None is empty), duplicates dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(f"{what} must be a list of column names, not {value!r}.", key=key)
    return list(dict.fromkeys(value))


def jsonable(obj: Any) -> Any:
    """``obj`` as strict JSON values: numpy scalars and arrays to Python, NaN/inf to None,
    objects with ``to_dict()`` to their dict, tuples to lists, keys to text."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        return jsonable(obj.to_dict())
    return obj
