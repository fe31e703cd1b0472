"""The course end to end: every lesson loads cleanly; every demo answers every control with
the native numbers; quizzes work by keyboard and mouse; progress survives reloads."""

from __future__ import annotations

import pytest
from conftest import PYTHON_READY_TIMEOUT, answer_quiz, assert_native, demo_ids, quiz_answer, wait_runs

pytestmark = pytest.mark.e2e
LESSONS = ["definition", "motivations", "taxonomy", "methods", "evaluation", "checkpoint"]


def new_value(field) -> tuple[str, str]:
    """A different valid value for a control: (how, value)."""
    kind = field.get_attribute("data-type")
    if kind == "select":
        options = field.locator("option").evaluate_all("os => os.map(o => o.value)")
        current = field.input_value()
        return "select", next(o for o in options if o != current)
    if kind == "checkbox":
        return "click", ""
    lo, hi, current = (float(field.get_attribute(a)) for a in ("min", "max", "value"))
    target = hi if current != hi else lo
    text = str(int(target)) if target.is_integer() else str(target)
    return "fill", text


def set_value(field, how: str, value) -> None:
    if how == "select":
        field.select_option(value)
    elif how == "click":
        field.click()
    else:
        field.fill(value)


@pytest.fixture(scope="module")
def course_page(watched_page):
    return watched_page


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_demos_answer_every_control_like_native(course_page, lesson):
    page, watch = course_page
    page.goto(f"course/{lesson}/")
    assert page.locator("article h1").count() == 1
    for demo in demo_ids(page):
        assert page.locator(demo).get_attribute("data-state") == "static"   # Python starts on intent, not on load
        assert_native(page, demo)                                           # the build-time result
        for field in page.locator(demo + " [data-type]").all():
            # each control is changed from the defaults, then put back
            runs = int(page.locator(demo).get_attribute("data-runs") or 0)
            before = page.locator(demo + " .sl-demo__output").inner_html()
            how, value = new_value(field)
            old = field.input_value() if how != "click" else None
            set_value(field, how, value)
            runs = wait_runs(page, demo, runs)
            assert_native(page, demo)
            assert page.locator(demo + " .sl-demo__output").inner_html() != before, (demo, field.get_attribute("name"))
            set_value(field, how, old)
            wait_runs(page, demo, runs)
    assert watch.errors == [], watch.errors


def test_no_external_requests_in_the_course(course_page, local_site):
    _, watch = course_page
    assert watch.external(local_site) == []


def test_quiz_by_keyboard_and_mouse(course_page):
    page, watch = course_page
    page.goto("course/checkpoint/")
    quizzes = page.locator(".sl-quiz")
    count = quizzes.count()
    assert count >= 6
    first = quizzes.nth(0)
    right, wrong = quiz_answer(first)
    # mouse: a wrong answer, then the right one
    assert answer_quiz(page, first, wrong) is False
    assert first.locator(".sl-quiz__explanation").is_visible()
    assert answer_quiz(page, first, right) is True
    # keyboard only: focus the first radio of the second quiz, arrow to the answer, Enter submits
    second = quizzes.nth(1)
    assert answer_quiz(page, second, quiz_answer(second)[0], keyboard=True) is True
    assert watch.errors == []


def test_generated_question_has_fresh_numbers_graded_by_python(course_page):
    page, _ = course_page
    quiz = page.locator(".sl-quiz[data-generator]").first
    page.wait_for_function("el => el.dataset.state === 'ready' && el.querySelector('.sl-quiz__feedback').textContent === ''",
                           arg=quiz.element_handle(), timeout=PYTHON_READY_TIMEOUT)
    first_tables = quiz.locator(".sl-quiz__extra").inner_text()
    quiz.locator(".sl-quiz__new").click()
    page.wait_for_function("([el, old]) => el.dataset.state === 'ready' && el.querySelector('.sl-quiz__extra').innerText !== old",
                           arg=[quiz.element_handle(), first_tables])
    quiz.locator("input[type=radio]").first.check()
    quiz.locator(".sl-quiz__check").click()
    page.wait_for_function("el => el.dataset.state === 'answered'", arg=quiz.element_handle())
    assert quiz.locator(".sl-quiz__feedback").inner_text()


def test_progress_counts_survives_reload_and_corrupt_store(course_page):
    page, _ = course_page
    page.goto("course/")
    page.locator(".sl-progress__reset").click()
    assert page.locator(".sl-progress").get_attribute("data-count") == "0"
    # a lesson counts when its demo is used ...
    page.goto("course/methods/")
    runs = int(page.locator("#demo-fit-sample").get_attribute("data-runs") or 0)
    page.locator("#demo-fit-sample-method").select_option("kde")
    wait_runs(page, "#demo-fit-sample", runs)
    # ... or when it is read to its end
    page.goto("course/definition/")
    page.locator(".sl-lesson-end").scroll_into_view_if_needed()
    # the IntersectionObserver reports asynchronously: wait for the store before leaving the page
    page.wait_for_function(
        "(JSON.parse(localStorage.getItem('synthlab-progress-v1') || '{}').basics || {}).definition === true")
    page.goto("course/")
    progress = page.locator(".sl-progress")
    page.wait_for_function("document.querySelector('.sl-progress').dataset.count === '2'")
    done = progress.locator("li").evaluate_all("lis => lis.map(li => li.dataset.done)")
    assert done == ["true", "false", "false", "true", "false", "false"]
    assert "Progress · 2 / 6" in progress.inner_text()
    page.reload()
    assert page.locator(".sl-progress").get_attribute("data-count") == "2"
    page.evaluate("localStorage.setItem('synthlab-progress-v1', '{not json')")
    page.reload()
    assert page.locator(".sl-progress").get_attribute("data-count") == "0"
    assert page.evaluate("localStorage.getItem('synthlab-progress-v1')") is None
    page.evaluate("localStorage.setItem('synthlab-progress-v1', JSON.stringify({basics: {definition: true}}))")
    page.reload()
    assert page.locator(".sl-progress").get_attribute("data-count") == "1"
    page.locator(".sl-progress__reset").click()
    assert page.locator(".sl-progress").get_attribute("data-count") == "0"


def test_checkpoint_counts_when_every_question_is_answered(course_page):
    page, _ = course_page
    page.goto("course/checkpoint/")
    quizzes = page.locator(".sl-quiz")
    page.wait_for_function("[...document.querySelectorAll('.sl-quiz')].every(q => q.dataset.state === 'ready' && !q.querySelector('.sl-quiz__feedback').textContent)",
                           timeout=PYTHON_READY_TIMEOUT)
    for i in range(quizzes.count()):
        quiz = quizzes.nth(i)
        quiz.locator("input[type=radio]").first.check()
        quiz.locator(".sl-quiz__check").click()
        page.wait_for_function("el => el.dataset.state === 'answered'", arg=quiz.element_handle())
    page.goto("course/")
    done = page.locator(".sl-progress li").evaluate_all("lis => lis.map(li => li.dataset.done)")
    assert done[-1] == "true"
