"""Faster starts (issue 11) that must change speed only, never results.

* Pre-compiled bytecode (tools/bytecode_dist.py): the worker unpacks a loaded package's bundle
  only if it hashes to the build's value; a damaged bundle is skipped, never used.
* The memory snapshot (worker.js startPython): the first start in a browser saves one in the
  runtime's Cache Storage; later starts use it if intact, and start afresh if not."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, RUNTIME_CACHE_ENTRIES, first_run, metric_values
from siteserver import SiteServer

pytestmark = pytest.mark.e2e
DEMO = "#demo-fit-sample"


def start_and_run(context) -> dict:
    """A new tab (a new Python worker) on the Methods lesson: press Run, read what it used and showed."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("course/methods/")
    first_run(page, DEMO)
    out = {"info": page.evaluate("window.synthlab.runtime.info"),
           "bytecode": set(page.evaluate("[...window.synthlab.runtime.bytecode]")),
           "values": metric_values(page, DEMO),
           "figure": page.locator(DEMO + " .sl-figure img").get_attribute("src"),
           "snapshots": [[cache, url] for cache, url in page.evaluate(RUNTIME_CACHE_ENTRIES) if "synthlab-snapshot-" in url],
           "errors": errors}
    page.close()
    return out


def test_a_second_start_uses_the_snapshot_and_the_bytecode_and_shows_the_same_result(browser, local_site):
    context = browser.new_context(base_url=local_site)
    first = start_and_run(context)
    second = start_and_run(context)
    context.close()
    assert first["info"]["snapshot"] == "made" and len(first["snapshots"]) == 1
    assert second["info"]["snapshot"] == "used"
    assert {"numpy", "matplotlib", "pyparsing"} <= first["bytecode"] == second["bytecode"]
    assert first["values"] == second["values"] and first["figure"] == second["figure"]
    assert first["errors"] == second["errors"] == []


@pytest.mark.parametrize("damage", ["bytes", "bytes and hash"])
def test_a_damaged_snapshot_is_replaced_not_used(browser, local_site, damage):
    context = browser.new_context(base_url=local_site)
    good = start_and_run(context)
    [(cache, key)] = good["snapshots"]
    page = context.new_page()
    page.goto("")
    # garbage in place of the snapshot: with its recorded hash left stale, or with a matching
    # hash (a snapshot that passes the check and still cannot start Python)
    page.evaluate("""async ([cache, key, both]) => {
        const junk = new Uint8Array(1 << 20).map((_, i) => (i * 7919) % 251);
        const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', junk))]
          .map(b => b.toString(16).padStart(2, '0')).join('');
        const store = await caches.open(cache);
        const old = await store.match(key);
        await store.put(key, new Response(junk, {headers: {'x-sha256': both ? digest : old.headers.get('x-sha256')}}));
    }""", [cache, key, damage == "bytes and hash"])
    if damage == "bytes and hash":
        # Python cannot start from it: the page's watchdog stops the worker and says so; the
        # build-time result stays, and the next Run starts afresh
        page.goto("course/methods/")
        page.locator(DEMO + " .sl-run").click()
        page.wait_for_selector(DEMO + "[data-state=error]", timeout=60_000)
        assert "discarded" in page.locator(DEMO + " .sl-demo__error").inner_text()
        assert page.locator(DEMO + " .sl-metric").count() == 5
    page.close()
    after = start_and_run(context)
    again = start_and_run(context)
    context.close()
    assert after["info"]["snapshot"] == "made"            # started afresh, saved a good one
    assert again["info"]["snapshot"] == "used"
    assert after["values"] == good["values"] == again["values"]


def test_a_bytecode_bundle_that_fails_its_hash_is_skipped(browser, local_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(ROOT / ".cache" / "site-local", site)
    [bundle] = (site / "assets" / "synthlab" / "pyc").glob("matplotlib-*.zip")
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0xFF                                  # one byte changed
    bundle.write_bytes(bytes(data))
    with SiteServer(site) as url:
        context = browser.new_context(base_url=url)
        damaged = start_and_run(context)
        context.close()
    context = browser.new_context(base_url=local_site)
    intact = start_and_run(context)
    context.close()
    assert "numpy" in damaged["bytecode"] and "matplotlib" not in damaged["bytecode"]
    assert damaged["values"] == intact["values"] and damaged["figure"] == intact["figure"]
