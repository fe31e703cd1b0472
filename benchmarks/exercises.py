"""Exercise benchmark: time from Check to verdict on a warm page, per exercise (JSON).

Builds the self-hosted site, serves it on 127.0.0.1 and drives Debian's Chromium. On each
page with exercises, Python is warmed by one Check; then, per exercise, the reference solution
is checked ``--repeats`` times and the in-page time from the click to the verdict
(``data-ms``) is recorded. Targets (this machine, 2 cores): median under 1 s for exercises
without statistical checks, under 3 s for those with them. Writes
``benchmarks/results/exercises.json``. Usage: ``python benchmarks/exercises.py [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from _browser import ROOT, SiteServer, build_local, launch

sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
import exerciseblocks  # noqa: E402

STATISTICAL = ("samples_follow", "samples_match", "frequencies_match", "noise_scale")
FINISHED = "sel => ['done', 'error', 'timeout'].includes(document.querySelector(sel).dataset.state)"


def pages_with_exercises() -> dict[str, list[dict]]:
    out = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        specs = exerciseblocks.exercises_in(page.read_text(encoding="utf-8"))
        if specs:
            rel = page.relative_to(ROOT / "docs").with_suffix("").as_posix()
            out[rel + "/"] = specs
    return out


def check_once(page, exercise_id: str) -> tuple[float, str]:
    sel = f"#exercise-{exercise_id}"
    page.click(f"{sel} .sl-exercise__check")
    page.wait_for_function(FINISHED, arg=sel, timeout=180_000)
    return float(page.locator(sel).get_attribute("data-ms")), page.locator(sel).get_attribute("data-verdict")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    folder = ROOT / ".cache" / "site-bench-exercises"
    folder.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"cores": os.cpu_count()}, "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
                     "targets_ms": {"plain": 1000, "statistical": 3000}, "exercises": []}
    with SiteServer(folder) as url, sync_playwright() as p:
        build_local(folder, url)
        browser = launch(p)
        for path, specs in pages_with_exercises().items():
            ctx = browser.new_context(base_url=url)
            page = ctx.new_page()
            page.goto(path)
            for spec in specs:  # put every reference solution in its editor
                sel = f"#exercise-{spec['id']}"
                page.wait_for_function("sel => document.querySelector(sel).dataset.state === 'ready'", arg=sel, timeout=60_000)
                page.evaluate("([s, code]) => document.querySelector(s).editor.setValue(code)", [sel, spec["solution"]])
            started = time.perf_counter()
            # a warm page: the page's own demos have finished (they share the worker)
            page.wait_for_function("() => [...document.querySelectorAll('.sl-demo')].every(d => "
                                   "['done', 'error'].includes(d.dataset.state))", timeout=180_000)
            check_once(page, specs[0]["id"])  # warm: Python started, packages loaded, grading imported
            warmup = time.perf_counter() - started
            for spec in specs:
                kind = "statistical" if any(name in c["code"] for c in spec["checks"] for name in STATISTICAL) else "plain"
                timings, verdicts = zip(*(check_once(page, spec["id"]) for _ in range(args.repeats)))
                median = statistics.median(timings)
                results["exercises"].append({
                    "id": spec["id"], "page": path, "kind": kind, "checks": len(spec["checks"]),
                    "verdicts": sorted(set(verdicts)), "ms": list(timings), "median_ms": median,
                    "target_ms": results["targets_ms"][kind], "met": median < results["targets_ms"][kind],
                    "cold_s_page_ready_and_first_check": round(warmup, 2) if spec is specs[0] else None})
                print(f"{spec['id']:22s} {kind:11s} median {median:7.0f} ms  {verdicts}", flush=True)
            ctx.close()
        browser.close()
    results["all_met"] = all(e["met"] and e["verdicts"] == ["passed"] for e in results["exercises"])
    out = ROOT / "benchmarks" / "results" / "exercises.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
