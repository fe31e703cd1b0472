"""Write a run config back as YAML text *without* PyYAML (the browser has none), so that the
Generator page and the command line produce the same text."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = ["dump_config"]

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/]*(?: [A-Za-z0-9_.\-/]+)*\Z")
# words YAML 1.1 or 1.2 would read as something other than text
_RESERVED = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null", "nan", "inf"})
MAX_KEY_LENGTH = 500


def _quote(text: str) -> str:
    """A YAML double-quoted scalar for ``text``: readable where possible, escapes elsewhere."""
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif 0x20 <= o <= 0x7E or (0xA0 <= o <= 0xD7FF and o not in (0x2028, 0x2029)) \
                or (0xE000 <= o <= 0xFFFD and o != 0xFEFF) or o >= 0x10000:
            out.append(ch)
        elif o <= 0xFF:
            out.append(f"\\x{o:02x}")
        else:
            out.append(f"\\u{o:04x}")
    out.append('"')
    return "".join(out)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return ".nan"
        if math.isinf(x):
            return ".inf" if x > 0 else "-.inf"
        text = repr(x)
        if "." not in text and "e" in text:  # YAML 1.1 needs a dot: 1e-09 -> 1.0e-09
            text = text.replace("e", ".0e", 1)
        return text
    if isinstance(value, str):
        if _PLAIN.match(value) and value.lower() not in _RESERVED:
            return value
        return _quote(value)
    raise InputError(f"dump_config can write text, numbers, true/false, null, lists and mappings, "
                     f"not {type(value).__name__}.")


def _key(key: Any) -> str:
    text = _scalar(key)
    if len(text) > MAX_KEY_LENGTH:
        raise InputError(f"A config key is longer than {MAX_KEY_LENGTH} characters: {text[:40]}…")
    return text


def _emit(value: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for k, v in value.items():
            key = _key(k)
            if isinstance(v, dict) and v:
                lines.append(f"{pad}{key}:")
                _emit(v, indent + 2, lines)
            elif isinstance(v, (list, tuple)) and v:
                if all(isinstance(x, (int, float, bool, np.integer, np.floating)) or x is None for x in v):
                    lines.append(f"{pad}{key}: [{', '.join(_scalar(x) for x in v)}]")
                else:
                    lines.append(f"{pad}{key}:")
                    _emit(list(v), indent + 2, lines)
            else:
                lines.append(f"{pad}{key}: {_flow_empty(v)}")
        return
    for item in value:  # a list
        if isinstance(item, dict) and item:
            sub: list[str] = []
            _emit(item, indent + 2, sub)
            lines.append(f"{pad}- {sub[0][indent + 2:]}")
            lines.extend(sub[1:])
        elif isinstance(item, (list, tuple)) and item:
            lines.append(f"{pad}-")
            _emit(list(item), indent + 2, lines)
        else:
            lines.append(f"{pad}- {_flow_empty(item)}")


def _flow_empty(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, (list, tuple)):
        return "[]"
    return _scalar(value)


def dump_config(config: dict, *, header: str | None = None) -> str:
    """``config`` as block-style YAML text, written without PyYAML (so the browser can too).

    ``yaml.safe_load`` of the text gives back ``config`` (tuples come back as lists; NaN as
    NaN). Text is left unquoted when YAML cannot misread it and double-quoted otherwise;
    floats always carry a dot (``1.0e-09``) so that YAML 1.1 reads them as numbers. ``header``
    becomes ``#`` comment lines at the top.
    """
    if not isinstance(config, dict):
        raise InputError(f"dump_config needs a mapping, not {type(config).__name__}.")
    lines: list[str] = []
    if header:
        lines += [("# " + line).rstrip() for line in header.splitlines()]
    if config:
        _emit(config, 0, lines)
    else:
        lines.append("{}")
    return "\n".join(lines) + "\n"
