"""Explainer, FAQ, framework and problem set in the browser: pages load clean, demos run by mouse
and keyboard with the native numbers, problems are graded right and wrong."""

from __future__ import annotations

import json
import math

import pytest
from conftest import PYTHON_READY_TIMEOUT, first_run, metric_values, wait_runs

from synthlearn.app.bridge import resolve

pytestmark = pytest.mark.e2e
PAGES = ["what-is-synthetic-data/", "faq/", "framework/", "course/problems/"]


def shown_params(page, demo: str) -> dict:
    return page.eval_on_selector_all(demo + " [data-type]", """els => Object.fromEntries(els.map(e =>
        [e.name, e.dataset.type === 'checkbox' ? e.checked : e.dataset.type === 'select' ? e.value : Number(e.value)]))""")


def assert_native(page, demo: str) -> None:
    config = json.loads(page.locator(demo).get_attribute("data-config"))
    native = resolve(config["function"])(**shown_params(page, demo))
    shown = metric_values(page, demo)
    expected = {m["key"]: m for m in native["metrics"]}
    assert shown.keys() == expected.keys(), demo
    for key, (value, text) in shown.items():
        assert text == expected[key]["text"], (demo, key)
        if value is not None:
            assert math.isclose(value, expected[key]["value"], rel_tol=1e-9, abs_tol=1e-12), (demo, key)
    assert page.locator(demo + " .sl-result__summary").inner_text() == native["summary"]


@pytest.fixture(scope="module")
def site(watched_page):
    return watched_page


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_clean(site, path):
    page, watch = site
    page.goto(path)
    assert page.locator("article h1").count() == 1
    for demo in page.eval_on_selector_all(".sl-demo", "els => els.map(e => '#' + e.id)"):
        first_run(page, demo)
    assert watch.errors == [], watch.errors


def test_nearest_real_by_keyboard_matches_native(site):
    page, watch = site
    page.goto("what-is-synthetic-data/")
    demo = "#demo-nearest-real"
    runs = first_run(page, demo)
    assert_native(page, demo)
    select = page.locator(demo + " select[name=model]")
    select.focus()
    select.select_option("kde_overfit")   # a keyboard user changes a select the same way
    runs = wait_runs(page, demo, runs)
    assert_native(page, demo)
    assert "Memorised" in page.locator(demo + " .sl-result__summary").inner_text()
    assert watch.errors == []


def test_compute_cost_remeasures_on_run_by_mouse_and_keyboard(site):
    page, watch = site
    page.goto("faq/")
    demo = "#demo-compute-cost"
    runs = first_run(page, demo)
    page.locator(demo + " select[name=tables]").select_option("adult")
    runs = wait_runs(page, demo, runs)
    page.locator(demo + " .sl-run").click()                    # mouse
    runs = wait_runs(page, demo, runs)
    page.locator(demo + " .sl-run").focus()
    page.keyboard.press("Enter")                                 # keyboard
    runs = wait_runs(page, demo, runs)
    values = metric_values(page, demo)
    assert set(values) == {"adult_independent", "adult_gaussian_copula", "adult_dp_mst"}
    assert all(v > 0 for v, _ in values.values())
    assert page.locator(demo + " .sl-result__summary").inner_text().startswith("Measured 3 fit-and-sample runs")
    assert watch.errors == []


def test_problems_graded_right_and_wrong(site):
    page, watch = site
    page.goto("course/problems/")
    # problem 2: a wrong and a right statement, graded with reasons
    claims = "#demo-privacy-claims"
    runs = first_run(page, claims)
    page.locator(claims + " select[name=inherent]").select_option("true")
    runs = wait_runs(page, claims, runs)
    page.locator(claims + " select[name=dp_process]").select_option("true")
    runs = wait_runs(page, claims, runs)
    assert_native(page, claims)
    text = page.locator(claims + " .sl-demo__output").inner_text()
    assert "Not quite: it is false" in text and "Right: it is true" in text
    # problem 3: checkboxes by keyboard; the grade follows
    bank = "#demo-bank-design"
    runs = first_run(page, bank)
    page.locator(bank + " input[name=check_recall]").focus()
    page.keyboard.press("Space")
    runs = wait_runs(page, bank, runs)
    assert_native(page, bank)
    # problem 4: add the DCR check by mouse; the near-copy is now caught
    cohort = "#demo-cohort-validation"
    runs = first_run(page, cohort)
    page.locator(cohort + " label[for$=-dcr]").click()
    runs = wait_runs(page, cohort, runs)
    assert_native(page, cohort)
    assert "Flaw B, the near-copy, is caught by: DCR share" in page.locator(cohort).inner_text()
    # quizzes: wrong then right by mouse, worked solution shown after the attempt
    quiz = page.locator(".sl-quiz").first
    data = json.loads(quiz.get_attribute("data-question"))
    assert not quiz.locator(".sl-quiz__solution").is_visible()
    wrong = next(i for i in range(len(data["options"])) if i != data["answer"])
    quiz.locator(f"label[for$='-{wrong}']").click()
    quiz.locator(".sl-quiz__check").click()
    page.wait_for_function("el => el.dataset.state === 'answered'", arg=quiz.element_handle(),
                           timeout=PYTHON_READY_TIMEOUT)
    assert quiz.get_attribute("data-correct") == "false"
    assert quiz.locator(".sl-quiz__solution").is_visible()
    quiz.locator(".sl-quiz__solution summary").click()
    assert quiz.locator(".sl-quiz__worked").is_visible()
    # keyboard: the last quiz answered right
    last = page.locator(".sl-quiz").last
    data = json.loads(last.get_attribute("data-question"))
    last.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")
    for _ in range(data["answer"]):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("el => el.dataset.state === 'answered'", arg=last.element_handle())
    assert last.get_attribute("data-correct") == "true"
    assert watch.errors == []


def test_cli_transcript_runs_in_the_browser(site):
    page, watch = site
    page.goto("lab/cli/")
    demo = "#demo-cli-transcript"
    first_run(page, demo)
    assert "report: overall quality" in page.locator(demo + " .sl-demo__output").inner_text()
    assert watch.errors == []
