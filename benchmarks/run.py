"""Browser benchmarks of the runtime (issue 11): start on intent, update latency, main thread,
warm visit from the service-worker cache, bytes before the first live result.

Builds the self-hosted site, serves it on 127.0.0.1 and drives Debian's Chromium. Writes
``benchmarks/results/browser.json``. Measured in one run, on this machine:

* the bare start (loadPyodide + numpy + ``import numpy`` in a worker, cold): the baseline;
* a reader on the Methods lesson who reads the fit & sample demo for 4 s, then changes a
  control: time from the change to the first live result (target: <= the bare start);
* control -> updated figure (n = 1000, Python warm), median and p95 over >= 20 changes
  (target p95 <= 100 ms), timed inside the page from the input event to the first frame
  painted with the new figure; and the worker's own compute time;
* the longest main-thread task while Python starts and works, i.e. from the performance mark
  ``synthlab:python-start`` on (target <= 200 ms); the longest of the whole visit, page load
  included, and the scripts of the longest frames are reported beside it;
* a cold visit (fresh browser profile: press Run -> first live result) and a warm second visit
  (same profile, new tab: the service worker's cache) (target: warm <= half the cold), over
  loopback (no download cost at all) and again over an emulated network (``--link``, default
  20 Mbit/s shared by all connections and 40 ms added to each response), where the cold visit
  pays for its downloads as a reader's does;
* bytes fetched before the first live result (cold).

Usage: ``python benchmarks/run.py [--changes 24] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _browser import ROOT, Link, SiteServer, launch, percentile
from conftest import wait_for_runtime_cache

PAGE = "course/methods/"
DEMO = "#demo-fit-sample"
BASELINE_HTML = """<!doctype html><meta charset="utf-8"><title>baseline</title><script>
const src = `importScripts(${JSON.stringify(new URL("pyodide/pyodide.js", location.href).href)});
(async () => { const py = await loadPyodide({indexURL: ${JSON.stringify(new URL("pyodide/", location.href).href)}});
  await py.loadPackage("numpy"); py.runPython("import numpy"); postMessage("ready"); })();`;
const w = new Worker(URL.createObjectURL(new Blob([src], {type: "text/javascript"})));
w.onmessage = () => { window.__ready = performance.now(); };
</script>"""
# every main-thread long task of the page, from navigation on (start and duration), and the
# long animation frames with the scripts that ran in them (which code made a task long)
PROBE = """
window.__longtasks = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.__longtasks.push([e.startTime, e.duration])))
  .observe({type: "longtask", buffered: true});
window.__loaf = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.__loaf.push({start: e.startTime,
  ms: e.duration, scripts: e.scripts.map(s => [Math.round(s.duration), s.sourceURL.split("/").pop(), s.invoker.slice(0, 80)])})))
  .observe({type: "long-animation-frame", buffered: true});
