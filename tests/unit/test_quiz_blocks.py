"""Quiz blocks: text fields must be text (the build names the page), and the worked-solution
format (issue 13 §4) renders accessibly, readable without JavaScript."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

import demoblocks

ROOT = Path(__file__).resolve().parents[2]

QUIZ = """```synthlab-quiz
id: trade-off
question: What does maximal privacy cost?
options:
  - Nothing.
  - "Both are lost: noise carries no pattern."
answer: 1
explanation: Output cannot reproduce patterns it never saw.
{extra}```
"""

WORKED = """solution: |
  1. Take **maximal privacy**: the output ignores the data.
  2. Then no statistic of the data survives.
definitions:
  - "*Fidelity*: how close the synthetic distribution is to the real one."
rules:
  - Privacy and fidelity pull against each other.
tips:
  - Try the two extremes first.
mistakes:
  - "Thinking that synthetic means private."
"""


def render(extra: str = "") -> str:
    html, found = demoblocks.replace_blocks(QUIZ.format(extra=extra), lambda spec: None, where="course/quiz.md")
    assert [b["kind"] for b in found] == ["quiz"]
    return html


@pytest.mark.parametrize("body, message", [
    (QUIZ.format(extra="").replace('"Both are lost: noise carries no pattern."', "Both are lost: noise carries no pattern."),
     r"course/quiz.md: synthlab-quiz trade-off: option 2 must be text, not dict .*quote the text"),
    (QUIZ.format(extra="").replace("  - Nothing.", "  - 42"), r"course/quiz.md: .*option 1 must be text, not int"),
    (QUIZ.format(extra="").replace("explanation: Output cannot", "explanation:\n  - Output cannot"),
     r"course/quiz.md: .*'explanation' must be text, not list"),
    (QUIZ.format(extra="tips: Try both.\n"), r"course/quiz.md: .*'tips' must be a list of texts"),
    (QUIZ.format(extra="rules:\n  - Rule: one.\n"), r"course/quiz.md: .*item 1 of 'rules' must be text, not dict"),
])
def test_text_that_yaml_turned_into_something_else_fails_the_build(body, message):
    with pytest.raises(demoblocks.BlockError, match=message):
        demoblocks.replace_blocks(body, lambda spec: None, where="course/quiz.md")


def test_every_course_and_guide_quiz_has_text_options():
    pages = sorted((ROOT / "docs").rglob("*.md"))
    checked = 0
    for page in pages:
        for kind, body in demoblocks.find_blocks(page.read_text(encoding="utf-8"), where=str(page)):
            if kind == "synthlab-quiz":
                spec = demoblocks.parse_quiz(body)
                assert all(isinstance(o, str) for o in spec["options"]), page
                checked += 1
    assert checked >= 10


class _Tree(HTMLParser):
    """Tags with their ancestors, to ask where an element sits."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.found: list[tuple[str, dict, list[tuple[str, dict]]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.found.append((tag, a, list(self.stack)))
        if tag not in ("input", "img", "br"):
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass


def test_a_worked_solution_shows_after_an_attempt_and_reads_without_javascript():
    html = render(WORKED)
    tree = _Tree()
    tree.feed(html)
    boxes = [f for f in tree.found if "sl-quiz__solution" in f[1].get("class", "").split()]
    assert len(boxes) == 2 and all(tag == "details" and "open" not in attrs for tag, attrs, _ in boxes)
    (_, _, after_attempt), (_, _, no_js) = boxes
    # with JavaScript: inside the explanation the runtime reveals once the reader has answered
    assert any("sl-quiz__explanation" in a.get("class", "") and "hidden" in a for _, a in after_attempt)
    # without JavaScript: in the answer box
    assert [t for t, _ in no_js][-2:] == ["noscript", "details"]
    solution = html[html.index('<details class="sl-quiz__solution">'):]
    solution = solution[:solution.index("</details>")]
    assert "<summary>Worked solution</summary>" in solution
    assert "<strong>maximal privacy</strong>" in solution and "<ol>" in solution      # Markdown, rendered
    for title in ("Key definitions", "Important rules", "Tips", "Common mistakes"):
        assert title in solution
    assert "<li><em>Fidelity</em>: how close" in solution                          # one-line items unwrapped
    assert "\n" not in html.strip()                              # one raw HTML line in the page's Markdown


def test_without_worked_fields_there_is_no_solution():
    assert "sl-quiz__solution" not in render()
