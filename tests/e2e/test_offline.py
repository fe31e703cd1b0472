"""Offline after the first visit (service worker), and a new build replacing the old cache.

Each test serves the built site from its own server, so it can stop it (the network gone)
or rewrite the site (a new deployment) while the browser keeps its service worker."""

from __future__ import annotations

import shutil
import sys

import pytest
from conftest import PYTHON_READY_TIMEOUT, ROOT, runtime_cache_urls, wait_for_runtime_cache, wait_runs
from siteserver import SiteServer

sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
import precache  # noqa: E402

pytestmark = pytest.mark.e2e
GEN = "#synthlab-generator"
RUN_TIMEOUT = 300_000


def wait_controlled(page) -> None:
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)


def use_everything(page) -> None:
    """A demo, a quiz and the Generator on a small bundled table (fills the runtime cache)."""
    page.goto("course/methods/")
    page.locator("#demo-fit-sample .sl-run").click()
    wait_runs(page, "#demo-fit-sample", int(page.locator("#demo-fit-sample").get_attribute("data-runs") or 0))
    page.goto("course/checkpoint/")
    quiz = page.locator(".sl-quiz").first
    quiz.locator("input[type=radio]").first.check()
    quiz.locator(".sl-quiz__check").click()
    page.wait_for_function("el => el.dataset.state === 'answered'", arg=quiz.element_handle(), timeout=PYTHON_READY_TIMEOUT)
    page.goto("generator/")
    page.wait_for_selector(GEN + "[data-state=ready]", timeout=PYTHON_READY_TIMEOUT)
    page.locator("#gen-dataset").select_option("penguins")
    page.wait_for_function("document.querySelector('#synthlab-generator').dataset.state === 'ready' && "
                           "document.querySelector('.sl-gen__source strong').textContent.includes('penguins')",
                           timeout=PYTHON_READY_TIMEOUT)
    page.locator("#gen-n").fill("200")
    page.locator("#gen-method").select_option("independent")
    page.locator("#gen-figures").uncheck()
    runs = int(page.locator(GEN).get_attribute("data-runs") or 0)
    page.locator(GEN + " .sl-gen__generate").click()
    page.wait_for_function(f"Number(document.querySelector('{GEN}').dataset.runs || 0) > {runs} || "
                           f"document.querySelector('{GEN}').dataset.state === 'error'", timeout=RUN_TIMEOUT)
    assert page.locator(GEN).get_attribute("data-state") == "done", page.locator(GEN + " .sl-gen__error").inner_text()


def test_every_page_and_every_widget_work_offline_after_one_visit(browser, local_site):
    folder = ROOT / ".cache" / "site-local"
    server = SiteServer(folder)
    url = server.__enter__()
    try:
        context = browser.new_context(base_url=url)
        page = context.new_page()
        page.goto("")
        wait_controlled(page)
        nav = page.eval_on_selector_all(".md-nav--primary a.md-nav__link[href]",
                                        "els => [...new Set(els.map(a => a.href.split('#')[0]))]")
        assert len(nav) >= 10
        use_everything(page)
    finally:
        server.__exit__()                                   # the network is gone
    for href in nav:
        response = page.goto(href)
        assert response.ok, href
        assert page.locator("article h1").count() == 1, href
    use_everything(page)                                    # a fresh worker, all from the cache
    names = page.evaluate("caches.keys()")
    assert sum(n.startswith("synthlab-site-") for n in names) == 1
    assert any(n.startswith("synthlab-runtime-") for n in names)
    context.close()


def test_a_new_build_is_offered_and_replaces_the_old_cache(browser, local_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / ".cache" / "site-local", site, ignore=shutil.ignore_patterns("pyodide"))
    old = precache.write_service_worker(site, "pyodide/")["version"]
    with SiteServer(site) as url:
        context = browser.new_context(base_url=url)
        page = context.new_page()
        page.goto("guide/")
        wait_controlled(page)
        assert page.evaluate("caches.keys()") == [f"synthlab-site-{old}"]
        # a new deployment: one page changes, so does the service worker
        index = site / "guide" / "index.html"
        index.write_text(index.read_text(encoding="utf-8").replace("</article>", "<p id='build-two'>two</p></article>"),
                         encoding="utf-8")
        new = precache.write_service_worker(site, "pyodide/")["version"]
        assert new != old
        page.reload()
        page.wait_for_selector(".sl-update", timeout=60_000)      # offered, not forced
        assert "new version" in page.locator(".sl-update").inner_text()
        assert page.locator("#build-two").count() == 0          # this page is still all the old build
        with page.expect_navigation():
            page.locator(".sl-update button").click()
        page.wait_for_selector("#build-two")
        assert page.evaluate("caches.keys()") == [f"synthlab-site-{new}"]
        context.close()


def test_a_runtime_file_that_fails_its_hash_is_neither_used_nor_cached(browser, local_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / ".cache" / "site-local", site)
    wasm = site / "pyodide" / "pyodide.asm.js"
    wasm.write_bytes(wasm.read_bytes() + b"\n// tampered\n")
    with SiteServer(site) as url:
        context = browser.new_context(base_url=url)
        page = context.new_page()
        page.goto("course/methods/")
        wait_controlled(page)                              # the service worker sees the runtime requests
        page.locator("#demo-fit-sample .sl-run").click()
        page.wait_for_selector("#demo-fit-sample[data-state=error]", timeout=PYTHON_READY_TIMEOUT)
        message = page.locator("#demo-fit-sample .sl-demo__error").inner_text()
        assert "pyodide.asm.js" in message and ("verification" in message or "pinned hash" in message), message
        assert page.locator("#demo-fit-sample .sl-metric").count() == 5     # the build-time result stays
        cached = runtime_cache_urls(page)
        assert not any(u.endswith("pyodide.asm.js") for u in cached), cached
        context.close()


def test_python_started_before_the_service_worker_took_over_still_works_offline(browser, local_site):
    """A reader who presses Run at once: the runtime comes from the network before the service
    worker controls the page; the page then hands it the list, and it keeps a verified copy."""
    server = SiteServer(ROOT / ".cache" / "site-local")
    url = server.__enter__()
    try:
        context = browser.new_context(base_url=url)
        page = context.new_page()
        page.goto("course/methods/")
        page.locator("#demo-fit-sample .sl-run").click()   # before the service worker is registered
        wait_runs(page, "#demo-fit-sample", 0)
        wait_controlled(page)
        parts = ["pyodide.asm.wasm", "python_stdlib.zip", "numpy-", "matplotlib-3", "/pyc/matplotlib-"]
        kept = wait_for_runtime_cache(page, parts)
        assert all(any(part in u for u in kept) for part in parts), kept
    finally:
        server.__exit__()                                   # the network is gone
    page = context.new_page()                               # a new tab: a new worker
    page.goto("course/methods/")
    page.locator("#demo-fit-sample .sl-run").click()
    wait_runs(page, "#demo-fit-sample", 0)
    assert {"numpy", "matplotlib"} <= set(page.evaluate("[...window.synthlab.runtime.bytecode]"))
    context.close()
