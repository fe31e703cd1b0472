"""The Generator page's Python side: inspect a table, synthesize it, evaluate it, download it.

The page (``docs/assets/synthlab/generator.mjs``) calls these functions in the browser's
Python worker through :mod:`synthlearn.app.bridge`; the same functions run natively (tests).
Every argument and result is JSON-able.

* :func:`options` — what the form offers: bundled datasets, methods with their parameter
  specs, the ε steps of the privacy slider with a plain reading of each, and :func:`limits`.
* :func:`inspect` — read a bundled table or the reader's CSV and describe it: per column its
  kind, missing share, distinct values, examples and warnings, plus a preview of rows.
* :func:`synthesize` → :func:`evaluate_run` → :func:`figures` — one run in three steps, so
  the page shows the synthetic rows first, then the scores, then the figures; :func:`run`
  does all three at once.
* :func:`download` — the synthetic CSV, the report (HTML or JSON) or the run config (YAML).

The page's settings *are* a run config of :mod:`synthlearn.pipeline` (``data, kinds, exclude,
method, params, n, seed, holdout_share, constraints, evaluation``) plus ``file_name`` (the
name of the reader's file, for the config download). A run goes through
:func:`synthlearn.pipeline.run_config`, so the YAML it offers reproduces the same rows with
``synthlearn synthesize --config run.yaml``. The real table is split once, at random and
seeded, into training rows (the synthesizer only sees those) and a holdout
(``holdout_share``, 20 % by default) that the privacy and utility checks compare with.

Module state: ``_RUNS`` keeps the last :data:`MAX_RUNS` runs (their tables and report) by run
id, so that figures and downloads do not recompute. It is the only state in this module.
A run id is a hash of the settings and of the data's bytes, and a run is deterministic, so
when the worker was restarted (Cancel) :func:`download` rebuilds a run from its settings and
gets the same rows.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from ..pipeline import Run
from ..pipeline import evaluate_run as evaluate_pipeline_run
from ..pipeline import run as run_pipeline
from ..pipeline.data import bundled_datasets, load_table
from ..table import KINDS, Table
from ..validation import jsonable
from .page_settings import (
    DEFAULT_METHOD,
    DEFAULT_SEED,
    FIELD_NAMES,
    LIMITS,
    PAGE_METHODS,
    category_problem,
    check_against,
    config_of,
    validate_settings,
)

__all__ = ["LIMITS", "MAX_RUNS", "PAGE_METHODS", "config_yaml", "download", "evaluate_run", "figures",
           "inspect", "limits", "options", "run", "synthesize", "validate_settings"]

#: Runs kept in memory (the page compares the last two).
MAX_RUNS = 2
#: The ε stops of the privacy slider.
EPSILON_STEPS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0)
_RUNS: "OrderedDict[str, _Run]" = OrderedDict()


@dataclass
class _Run:
    """A run kept in memory: the pipeline's run, its report once evaluated, and the page's timings."""

    run_id: str
    settings: dict
    made: Run
    report: Any = None
    figures_done: bool = False
    timings: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------------------
# what the page offers
# ------------------------------------------------------------------------------------------
def limits() -> dict:
    """The page's limits (file size, rows, categories, synthetic rows, holdout share…)."""
    return json.loads(json.dumps(LIMITS))


def epsilon_reading(epsilon: float) -> str:
    """A plain sentence saying what a privacy loss ε means."""
    factor = math.exp(epsilon)
    factor_text = f"{factor:,.0f}" if factor >= 100 else f"{factor:.3g}"
    if epsilon <= 0.5:
        verdict = "Strong protection; the synthetic data is noticeably noisier."
    elif epsilon <= 2:
        verdict = "Moderate protection; the noise still blurs small groups."
    elif epsilon <= 5:
        verdict = "Weak protection: useful data, but a determined attacker learns more."
    else:
        verdict = ("Very weak worst-case protection: the bound allows a large change. Deployed systems have "
                   "used budgets this large; say why yours is acceptable.")
    return (f"ε = {epsilon:g}: adding or removing any one person's row changes the chance of any synthetic "
            f"table by at most a factor e^ε ≈ {factor_text} (except with probability δ). {verdict}")


