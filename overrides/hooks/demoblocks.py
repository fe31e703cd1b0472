"""Turn ```synthlab-demo and ```synthlab-quiz blocks into accessible HTML.

Pure functions, unit-tested without MkDocs; ``synthlab.py`` only wires them to events.
A demo block declares a ``synthlearn`` function and its controls; at build time the
function runs natively at the defaults and its result is rendered as static HTML, so
the page reads well before (or without) Python in the browser. The browser's runtime
re-renders the same structure from the same JSON (``assets/synthlab/runtime.mjs``).
"""

from __future__ import annotations

import base64
import html
import importlib
import inspect
import json
import re
from typing import Any, Callable

import yaml

DEMO_KEYS = {"function", "title", "intro", "packages", "figure", "controls", "id"}
CONTROL_KEYS = {"name", "label", "type", "default", "min", "max", "step", "options", "help"}
CONTROL_TYPES = {"select", "range", "number", "checkbox"}
QUIZ_KEYS = {"id", "question", "options", "answer", "explanation", "lesson", "generator",
             "solution", "definitions", "rules", "tips", "mistakes"}
#: optional worked-solution fields of a quiz: key -> heading (``solution`` is Markdown, the rest lists)
SOLUTION_LISTS = {"definitions": "Key definitions", "rules": "Important rules", "tips": "Tips",
                  "mistakes": "Common mistakes"}
PYODIDE_PACKAGES = {"numpy", "scipy", "matplotlib"}


class BlockError(ValueError):
    """A demo or quiz block is malformed; the message says where and how."""


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def resolve(path: str) -> Callable:
    """Import ``synthlearn.x.y.func`` (only functions inside synthlearn are allowed)."""
    if not re.fullmatch(r"synthlearn(\.[A-Za-z_][A-Za-z0-9_]*)+", path or ""):
        raise BlockError(f"function must be a dotted path inside synthlearn, not {path!r}")
    module, _, name = path.rpartition(".")
    try:
        func = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise BlockError(f"cannot import {path}: {exc}") from None
    if not callable(func):
        raise BlockError(f"{path} is not a function")
    return func


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
        spec = {**question, **{k: v for k, v in spec.items() if k in ("id", "lesson", "generator")}}
    for key in ("question", "options", "explanation"):
        if not spec.get(key):
            raise BlockError(f"synthlab-quiz {spec['id']}: '{key}' is required")
    options = spec["options"]
    if not isinstance(options, list) or len(options) < 2:
        raise BlockError(f"synthlab-quiz {spec['id']}: needs a list of at least two options")
    if not isinstance(spec.get("answer"), int) or not 0 <= spec["answer"] < len(options):
        raise BlockError(f"synthlab-quiz {spec['id']}: answer must be an option index 0..{len(options) - 1}")
    if "solution" in spec and not isinstance(spec["solution"], str):
        raise BlockError(f"synthlab-quiz {spec['id']}: 'solution' must be Markdown text")
    for key in SOLUTION_LISTS:
        items = spec.get(key)
        if items is not None and (not isinstance(items, list) or not all(isinstance(i, str) for i in items)):
            raise BlockError(f"synthlab-quiz {spec['id']}: '{key}' must be a list of texts")
    return spec


def _markdown(text: str, inline: bool = False) -> str:
    """Markdown to HTML on one line (the block's HTML is inserted into the page as one raw line)."""
    import markdown

    out = markdown.markdown(text, extensions=["tables"]).replace("\n", " ")
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def render_solution(spec: dict) -> str:
    """The worked solution of a quiz (``solution`` and the lists) as a ``<details>`` box, or ''."""
    parts = []
    if spec.get("solution"):
        parts.append(f'<div class="sl-quiz__worked">{_markdown(spec["solution"])}</div>')
    for key, heading in SOLUTION_LISTS.items():
        if spec.get(key):
            items = "".join(f"<li>{_markdown(i, inline=True)}</li>" for i in spec[key])
            parts.append(f'<p class="sl-quiz__sol-heading"><strong>{esc(heading)}</strong></p>'
                         f'<ul class="sl-quiz__{key}">{items}</ul>')
    if not parts:
        return ""
    return ('<details class="sl-quiz__solution"><summary>Worked solution</summary>' + "".join(parts) + "</details>")


