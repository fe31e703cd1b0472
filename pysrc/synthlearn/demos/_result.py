"""Helpers that build the JSON-able result every demo returns."""

from __future__ import annotations

import math
from typing import Any

from ..errors import InputError


def metric(key: str, label: str, value: float, fmt: str = ".3f", help: str = "") -> dict:
    """One labelled number; ``text`` is the formatted value both the page and the build show."""
    value = float(value)
    text = "—" if math.isnan(value) else format(value, fmt)
    return {"key": key, "label": label, "value": None if math.isnan(value) else value, "text": text, "help": help}


def choice(name: str, value: Any, options: dict | tuple | list) -> Any:
    """Check that ``value`` is one of ``options`` (a select control)."""
    if value not in options:
        allowed = ", ".join(str(o) for o in options)
        raise InputError(f"'{value}' is not a valid {name}; choose one of: {allowed}.")
    return value


def number(name: str, value: Any, lo: float, hi: float, *, integer: bool = False) -> float | int:
    """Check that ``value`` is a number in ``[lo, hi]`` (whole if ``integer``)."""
    what = _label(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(f"Type a number for {what}: the box is empty.")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InputError(f"Type a number for {what}, such as {_fmt(lo)}; '{value}' is not a number.") from None
    if math.isnan(value) or not lo <= value <= hi:
        shown = "that" if math.isnan(value) or math.isinf(value) else _fmt(value)
        raise InputError(f"Choose {what} from {_fmt(lo)} to {_fmt(hi)}; {shown} is outside that range.")
    if integer:
        if value != int(value):
            raise InputError(f"Choose a whole number for {what}, not {_fmt(value)}.")
        return int(value)
    return float(value)


def _label(name: str) -> str:
    """A parameter name in plain words: ``seed`` -> "the seed", ``noise_sd`` -> "the noise sd", ``n`` -> "n"."""
    return name if len(name) == 1 else "the " + name.replace("_", " ")


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.6g}"
