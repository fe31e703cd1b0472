"""Graded code exercises in the browser: feedback, success and progress, the time limit,
hints, the solution's release, persistence, keyboard use, axe-core. Waits on data-state only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import PYTHON_READY_TIMEOUT

sys.path.insert(0, str(Path(__file__).resolve().parent / "vendor"))
import fetch_axe  # noqa: E402

pytestmark = pytest.mark.e2e
FINISHED = "['done', 'error', 'timeout'].includes(document.querySelector(sel).dataset.state)"


def sel(exercise_id: str) -> str:
    return f"#exercise-{exercise_id}"


def spec(page, exercise_id: str) -> dict:
    return json.loads(page.locator(sel(exercise_id)).get_attribute("data-spec"))


def wait_ready(page, exercise_id: str) -> None:
    page.wait_for_function("sel => ['ready', 'done', 'error', 'timeout'].includes(document.querySelector(sel)?.dataset.state)",
                           arg=sel(exercise_id), timeout=30_000)


def set_code(page, exercise_id: str, code: str) -> None:
    page.evaluate("([s, code]) => document.querySelector(s).editor.setValue(code)", [sel(exercise_id), code])


def editor_text(page, exercise_id: str) -> str:
    return page.evaluate("s => document.querySelector(s).editor.getValue()", sel(exercise_id))


def press(page, exercise_id: str, button: str, timeout: float = PYTHON_READY_TIMEOUT) -> str:
    """Click Run or Check and wait for the verdict; returns the final data-state."""
    page.click(f"{sel(exercise_id)} .sl-exercise__{button}")
    page.wait_for_function(f"sel => {FINISHED}", arg=sel(exercise_id), timeout=timeout)
    return page.locator(sel(exercise_id)).get_attribute("data-state")


def results(page, exercise_id: str) -> list[tuple[bool, str]]:
    return page.eval_on_selector_all(f"{sel(exercise_id)} .sl-exercise__result",
                                     "els => els.map(e => [e.dataset.passed === 'true', e.textContent])")


@pytest.fixture(scope="module")
def ex_page(watched_page):
    page, watch = watched_page
    page.goto("guide/exercises/")
    page.evaluate("localStorage.clear()")
    page.reload()
    return page, watch


def test_wrong_answer_gets_specific_feedback(ex_page):
    page, _ = ex_page
    wait_ready(page, "laplace-count")
    assert page.locator(sel("laplace-count") + " .cm-editor").count() == 1  # CodeMirror, not the fallback
    assert press(page, "laplace-count", "check") == "done"
    assert page.locator(sel("laplace-count")).get_attribute("data-verdict") == "failed"
    verdicts = results(page, "laplace-count")
    assert [ok for ok, _ in verdicts] == [True, True, False, False]
    # the starter uses scale ε instead of 1/ε: the message gives the measured scale and the expected one
    assert "mean absolute noise (the Laplace scale) is 0.4" in verdicts[2][1] and "expected 2 ±" in verdicts[2][1]


def test_error_points_at_the_learners_line(ex_page):
    page, _ = ex_page
    set_code(page, "tstr", "import numpy as np\n\ndef tstr(X_syn, y_syn, X_test, y_test):\n    return 1 / 0\n")
    assert press(page, "tstr", "check") == "done"
    text = page.locator(sel("tstr") + " .sl-exercise__results").inner_text()
    assert "ZeroDivisionError" in text and "line 4" in text
    assert "synthlearn" not in page.locator(sel("tstr") + " .sl-exercise__traceback").first.inner_text()
    page.click(sel("tstr") + " .sl-exercise__goto")
    assert page.evaluate("s => { const v = document.querySelector(s).editor.view; "
                         "return v.state.doc.lineAt(v.state.selection.main.head).number; }", sel("tstr")) == 4
    assert press(page, "tstr", "run") == "done"  # defining the function raises nothing
    assert "Your code ran" in page.locator(sel("tstr") + " .sl-exercise__output").inner_text()
    set_code(page, "tstr", "def f(x):\n    return x[3]\n\nf([1, 2])")
    assert press(page, "tstr", "run") == "error"
    trace = page.locator(sel("tstr") + " .sl-exercise__output .sl-exercise__traceback").inner_text()
    assert trace == "line 4, in your code: f([1, 2])\nline 2, in f: return x[3]\nIndexError: list index out of range"
    set_code(page, "tstr", "x = 2\nprint('hello', x)\nx * 21")
    assert press(page, "tstr", "run") == "done"
    out = page.locator(sel("tstr") + " .sl-exercise__output").inner_text()
    assert "hello 2" in out and "42" in out


def test_hints_one_at_a_time(ex_page):
    page, _ = ex_page
    base = sel("inverse-transform")
    wait_ready(page, "inverse-transform")
    hints = page.locator(base + " .sl-exercise__hint-text")
    assert hints.count() == 2
    assert not hints.nth(0).is_visible()
    page.click(base + " .sl-exercise__hint")
    assert hints.nth(0).is_visible() and not hints.nth(1).is_visible()
    page.click(base + " .sl-exercise__hint")
    assert hints.nth(1).is_visible()
    assert page.locator(base + " .sl-exercise__hint").is_disabled()


def test_solution_only_after_the_attempt_limit(ex_page):
    page, _ = ex_page
    base = sel("inverse-transform")
    limit = spec(page, "inverse-transform")["attempts"]
    for attempt in range(limit):
        assert not page.locator(base + " .sl-exercise__show-solution").is_visible()
        press(page, "inverse-transform", "check")
        assert page.locator(base).get_attribute("data-verdict") == "failed"
    show = page.locator(base + " .sl-exercise__show-solution")
    assert show.is_visible()
    show.click()
    assert page.locator(base + " .sl-exercise__solution").is_visible()
    assert "np.ceil(u * len(x))" in page.locator(base + " .sl-exercise__solution").inner_text()


def test_reference_passes_and_persists_across_reload(ex_page):
    page, _ = ex_page
    reference = spec(page, "gaussian-copula")["solution"]
    set_code(page, "gaussian-copula", reference)
    assert press(page, "gaussian-copula", "check") == "done"
    assert page.locator(sel("gaussian-copula")).get_attribute("data-verdict") == "passed"
    assert all(ok for ok, _ in results(page, "gaussian-copula"))
    assert page.locator(sel("gaussian-copula") + " .sl-exercise__show-solution").is_visible()
    set_code(page, "laplace-count", "# my work in progress\n")
    page.wait_for_function("() => (JSON.parse(localStorage.getItem('synthlab-exercises-v1') || '{}')"
                           "['laplace-count'] || {}).code === '# my work in progress\\n'")
    page.reload()
    wait_ready(page, "laplace-count")
    wait_ready(page, "gaussian-copula")
    assert editor_text(page, "laplace-count") == "# my work in progress\n"
    assert editor_text(page, "gaussian-copula") == reference
    assert "Solved" in page.locator(sel("gaussian-copula") + " .sl-exercise__status").inner_text()
    assert page.locator(sel("inverse-transform") + " .sl-exercise__show-solution").is_visible()  # attempts kept
    page.click(sel("laplace-count") + " .sl-exercise__reset")
    assert editor_text(page, "laplace-count") == spec(page, "laplace-count")["starter"]


def test_corrupt_store_resets_cleanly(ex_page):
    page, watch = ex_page
    page.evaluate("localStorage.setItem('synthlab-exercises-v1', '{\"laplace-count\": {\"code\": 5}}')")
    page.reload()
    wait_ready(page, "laplace-count")
    assert editor_text(page, "laplace-count") == spec(page, "laplace-count")["starter"]
    assert page.evaluate("localStorage.getItem('synthlab-exercises-v1')") is None
    assert watch.errors == []


def test_keyboard_only(ex_page):
    page, _ = ex_page
    base = sel("laplace-count")
    wait_ready(page, "laplace-count")
    page.locator(base + " .cm-content").focus()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("x = 6\n")
    page.keyboard.type("x * 7")
    page.keyboard.press("Control+Enter")  # Run from inside the editor
    page.wait_for_function(f"sel => {FINISHED}", arg=base, timeout=PYTHON_READY_TIMEOUT)
    assert page.locator(base + " .sl-exercise__value").inner_text() == "42"
    page.locator(base + " .cm-content").focus()
    page.keyboard.press("Tab")  # Tab indents inside the editor…
    assert page.evaluate("() => document.activeElement.classList.contains('cm-content')")
    page.keyboard.press("Escape")  # …Escape, then Tab moves on
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('sl-exercise__run')")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('sl-exercise__check')")
    page.keyboard.press("Enter")
    page.wait_for_function(f"sel => {FINISHED}", arg=base, timeout=PYTHON_READY_TIMEOUT)
    assert page.locator(base).get_attribute("data-verdict") == "failed"


def test_widgets_pass_axe_with_feedback_hints_and_solution_shown(ex_page):
    page, _ = ex_page
    wait_ready(page, "tstr")
    press(page, "tstr", "check")  # failed checks shown
    page.click(sel("tstr") + " .sl-exercise__hint")
    page.evaluate("s => { document.querySelector(s).hidden = false; }", sel("tstr") + " .sl-exercise__solution")
    page.add_script_tag(content=fetch_axe.fetch().read_text(encoding="utf-8"))
    found = page.evaluate("""async () => (await axe.run(document.querySelectorAll('.sl-exercise'),
        {resultTypes: ['violations']})).violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""")
    assert found == []


def test_infinite_loop_stops_then_works_again(ex_page):
    page, watch = ex_page
    page.goto("course/methods/")
    wait_ready(page, "arrivals-simulator")
    set_code(page, "arrivals-simulator", "t = 0\nwhile t < 1:\n    t = t * 2\n")
    limit = spec(page, "arrivals-simulator")["time_limit"]
    assert press(page, "arrivals-simulator", "run") == "timeout"
    message = page.locator(sel("arrivals-simulator") + " .sl-exercise__output").inner_text()
    assert f"more than {limit} s" in message and "restarted" in message
    set_code(page, "arrivals-simulator", spec(page, "arrivals-simulator")["solution"])
    assert press(page, "arrivals-simulator", "check") == "done"
    assert page.locator(sel("arrivals-simulator")).get_attribute("data-verdict") == "passed"


def test_solved_exercise_counts_toward_progress(ex_page):
    page, watch = ex_page
    page.goto("course/")
    line = page.locator(".sl-exercise-progress")
    line.wait_for()
    assert line.get_attribute("data-total") == "6"
    assert line.get_attribute("data-solved") == "1"  # the methods exercise solved above
    done = page.eval_on_selector_all(".sl-progress li", "els => els.map(e => e.dataset.done)")
    assert done[3] == "true"  # lesson 4 (methods) counts as done
    assert watch.errors == []
