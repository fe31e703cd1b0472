"""The one entry point the browser worker calls: ``call(path, params_json) -> json``.

Only public functions inside ``synthlearn`` can be called (:func:`resolve`, which the build's
demo and quiz blocks use too, so a block names exactly what the browser may call). A user
error (``InputError``, or parameters the function does not take) comes back as one sentence;
anything else is a bug and comes back with a short traceback.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
import traceback
from typing import Callable

from ..errors import InputError
from ..validation import jsonable

__all__ = ["call", "python_version", "resolve"]

#: A dotted path inside synthlearn whose every part is public (no leading underscore).
FUNCTION_PATH = re.compile(r"synthlearn(\.[A-Za-z][A-Za-z0-9_]*)+")


def python_version() -> str:
    """The running Python's version, for the page's footer."""
    return sys.version.split()[0]


def resolve(path: str) -> Callable:
    """The public synthlearn function at ``path`` (``synthlearn.demos.fit_sample.run``).

    Raises :class:`InputError` for anything else: a path outside synthlearn, a private part,
    a module or name that does not exist, or something that is not a function.
    """
    if not isinstance(path, str) or not FUNCTION_PATH.fullmatch(path):
        raise InputError(f"Only public functions inside synthlearn can be called, not {path!r}.")
    module, _, name = path.rpartition(".")
    try:
        func = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise InputError(f"There is no function {path}.") from None
    if not callable(func) or inspect.isclass(func):
        raise InputError(f"{path} is not a function.")
    return func


def _bound(func: Callable, path: str, params: dict) -> inspect.BoundArguments:
    try:
        return inspect.signature(func).bind(**params)
    except TypeError as exc:
        raise InputError(f"Bad parameters for {path}: {exc}.") from None


def call(path: str, params_json: str) -> str:
    """Run ``path(**params)`` and return ``{"ok": true, "value": ...}`` or an error, as JSON."""
    try:
        params = json.loads(params_json) if params_json else {}
        if not isinstance(params, dict):
            raise InputError("Parameters must be a JSON object.")
        func = resolve(path)
        bound = _bound(func, path, params)
        value = jsonable(func(*bound.args, **bound.kwargs))
        return json.dumps({"ok": True, "value": value}, allow_nan=False)
    except InputError as exc:
        return json.dumps({"ok": False, "error": exc.to_dict()})
    except MemoryError:
        return json.dumps({"ok": False, "error": {"kind": "input", "message":
                           "This ran out of memory in the browser; try fewer rows or columns."}})
    except Exception as exc:  # noqa: BLE001 - a bug: report it readably, never crash the worker
        return json.dumps({"ok": False, "error": _bug(exc)})


def _bug(exc: BaseException) -> dict:
    frames = traceback.format_exception(type(exc), exc, exc.__traceback__)
    short = "".join(frames[-4:]) if len(frames) > 4 else "".join(frames)
    return {"kind": "bug", "message": f"{type(exc).__name__}: {exc}", "traceback": short[-2000:]}
