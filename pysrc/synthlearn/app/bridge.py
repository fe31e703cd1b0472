"""The one entry point the browser worker calls: ``call(path, params_json) -> json``.

Only functions inside ``synthlearn`` can be called. A user error (``InputError``) comes
back as one sentence; anything else is a bug and comes back with a short traceback.
"""

from __future__ import annotations

import importlib
import json
import math
import re
import sys
import traceback

from ..errors import InputError

_PATH = re.compile(r"synthlearn(\.[A-Za-z][A-Za-z0-9_]*)+")


def python_version() -> str:
    return sys.version.split()[0]


def _clean(value):
    """Make a result strictly JSON (NaN/inf -> None)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "to_dict"):
        return _clean(value.to_dict())
    if hasattr(value, "item"):  # numpy scalar
        return _clean(value.item())
    return value


def resolve(path: str):
    if not _PATH.fullmatch(path or ""):
        raise InputError(f"Only synthlearn functions can be called, not {path!r}.")
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def call(path: str, params_json: str) -> str:
    """Run ``path(**params)`` and return ``{"ok": true, "value": ...}`` or an error, as JSON."""
    try:
        params = json.loads(params_json) if params_json else {}
        if not isinstance(params, dict):
            raise InputError("Parameters must be a JSON object.")
        value = _clean(resolve(path)(**params))
        return json.dumps({"ok": True, "value": value}, allow_nan=False)
    except InputError as exc:
        return json.dumps({"ok": False, "error": exc.to_dict()})
    except TypeError as exc:
        if "unexpected keyword argument" in str(exc) or "missing" in str(exc) and "argument" in str(exc):
            return json.dumps({"ok": False, "error": {"kind": "input", "message": f"Bad parameters for {path}: {exc}."}})
        return json.dumps({"ok": False, "error": _bug(exc)})
    except MemoryError:
        return json.dumps({"ok": False, "error": {"kind": "input", "message":
                           "This ran out of memory in the browser; try fewer rows or columns."}})
    except Exception as exc:  # noqa: BLE001 - a bug: report it readably, never crash the worker
        return json.dumps({"ok": False, "error": _bug(exc)})


def _bug(exc: BaseException) -> dict:
    frames = traceback.format_exception(type(exc), exc, exc.__traceback__)
    short = "".join(frames[-4:]) if len(frames) > 4 else "".join(frames)
    return {"kind": "bug", "message": f"{type(exc).__name__}: {exc}", "traceback": short[-2000:]}
