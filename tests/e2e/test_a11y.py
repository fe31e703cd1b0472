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

sys.path.insert(0, str(Path(__file__).resolve().parent / "vendor"))
import fetch_axe  # noqa: E402

SCHEMES = {
    "light-desktop": {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}},
    "dark-phone": {"color_scheme": "dark", "viewport": {"width": 390, "height": 844}, "is_mobile": True,
                   "has_touch": True, "device_scale_factor": 2},
}
SEVERE = ("serious", "critical")


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


def test_vendored_axe_is_the_pinned_one():
    path = fetch_axe.fetch()
    assert fetch_axe.fresh() and path.stat().st_size > 100_000
    assert f"axe v{fetch_axe.AXE_VERSION}" in path.read_text(encoding="utf-8")[:400]