# -- rendering ------------------------------------------------------------------------
def render_result(result: dict) -> str:
    """HTML for a demo result (the same structure runtime.mjs builds in the browser)."""
    parts = []
    if result.get("summary"):
        parts.append(f'<p class="sl-result__summary">{esc(result["summary"])}</p>')
    metrics = result.get("metrics") or []
    if metrics:
        items = "".join(
            f'<div class="sl-metric" data-key="{esc(m["key"])}" data-value="{esc(json.dumps(m.get("value")))}">'
            f'<dt title="{esc(m.get("help", ""))}">{esc(m["label"])}</dt><dd>{esc(m["text"])}</dd>'
            + (f'<dd class="sl-metric__help">{esc(m["help"])}</dd>' if m.get("help") else "")
            + "</div>"
            for m in metrics)
        parts.append(f'<dl class="sl-metrics">{items}</dl>')
    for table in result.get("tables") or []:
        parts.append(render_table(table))
    for fig in result.get("figures") or []:
        data = base64.b64encode(fig["svg"].encode()).decode()
        parts.append(f'<figure class="sl-figure"><img src="data:image/svg+xml;base64,{data}" alt="{esc(fig["alt"])}" loading="lazy" decoding="async">'
                     "</figure>")
    for note in result.get("notes") or []:
        parts.append(f'<p class="sl-result__note">{esc(note)}</p>')
    return "".join(parts)


