"""axe-core over every page of the built site, in light mode on a desktop and in dark mode on a
phone (390×844): no serious or critical violation (issue 10, accessibility).

The pages come from the built site's sitemap, so pages added later are checked too. axe-core
is vendored for the tests only (tests/e2e/vendor/fetch_axe.py: pinned version, npm integrity
checked) and injected into the page; nothing of it is served to readers.
"""

from __future__ import annotations

import re
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import PYTHON_READY_TIMEOUT

sys.path.insert(0, str(Path(__file__).resolve().parent / "vendor"))
import fetch_axe  # noqa: E402

SCHEMES = {
    "light-desktop": {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}},
    "dark-phone": {"color_scheme": "dark", "viewport": {"width": 390, "height": 844}, "is_mobile": True,
                   "has_touch": True, "device_scale_factor": 2},
}
SEVERE = ("serious", "critical")
GENERATOR = "#synthlab-generator"
RUN_TIMEOUT = 300_000  # ms: a run with its evaluation and figures, in the browser on 2 cores


@pytest.fixture(scope="module")
def axe_source() -> str:
    return fetch_axe.fetch().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site_pages(local_site) -> list[str]:
    """Every page of the built site (its sitemap), as paths relative to the site root."""
    xml = urllib.request.urlopen(local_site + "sitemap.xml", timeout=30).read().decode()
    base = re.match(r"https?://[^/]+/", local_site).group(0)
    paths = sorted({u.split(base, 1)[-1] if u.startswith(base) else re.sub(r"^https?://[^/]+/", "", u)
                    for u in re.findall(r"<loc>([^<]+)</loc>", xml)})
    assert "" in paths and len(paths) >= 10, paths
    return paths


def _violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 160))}));
    }""")


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_serious_or_critical_axe_violation_on_any_page(browser, local_site, site_pages, axe_source, scheme):
    context = browser.new_context(base_url=local_site, **SCHEMES[scheme])
    page = context.new_page()
    problems = []
    try:
        for path in site_pages:
            page.goto("/" + path)
            page.wait_for_load_state("load")
            expected = "slate" if scheme.startswith("dark") else "default"
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected
            for v in _violations(page, axe_source):
                if v["impact"] in SEVERE:
                    problems.append(f"/{path} [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]))
    finally:
        context.close()
    assert not problems, f"{len(problems)} serious/critical axe violations ({scheme}):\n" + "\n".join(problems)


def _severe(page, axe_source: str, where: str) -> list[str]:
    """The page's serious and critical axe violations, one text each."""
    return [f"{where} [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
            for v in _violations(page, axe_source) if v["impact"] in SEVERE]


def _wait_counter(page, key: str, action) -> None:
    """Do ``action`` and wait until the Generator's ``data-<key>`` counter or its error count moves."""
    before = page.locator(GENERATOR).evaluate(f"el => [Number(el.dataset.{key} || 0), Number(el.dataset.errors || 0)]")
    action()
    page.wait_for_function(
        """([sel, key, n, errors]) => { const d = document.querySelector(sel).dataset;
             return Number(d[key] || 0) > n || Number(d.errors || 0) > errors; }""",
        arg=[GENERATOR, key, *before], timeout=RUN_TIMEOUT)


def _generator_after_a_run(page) -> None:
    """The Generator with a finished run on screen: a small bundled table with a label and figures,
    so the previews, the report's tables, the figures and the downloads are all shown."""
    page.goto("generator/")
    page.evaluate("localStorage.removeItem('synthlab-generator-v1')")
    page.reload()
    page.locator(GENERATOR).scroll_into_view_if_needed()          # Python starts on intent
    page.wait_for_selector(GENERATOR + "[data-state=ready] #gen-n", timeout=PYTHON_READY_TIMEOUT)
    _wait_counter(page, "inspections", lambda: page.locator("#gen-dataset").select_option("penguins"))
    page.locator("#gen-n").fill("300")
    page.locator("#gen-figures").check()
    labels = page.locator("#gen-label option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    page.locator("#gen-label").select_option(labels[0])
    _wait_counter(page, "runs", lambda: page.locator(GENERATOR + " .sl-gen__generate").click())
    assert page.locator(GENERATOR).get_attribute("data-state") == "done"
    page.locator(GENERATOR + " details").evaluate_all("ds => ds.forEach(d => { d.open = true; })")
    assert page.locator(GENERATOR + " .sl-gen__result").is_visible()
    assert page.locator(GENERATOR + " .sl-gen__figures img").count() > 0
    assert page.locator(GENERATOR + " .sl-gen__report table").count() > 0
    assert page.locator(GENERATOR + " .sl-gen__previews table").count() == 2


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_serious_or_critical_axe_violation_on_the_generator_after_a_run(browser, local_site, axe_source, scheme):
    context = browser.new_context(base_url=local_site, **SCHEMES[scheme])
    page = context.new_page()
    try:
        _generator_after_a_run(page)
        problems = _severe(page, axe_source, f"/generator/ after a run ({scheme})")
    finally:
        context.close()
    assert not problems, f"{len(problems)} serious/critical axe violations:\n" + "\n".join(problems)


def test_vendored_axe_is_the_pinned_one():
    path = fetch_axe.fetch()
    assert fetch_axe.fresh() and path.stat().st_size > 100_000
    assert f"axe v{fetch_axe.AXE_VERSION}" in path.read_text(encoding="utf-8")[:400]