"""
# In the page: set the control, dispatch input + change as a reader's choice does, and time
# from that event to the first frame painted after the widget shows the new result
# (data-runs grows once the new figure is decoded and in the page). Measured inside the page,
# so the test driver's own round trips are not counted.
CHANGE = """async ([selector, control, value]) => {
  const el = document.querySelector(selector), field = document.querySelector(control);
  const before = Number(el.dataset.runs || 0);
  return await new Promise((resolve) => {
    let t0 = 0;
    const seen = new MutationObserver(() => {
      if (Number(el.dataset.runs || 0) <= before && el.dataset.state !== "error") return;
      seen.disconnect();
      requestAnimationFrame(() => setTimeout(() => resolve({ms: performance.now() - t0, state: el.dataset.state}), 0));
    });
    seen.observe(el, {attributes: true, attributeFilter: ["data-runs", "data-state"]});
    field.value = value;
    t0 = performance.now();
    field.dispatchEvent(new Event("input", {bubbles: true}));
    field.dispatchEvent(new Event("change", {bubbles: true}));
  });
}"""


# what the fit & sample demo needs from the service worker's runtime cache on a later visit
RUNTIME_PARTS = ["pyodide.asm.wasm", "python_stdlib.zip", "numpy-", "matplotlib-3", "synthlab-snapshot-"]


def change_and_wait(page, value: str) -> float:
    """Choose ``value`` in the distribution control; ms from the input event to the frame
    painted with the updated figure."""
    page.set_default_timeout(180_000)
    got = page.evaluate(CHANGE, [DEMO, DEMO + "-distribution", value])
    assert got["state"] == "done", got
    return got["ms"]


def tasks_after(page, mark: str) -> dict:
    """The longest main-thread task from performance mark ``mark`` on (0 if none), and the
    scripts of the longest animation frames then (which code it was)."""
    found = page.evaluate(f"performance.getEntriesByName('{mark}').map(e => e.startTime)")
    start = found[0] if found else 0.0
    every = page.evaluate("window.__longtasks")
    tasks = [d for s, d in every if s + d >= start]
    frames = sorted((f for f in page.evaluate("window.__loaf") if f["start"] + f["ms"] >= start), key=lambda f: -f["ms"])
    return {"longest_task_ms": max(tasks, default=0.0), "longest_frames": frames[:3],
            "longest_task_whole_visit_ms": max((d for _, d in every), default=0.0)}


def bare(browser, url: str) -> float:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(url + "bench-baseline.html")
    page.wait_for_function("window.__ready", timeout=180_000)
    seconds = page.evaluate("window.__ready") / 1000
    ctx.close()
    return seconds


def reader(browser, url: str) -> dict:
    """Fresh profile: the demo on screen, read for 4 s, then one change -> first live result."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.add_init_script(PROBE)
    got: list[int] = []
    page.on("requestfinished", lambda r: got.append(r.sizes()["responseBodySize"]))
    page.goto(url + PAGE)
    page.locator(DEMO).scroll_into_view_if_needed()
    page.wait_for_timeout(4000)                     # the reader reads; idle-on-screen may warm Python
    change_at = page.evaluate("performance.now()")
    seconds = change_and_wait(page, "normal") / 1000
    out = {"first_live_result_after_change_s": seconds, "bytes_before_first_live_result": sum(got),
           "requests_before_first_live_result": len(got), **tasks_after(page, "synthlab:python-start"),
           "python_started_at_ms": page.evaluate("performance.getEntriesByName('synthlab:python-start').map(e => e.startTime)[0]"),
           "change_at_ms": change_at,
           "timings_ms": page.evaluate("window.synthlab.runtime.timings"),
           "bytecode_used": page.evaluate("[...window.synthlab.runtime.bytecode]")}
    ctx.close()
    return out


def press_run(page, url: str) -> dict:
    """Open the lesson, press Run at once: seconds from navigation start to the live result,
    and the worker's start-up phases (ms) and whether it started from the saved snapshot."""
    page.goto(url + PAGE)
    page.locator(DEMO + " .sl-run").click()
    page.wait_for_function(f"Number(document.querySelector('{DEMO}').dataset.runs || 0) > 0", timeout=180_000)
    return {"s": page.evaluate("performance.now()") / 1000, "snapshot": page.evaluate("window.synthlab.runtime.info.snapshot"),
            "timings_ms": page.evaluate("window.synthlab.runtime.timings")}


def cold_and_warm(browser, url: str) -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    cold = press_run(page, url)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120_000)
    # a later visit finds what the first one stored: wait until the service worker holds the runtime
    wait_for_runtime_cache(page, RUNTIME_PARTS, 180)
    page.close()
    page = ctx.new_page()                           # second visit: new tab, new worker, SW cache
    warm = press_run(page, url)
    names = page.evaluate("caches.keys()")
    ctx.close()
    return {"cold_s": cold["s"], "warm_s": warm["s"], "cold": cold, "warm": warm, "caches": names}