def options() -> dict:
    """Everything the form needs: datasets, methods (with parameter specs), ε steps, kinds,
    limits and the default settings."""
    from ..datasets import list_datasets
    from ..report.checks import CHECKS
    from ..synthesizers import describe_methods

    methods = {m["key"]: m for m in describe_methods()}
    return {
        "checks": {key: {"name": c.name, "definition": c.definition, "reading": c.reading,
                         "target": None if c.target is None else {"op": c.target[0], "value": c.target[1],
                                                                   "why": c.target[2]}}
                   for key, c in CHECKS.items()},
        "limits": limits(),
        "datasets": [{k: d[k] for k in ("name", "title", "rows", "columns", "label", "licence", "source",
                                        "description", "url")} for d in list_datasets()],
        "methods": [methods[key] for key in PAGE_METHODS],
        "kinds": list(KINDS),
        "epsilon_steps": [{"value": e, "text": f"{e:g}", "reading": epsilon_reading(e)} for e in EPSILON_STEPS],
        "defaults": {"data": "adult", "method": DEFAULT_METHOD, "n": LIMITS["default_rows"], "seed": DEFAULT_SEED,
                     "holdout_share": LIMITS["holdout_share"]["default"]},
    }


# ------------------------------------------------------------------------------------------
# reading the data
# ------------------------------------------------------------------------------------------
def _load(data: str, kinds: dict | None = None) -> tuple[Table, dict]:
    """The table named by ``data`` (bundled name or CSV path) with ``kinds`` applied, and its facts."""
    if isinstance(data, str) and data.strip() and data.strip().lower() not in bundled_datasets() \
            and not os.path.isfile(data):
        raise InputError(f"No file named '{os.path.basename(data)}' was found: choose the file again.", key="data")
    return load_table(data, kinds, max_bytes=LIMITS["max_file_bytes"])


def _fingerprint(data: str) -> str:
    """The data's identity for a run id: a bundled name, or the hash of the file's bytes."""
    if data.strip().lower() in bundled_datasets():
        return "bundled:" + data.strip().lower()
    with open(data, "rb") as fh:
        return "sha256:" + hashlib.file_digest(fh, "sha256").hexdigest()


def _rows_of(table: Table, n: int) -> list[list[str]]:
    return [[r[name] for name in table.names] for r in table.head_records(n)]


def _pct(x: float) -> str:
    return "0 %" if x == 0 else "<0.1 %" if x < 0.001 else f"{100 * x:.1f} %"



def inspect(data: str = "adult", kinds: dict | None = None, file_name: str | None = None) -> dict:
    """Read ``data`` (a bundled dataset name or a CSV path) and describe it for the schema view.

    ``kinds`` forces some columns' kinds (a bad choice raises :class:`InputError` naming the
    column). Returns the source's facts, one entry per column (kind, missing share,
    distinct values, examples, warnings, whether excluding it is suggested), the warnings,
    a suggested label and the first rows as text.
    """
    from ..csvio import column_issues, is_binary_number, profile

    if kinds is not None and not isinstance(kinds, dict):
        raise InputError("Column kinds must be a mapping of column name to kind.")
    start = time.perf_counter()
    table, info = _load(data, kinds)
    if table.n_rows < LIMITS["min_rows"]:  # said at load, where the reader is looking, not only at Generate
        raise InputError(f"The table has {table.n_rows} rows; the generator needs at least {LIMITS['min_rows']} so "
                         "that it can keep some aside to check privacy and utility.")
    bundled = bundled_datasets().get(data.strip().lower()) if info["bundled"] else None
    issues = column_issues(table)
    by_column: dict[str, list[dict]] = {}
    for item in issues:
        by_column.setdefault(item["column"], []).append(item)
    columns = []
    own = {i["message"] for i in issues}  # the file's own notes first (e.g. it was read as Windows-1252)
    warnings = [w for w in info.get("warnings") or [] if w not in own] + [i["message"] for i in issues]
    for p in profile(table):
        col = table[p["name"]]
        own = by_column.get(p["name"], [])
        problem = category_problem(col.name, len(col.categories)) if col.kind == "categorical" else None
        if problem:
            warnings.append(problem + " It is excluded for now.")
        suggest = bool(problem) or any(i["issue"] in ("identifier", "row_index", "all_missing") for i in own)
        # a label: a category (or a 0/1 number) with two values or more, never a column excluded by default
        can_be_label = not suggest and ((col.is_discrete and p["n_distinct"] >= 2) or is_binary_number(col))
        columns.append({**p, "missing_text": _pct(p["missing_share"]), "n_distinct_text": f"{p['n_distinct']:,}",
                        "issues": [i["message"] for i in own] + ([problem] if problem else []),
                        "suggest_exclude": suggest, "can_be_label": can_be_label})
    label = bundled["label"] if bundled else _guess_label(table)
    name = bundled["title"] if bundled else (file_name or os.path.basename(data))
    return {
        "data": data.strip(),
        "source": {"name": name, "bundled": bool(bundled), "file_name": None if bundled else (file_name or name),
                   **({k: bundled[k] for k in ("title", "description", "licence", "source", "url")}
                      if bundled else {})},
        "n_rows": table.n_rows, "n_cols": table.n_cols,
        "size_text": f"{table.n_rows:,} rows × {table.n_cols} columns",
        "kinds": {c.name: c.kind for c in table.columns},
        "columns": columns,
        "warnings": warnings,
        "label": label,
        "preview": {"caption": f"First rows of {name}", "columns": table.names,
                    "rows": _rows_of(table, LIMITS["preview_rows"])},
        "seconds": time.perf_counter() - start,
    }


