"""Turn ```synthlab-demo and ```synthlab-quiz blocks into accessible HTML.

Pure functions, unit-tested without MkDocs; ``synthlab.py`` only wires them to events.
A demo block declares a ``synthlearn`` function and its controls; at build time the
function runs natively at the defaults and its result is rendered as static HTML, so
the page reads well before (or without) Python in the browser. The browser's runtime
re-renders the same structure from the same JSON (``assets/synthlab/runtime.mjs``).
"""

from __future__ import annotations

import base64
import functools
import inspect
import json
import re
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
import markdown
import yaml
from markupsafe import Markup, escape

DEMO_KEYS = {"function", "title", "intro", "packages", "figure", "controls", "id"}
CONTROL_KEYS = {"name", "label", "type", "default", "min", "max", "step", "options", "help"}
CONTROL_TYPES = {"select", "range", "number", "checkbox"}
#: A quiz's worked solution (issue 13 §4), all optional: ``solution`` is Markdown; the others are
#: lists of short Markdown items. ``explanation`` (required) is the pedagogical explanation.
WORKED_LISTS = (("definitions", "Key definitions"), ("rules", "Important rules"), ("tips", "Tips"),
                ("mistakes", "Common mistakes"))
WORKED_KEYS = ("solution",) + tuple(key for key, _ in WORKED_LISTS)
QUIZ_KEYS = {"id", "question", "options", "answer", "explanation", "lesson", "generator", *WORKED_KEYS}
PYODIDE_PACKAGES = {"numpy", "scipy", "matplotlib"}


class BlockError(ValueError):
    """A demo or quiz block is malformed; the message says where and how."""


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
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "block"


# -- parsing --------------------------------------------------------------------------
def _load_block(body: str, kind: str, allowed: set[str]) -> dict:
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


def parse_demo(body: str) -> dict:
    """Validate a demo block's YAML against the function it names; return the spec."""
    spec = _load_block(body, "synthlab-demo", DEMO_KEYS)
    for key in ("function", "title"):
        if not spec.get(key):
            raise BlockError(f"synthlab-demo: '{key}' is required")
    func = resolve(spec["function"])
    params = inspect.signature(func).parameters
    packages = spec.setdefault("packages", ["numpy"])
    if not isinstance(packages, list) or not set(packages) <= PYODIDE_PACKAGES:
        raise BlockError(f"synthlab-demo {spec['function']}: packages must be a list from {sorted(PYODIDE_PACKAGES)}")
    spec["figure"] = bool(spec.get("figure", False))
    if spec["figure"] and "figure" not in params:
        raise BlockError(f"{spec['function']} has figure: true but takes no 'figure' parameter")
    controls = spec.setdefault("controls", [])
    if not isinstance(controls, list):
        raise BlockError(f"synthlab-demo {spec['function']}: controls must be a list")
    names = set()
    for control in controls:
        _check_control(spec["function"], control, params)
        if control["name"] in names:
            raise BlockError(f"{spec['function']}: control '{control['name']}' is declared twice")
        names.add(control["name"])
    spec.setdefault("id", slug(spec["function"].split(".")[-2]))
    spec["intro"] = (spec.get("intro") or "").strip()
    return spec


def _check_control(where: str, control: Any, params) -> None:
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
    return {c["name"]: c["default"] for c in spec["controls"]}


def parse_quiz(body: str) -> dict:
    """Validate a quiz block; a generated quiz is rendered from its generator at seed 0."""
    spec = _load_block(body, "synthlab-quiz", QUIZ_KEYS)
    if not spec.get("id"):
        raise BlockError("synthlab-quiz: 'id' is required")
    if spec.get("generator"):
        question = resolve(spec["generator"])(seed=0)
        kept = ("id", "lesson", "generator") + WORKED_KEYS
        spec = {**question, **{k: v for k, v in spec.items() if k in kept}}
    for key in ("question", "options", "explanation"):
        if not spec.get(key):
            raise BlockError(f"synthlab-quiz {spec['id']}: '{key}' is required")
    options = spec["options"]
    if not isinstance(options, list) or len(options) < 2:
        raise BlockError(f"synthlab-quiz {spec['id']}: needs a list of at least two options")
    _check_texts(spec)
    if isinstance(spec.get("answer"), bool) or not isinstance(spec.get("answer"), int) \
            or not 0 <= spec["answer"] < len(options):
        raise BlockError(f"synthlab-quiz {spec['id']}: answer must be an option index 0..{len(options) - 1}")
    return spec


def _not_text(value: Any) -> str:
    """Why a YAML value that should be text is not (an unquoted ': ' makes a mapping)."""
    hint = " (an unquoted ': ' inside it makes YAML read a mapping: quote the text)" if isinstance(value, dict) else ""
    return f"{type(value).__name__} {value!r}{hint}"


