"""Deep-models benchmark (issue 16): the three live-training demos at their defaults.

Natively: wall time of each demo's full default run, its frames, and the final quality.
In Chromium (self-hosted build, served on 127.0.0.1): with Python already started, press Train on
each widget of the Guide's deep-models page and record the time to the first frame and to the
last, the gaps between frames, and every main-thread long task during training.
Targets: the GAN covers 8/8 modes at the defaults; a frame at least every 200 ms while training
(gap p95 and max reported); each demo done within 20 s in the browser; no main-thread task over
200 ms during training. Writes ``benchmarks/results/deep.json``.
Usage: ``python benchmarks/deep.py [--site FOLDER] [--no-browser]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from _browser import ROOT, SiteServer, build_local, launch, percentile

sys.path.insert(0, str(ROOT / "pysrc"))

WIDGETS = {"gan": "#train-gan", "vae": "#train-vae", "diffusion": "#train-diffusion"}
PROBE = """
window.__bench = {longtasks: [], frames: {}};
new PerformanceObserver(list => list.getEntries().forEach(e => window.__bench.longtasks.push([e.startTime, e.duration])))
  .observe({type: "longtask", buffered: true});
"""


def native() -> dict:
    from synthlearn.demos import deep_train

    out = {}
    for name in WIDGETS:
        start = time.perf_counter()
        stamps, last = [], None
        for last in getattr(deep_train, name)():
            stamps.append(time.perf_counter() - start)
        gaps = [b - a for a, b in zip(stamps, stamps[1:])]
        out[name] = {"total_s": round(stamps[-1], 3), "frames": len(stamps),
                     "gap_max_ms": round(1000 * max(gaps), 1), "gap_median_ms": round(1000 * statistics.median(gaps), 1),
                     "final_metrics": {m["key"]: m["value"] for m in last["metrics"]}}
    return out


def browser(folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    with SiteServer(folder) as url, sync_playwright() as p:
        b = launch(p)
        page = b.new_context().new_page()
        page.add_init_script(PROBE)
        page.goto(url + "guide/deep-models/")
        t0 = time.perf_counter()
        page.wait_for_function("window.synthlab && window.synthlab.runtime")
        page.evaluate("synthlab.runtime.start()")
        out["python_start_s"] = round(time.perf_counter() - t0, 2)
        for name, sel in WIDGETS.items():
            page.evaluate("""sel => { const el = document.querySelector(sel); window.__bench.frames[sel] = [];
                el.addEventListener("synthlab:frame", () => window.__bench.frames[sel].push(performance.now())); }""", sel)
            start = page.evaluate("performance.now()")
            page.click(sel + " .sl-train__start")
            page.wait_for_function("sel => ['done', 'error'].includes(document.querySelector(sel).dataset.state)",
                                   arg=sel, timeout=300_000)
            end = page.evaluate("performance.now()")
            state = page.locator(sel).get_attribute("data-state")
            stamps = page.evaluate("sel => window.__bench.frames[sel]", sel)
            gaps = [b_ - a for a, b_ in zip(stamps, stamps[1:])]
            tasks = [d for s, d in page.evaluate("window.__bench.longtasks") if start <= s <= end]
            metrics = page.eval_on_selector_all(sel + " .sl-metric", "els => Object.fromEntries(els.map(e => [e.dataset.key, JSON.parse(e.dataset.value)]))")
            out[name] = {"state": state, "total_s": round((end - start) / 1000, 2),
                         "first_frame_s": round((stamps[0] - start) / 1000, 2) if stamps else None,
                         "frames": len(stamps), "gap_median_ms": round(statistics.median(gaps), 1),
                         "gap_p95_ms": round(percentile(gaps, 0.95), 1), "gap_max_ms": round(max(gaps), 1),
                         "longest_main_thread_task_ms": round(max(tasks, default=0.0), 1),
                         "final_metrics": metrics}
        b.close()
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", help="an already built self-hosted site folder (default: build one)")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    results: dict = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "cores": os.cpu_count(),
                     "loadavg_before": os.getloadavg(), "native": native()}
    if not args.no_browser:
        folder = Path(args.site) if args.site else ROOT / ".cache" / "site-bench-deep"
        if not args.site:
            folder.mkdir(parents=True, exist_ok=True)
            build_local(folder)
        results["browser"] = browser(folder)
    results["loadavg_after"] = os.getloadavg()
    gan_modes = results["native"]["gan"]["final_metrics"]["modes"]
    targets = {"gan_8_of_8_modes_native": {"value": gan_modes, "met": gan_modes == 8}}
    if "browser" in results:
        br = results["browser"]
        targets["gan_8_of_8_modes_browser"] = {"value": br["gan"]["final_metrics"].get("modes"),
                                               "met": br["gan"]["final_metrics"].get("modes") == 8}
        for name in WIDGETS:  # same seed, same numbers? (Pyodide's numpy has no optimised BLAS)
            a, b = results["native"][name]["final_metrics"], br[name]["final_metrics"]
            rel = max(abs(a[k] - b[k]) / max(abs(a[k]), 1e-300) for k in a if a[k] is not None)
            br[name]["final_metrics_max_rel_diff_vs_native"] = rel
            br[name]["final_metrics_bit_equal"] = all(a[k] == b[k] for k in a)
            targets[f"{name}_done_within_20_s"] = {"value": br[name]["total_s"], "met": br[name]["state"] == "done" and br[name]["total_s"] <= 20}
            targets[f"{name}_frame_gap_p95_within_200_ms"] = {"value": br[name]["gap_p95_ms"], "met": br[name]["gap_p95_ms"] <= 200}
            targets[f"{name}_frame_gap_max_within_200_ms"] = {"value": br[name]["gap_max_ms"], "met": br[name]["gap_max_ms"] <= 200}
            targets[f"{name}_no_main_thread_task_over_200_ms"] = {"value": br[name]["longest_main_thread_task_ms"],
                                                                  "met": br[name]["longest_main_thread_task_ms"] <= 200}
    results["targets"] = targets
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "deep.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
