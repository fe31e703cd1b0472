"""What every ```synthlab-… block kind shares (demoblocks, trainblocks, exerciseblocks): the
fence scanner, the block error, a block's YAML, the function it names, its controls, and the
Jinja partials under overrides/partials/synthlab that render them.

Pure functions, unit-tested without MkDocs; ``synthlab.py`` only wires the block kinds to events.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
import yaml
from markupsafe import escape

PYODIDE_PACKAGES = {"numpy", "scipy", "matplotlib"}  # what a block may ask the browser to load
CONTROL_KEYS = {"name", "label", "type", "default", "min", "max", "step", "options", "help"}
CONTROL_TYPES = {"select", "range", "number", "checkbox"}
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")


class BlockError(ValueError):
    """A demo, quiz or training block is malformed; the message says where and how."""


# -- finding blocks ---------------------------------------------------------------------
def scan(markdown: str, kinds: tuple[str, ...], unclosed: Callable[[str], Exception]) -> Iterator[tuple[str, str, str]]:
    """The text split into ``("text", line, "")`` and ``(kind, body, indent)`` pieces for the
    blocks whose fence names one of ``kinds``. Blocks shown as examples inside another fence
    (e.g. a ````markdown block) are text. A block never closed raises ``unclosed(kind)``."""
    opening_re = re.compile(r"^(?P<indent>[ \t]*)```(?P<kind>" + "|".join(map(re.escape, kinds)) + r")[ \t]*$")
    lines = markdown.split("\n")
    i = 0
    outer: str | None = None  # the fence we are inside, if any
    while i < len(lines):
        line = lines[i]
        i += 1
        if outer is not None:
            stripped = line.strip()
            if stripped.startswith(outer) and set(stripped) == {outer[0]}:
                outer = None
            yield "text", line, ""
            continue
        opening = opening_re.match(line)
        if opening is None:
            fence = _FENCE.match(line)
            if fence:
                outer = fence.group("fence")
            yield "text", line, ""
            continue
        indent, kind = opening.group("indent"), opening.group("kind")
        body_lines = []
        while i < len(lines) and lines[i].rstrip() != indent + "```":
            body_lines.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        if i == len(lines):
            raise unclosed(kind)
        i += 1
        yield kind, "\n".join(body_lines), indent


# -- a block's YAML and the function it names -------------------------------------------
def esc(text: Any) -> str:
    """Text escaped for HTML, as the partials escape it."""
    return str(escape(str(text)))


def resolve(path: str) -> Callable:
    """The function a block names: the browser bridge's resolver, so a block can name exactly
    what the browser may call (public functions inside synthlearn)."""
    from synthlearn.app.bridge import resolve as bridge_resolve
    from synthlearn.errors import InputError

    try:
        return bridge_resolve(path)
    except InputError as exc:
        raise BlockError(f"function: {exc}") from None


def slug(text: str) -> str:
    """A block id made of lowercase letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "block"


def load_block(body: str, kind: str, allowed: set[str]) -> dict:
    """A block's YAML as a mapping with only ``allowed`` keys."""
    try:
        spec = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        raise BlockError(f"{kind} block is not valid YAML: {exc}") from None
    if not isinstance(spec, dict):
        raise BlockError(f"{kind} block must be a YAML mapping")
    unknown = set(spec) - allowed
    if unknown:
        raise BlockError(f"{kind}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    return spec


# -- controls ----------------------------------------------------------------------------
def check_controls(spec: dict, kind: str, params) -> None:
    """Check the block's ``controls`` (a list, each a parameter of its function, none twice)."""
    controls = spec.setdefault("controls", [])
    if not isinstance(controls, list):
        raise BlockError(f"{kind} {spec['function']}: controls must be a list")
    names = set()
    for control in controls:
        _check_control(spec["function"], control, params)
        if control["name"] in names:
            raise BlockError(f"{spec['function']}: control '{control['name']}' is declared twice")
        names.add(control["name"])


def _check_control(where: str, control: Any, params) -> None:
    """Check one control against the function's ``params``; fill in its label, options and step."""
    if not isinstance(control, dict):
        raise BlockError(f"{where}: each control must be a mapping")
    unknown = set(control) - CONTROL_KEYS
    if unknown:
        raise BlockError(f"{where}: control has unknown key(s) {sorted(unknown)}")
    name, kind = control.get("name"), control.get("type")
    if name not in params:
        raise BlockError(f"{where}: control '{name}' is not a parameter of the function "
                         f"(parameters: {', '.join(params)})")
    if kind not in CONTROL_TYPES:
        raise BlockError(f"{where}: control '{name}' has type {kind!r}; use one of {sorted(CONTROL_TYPES)}")
    if "default" not in control:
        raise BlockError(f"{where}: control '{name}' needs a default")
    control.setdefault("label", name.replace("_", " ").capitalize())
    default = control["default"]
    if kind == "select":
        options = control.get("options")
        if isinstance(options, list):
            options = {str(o): str(o) for o in options}
        if not isinstance(options, dict) or not options:
            raise BlockError(f"{where}: select '{name}' needs options")
        control["options"] = {str(k): str(v) for k, v in options.items()}
        if str(default) not in control["options"]:
            raise BlockError(f"{where}: default {default!r} of '{name}' is not one of its options")
    elif kind in ("range", "number"):
        for key in ("min", "max"):
            if not isinstance(control.get(key), (int, float)):
                raise BlockError(f"{where}: {kind} '{name}' needs a numeric {key}")
        control.setdefault("step", 1)
        if not control["min"] <= default <= control["max"]:
            raise BlockError(f"{where}: default of '{name}' is outside [{control['min']}, {control['max']}]")
    elif not isinstance(default, bool):
        raise BlockError(f"{where}: checkbox '{name}' needs a true/false default")


def defaults(spec: dict) -> dict:
    """The block's controls at their defaults: the parameters of the build-time call."""
    return {c["name"]: c["default"] for c in spec["controls"]}


# -- rendering (markup lives in Jinja partials under overrides/partials/synthlab) ---------
TEMPLATES = Path(__file__).resolve().parents[1] / "partials" / "synthlab"


def _svg_data_uri(svg: str) -> str:
    """An SVG as a data: URI (figures are shown as images, so nothing in them can run)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    """The partials' Jinja environment (autoescaped), made once."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    env.filters.update(tojson_text=json.dumps, svg_data_uri=_svg_data_uri, slug=slug)
    return env


def _one_line(markup: str) -> str:
    """The partial's output on one line (a raw HTML block in Markdown ends at a blank line): the
    templates break lines only between tags, and a line break inside text is a space."""
    return re.sub(r">[ \t]*\n\s*<", "><", markup.strip()).replace("\n", " ")


def render(template: str, **data: Any) -> str:
    """Render one partial of overrides/partials/synthlab with ``data``, on one line."""
    return _one_line(_env().get_template(template).render(**data))


def render_result(result: dict) -> str:
    """HTML for a demo result (the same structure runtime.mjs builds in the browser)."""
    return render("result.html", result=result)


def render_table(table: dict) -> str:
    """HTML for one result table (the same structure as runtime.mjs renderTable)."""
    return render("table.html", table=table)


def render_control(demo_id: str, control: dict) -> str:
    """HTML for one labelled control of a demo's form."""
    return render("control.html", demo_id=demo_id, control=control)
