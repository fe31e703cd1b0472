"""The GitHub Pages variant: the runtime comes from the pinned CDN prefix and nowhere else.
Tests serve that prefix from the verified local copy; a CDN that is down gives a clear message."""

from __future__ import annotations

import pytest
from conftest import PYTHON_READY_TIMEOUT, PageWatch, serve_cdn_from_cache, wait_runs

from tools import pyodide_dist

pytestmark = pytest.mark.e2e
PAGE = "course/methods/"
DEMO = "#demo-fit-sample"


def test_cdn_build_requests_only_site_and_pinned_cdn(browser, cdn_site, pyodide_cache):
    context = browser.new_context(base_url=cdn_site)
    serve_cdn_from_cache(context, pyodide_cache)
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(PAGE)
    page.locator(DEMO + " .sl-run").click()
    wait_runs(page, DEMO, 0)
    assert watch.errors == []
    assert watch.external(cdn_site, pyodide_dist.CDN_URL) == []
    assert any(u.startswith(pyodide_dist.CDN_URL + "pyodide.asm.wasm") for u in watch.requests)
    assert not any(u.startswith(cdn_site + "pyodide/") for u in watch.requests)
    # each runtime file is fetched once: the bytes the worker checked are the bytes Pyodide runs
    runtime = [u for u in watch.requests if u.startswith(pyodide_dist.CDN_URL)]
    assert len(runtime) == len(set(runtime)), sorted(runtime)
    context.close()


def test_cdn_down_gives_clear_message_and_page_stays_usable(browser, cdn_site):
    context = browser.new_context(base_url=cdn_site)
    context.route(pyodide_dist.CDN_URL + "**", lambda route: route.abort("internetdisconnected"))
    page = context.new_page()
    page.goto(PAGE)
    page.locator(DEMO + " .sl-run").click()
    page.wait_for_selector(DEMO + "[data-state=error]", timeout=60_000)
    message = page.locator(DEMO + " .sl-demo__error").inner_text()
    assert "Could not download the Python runtime" in message and "Check your connection" in message
    # the build-time result and the lesson text are still there, and navigation still works
    assert page.locator(DEMO + " .sl-metric").count() == 5
    assert page.locator("article h1").inner_text()
    page.locator('.md-sidebar--primary a[href$="evaluation/"]').first.click()
    page.wait_for_url("**/evaluation/")
    assert page.locator(".sl-demo").count() >= 1
    context.close()


def test_cdn_file_that_fails_its_pinned_hash_is_not_run(browser, cdn_site, pyodide_cache):
    # no service worker here: the worker's own check is under test
    context = browser.new_context(base_url=cdn_site, service_workers="block")
    serve_cdn_from_cache(context, pyodide_cache)
    original = (pyodide_cache / "python_stdlib.zip").read_bytes()
    tampered = original[:100] + bytes([original[100] ^ 1]) + original[101:]     # one bit flipped
    context.route(pyodide_dist.CDN_URL + "python_stdlib.zip", lambda route: route.fulfill(
        status=200, body=tampered, headers={"content-type": "application/zip", "access-control-allow-origin": "*"}))
    page = context.new_page()
    page.goto(PAGE)
    page.locator(DEMO + " .sl-run").click()
    page.wait_for_selector(DEMO + "[data-state=error]", timeout=PYTHON_READY_TIMEOUT)
    message = page.locator(DEMO + " .sl-demo__error").inner_text()
    assert "python_stdlib.zip does not match its pinned hash" in message
    assert page.locator(DEMO + " .sl-metric").count() == 5
    context.close()