def updates(browser, url: str, changes: int) -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.add_init_script(PROBE)
    page.goto(url + PAGE)
    change_and_wait(page, "normal")                 # Python started and warm
    latencies, computes = [], []
    for i in range(changes):
        latencies.append(change_and_wait(page, ["bimodal", "normal"][i % 2]))
        computes.append(float(page.locator(DEMO).get_attribute("data-ms")))
    tasks = tasks_after(page, "synthlab:python-start")
    ctx.close()
    return {"changes": changes, "median_ms": statistics.median(latencies), "p95_ms": percentile(latencies, 0.95),
            "max_ms": max(latencies), "page_measured_median_ms": statistics.median(computes), **tasks}


def build(folder: Path, url: str) -> None:
    env = {**os.environ, "SYNTHLAB_RUNTIME": "local", "NO_MKDOCS_2_WARNING": "1", "SYNTHLAB_SITE_URL": url}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(folder)], cwd=ROOT, env=env, check=True)
    (folder / "bench-baseline.html").write_text(BASELINE_HTML)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=3, help="interleaved cold runs (medians are reported)")
    parser.add_argument("--link", default="20:40", help="Mbit/s:RTT ms of the emulated network for the cold/warm "
                                                         "visits ('' to skip)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    folder = ROOT / ".cache" / "site-bench"
    folder.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"cores": os.cpu_count(), "load_1min": os.getloadavg()[0]},
                     "when": time.strftime("%Y-%m-%dT%H:%M:%S")}
    with SiteServer(folder) as url, sync_playwright() as p:
        build(folder, url)
        browser = launch(p)
        baselines, readers, visits, over_link = [], [], [], []
        link = Link(*map(float, args.link.split(":"))) if args.link else None
        for _ in range(args.repeats):               # interleaved, so machine load affects all alike
            baselines.append(bare(browser, url))
            readers.append(reader(browser, url))
            visits.append(cold_and_warm(browser, url))
            if link:
                with SiteServer(folder, link) as slow_url:
                    over_link.append(cold_and_warm(browser, slow_url))
        update = updates(browser, url, args.changes)
        browser.close()
    baseline = statistics.median(baselines)
    first = statistics.median(r["first_live_result_after_change_s"] for r in readers)
    cold = statistics.median(v["cold_s"] for v in visits)
    warm = statistics.median(v["warm_s"] for v in visits)
    if over_link:
        cold_link = statistics.median(v["cold_s"] for v in over_link)
        warm_link = statistics.median(v["warm_s"] for v in over_link)
    longest = max([update["longest_task_ms"]] + [r["longest_task_ms"] for r in readers])
    results.update({
        "baseline_loadPyodide_numpy_import_s": baseline, "baseline_runs_s": baselines,
        "reader": {"first_live_result_after_change_s": first, "runs": readers},
        "visits": {"cold_press_run_to_result_s": cold, "warm_second_visit_s": warm, "runs": visits},
        "visits_over_link": {"link": args.link, "cold_press_run_to_result_s": cold_link, "warm_second_visit_s": warm_link,
                             "runs": over_link} if over_link else None,
        "update": update, "longest_main_thread_task_ms": longest,
        "longest_main_thread_task_whole_visit_ms": max([update["longest_task_whole_visit_ms"]] +
                                                       [r["longest_task_whole_visit_ms"] for r in readers]),
        "bytes_before_first_live_result": statistics.median(r["bytes_before_first_live_result"] for r in readers),
    })
    results["targets"] = {
        "reader_first_result_le_bare_start": {"value": first / baseline, "met": first <= baseline},
        "p95_update_le_100ms": {"value": update["p95_ms"], "met": update["p95_ms"] <= 100.0},
        "no_main_thread_task_over_200ms": {"value": longest, "met": longest <= 200.0},
        "warm_visit_le_half_cold": {"value": warm / cold, "met": warm <= cold / 2},
    }
    if over_link:
        results["targets"]["warm_visit_le_half_cold_over_link"] = {"value": warm_link / cold_link,
                                                                    "met": warm_link <= cold_link / 2}
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "browser.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