def _guess_label(table: Table) -> str | None:
    """A discrete column named like a target (label, target, class, outcome, y), if any."""
    for c in table.columns:
        if c.is_discrete and re.fullmatch(r"(?i)(label|target|class|outcome|y|income|diagnosis|species)",
                                          c.name.strip()):
            if len(np.unique(c.values[~c.missing])) >= 2:
                return c.name
    return None


# ------------------------------------------------------------------------------------------
# settings
# ------------------------------------------------------------------------------------------

# ------------------------------------------------------------------------------------------
# a run, in three steps
# ------------------------------------------------------------------------------------------
def _remember(run_: _Run) -> None:
    _RUNS.pop(run_.run_id, None)
    _RUNS[run_.run_id] = run_
    while len(_RUNS) > MAX_RUNS:
        _RUNS.popitem(last=False)


def _run_id(s: dict) -> str:
    key = json.dumps({k: v for k, v in s.items() if k not in ("data", "file_name")}, sort_keys=True)
    return hashlib.sha256((key + "|" + _fingerprint(s["data"])).encode("utf-8")).hexdigest()[:16]


def _preview(caption: str, table: Table) -> dict:
    n = min(LIMITS["preview_rows"], table.n_rows)
    return {"caption": f"{caption} (first {n})", "columns": table.names, "rows": _rows_of(table, n)}


def synthesize(settings: dict) -> dict:
    """Step 1: read the data, keep a seeded holdout aside, fit the method on the training
    rows and sample ``n`` rows (with the constraints), through the run pipeline
    (:func:`synthlearn.pipeline.run`). Returns the run id, a preview of real and synthetic
    rows, the fit + sample time (measured here), the constraint and privacy reports and the
    warnings."""
    s = validate_settings(settings)
    t0 = time.perf_counter()
    table, data_info = _load(s["data"], s["kinds"])
    kept = check_against(table, s)
    load_seconds = time.perf_counter() - t0
    cfg = {**config_of(s, report=True), "exclude": []}  # excluded columns are already dropped from `kept`
    made = run_pipeline(cfg, table=kept, names=FIELD_NAMES)
    info, t = made.info, made.info["timings"]
    run_ = _Run(run_id=_run_id(s), settings=s, made=made,
                timings={"load": load_seconds, "fit": t["fit"], "sample": t["sample"],
                         "fit_sample": t["fit"] + t["sample"]})
    _remember(run_)
    warnings = list(data_info.get("warnings") or [])
    if info.get("constraints") and info["constraints"].get("gave_up"):
        warnings.append(info["constraints"]["message"])
    return jsonable({
        "run_id": run_.run_id,
        "settings": s,
        "method_title": info["title"],
        "n": int(made.synthetic.n_rows),
        "train_rows": info["train_rows"],
        "holdout_rows": info["holdout_rows"],
        "split_text": (f"The synthesizer learned from {info['train_rows']:,} real rows; {info['holdout_rows']:,} "
                       f"real rows ({s['holdout_share']:.0%}, drawn at random with seed {s['seed']}) were kept "
                       "aside to check privacy and utility."),
        "timings": run_.timings,
        "timing_text": f"Fit and sample: {run_.timings['fit_sample']:.2f} s (fit {t['fit']:.2f} s, "
                       f"sample {t['sample']:.2f} s), measured in Python.",
        "preview": {"real": _preview("Real training rows", made.train),
                    "synthetic": _preview("Synthetic rows", made.synthetic)},
        "constraints": info.get("constraints"),
        "privacy": _privacy_view(info.get("privacy")),  # its warning is shown with the accounting
        "warnings": warnings,
    })


