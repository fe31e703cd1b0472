"""Turn ```synthlab-demo and ```synthlab-quiz blocks (and, through trainblocks.py,
```synthlab-train blocks) into accessible HTML.

Pure functions, unit-tested without MkDocs; ``synthlab.py`` only wires them to events. What the
block kinds share (the fence scanner, controls, partials) is in ``blocks.py``.
A demo block declares a ``synthlearn`` function and its controls; at build time the
function runs natively at the defaults and its result is rendered as static HTML, so
the page reads well before (or without) Python in the browser. The browser's runtime
re-renders the same structure from the same JSON (``assets/synthlab/runtime.mjs``).
"""

from __future__ import annotations

import inspect
import json
import re
from typing import Any, Callable, Iterator

import markdown
import trainblocks
from blocks import (
    PYODIDE_PACKAGES,
    BlockError,
    check_controls,
    defaults,
    esc,
    load_block,
    render,
    render_control,
    render_result,
    render_table,
    resolve,
    scan,
    slug,
)
from markupsafe import Markup

__all__ = ["BlockError", "defaults", "esc", "find_blocks", "parse_demo", "parse_quiz", "render_control", "render_demo",
           "render_quiz", "render_result", "render_table", "replace_blocks", "resolve", "slug"]

DEMO_KEYS = {"function", "title", "intro", "packages", "figure", "controls", "id"}
#: A quiz's worked solution (issue 13 §4), all optional: ``solution`` is Markdown; the others are
#: lists of short Markdown items. ``explanation`` (required) is the pedagogical explanation.
WORKED_LISTS = (("definitions", "Key definitions"), ("rules", "Important rules"), ("tips", "Tips"),
                ("mistakes", "Common mistakes"))
WORKED_KEYS = ("solution",) + tuple(key for key, _ in WORKED_LISTS)
QUIZ_KEYS = {"id", "question", "options", "answer", "explanation", "lesson", "generator", *WORKED_KEYS}


# -- parsing --------------------------------------------------------------------------
def parse_demo(body: str) -> dict:
    """Validate a demo block's YAML against the function it names; return the spec."""
    spec = load_block(body, "synthlab-demo", DEMO_KEYS)
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
    check_controls(spec, "synthlab-demo", params)
    spec.setdefault("id", slug(spec["function"].split(".")[-2]))
    spec["intro"] = (spec.get("intro") or "").strip()
    return spec


def parse_quiz(body: str) -> dict:
    """Validate a quiz block; a generated quiz is rendered from its generator at seed 0."""
    spec = load_block(body, "synthlab-quiz", QUIZ_KEYS)
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


def _scan(markdown: str, where: str = "") -> Iterator[tuple[str, str, str]]:
    """The page's text and its demo, quiz and train blocks (blocks.scan)."""
    return scan(markdown, ("synthlab-demo", "synthlab-quiz", "synthlab-train"),
                lambda kind: BlockError(f"{where}: a ```{kind} block is never closed"))


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
