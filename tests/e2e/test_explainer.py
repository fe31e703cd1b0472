"""Explainer, FAQ, framework and problem set in the browser: pages load clean, demos run by mouse
and keyboard with the native numbers, problems are graded right and wrong."""

from __future__ import annotations

import pytest
from conftest import answer_quiz, assert_native, first_run, metric_values, quiz_answer, select_and_wait, wait_runs

pytestmark = pytest.mark.e2e
PAGES = ["what-is-synthetic-data/", "faq/", "framework/", "course/problems/"]


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
    first_run(page, demo)
    assert_native(page, demo)
    page.locator(demo + " select[name=model]").focus()
    select_and_wait(page, demo, "model", "kde_overfit")   # a keyboard user changes a select the same way
    assert_native(page, demo)
    assert "Memorised" in page.locator(demo + " .sl-result__summary").inner_text()
    assert watch.errors == []


def test_compute_cost_remeasures_on_run_by_mouse_and_keyboard(site):
    page, watch = site
    page.goto("faq/")
    demo = "#demo-compute-cost"
    first_run(page, demo)
    runs = select_and_wait(page, demo, "tables", "adult")
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
    first_run(page, claims)
    select_and_wait(page, claims, "inherent", "true")
    select_and_wait(page, claims, "dp_process", "true")
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
    assert not quiz.locator(".sl-quiz__solution").is_visible()
    assert answer_quiz(page, quiz, quiz_answer(quiz)[1]) is False
    assert quiz.locator(".sl-quiz__solution").is_visible()
    quiz.locator(".sl-quiz__solution summary").click()
    assert quiz.locator(".sl-quiz__worked").is_visible()
    # keyboard: the last quiz answered right
    last = page.locator(".sl-quiz").last
    assert answer_quiz(page, last, quiz_answer(last)[0], keyboard=True) is True
    assert watch.errors == []


def test_cli_transcript_runs_in_the_browser(site):
    page, watch = site
    page.goto("lab/cli/")
    demo = "#demo-cli-transcript"
    first_run(page, demo)
    assert "report: overall quality" in page.locator(demo + " .sl-demo__output").inner_text()
    assert watch.errors == []
