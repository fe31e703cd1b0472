"""Streaming calls for the browser worker: open a generator demo, take its frames one by one.

``worker.js`` handles a ``stream`` message with ``open(path, params_json)`` then
``next_frame(token)`` once per frame, yielding to its event loop in between so Pause,
Resume and Stop (``stream-control`` messages) act between frames; ``close(token)`` stops a
stream early. Every reply is JSON ``{"ok": true, "value": ...}`` or ``{"ok": false,
"error": {...}}``, the same shape as the one-shot bridge. Self-contained on purpose: it does
not depend on the bridge module's location or internals.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import json
import math
import re
import traceback

from ..errors import InputError

_PATH = re.compile(r"synthlearn(\.[A-Za-z][A-Za-z0-9_]*)+")
_open: dict[int, object] = {}
_tokens = itertools.count(1)


def _clean(value):
    """Strict JSON: NaN/inf -> None, numpy scalars -> Python numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _error(exc: BaseException) -> dict:
    if isinstance(exc, InputError):
        return exc.to_dict()
    if isinstance(exc, TypeError) and "argument" in str(exc):
        return {"kind": "input", "message": f"Bad parameters: {exc}."}
    frames = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return {"kind": "bug", "message": f"{type(exc).__name__}: {exc}", "traceback": "".join(frames[-4:])[-2000:]}


def _reply(fn) -> str:
    try:
        return json.dumps({"ok": True, "value": _clean(fn())}, allow_nan=False)
    except Exception as exc:  # noqa: BLE001 - reported to the page, never crashes the worker
        return json.dumps({"ok": False, "error": _error(exc)})


def _start(path: str, params_json: str) -> int:
    if not _PATH.fullmatch(path or ""):
        raise InputError(f"Only synthlearn functions can be streamed, not {path!r}.")
    module, _, name = path.rpartition(".")
    func = getattr(importlib.import_module(module), name)
    if not inspect.isgeneratorfunction(func):
        raise InputError(f"{path} does not yield frames, so it cannot be streamed.")
    params = json.loads(params_json) if params_json else {}
    if not isinstance(params, dict):
        raise InputError("Parameters must be a JSON object.")
    gen = func(**params)
    token = next(_tokens)
    _open[token] = gen
    return token


def open(path: str, params_json: str) -> str:  # noqa: A001 - the worker's verb
    """Start ``path(**params)`` (a generator function); the value is a token for ``next_frame``."""
    return _reply(lambda: _start(path, params_json))


def _next(token: int):
    gen = _open.get(int(token))
    if gen is None:
        return None
    try:
        return next(gen)
    except StopIteration:
        _open.pop(int(token), None)
        return None
    except BaseException:
        _open.pop(int(token), None)
        raise


def next_frame(token: int) -> str:
    """The stream's next frame, or ``null`` when it has ended."""
    return _reply(lambda: _next(token))


def close(token: int) -> str:
    """Stop a stream early (runs the generator's cleanup)."""
    def _close():
        gen = _open.pop(int(token), None)
        if gen is not None:
            gen.close()
        return True
    return _reply(_close)
