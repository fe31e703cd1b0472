"""The backbone end to end: the fit & sample demo on the Methods lesson, self-hosted runtime;
Python starts on intent (interaction, or idle with a live widget on screen), never on load."""

from __future__ import annotations

import math

import pytest
from conftest import PYTHON_READY_TIMEOUT, PageWatch, metric_values, wait_runs

from synthlearn.demos.fit_sample import run as fit_sample

pytestmark = pytest.mark.e2e
PAGE = "course/methods/"
DEMO = "#demo-fit-sample"
DEFAULTS = {"distribution": "bimodal", "n": 1000, "method": "gaussian", "seed": 42}


def assert_matches_native(page, params: dict) -> None:
    shown = metric_values(page, DEMO)
    native = {m["key"]: m for m in fit_sample(**params, figure=False)["metrics"]}
    assert shown.keys() == native.keys()
    for key, (value, text) in shown.items():
        assert text == native[key]["text"], (key, params)
        assert math.isclose(value, native[key]["value"], rel_tol=1e-9, abs_tol=1e-12), (key, params)


def test_page_reads_without_javascript(browser, local_site):
    context = browser.new_context(base_url=local_site, java_script_enabled=False)
    page = context.new_page()
    page.goto(PAGE)
    demo = page.locator(DEMO)
    assert demo.get_attribute("data-state") == "static"
    assert "sample" in page.locator(DEMO + " .sl-demo__intro").inner_text()
    # the build-time result is there, computed by synthlearn natively at the defaults
    native = fit_sample(**DEFAULTS, figure=False)
    assert page.locator(DEMO + " .sl-result__summary").inner_text() == native["summary"]
    assert page.locator(DEMO + " .sl-figure img").count() == 1
    for control in ("distribution", "n", "method", "seed"):
        label = page.locator(f'label[for="demo-fit-sample-{control}"]')
        assert label.inner_text().strip(), control
    context.close()


def test_first_live_result_equals_native(watched_page):
    page, watch = watched_page
    page.goto(PAGE)
    assert page.locator(DEMO).get_attribute("data-state") == "static"
    page.locator(DEMO + " .sl-run").click()
    wait_runs(page, DEMO, 0)
    assert_matches_native(page, DEFAULTS)
    assert page.locator(DEMO + " .sl-figure img").count() == 1
    assert page.locator(DEMO + " .sl-figure--stale").count() == 0


@pytest.mark.parametrize("control,value,key", [
    ("distribution", "normal", "distribution"),
    ("n", "2500", "n"),
    ("method", "kde", "method"),
    ("seed", "7", "seed"),
])
def test_each_control_changes_the_output(watched_page, control, value, key):
    page, _ = watched_page
    demo = page.locator(DEMO)
    runs = int(demo.get_attribute("data-runs") or 0)
    before = metric_values(page, DEMO)
    field = page.locator(f"#demo-fit-sample-{control}")
    if control in ("distribution", "method"):
        field.select_option(value)
    else:
        field.fill(value)
    wait_runs(page, DEMO, runs)
    after = metric_values(page, DEMO)
    assert after != before
    params = page.eval_on_selector_all(
        DEMO + " [data-type]", "els => Object.fromEntries(els.map(e => [e.name, e.value]))")
    assert params[key] == value
    current = {**DEFAULTS, "distribution": params["distribution"], "n": int(params["n"]),
               "method": params["method"], "seed": int(params["seed"])}
    assert_matches_native(page, current)


def test_bad_parameter_shows_clear_message_and_keeps_result(watched_page):
    page, _ = watched_page
    before = metric_values(page, DEMO)
    page.locator("#demo-fit-sample-seed").fill("-5")
    page.locator(DEMO + " .sl-run").click()
    page.wait_for_selector(DEMO + "[data-state=error]", timeout=PYTHON_READY_TIMEOUT)
    message = page.locator(DEMO + " .sl-demo__error").inner_text()
    assert "Choose the seed from 0 to 4,294,967,295" in message  # plain words (issue 10 item 16)
    assert "Traceback" not in message
    assert metric_values(page, DEMO) == before  # the last good result is kept
    runs = int(page.locator(DEMO).get_attribute("data-runs"))
    page.locator("#demo-fit-sample-seed").fill("3")
    wait_runs(page, DEMO, runs)
    assert page.locator(DEMO + " .sl-demo__error").is_hidden()