def _privacy_view(privacy: dict | None) -> dict | None:
    if not privacy:
        return None
    steps = [f"{st['step']}: {st['mechanism']}, ρ = {st['rho']:.4g}"
             + (f", noise σ = {st['sigma']:.3g}" if st.get("sigma") else "") for st in privacy["steps"]]
    return {"epsilon": privacy["epsilon"], "delta": privacy["delta"],
            "summary": (f"(ε = {privacy['epsilon']:g}, δ = {privacy['delta']:g})-differential privacy for the "
                        f"training rows, neighbouring tables differing by one row ({privacy['neighbouring']}); "
                        f"zCDP budget ρ = {privacy['rho']:.4g}, converted by {privacy['conversion']}."),
            "steps": steps, "warning": privacy.get("warning") or "", "not_private": privacy.get("not_private", [])}


def _get(run_id: str, settings: dict | None) -> _Run:
    if isinstance(run_id, str) and run_id in _RUNS:
        return _RUNS[run_id]
    if settings is None:
        raise InputError("This result is no longer in memory (Python was restarted): press Generate again.")
    again = synthesize(settings)["run_id"]
    if again != run_id:
        raise InputError("The data or the settings changed since this result was made, so it cannot be rebuilt: "
                         "press Generate again.")
    return _RUNS[run_id]


def evaluate_run(run_id: str, settings: dict | None = None) -> dict:
    """Step 2: the report's numbers for a run (no figures): the headline checks, every
    check, the baselines and the evaluation time (measured here) — the report
    :func:`synthlearn.pipeline.evaluate_run` makes for the command line too."""
    run_ = _get(run_id, settings)
    if run_.report is None:
        start = time.perf_counter()
        run_.report = evaluate_pipeline_run(run_.made, figures=False)
        run_.timings["evaluate"] = time.perf_counter() - start
    return jsonable(_report_view(run_))


def figures(run_id: str, settings: dict | None = None) -> dict:
    """Step 3: the report's figures (distributions of the worst-matching columns and the
    association difference), as SVG text. Needs matplotlib."""
    from ..report import report_figures

    run_ = _get(run_id, settings)
    if run_.report is None:
        evaluate_run(run_id)
    if not run_.figures_done:
        start = time.perf_counter()
        run_.report.figures = report_figures(run_.made.train, run_.made.synthetic)
        run_.timings["figures"] = time.perf_counter() - start
        run_.figures_done = True
    return {"run_id": run_.run_id, "seconds": run_.timings["figures"],
            "figures": [{"key": f.get("key", ""), "title": f["title"], "alt": f["alt"], "svg": f["svg"]}
                        for f in run_.report.figures]}


def run(settings: dict, draw: bool = False) -> dict:
    """All steps at once: :func:`synthesize`, then :func:`evaluate_run` (under ``report``)
    and, with ``draw``, :func:`figures` (under ``figures``)."""
    out = synthesize(settings)
    out["report"] = evaluate_run(out["run_id"])
    if draw:
        out["figures"] = figures(out["run_id"])["figures"]
    return out


# ------------------------------------------------------------------------------------------
# the report, as the page shows it
# ------------------------------------------------------------------------------------------
def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:.3f}"


def _baselines_view(report) -> dict:
    from ..report.render import BASELINE_NOTE

    fid, base = report.scores["fidelity"], report.baselines
    return {"caption": "Fidelity beside two references", "note": BASELINE_NOTE,
            "columns": ["Score", "Independent columns (no relations)", "This synthetic table",
                        "Real holdout (fresh real rows)"],
            "rows": [[label, _fmt(base["independent_marginals"].get(key)), _fmt(fid.get(key)),
                      _fmt(base.get("real_holdout", {}).get(key))]
                     for key, label in (("column_shapes", "Column shapes"),
                                        ("pair_trends_strong", "Pair trends, strong pairs"),
                                        ("pair_trends_all", "Pair trends, all pairs"),
                                        ("overall", "Overall"))]}