def _check_texts(spec: dict) -> None:
    """Question, options, explanation and the worked solution must be text, lists of text where listed."""
    where = f"synthlab-quiz {spec['id']}"
    for key in ("question", "explanation", "solution"):
        if key in spec and not isinstance(spec[key], str):
            raise BlockError(f"{where}: '{key}' must be text, not {_not_text(spec[key])}")
    for i, option in enumerate(spec["options"]):
        if not isinstance(option, str) or not option.strip():
            raise BlockError(f"{where}: option {i + 1} must be text, not {_not_text(option)}")
    for key, _ in WORKED_LISTS:
        items = spec.get(key)
        if items is None:
            continue
        if not isinstance(items, list) or not items:
            raise BlockError(f"{where}: '{key}' must be a list of texts")
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise BlockError(f"{where}: item {i + 1} of '{key}' must be text, not {_not_text(item)}")


# -- rendering (markup lives in Jinja partials under overrides/partials/synthlab) ---------
TEMPLATES = Path(__file__).resolve().parents[1] / "partials" / "synthlab"


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
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


def render_demo(spec: dict, result: dict | None) -> str:
    """The demo's HTML: title, intro, labelled controls, status, and the static result."""
    config = json.dumps({"function": spec["function"], "packages": spec["packages"], "figure": spec["figure"],
                         "defaults": defaults(spec)})
    return render("demo.html", spec=spec, result=result, config=config)


def _markdown(text: str, inline: bool = False) -> Markup:
    """Markdown as HTML on one line (code blocks keep their line breaks as &#10;); ``inline``
    drops the paragraph around a one-paragraph list item."""
    out = markdown.markdown(text, extensions=["tables", "sane_lists"])
    out = re.sub(r"<pre>.*?</pre>", lambda m: m.group(0).replace("\n", "&#10;"), out, flags=re.S)
    out = out.replace("\n", " ")
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return Markup(out)


def worked_solution(spec: dict) -> dict | None:
    """The worked-solution parts of a quiz for its partial, Markdown rendered; None without any."""
    if not any(spec.get(k) for k in WORKED_KEYS):
        return None
    return {"solution": _markdown(spec["solution"]) if spec.get("solution") else None,
            "lists": [{"key": key, "title": title, "items": [_markdown(item, inline=True) for item in spec[key]]}
                      for key, title in WORKED_LISTS if spec.get(key)]}


def render_quiz(spec: dict, link: Callable[[str], str] = lambda target: target) -> str:
    """The quiz's HTML: question, options, feedback, the explanation after an attempt, and a
    worked solution when the block has one."""
    data = {k: spec[k] for k in ("id", "question", "options", "answer", "explanation") if k in spec}
    if spec.get("generator"):
        data["generator"] = spec["generator"]
    answer_text = str(spec["options"][spec["answer"]]).rstrip()
    answer_text += "" if answer_text.endswith((".", "!", "?", "…")) else "."  # never "risk.."
    return render("quiz.html", spec=spec, question_json=json.dumps(data), worked=worked_solution(spec),
                  answer_text=answer_text, lesson_url=link(spec["lesson"]) if spec.get("lesson") else None)


_OPEN = re.compile(r"^(?P<indent>[ \t]*)```(?P<kind>synthlab-demo|synthlab-quiz|synthlab-train)[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")


def _scan(markdown: str, where: str = "") -> Iterator[tuple[str, str, str]]:
    """The text split into ``("text", line, "")`` and ``("synthlab-demo" | "synthlab-quiz",
    body, indent)`` pieces. Blocks shown as examples inside another fence (e.g. a ````markdown
    block) are text."""
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
        opening = _OPEN.match(line)
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
            raise BlockError(f"{where}: a ```{kind} block is never closed")
        i += 1
        yield kind, "\n".join(body_lines), indent


def find_blocks(markdown: str, where: str = "") -> list[tuple[str, str]]:
    """Every demo/quiz block of a page as ``(kind, YAML body)``, found as the build finds them."""
    return [(kind, body) for kind, body, _ in _scan(markdown, where) if kind != "text"]


def replace_blocks(markdown: str, run_demo: Callable[[dict], dict | None], where: str = "",
                   link: Callable[[str], str] = lambda target: target) -> tuple[str, list[dict]]:
    """Replace every demo/quiz fence in ``markdown``; return new text and the specs found.

    Blocks shown as examples inside another fence (e.g. a ````markdown block) are left alone.
    """
    found: list[dict] = []
    out: list[str] = []
    for kind, body, indent in _scan(markdown, where):
        if kind == "text":
            out.append(body)
            continue
        try:
            if kind == "synthlab-demo":
                spec = parse_demo(body)
                found.append({"kind": "demo", **spec})
                html_out = render_demo(spec, run_demo(spec))
            elif kind == "synthlab-train":  # live training widget (issue 16): trainblocks.py
                spec = trainblocks.parse_train(body)
                found.append({"kind": "train", **spec})
                html_out = trainblocks.render_train(spec, trainblocks.last_frame(spec))
            else:
                spec = parse_quiz(body)
                found.append({"kind": "quiz", **spec})
                html_out = render_quiz(spec, link)
        except BlockError as exc:
            raise BlockError(f"{where}: {exc}") from None
        out.extend(["", indent + html_out, ""])
    return "\n".join(out), found


import trainblocks  # noqa: E402 - ```synthlab-train blocks (issue 16); imports this module back
