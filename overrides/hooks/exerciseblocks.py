"""```synthlab-exercise blocks: parse, validate natively, render (Jinja template).

Pure functions, unit-tested without MkDocs; ``synthlab.py`` wires them to ``on_page_markdown``.
Validation runs the block's reference solution and its starter code through the same
``synthlearn.grading.check`` the browser calls: the solution must pass every check, the
starter must fail at least one, or the build fails naming the page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
import markdown as md
import yaml
from blocks import PYODIDE_PACKAGES, scan

EXERCISE_KEYS = {"id", "title", "prompt", "starter", "solution", "checks", "hints", "packages", "attempts",
                 "setup", "time_limit"}
CHECK_KEYS = {"name", "code", "success"}
TEMPLATES = Path(__file__).resolve().parents[1] / "partials"


class ExerciseError(ValueError):
    """An exercise block is malformed or its solution/starter do not behave; says where."""


def parse_exercise(body: str) -> dict:
    """Validate an exercise block's YAML (shape only); return the normalised spec."""
    try:
        spec = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        raise ExerciseError(f"synthlab-exercise block is not valid YAML: {exc}") from None
    if not isinstance(spec, dict):
        raise ExerciseError("synthlab-exercise block must be a YAML mapping")
    unknown = set(spec) - EXERCISE_KEYS
    if unknown:
        raise ExerciseError(f"synthlab-exercise: unknown key(s) {sorted(unknown)}; allowed: {sorted(EXERCISE_KEYS)}")
    for key in ("id", "title", "prompt", "starter", "solution", "checks"):
        if not spec.get(key):
            raise ExerciseError(f"synthlab-exercise {spec.get('id', '?')}: '{key}' is required")
    where = f"synthlab-exercise {spec['id']}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(spec["id"])):
        raise ExerciseError(f"{where}: id must be lower-case letters, digits and dashes")
    checks = spec["checks"]
    if not isinstance(checks, list) or not all(isinstance(c, dict) and c.get("name") and c.get("code") for c in checks):
        raise ExerciseError(f"{where}: checks must be a list of {{name, code}} mappings")
    for item in checks:
        if set(item) - CHECK_KEYS:
            raise ExerciseError(f"{where}: a check has unknown key(s) {sorted(set(item) - CHECK_KEYS)}")
    hints = spec.setdefault("hints", [])
    if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
        raise ExerciseError(f"{where}: hints must be a list of strings")
    packages = spec.setdefault("packages", ["numpy"])
    if not isinstance(packages, list) or not set(packages) <= PYODIDE_PACKAGES:
        raise ExerciseError(f"{where}: packages must be a list from {sorted(PYODIDE_PACKAGES)}")
    attempts = spec.setdefault("attempts", 3)
    if not isinstance(attempts, int) or attempts < 1:
        raise ExerciseError(f"{where}: attempts must be a whole number ≥ 1")
    limit = spec.setdefault("time_limit", 10)
    if not isinstance(limit, (int, float)) or not 1 <= limit <= 120:
        raise ExerciseError(f"{where}: time_limit must be between 1 and 120 seconds")
    spec.setdefault("setup", "")
    for key in ("starter", "solution", "setup"):
        spec[key] = str(spec[key]).rstrip() + ("\n" if spec[key] else "")
    return spec


def validate(spec: dict) -> dict:
    """Run the solution and the starter natively; return both reports (raises on a bad block)."""
    from synthlearn.grading import check

    where = f"synthlab-exercise {spec['id']}"
    solved = check(spec["solution"], spec["checks"], spec["setup"])
    if not solved["passed"]:
        if solved["error"]:
            raise ExerciseError(f"{where}: the reference solution fails to run: {solved['error']['message']}")
        failed = [f"{r['name']!r}: {r['message']}" for r in solved["results"] if not r["passed"]]
        raise ExerciseError(f"{where}: the reference solution fails check(s) {'; '.join(failed)}")
    started = check(spec["starter"], spec["checks"], spec["setup"])
    if started["passed"]:
        raise ExerciseError(f"{where}: the starter code already passes every check; it must fail at least one")
    return {"solution": solved, "starter": started}


def _one_line(html: str) -> str:
    """Raw HTML that Markdown passes through untouched: no blank lines, newlines as entities."""
    return html.replace("\r", "").replace("\n", "&#10;")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)


def _markdown(text: str) -> str:
    return md.markdown(str(text), extensions=["extra", "sane_lists"])


def render_exercise(spec: dict) -> str:
    """The exercise's HTML (one line): prompt, static starter, no-JS solution, data for the widget."""
    from markupsafe import Markup

    data = {k: spec[k] for k in ("id", "starter", "solution", "checks", "hints", "packages", "attempts", "setup",
                                 "time_limit")}
    html = _environment().get_template("synthlab/exercise.html").render(
        id=spec["id"], title=spec["title"], prompt=Markup(_markdown(spec["prompt"])),
        hints=[Markup(_markdown(h)) for h in spec["hints"]], starter=spec["starter"], solution=spec["solution"],
        checks=[c["name"] for c in spec["checks"]], attempts=spec["attempts"], data=json.dumps(data))
    return " ".join(line.strip() for line in _one_line_code(html).splitlines() if line.strip())


def _one_line_code(html: str) -> str:
    """Newlines inside <pre> and inside the rendered prompt become entities before lines are joined."""
    return re.sub(r"<pre\b.*?</pre>", lambda m: _one_line(m.group(0)), html, flags=re.S)


def replace_blocks(markdown_text: str, where: str = "", validate_blocks: bool = True) -> tuple[str, list[dict]]:
    """Replace every ```synthlab-exercise fence; blocks shown inside another fence are left alone."""
    found: list[dict] = []
    out: list[str] = []
    pieces = scan(markdown_text, ("synthlab-exercise",),
                  lambda kind: ExerciseError(f"{where}: a ```{kind} block is never closed"))
    for kind, body, indent in pieces:
        if kind == "text":
            out.append(body)
            continue
        try:
            spec = parse_exercise(body)
            if spec["id"] in {f["id"] for f in found}:
                raise ExerciseError(f"synthlab-exercise {spec['id']}: the id is used twice on this page")
            if validate_blocks:
                validate(spec)
        except ExerciseError as exc:
            raise ExerciseError(f"{where}: {exc}") from None
        found.append(spec)
        out.extend(["", indent + render_exercise(spec), ""])
    return "\n".join(out), found


def exercises_in(markdown_text: str) -> list[dict]:
    """Every exercise spec in a page (parsed, not validated); used by the unit tests."""
    return replace_blocks(markdown_text, validate_blocks=False)[1]
