"""```synthlab-train blocks: a live training widget for a generator demo (issue 16).

The block names a ``synthlearn`` generator function that yields frames (``synthlearn.deep.frames``)
and its controls, in the same YAML format as ```synthlab-demo (controls are validated by the same
code in blocks.py). At build time the function runs natively at its defaults with ``figure=True`` and its
last frame becomes the static result, so the page reads without JavaScript. In the browser,
``assets/synthlab/stream.mjs`` streams fresh frames from the worker.
"""

from __future__ import annotations

import inspect
import json

from blocks import BlockError, check_controls, defaults, esc, load_block, render_control, render_result, resolve, slug

TRAIN_KEYS = {"function", "title", "intro", "controls", "id"}
_FRAMES: dict[str, dict] = {}  # one native run per (function, defaults) and build process


def parse_train(body: str) -> dict:
    """Validate a train block against its generator function; return the spec."""
    spec = load_block(body, "synthlab-train", TRAIN_KEYS)
    for key in ("function", "title"):
        if not spec.get(key):
            raise BlockError(f"synthlab-train: '{key}' is required")
    func = resolve(spec["function"])
    if not inspect.isgeneratorfunction(func):
        raise BlockError(f"synthlab-train: {spec['function']} must be a generator function that yields frames")
    params = inspect.signature(func).parameters
    if "figure" not in params:
        raise BlockError(f"synthlab-train: {spec['function']} needs a 'figure' parameter (the static result's figure)")
    check_controls(spec, "synthlab-train", params)
    spec.setdefault("id", slug(spec["function"].split(".")[-1]))
    spec["intro"] = (spec.get("intro") or "").strip()
    spec["packages"] = ["numpy"]  # frames are drawn in the page: no matplotlib in the browser
    return spec


def last_frame(spec: dict) -> dict:
    """Run the block's function natively at its defaults; its last frame (with a figure)."""
    key = json.dumps([spec["function"], defaults(spec)], sort_keys=True)
    if key in _FRAMES:
        return _FRAMES[key]
    func = resolve(spec["function"])
    frame = None
    try:
        for frame in func(**defaults(spec), figure=True):
            pass
    except Exception as exc:  # a demo failing at its defaults is a bug: stop the build
        raise BlockError(f"{spec['function']} failed at build time: {exc!r}") from exc
    if not frame:
        raise BlockError(f"{spec['function']} yielded no frame at its defaults")
    _FRAMES[key] = frame
    return frame


def render_train(spec: dict, frame: dict) -> str:
    """The widget's HTML: title, intro, controls, Train/Pause/Resume/Stop, status, static frame."""
    wid = f"train-{spec['id']}"
    controls = "".join(render_control(wid, c) for c in spec["controls"])
    config = json.dumps({"function": spec["function"], "packages": spec["packages"], "defaults": defaults(spec)})
    static = render_result({k: frame.get(k) for k in ("summary", "metrics", "figures")})
    status = (f"Showing the last frame of a run made when this page was built ({frame['step']} steps, default "
              "settings). Press Train to train the model in your browser and watch it learn.")
    buttons = ('<button type="submit" class="md-button md-button--primary sl-train__start">Train</button>'
               '<button type="button" class="md-button sl-train__pause" disabled>Pause</button>'
               '<button type="button" class="md-button sl-train__resume" hidden disabled>Resume</button>'
               '<button type="button" class="md-button sl-train__stop" disabled>Stop</button>')
    return (
        f'<div class="sl-train" id="{esc(wid)}" data-state="static" data-config="{esc(config)}" role="group" '
        f'aria-labelledby="{esc(wid)}-title">'
        f'<p class="sl-train__title" id="{esc(wid)}-title"><strong>Live training · {esc(spec["title"])}</strong></p>'
        + (f'<p class="sl-train__intro">{esc(spec["intro"])}</p>' if spec["intro"] else "")
        + f'<form class="sl-train__controls" aria-label="Settings for {esc(spec["title"])}">{controls}'
        f'<div class="sl-train__actions">{buttons}</div></form>'
        f'<progress class="sl-train__progress" max="{int(frame["total"])}" value="0" hidden aria-label="Training progress"></progress>'
        f'<p class="sl-train__status" role="status" aria-live="polite">{esc(status)}</p>'
        '<div class="sl-train__error" role="alert" hidden></div>'
        f'<div class="sl-train__output" aria-busy="false">{static}</div>'
        '<noscript><p class="sl-train__noscript">JavaScript is off, so the model cannot train here; the result '
        "above is the last frame of the run made at build time.</p></noscript>"
        "</div>")
