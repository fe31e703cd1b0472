"""Run a learner's code the way the exercise widget does, natively and in the browser.

``run(code)`` executes the code in a fresh namespace and returns what it printed and the
value of its last expression; ``check(code, checks)`` then runs each hidden check against
the names the code defined. Errors come back as a short traceback of *their* code only
(frames of the file ``<your code>``, with the line numbers of their cell), never ours.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import time
import traceback
from typing import Any

import numpy as np

from .checks import CheckFailed

FILENAME = "<your code>"
MAX_OUTPUT = 8000


class _Output(io.StringIO):
    """stdout that keeps at most MAX_OUTPUT characters (a print loop cannot fill memory)."""

    def write(self, text: str) -> int:
        if self.tell() < MAX_OUTPUT:
            super().write(text[: MAX_OUTPUT - self.tell()])
        return len(text)


def _compile(code: str):
    """(body, last_expression) code objects; the last expression is evaluated for its value."""
    tree = ast.parse(code, FILENAME, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, FILENAME, "exec")
    return body, (compile(last, FILENAME, "eval") if last is not None else None)


def _their_lines(exc: BaseException, source: str) -> list[dict]:
    """The frames of the learner's code in ``exc``'s traceback: line number and text."""
    lines = source.splitlines()
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == FILENAME and frame.lineno:
            text = lines[frame.lineno - 1].strip() if 0 < frame.lineno <= len(lines) else ""
            frames.append({"line": frame.lineno, "function": frame.name, "text": text})
    return frames


def describe_error(exc: BaseException, source: str) -> dict:
    """A learner-facing error: one-line message, their line, and a traceback of their code only."""
    name = type(exc).__name__
    if isinstance(exc, SyntaxError) and exc.filename == FILENAME:
        line = exc.lineno or 0
        text = (exc.text or "").strip()
        message = f"{name}: {exc.msg} (line {line})"
        return {"kind": "syntax", "message": message, "line": line,
                "traceback": f"line {line}: {text}\n{name}: {exc.msg}"}
    frames = _their_lines(exc, source)
    message = f"{name}: {exc}" if str(exc) else name
    if not frames:
        return {"kind": "error", "message": message, "line": None, "traceback": message}
    shown = [f"line {f['line']}, in {'your code' if f['function'] == '<module>' else f['function']}: {f['text']}"
             for f in frames[-5:]]
    return {"kind": "error", "message": f"{message} (line {frames[-1]['line']})", "line": frames[-1]["line"],
            "traceback": "\n".join(shown + [message])}


def _short_repr(value: Any, limit: int = 2000) -> str:
    with np.printoptions(threshold=50, edgeitems=5):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def execute(code: str, namespace: dict | None = None) -> tuple[dict, dict]:
    """Run ``code`` in ``namespace`` (fresh if None); return (report, namespace)."""
    ns = namespace if namespace is not None else {"__name__": "__main__", "__builtins__": builtins}
    out = _Output()
    report: dict = {"ok": True, "stdout": "", "value": None, "error": None}
    started = time.perf_counter()
    try:
        body, last = _compile(code)
        with contextlib.redirect_stdout(out):
            exec(body, ns)  # noqa: S102 - running the learner's code is the point
            if last is not None:
                value = eval(last, ns)  # noqa: S307
                if value is not None:
                    report["value"] = _short_repr(value)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any error in their code is reported, not raised
        report.update(ok=False, error=describe_error(exc, code))
    report["stdout"] = out.getvalue()
    report["seconds"] = round(time.perf_counter() - started, 4)
    return report, ns


def run(code: str, setup: str = "") -> dict:
    """Run the learner's ``code`` (after the exercise's hidden ``setup``); JSON-able report."""
    if not isinstance(code, str):
        from ..errors import InputError
        raise InputError("The code to run must be text.")
    ns = _setup_namespace(setup)
    report, _ = execute(code, ns)
    return report


def _setup_namespace(setup: str) -> dict:
    ns: dict = {"__name__": "__main__", "__builtins__": builtins}
    if setup:
        exec(compile(setup, "<exercise setup>", "exec"), ns)  # noqa: S102 - the exercise's own code
    return ns


def _check_namespace(ns: dict) -> dict:
    from . import checks as toolkit
    view = {k: v for k, v in ns.items() if k != "__builtins__"}
    view.update({"np": np, "grading": toolkit, "__builtins__": builtins})
    view.update({name: getattr(toolkit, name) for name in toolkit.__all__})
    return view


def _run_one(item: dict, ns: dict, code: str) -> dict:
    started = time.perf_counter()
    result = {"name": item["name"], "passed": False, "message": "", "line": None, "traceback": None}
    try:
        exec(compile(item["code"], f"<check: {item['name']}>", "exec"), _check_namespace(ns))  # noqa: S102
        result.update(passed=True, message=item.get("success") or "Passed.")
    except CheckFailed as exc:
        result["message"] = str(exc)
    except AssertionError as exc:
        result["message"] = str(exc) or "A check on your result did not hold."
    except NameError as exc:
        frames = _their_lines(exc, code)
        if frames:
            info = describe_error(exc, code)
            result.update(message="Your code raised " + info["message"], line=info["line"], traceback=info["traceback"])
        else:
            result["message"] = f"Not found: {exc.name!r} — define it with exactly this name." if getattr(exc, "name", None) \
                else f"Something this check needs is missing: {exc}."
    except Exception as exc:  # noqa: BLE001
        info = describe_error(exc, code)
        if info["line"] is not None:
            result.update(message="Your code raised " + info["message"], line=info["line"], traceback=info["traceback"])
        else:
            result["message"] = f"This check could not use your result: {info['message']}."
    result["seconds"] = round(time.perf_counter() - started, 4)
    return result


def check(code: str, checks: list[dict], setup: str = "") -> dict:
    """Run ``code``, then each hidden check ``{"name", "code"}`` against the names it defined.

    Returns ``{"passed", "results": [{"name", "passed", "message", "line", "traceback"}],
    "stdout", "error"}``; ``passed`` is true when the code ran and every check passed.
    """
    if not isinstance(code, str) or not isinstance(checks, list):
        from ..errors import InputError
        raise InputError("check() needs the code as text and the checks as a list.")
    report, ns = execute(code, _setup_namespace(setup))
    if not report["ok"]:
        return {"passed": False, "results": [], "stdout": report["stdout"], "error": report["error"],
                "seconds": report["seconds"]}
    started = time.perf_counter()
    out = _Output()
    with contextlib.redirect_stdout(out):  # the learner's prints during checks are not shown
        results = [_run_one(item, ns, code) for item in checks]
    return {"passed": all(r["passed"] for r in results), "results": results, "stdout": report["stdout"],
            "error": None, "seconds": round(report["seconds"] + time.perf_counter() - started, 4)}