def _report_view(run_: _Run) -> dict:
    from ..report.checks import headline_rows

    report = run_.report
    rows = [{**r, "score_text": _fmt(r["score"])} for r in report.rows]
    return {
        "run_id": run_.run_id,
        "signals": list(report.meta.get("signals", [])),
        "verdict": report.meta["verdict"],
        "headline": headline_rows(rows),
        "rows": rows,
        "baselines": _baselines_view(report),
        "summary": report.meta["verdict"]["text"],
        "seconds": run_.timings["evaluate"],
        "timing_text": f"Evaluation: {run_.timings['evaluate']:.2f} s, measured in Python"
                       + (" (" + ", ".join(f"{k} {v:.1f} s" for k, v in report.meta["timings"].items() if k != "total")
                          + ")." if report.meta.get("timings") else "."),
        "stage_seconds": dict(report.meta.get("timings", {})),
        "sizes": report.meta.get("sizes", {}),
        "notes": list(report.meta.get("notes", [])),
    }


# ------------------------------------------------------------------------------------------
# downloads
# ------------------------------------------------------------------------------------------
def _stem(s: dict) -> str:
    name = s["file_name"] or s["data"]
    bundled = s["data"].lower() in bundled_datasets()
    base = s["data"].lower() if bundled else os.path.splitext(os.path.basename(name))[0]
    base = re.sub(r"[^A-Za-z0-9_-]+", "_", base).strip("_") or "table"
    return f"{base}-{s['method']}-seed{s['seed']}"


def config_yaml(settings: dict) -> str:
    """The run config (YAML) that reproduces a run with ``synthlearn synthesize --config``.

    For a CSV the reader chose, ``data`` is the file's name: run the command in the folder
    that holds the file. It writes the same synthetic CSV (same seed, same rows) and the
    report (HTML) from the same holdout split.
    """
    from ..pipeline import dump_config

    s = validate_settings(settings)
    bundled = s["data"].lower() in bundled_datasets()
    data = s["data"].lower() if bundled else (s["file_name"] or os.path.basename(s["data"]))
    stem = _stem(s)
    cfg = config_of(s, data=data, output=f"{stem}.csv", report=f"{stem}-report.html")
    header = ("Run config made by the Synthetic Data Lab generator page.\n"
              f"Reproduce the run: synthlearn synthesize --config {stem}.yaml\n"
              + ("" if bundled else f"(run it in the folder that holds {data})\n")
              + "Same config, same seed: the same synthetic rows, byte for byte.")
    return dump_config(cfg, header=header)


DOWNLOADS = {
    "synthetic_csv": ("text/csv", ".csv"),
    "report_html": ("text/html", "-report.html"),
    "report_json": ("application/json", "-report.json"),
    "config_yaml": ("application/yaml", ".yaml"),
}


def download(run_id: str, what: str, settings: dict | None = None) -> dict:
    """One file of a run: ``synthetic_csv``, ``report_html``, ``report_json`` or ``config_yaml``.

    Returns ``{"filename", "mime", "text", "note"}`` (``note``: what was changed for safety, or None;
    the CSV is written with ``neutralise_formulas=True``, like the CLI's default). If the run is no longer in memory, ``settings``
    rebuild it (same seed, same rows). The HTML report includes the figures (matplotlib).
    """
    from ..csvio import write_csv

    if what not in DOWNLOADS:
        raise InputError(f"Unknown download '{what}' (valid: {', '.join(DOWNLOADS)}).")
    run_ = _get(run_id, settings)
    mime, suffix = DOWNLOADS[what]
    name = _stem(run_.settings) + suffix
    note = None
    if what == "synthetic_csv":  # neutralised: a download is opened in spreadsheets (OWASP CSV injection)
        from ..csvio import FORMULA_NOTE, formula_cells

        text = write_csv(run_.made.synthetic, neutralise_formulas=True)
        n_formula = formula_cells(run_.made.synthetic)
        note = f"{n_formula:,} cell{'s' if n_formula != 1 else ''}: {FORMULA_NOTE}" if n_formula else None
    elif what == "config_yaml":
        text = config_yaml(run_.settings)
    else:
        if run_.report is None:
            evaluate_run(run_.run_id)
        if what == "report_html" and not run_.figures_done:
            figures(run_.run_id)
        if what == "report_html":
            text = run_.report.to_html(title=f"Synthetic data evaluation: {_stem(run_.settings)}")
        else:
            text = run_.report.to_json(figures=False, indent=2) + "\n"
    return {"filename": name, "mime": mime, "text": text, "note": note}
