"""End-to-end fixtures: build the site (both runtime variants), serve it on 127.0.0.1,
drive Debian's Chromium. Browser state is shared per module; tests wait on data-state."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from siteserver import SiteServer

from synthlearn.app.bridge import resolve
from tools import pyodide_dist

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = os.environ.get("SYNTHLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PYTHON_READY_TIMEOUT = 120_000  # ms; a cold start is ~12 s on a 2-core machine


def build_site(variant: str, site_url: str) -> Path:
    """Build one variant with ``site_url`` = where it is served (Material's instant
    navigation only follows links whose address matches the sitemap's)."""
    out = ROOT / ".cache" / f"site-{variant}"
    env = {**os.environ, "SYNTHLAB_RUNTIME": variant, "NO_MKDOCS_2_WARNING": "1", "SYNTHLAB_SITE_URL": site_url}
    config = os.environ.get("SYNTHLAB_MKDOCS_CONFIG") or "mkdocs.yml"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", config, "-d", str(out)],
                   cwd=ROOT, env=env, check=True)
    return out


@pytest.fixture(scope="session")
def pyodide_cache() -> Path:
    assert pyodide_dist.check_cache(pyodide_dist.DEFAULT_CACHE), "run `make pyodide` first"
    return pyodide_dist.DEFAULT_CACHE


def _serve(variant: str):
    folder = ROOT / ".cache" / f"site-{variant}"
    folder.mkdir(parents=True, exist_ok=True)
    with SiteServer(folder) as url:
        build_site(variant, url)
        yield url


@pytest.fixture(scope="session")
def local_site(pyodide_cache) -> str:
    yield from _serve("local")


@pytest.fixture(scope="session")
def cdn_site(pyodide_cache) -> str:
    yield from _serve("cdn")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class PageWatch:
    """Records every request, console error and page error of a page."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def external(self, *allowed_prefixes: str) -> list[str]:
        return [u for u in self.requests
                if not u.startswith(("data:", "blob:")) and not u.startswith(allowed_prefixes)]


def serve_cdn_from_cache(context, cache: Path) -> None:
    """Answer the pinned CDN prefix from the verified local copy (tests never go online)."""
    def handler(route):
        name = route.request.url[len(pyodide_dist.CDN_URL):].split("?")[0]
        path = cache / name
        if "/" in name or not path.is_file():
            route.fulfill(status=404, body="not in the verified copy")
            return
        types = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                 ".json": "application/json"}
        route.fulfill(status=200, body=path.read_bytes(), headers={
            "content-type": types.get(path.suffix, "application/octet-stream"),
            "access-control-allow-origin": "*"})
    context.route(pyodide_dist.CDN_URL + "**", handler)


@pytest.fixture(scope="module")
def watched_page(browser, local_site):
    """One page per test module on the self-hosted build; Python starts once per module."""
    context = browser.new_context(base_url=local_site)
    page = context.new_page()
    watch = PageWatch(page)
    yield page, watch
    context.close()


def wait_runs(page, selector: str, previous: int, timeout: float = PYTHON_READY_TIMEOUT) -> int:
    """Wait until the demo at ``selector`` finished a run after ``previous`` runs (or failed)."""
    errors = int(page.locator(selector).get_attribute("data-errors") or 0)
    page.wait_for_function(
        """([sel, prev, errs]) => { const el = document.querySelector(sel);
             return el && (Number(el.dataset.runs || 0) > prev || Number(el.dataset.errors || 0) > errs); }""",
        arg=[selector, previous, errors], timeout=timeout)
    el = page.locator(selector)
    assert el.get_attribute("data-state") == "done", page.locator(selector + " .sl-demo__error").inner_text()
    return int(el.get_attribute("data-runs"))


def metric_values(page, selector: str) -> dict:
    """Metric key -> (value, text) as shown by the demo at ``selector``."""
    return page.eval_on_selector_all(
        selector + " .sl-metric",
        "els => Object.fromEntries(els.map(e => [e.dataset.key, [JSON.parse(e.dataset.value), e.querySelector('dd').textContent]]))")


def first_run(page, selector: str, timeout: float = PYTHON_READY_TIMEOUT) -> int:
    """Press Run on the demo at ``selector`` and wait for its first live result. Python starts on
    intent (issue 11), so a demo shows its build-time result until the reader acts."""
    previous = int(page.locator(selector).get_attribute("data-runs") or 0)
    page.locator(selector + " .sl-run").click()
    return wait_runs(page, selector, previous, timeout)


def demo_ids(page) -> list[str]:
    """The CSS ids of every demo on the page, in order."""
    return page.eval_on_selector_all(".sl-demo", "els => els.map(e => '#' + e.id)")


def shown_params(page, demo: str) -> dict:
    """The demo's control values as the page holds them (the parameters of its next call)."""
    return page.eval_on_selector_all(demo + " [data-type]", """els => Object.fromEntries(els.map(e =>
        [e.name, e.dataset.type === 'checkbox' ? e.checked : e.dataset.type === 'select' ? e.value : Number(e.value)]))""")