def test_runtime_survives_instant_navigation(watched_page):
    page, _ = watched_page
    page.evaluate("window.synthlab.runtime.worker.__probe = 'same-worker'")
    page.locator('.md-sidebar--primary a[href$="/lab/"]').first.click()
    page.wait_for_url("**/lab/")
    assert page.evaluate("window.synthlab.runtime.worker.__probe") == "same-worker"
    page.go_back()
    page.wait_for_url(lambda url: url.split("#")[0].endswith(PAGE))
    demo = page.locator(DEMO)
    assert demo.get_attribute("data-state") == "static"  # the build-time result, not recomputed
    page.locator(DEMO + " .sl-run").click()
    wait_runs(page, DEMO, 0)  # the re-bound demo runs at once: no new Python start
    assert page.evaluate("window.synthlab.runtime.worker.__probe") == "same-worker"


def test_no_console_errors_and_no_request_leaves_localhost(watched_page, local_site):
    _, watch = watched_page
    assert watch.errors == []
    assert watch.external(local_site) == []
    assert any(u.endswith("pyodide.asm.wasm") for u in watch.requests)


def test_cancel_while_loading_then_run_again(browser, local_site):
    context = browser.new_context(base_url=local_site)
    page = context.new_page()
    page.goto(PAGE)
    page.locator(DEMO + " .sl-run").click()
    page.wait_for_selector(DEMO + "[data-state=loading]")
    page.locator(DEMO + " .sl-cancel").click()
    page.wait_for_selector(DEMO + "[data-state=error]")
    assert "Cancelled" in page.locator(DEMO + " .sl-demo__error").inner_text()
    assert page.locator(DEMO + " .sl-metric").count() == 5  # the static result is still shown
    page.locator(DEMO + " .sl-run").click()
    runs = wait_runs(page, DEMO, 0)
    # a worker that dies mid-run: the demo says so, keeps its result, and restarts on the next run
    before = metric_values(page, DEMO)
    page.evaluate("""async () => {
        document.querySelector('#demo-fit-sample-n').value = '10000';
        document.querySelector('#demo-fit-sample .sl-run').click();
        await new Promise(resolve => setTimeout(resolve, 0));  // the call is now in the worker
        window.synthlab.runtime.worker.onerror(new ErrorEvent('error', {message: 'simulated crash'}));
    }""")
    page.wait_for_selector(DEMO + "[data-state=error]")
    assert "stopped unexpectedly (simulated crash)" in page.locator(DEMO + " .sl-demo__error").inner_text()
    assert metric_values(page, DEMO) == before
    page.locator(DEMO + " .sl-run").click()
    wait_runs(page, DEMO, runs)
    assert metric_values(page, DEMO) != before
    context.close()


def test_file_url_explains_how_to_serve(browser, local_site):
    from conftest import ROOT

    page = browser.new_page()
    page.goto((ROOT / ".cache" / "site-local" / "course" / "methods" / "index.html").as_uri())
    notice = page.locator(".sl-file-notice")              # once per page, at the top (issue 10, item 15)
    assert notice.count() == 1 and "http.server" in notice.inner_text()
    assert page.locator(DEMO).get_attribute("data-state") == "file"
    page.close()


# ------------------------------------------------------------------------------------------
# start on intent
# ------------------------------------------------------------------------------------------
RUNTIME_FILES = ("/pyodide/", "/worker.js", "/synthlearn-")


def runtime_requests(urls: list[str]) -> list[str]:
    return [u for u in urls if any(part in u for part in RUNTIME_FILES)]


