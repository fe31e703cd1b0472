"""Every ```synthlab-exercise block on the site: its reference solution passes every hidden check
natively and its starter code fails at least one; the block format is validated and rendered."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
sys.path.insert(0, str(ROOT))
import exerciseblocks  # noqa: E402

from tools import editor_dist  # noqa: E402

PAGES = sorted((ROOT / "docs").rglob("*.md"))
ALL = [(page.relative_to(ROOT / "docs").as_posix(), spec)
       for page in PAGES for spec in exerciseblocks.exercises_in(page.read_text(encoding="utf-8"))]
LESSONS = ["definition", "motivations", "taxonomy", "methods", "evaluation", "checkpoint"]

GOOD = """```synthlab-exercise
id: add
title: Add two numbers
prompt: Write `add(a, b)`.
starter: |
  def add(a, b):
      return a - b
solution: |
  def add(a, b):
      return a + b
checks:
  - name: add(1, 2) is 3
    code: expect(add(1, 2) == 3, f"add(1, 2) returned {add(1, 2)!r}, expected 3.")
hints: [Use the + operator.]
```"""


def test_every_lesson_has_an_exercise_and_the_guide_four():
    pages = {page for page, _ in ALL}
    for lesson in LESSONS:
        assert f"course/{lesson}.md" in pages, lesson
    assert sum(page == "guide/exercises.md" for page, _ in ALL) >= 4
    ids = [spec["id"] for _, spec in ALL]
    assert len(ids) == len(set(ids)), "exercise ids must be unique across the site (they key the browser store)"


@pytest.mark.parametrize("page,spec", ALL, ids=[spec["id"] for _, spec in ALL])
def test_reference_passes_and_starter_fails(page, spec):
    reports = exerciseblocks.validate(spec)
    assert reports["solution"]["passed"] and all(r["passed"] for r in reports["solution"]["results"])
    starter = reports["starter"]
    assert starter["error"] or any(not r["passed"] for r in starter["results"])
    for result in starter["results"]:  # feedback is a sentence, never empty
        assert result["passed"] or len(result["message"]) > 20, (spec["id"], result)
    assert spec["hints"], f"{spec['id']} has no hints"


def test_block_is_rendered_with_a_no_js_fallback():
    text, found = exerciseblocks.replace_blocks(GOOD, where="x.md")
    assert [spec["id"] for spec in found] == ["add"]
    block = [line for line in text.split("\n") if "sl-exercise" in line]
    assert len(block) == 1, "the widget must be one raw-HTML line so Markdown leaves it alone"
    line = block[0]
    assert 'data-state="static"' in line
    noscript = re.search(r"<noscript>(.*)</noscript>", line).group(1)
    assert "<details><summary>Show the solution</summary>" in noscript and "return a + b" in noscript
    assert "return a - b" in line  # the starter is shown statically
    data = json.loads(html.unescape(re.search(r'data-spec="([^"]*)"', line).group(1)))
    assert data["solution"].endswith("return a + b\n") and data["checks"][0]["name"] == "add(1, 2) is 3"


def test_code_is_escaped():
    text, _ = exerciseblocks.replace_blocks(GOOD.replace("return a - b", "return a < b  # </pre><script>"), where="x.md")
    assert "<script>" not in text and "&lt;/pre&gt;&lt;script&gt;" in text


@pytest.mark.parametrize("change,message", [
    (("return a + b", "return a * b"), "the reference solution fails check(s) 'add(1, 2) is 3'"),
    (("return a - b", "return a + b"), "the starter code already passes every check"),
    (("hints: [Use the + operator.]", "hints: [x]\ncolour: red"), "unknown key(s) ['colour']"),
    (("id: add", "id: Add It"), "id must be lower-case"),
    (("return a + b", "return a +"), "the reference solution fails to run: SyntaxError"),
])
def test_bad_blocks_fail_the_build_naming_the_page(change, message):
    with pytest.raises(exerciseblocks.ExerciseError) as info:
        exerciseblocks.replace_blocks(GOOD.replace(*change), where="course/x.md")
    assert str(info.value).startswith("course/x.md: ") and message in str(info.value)


def test_blocks_inside_another_fence_are_examples():
    doc = "````markdown\n" + GOOD + "\n````\n"
    text, found = exerciseblocks.replace_blocks(doc, where="x.md")
    assert found == [] and text == doc


def test_editor_bundle_matches_its_pinned_hash():
    data = editor_dist.verified_bundle(auto_build=False) if editor_dist.BUNDLE.exists() else None
    if data is None:
        pytest.skip("run `make editor` first")
    assert editor_dist.sha256(data) == editor_dist.PINNED.read_text().strip()
    assert b"createEditor" in data


def test_tampered_editor_bundle_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "codemirror.mjs"
    fake.write_bytes(b"export function createEditor() {}")
    monkeypatch.setattr(editor_dist, "BUNDLE", fake)
    with pytest.raises(editor_dist.VerificationError, match="not the pinned"):
        editor_dist.verified_bundle(auto_build=False)