def render_table(table: dict) -> str:
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table.get("columns", []))
    rows = []
    for row in table.get("rows", []):
        cells = []
        for cell in row:
            if isinstance(cell, dict):
                mark = cell.get("mark")
                cls = f' class="sl-cell sl-cell--{esc(mark)}" data-mark="{esc(mark)}"' if mark else ""
                cells.append(f"<td{cls}>{esc(cell.get('text', ''))}</td>")
            else:
                cells.append(f"<td>{esc(cell)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{esc(table['caption'])}</caption>" if table.get("caption") else ""
    return (f'<div class="sl-table-wrap" tabindex="0"><table class="sl-table">{caption}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def render_control(demo_id: str, control: dict) -> str:
    cid = f"{demo_id}-{control['name']}"
    label = f'<label for="{esc(cid)}">{esc(control["label"])}</label>'
    name = esc(control["name"])
    help_id = f"{cid}-help"
    described = f' aria-describedby="{esc(help_id)}"' if control.get("help") else ""
    helptext = f'<small id="{esc(help_id)}" class="sl-control__help">{esc(control["help"])}</small>' if control.get("help") else ""
    kind = control["type"]
    if kind == "select":
        options = "".join(
            f'<option value="{esc(k)}"{" selected" if str(control["default"]) == k else ""}>{esc(v)}</option>'
            for k, v in control["options"].items())
        field = f'<select id="{esc(cid)}" name="{name}" data-type="select"{described}>{options}</select>'
    elif kind == "checkbox":
        checked = " checked" if control["default"] else ""
        field = f'<input type="checkbox" id="{esc(cid)}" name="{name}" data-type="checkbox"{checked}{described}>'
        return f'<div class="sl-control sl-control--checkbox">{field}{label}{helptext}</div>'
    else:
        attrs = f'min="{control["min"]}" max="{control["max"]}" step="{control["step"]}" value="{control["default"]}"'
        field = f'<input type="{kind}" id="{esc(cid)}" name="{name}" data-type="{kind}" {attrs}{described}>'
        if kind == "range":
            field += f'<output for="{esc(cid)}" class="sl-control__value">{esc(control["default"])}</output>'
    return f'<div class="sl-control sl-control--{kind}">{label}{field}{helptext}</div>'


def render_demo(spec: dict, result: dict | None, error: str | None = None) -> str:
    """The demo's HTML: title, intro, labelled controls, status, and the static result."""
    demo_id = f"demo-{spec['id']}"
    controls = "".join(render_control(demo_id, c) for c in spec["controls"])
    config = json.dumps({"function": spec["function"], "packages": spec["packages"], "figure": spec["figure"],
                         "defaults": defaults(spec)})
    static = render_result(result) if result else ""
    status = ("Showing the result computed when this page was built, for the default settings. "
              "Python starts in your browser to make the controls live.")
    return (
        f'<div class="sl-demo" id="{esc(demo_id)}" data-state="static" data-config="{esc(config)}" role="group" '
        f'aria-labelledby="{esc(demo_id)}-title">'
        f'<p class="sl-demo__title" id="{esc(demo_id)}-title"><strong>Live demo · {esc(spec["title"])}</strong></p>'
        + (f'<p class="sl-demo__intro">{esc(spec["intro"])}</p>' if spec["intro"] else "")
        + f'<form class="sl-demo__controls" aria-label="Settings for {esc(spec["title"])}">{controls}'
        '<div class="sl-demo__actions"><button type="submit" class="md-button sl-run">Run</button>'
        '<button type="button" class="md-button sl-cancel" hidden>Cancel</button></div></form>'
        '<div class="sl-demo__progress" hidden><progress max="100" value="0"></progress> <span class="sl-demo__stage"></span></div>'
        f'<p class="sl-demo__status" role="status" aria-live="polite">{esc(status)}</p>'
        '<div class="sl-demo__error" role="alert" hidden></div>'
        f'<div class="sl-demo__output" aria-live="polite" aria-busy="false">{static}</div>'
        "<noscript><p class=\"sl-demo__noscript\">JavaScript is off, so the controls cannot run; the result above "
        "is the one computed at build time for the default settings.</p></noscript>"
        "</div>")


def render_quiz(spec: dict, link: Callable[[str], str] = lambda target: target) -> str:
    qid = f"quiz-{slug(spec['id'])}"
    data = {k: spec[k] for k in ("id", "question", "options", "answer", "explanation") if k in spec}
    if spec.get("generator"):
        data["generator"] = spec["generator"]
    options = "".join(
        f'<div class="sl-quiz__option"><input type="radio" name="{esc(qid)}" id="{esc(qid)}-{i}" value="{i}">'
        f'<label for="{esc(qid)}-{i}">{esc(option)}</label></div>'
        for i, option in enumerate(spec["options"]))
    extra = "".join(render_table(t) for t in spec.get("tables") or [])
    lesson = ""
    if spec.get("lesson"):
        lesson = f' <a class="sl-quiz__lesson" href="{esc(link(spec["lesson"]))}">Review the lesson</a>'
    answer_text = str(spec["options"][spec["answer"]]).rstrip()
    answer_text += "" if answer_text.endswith((".", "!", "?", "…")) else "."  # never "risk.."
    solution = render_solution(spec)
    new_button = ('<button type="button" class="md-button sl-quiz__new" hidden>New numbers</button>'
                  if spec.get("generator") else "")
    return (
        f'<form class="sl-quiz" id="{esc(qid)}" data-state="static" data-quiz-id="{esc(spec["id"])}"'
        + (f' data-generator="{esc(spec["generator"])}"' if spec.get("generator") else "")
        + f' data-question="{esc(json.dumps(data))}">'
        f'<fieldset><legend class="sl-quiz__question">{esc(spec["question"])}</legend>'
        f'<div class="sl-quiz__extra">{extra}</div>'
        f'<div class="sl-quiz__options">{options}</div></fieldset>'
        '<div class="sl-quiz__actions"><button type="submit" class="md-button md-button--primary sl-quiz__check">Check answer</button>'
        f'{new_button}</div>'
        '<p class="sl-quiz__feedback" role="status" aria-live="polite"></p>'
        f'<div class="sl-quiz__explanation" hidden><p class="sl-quiz__explanation-text">{esc(spec["explanation"])}</p>'
        f'{solution}{lesson}</div>'
        f'<noscript><details><summary>Show the answer</summary><p>Answer: {esc(answer_text)} '
        f'{esc(spec["explanation"])}</p>{solution}</details></noscript>'
        "</form>")


_OPEN = re.compile(r"^(?P<indent>[ \t]*)```(?P<kind>synthlab-demo|synthlab-quiz|synthlab-train)[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")


def replace_blocks(markdown: str, run_demo: Callable[[dict], dict | None], where: str = "",
                   link: Callable[[str], str] = lambda target: target) -> tuple[str, list[dict]]:
    """Replace every demo/quiz fence in ``markdown``; return new text and the specs found.

    Blocks shown as examples inside another fence (e.g. a ````markdown block) are left alone.
    """
    found: list[dict] = []
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    outer: str | None = None  # the fence we are inside, if any
    while i < len(lines):
        line = lines[i]
        if outer is not None:
            out.append(line)
            stripped = line.strip()
            if stripped.startswith(outer) and set(stripped) == {outer[0]}:
                outer = None
            i += 1
            continue
        opening = _OPEN.match(line)
        if opening is None:
            fence = _FENCE.match(line)
            if fence:
                outer = fence.group("fence")
            out.append(line)
            i += 1
            continue
        indent, kind = opening.group("indent"), opening.group("kind")
        body_lines = []
        i += 1
        while i < len(lines) and lines[i].rstrip() != indent + "```":
            body_lines.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        if i == len(lines):
            raise BlockError(f"{where}: a ```{kind} block is never closed")
        i += 1
        body = "\n".join(body_lines)
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
