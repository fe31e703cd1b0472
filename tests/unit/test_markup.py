"""Build-time and browser renderings of a demo result are one design.

The build renders a result through the Jinja partials (overrides/partials/synthlab, via
demoblocks); the browser through runtime.mjs's renderResult. Both renderings of the same
results must give the same elements, classes, attributes and text (Node runs runtime.mjs
under a minimal DOM: tests/unit/js/render_result.mjs)."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import demoblocks
from synthlearn.demos import fit_sample, privacy_fidelity, taxonomy

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "docs" / "assets" / "synthlab" / "core" / "dom.mjs"  # renderResult lives here
SHIM = Path(__file__).resolve().parent / "js" / "render_result.mjs"
BUILD_ONLY = {"loading"}         # lazy loading of static figures: the build's only extra attribute


class _Shape(HTMLParser):
    """Elements as (tag, attributes) with their text, data-value compared as JSON."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        kept = {k: (json.loads(v) if k == "data-value" else v or "") for k, v in attrs if k not in BUILD_ONLY}
        self.items.append(("start", tag, tuple(sorted(kept.items(), key=lambda kv: kv[0]))))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", " ".join(data.split())))


def shape(markup: str) -> list[tuple]:
    parser = _Shape()
    parser.feed(markup)
    return parser.items


def browser_render(result: dict) -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    done = subprocess.run([node, str(SHIM), RUNTIME.as_uri()], input=json.dumps(result), capture_output=True,
                          text=True, check=True, timeout=60)
    return done.stdout


RESULTS = {
    "fit_sample (metrics, figure)": lambda: fit_sample.run(figure=True),
    "taxonomy (tables with marked cells)": lambda: taxonomy.run(),
    "privacy_fidelity (metrics, tables, notes)": lambda: privacy_fidelity.run(figure=False),
}


@pytest.mark.parametrize("name", list(RESULTS))
def test_build_and_browser_render_a_result_alike(name):
    result = json.loads(json.dumps(RESULTS[name]()))            # what the worker hands the page
    built = demoblocks.render_result(result)
    browser = browser_render(result)
    assert shape(built) == shape(browser)
    assert len(shape(built)) > 10                                  # a real result, not an empty one


def test_a_table_cell_mark_and_a_missing_caption_render_alike():
    table = {"columns": ["a", "b <i>"], "rows": [["1", {"text": "2", "mark": "kept"}], [{"text": "x"}, "y & z"]]}
    result = {"summary": "S", "metrics": [], "tables": [table], "figures": [], "notes": ["n"]}
    assert shape(demoblocks.render_result(result)) == shape(browser_render(result))