def assert_native(page, demo: str, rel_tol: float = 1e-9) -> None:
    """The demo shows what its function computes natively at the shown controls: the same metric
    texts and summary, values within ``rel_tol`` (the same run in Pyodide and natively)."""
    config = json.loads(page.locator(demo).get_attribute("data-config"))
    params = shown_params(page, demo)
    native = resolve(config["function"])(**params, **({"figure": False} if config["figure"] else {}))
    shown = metric_values(page, demo)
    expected = {m["key"]: m for m in native["metrics"]}
    assert shown.keys() == expected.keys(), demo
    for key, (value, text) in shown.items():
        assert text == expected[key]["text"], (demo, key, params)
        if value is not None:
            assert math.isclose(value, expected[key]["value"], rel_tol=rel_tol, abs_tol=1e-12), (demo, key)
    assert page.locator(demo + " .sl-result__summary").inner_text() == native["summary"]


def answer_quiz(page, quiz, choice: int, keyboard: bool = False, timeout: float = PYTHON_READY_TIMEOUT) -> bool:
    """Answer ``quiz`` (a locator) with option ``choice`` and wait for Python's grade; returns
    whether it was right. By mouse: click the option's label, then Check. By keyboard: focus the
    first option, Space selects it, ArrowDown moves the choice, Enter submits."""
    quiz.evaluate("el => { delete el.dataset.correct; }")   # the wait below sees this answer's grade
    if keyboard:
        quiz.locator("input[type=radio]").first.focus()
        page.keyboard.press("Space")
        for _ in range(choice):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    else:
        quiz.locator(f"label[for$='-{choice}']").click()
        quiz.locator(".sl-quiz__check").click()
    page.wait_for_function("el => el.dataset.state === 'answered' && el.dataset.correct !== undefined",
                           arg=quiz.element_handle(), timeout=timeout)
    return quiz.get_attribute("data-correct") == "true"


def quiz_answer(quiz) -> tuple[int, int]:
    """The quiz's right option and a wrong one (from the question the page holds)."""
    data = json.loads(quiz.get_attribute("data-question"))
    return data["answer"], next(i for i in range(len(data["options"])) if i != data["answer"])


def select_and_wait(page, demo: str, name: str, value: str) -> int:
    """Choose ``value`` in the demo's select ``name`` and wait for the run it starts; returns its runs."""
    runs = int(page.locator(demo).get_attribute("data-runs") or 0)
    page.locator(f"{demo} select[name={name}]").select_option(value)
    return wait_runs(page, demo, runs)


# -- the service worker's runtime cache (offline and warm-start tests, benchmarks/run.py) --------
RUNTIME_CACHE_ENTRIES = """async () => { const out = [];
  for (const name of await caches.keys()) if (name.startsWith('synthlab-runtime-'))
    for (const r of await (await caches.open(name)).keys()) out.push([name, r.url]);
  return out; }"""


def runtime_cache_urls(page) -> list[str]:
    """The URL of every entry in the page's runtime caches (evaluate awaits the async lookup)."""
    return [url for _, url in page.evaluate(RUNTIME_CACHE_ENTRIES)]


def wait_for_runtime_cache(page, parts: list[str], seconds: float = 120) -> list[str]:
    """Poll until every string in ``parts`` occurs in some runtime cache URL; returns the URLs.
    (wait_for_function does not await an async predicate, so this polls with evaluate.)"""
    deadline = time.monotonic() + seconds
    while True:
        urls = runtime_cache_urls(page)
        if all(any(part in u for u in urls) for part in parts) or time.monotonic() > deadline:
            return urls
        page.wait_for_timeout(250)