def settle(page) -> None:
    """Let the page go idle a few times (idle callbacks fire; a start would have begun)."""
    page.evaluate("""() => new Promise(resolve => {
        let left = 3;
        const tick = () => (--left ? requestIdleCallback(tick, {timeout: 2000}) : setTimeout(resolve, 500));
        requestIdleCallback(tick, {timeout: 2000}); })""")


def test_demo_page_starts_python_only_when_a_demo_is_on_screen(browser, local_site):
    context = browser.new_context(base_url=local_site, viewport={"width": 1280, "height": 700})
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(PAGE)
    top = page.evaluate(f"document.querySelector('{DEMO}').getBoundingClientRect().top")
    assert top > 700, "the first demo must start below the fold for this test"
    settle(page)
    assert runtime_requests(watch.requests) == []            # reading the top: nothing downloads
    with page.expect_request(lambda r: r.url.endswith("pyodide.asm.wasm"), timeout=PYTHON_READY_TIMEOUT):
        page.locator(DEMO).scroll_into_view_if_needed()      # on screen + idle: Python warms up
    page.wait_for_function("window.synthlab.runtime.stage === 'ready'", timeout=PYTHON_READY_TIMEOUT)
    page.evaluate("window.synthlab.runtime.warming")  # numpy + matplotlib loaded, modules imported
    demo = page.locator(DEMO)
    assert demo.get_attribute("data-state") == "static"       # nothing recomputed the defaults
    assert demo.get_attribute("data-runs") is None
    page.locator("#demo-fit-sample-seed").fill("7")          # the first change answers from a warm worker
    wait_runs(page, DEMO, 0)
    assert page.evaluate("window.synthlab.runtime.stage") == "ready"   # answered by the warm worker, no restart
    assert watch.errors == []
    context.close()


def test_first_touch_starts_python_even_off_screen(browser, local_site):
    context = browser.new_context(base_url=local_site, viewport={"width": 1280, "height": 700})
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(PAGE)
    settle(page)
    assert runtime_requests(watch.requests) == []
    # a keyboard touch (focus without scrolling the demo on screen) starts Python at once
    assert page.evaluate("""() => { document.querySelector('#demo-fit-sample-seed').focus({preventScroll: true});
                                     return window.synthlab.runtime.started !== null; }""")
    page.wait_for_function("window.synthlab.runtime.stage === 'ready'", timeout=PYTHON_READY_TIMEOUT)
    assert page.locator(DEMO).get_attribute("data-state") == "static"
    context.close()


@pytest.mark.parametrize("path", ["", "lab/", "lab/datasets/", "course/", "framework/"])
def test_page_without_live_widgets_starts_nothing(browser, local_site, path):
    context = browser.new_context(base_url=local_site)
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(path)
    assert page.locator(".sl-demo, .sl-quiz, #synthlab-generator").count() == 0
    page.mouse.wheel(0, 20000)
    page.keyboard.press("Tab")
    settle(page)
    assert runtime_requests(watch.requests) == []
    assert page.evaluate("window.synthlab.runtime.started") is None
    assert watch.errors == []
    context.close()


@pytest.mark.parametrize("path", [PAGE, "course/checkpoint/", "generator/"])
def test_hidden_means_hidden_in_every_widget(watched_page, path):
    """Material's button styles beat the bare hidden attribute; ours must win everywhere."""
    page, _ = watched_page
    page.goto(path)
    if path == "generator/":
        page.wait_for_selector("#synthlab-generator[data-state=ready]", timeout=PYTHON_READY_TIMEOUT)
    shown = page.evaluate("""() => [...document.querySelectorAll(
            '.sl-demo [hidden], .sl-quiz [hidden], .sl-progress [hidden], #synthlab-generator [hidden]')]
        .filter(el => el.getClientRects().length > 0 || getComputedStyle(el).display !== 'none')
        .map(el => el.outerHTML.slice(0, 80))""")
    total = page.locator(".sl-demo [hidden], .sl-quiz [hidden], #synthlab-generator [hidden]").count()
    assert total > 0
    assert shown == []
