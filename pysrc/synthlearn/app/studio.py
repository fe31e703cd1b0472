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
from ..table import KINDS, Table

__all__ = ["LIMITS", "MAX_RUNS", "PAGE_METHODS", "config_yaml", "download", "evaluate_run", "figures",
           "inspect", "limits", "options", "run", "synthesize", "validate_settings"]

#: What the page accepts. ``max_file_bytes`` is checked by the page on ``file.size`` before it
#: reads a file; the row and cell limits are those of :func:`synthlearn.csvio.read_csv`.
LIMITS: dict[str, Any] = {
    "max_file_bytes": 50 * 1024 * 1024,
    "max_rows": 200_000,
    "max_cells": 5_000_000,
    "min_rows": 30,
    "max_synthetic_rows": 100_000,
    "default_rows": 5_000,
    "max_categories": 200,          # per modelled categorical column
    "max_total_categories": 600,    # over all modelled columns (Adult has 101)
    "holdout_share": {"min": 0.1, "max": 0.5, "default": 0.2},
    "max_constraints": 20,
    "max_constraint_chars": 200,
    "preview_rows": 10,
}
#: The methods the page offers, in this order (keys of synthlearn.synthesizers.METHODS).
PAGE_METHODS = ("independent", "gaussian_copula", "bayesian_network", "cart", "dp_mst", "gaussian_mixture")
DEFAULT_METHOD = "gaussian_copula"
DEFAULT_SEED = 42
#: Runs kept in memory (the page compares the last two).
MAX_RUNS = 2
#: The ε stops of the privacy slider.
EPSILON_STEPS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0)
#: Class balance: largest gap between a class's share in the real training rows and in the
#: synthetic rows. 5 percentage points, as the report's missing-share target.
CLASS_BALANCE_TARGET = 0.05

_RUNS: "OrderedDict[str, _Run]" = OrderedDict()


@dataclass
class _Run:
    run_id: str
    settings: dict
    config: dict
    data: Table
    synthetic: Table
    info: dict
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
    from ..synthesizers import describe_methods

    methods = {m["key"]: m for m in describe_methods()}
    return {
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
def _bundled() -> dict[str, dict]:
    from ..datasets import list_datasets

    return {d["name"]: d for d in list_datasets()}


def _check_file(path: str) -> None:
    if not os.path.isfile(path):
        raise InputError(f"No file named '{os.path.basename(path)}' was found: choose the file again.")
    size = os.path.getsize(path)
    cap = LIMITS["max_file_bytes"]
    if size > cap:
        raise InputError(f"The file is {size / 2**20:,.1f} MB; this page reads files up to {cap / 2**20:,.0f} MB: "
                         "use a sample of the rows.")


def _load(data: str, kinds: dict | None = None) -> tuple[Table, dict]:
    """The table named by ``data`` (bundled name or CSV path) with ``kinds`` applied, and its facts."""
    from ..pipeline import load_data

    if not isinstance(data, str) or not data.strip():
        raise InputError("Choose a bundled table or a CSV file first.")
    if data.strip().lower() not in _bundled():
        _check_file(data)
    table, info = load_data({"data": data.strip(), "kinds": dict(kinds or {}), "exclude": []})
    return table, info


def _fingerprint(data: str) -> str:
    """The data's identity for a run id: a bundled name, or the hash of the file's bytes."""
    if data.strip().lower() in _bundled():
        return "bundled:" + data.strip().lower()
    with open(data, "rb") as fh:
        return "sha256:" + hashlib.sha256(fh.read()).hexdigest()


def _rows_of(table: Table, n: int) -> list[list[str]]:
    return [[r[name] for name in table.names] for r in table.head_records(n)]


def _pct(x: float) -> str:
    return "0 %" if x == 0 else "<0.1 %" if x < 0.001 else f"{100 * x:.1f} %"


def _category_problem(name: str, n_distinct: int) -> str | None:
    cap = LIMITS["max_categories"]
    if n_distinct > cap:
        return (f"Column '{name}' has {n_distinct:,} distinct values, more than the {cap} categories per column this "
                "page can model and evaluate in your browser: exclude it, or group its rarer values before you "
                "load the file.")
    return None


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
    bundled = _bundled().get(data.strip().lower())
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
        problem = _category_problem(col.name, len(col.categories)) if col.kind == "categorical" else None
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
_SETTING_KEYS = ("data", "file_name", "kinds", "exclude", "method", "params", "n", "seed", "holdout_share",
                 "constraints", "evaluation")


def _whole(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value != round(value):
        raise InputError(f"{what} must be a whole number from {low:,} to {high:,}, not {value!r}.")
    value = int(value)
    if not low <= value <= high:
        raise InputError(f"{what} must be a whole number from {low:,} to {high:,}, not {value:,}.")
    return value


def _parse_bounds(text: str) -> dict[str, list[float]]:
    """``age: 17, 90`` lines (or JSON) → ``{"age": [17.0, 90.0]}``."""
    out: dict[str, list[float]] = {}
    for i, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        m = re.fullmatch(r"(.+?)\s*:\s*([^,]+?)\s*,\s*([^,]+?)", line)
        try:
            lo, hi = float(m.group(2)), float(m.group(3))
        except (AttributeError, ValueError):
            raise InputError(f"Public bounds, line {i}: write 'column: low, high', such as 'age: 17, 90', "
                             f"not '{line}'.") from None
        out[m.group(1).strip().strip("`'\"")] = [lo, hi]
    return out


def _params(method: str, raw: Any) -> dict:
    """The method's parameters from the form: numbers may come as text, bounds as lines."""
    from ..synthesizers import METHODS

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError("The method's options must be a mapping of names to values.")
    specs = {s["name"]: s for s in METHODS[method]["params"]}
    out = {}
    for name, value in raw.items():
        spec = specs.get(name)
        if spec is None:
            raise InputError(f"{METHODS[method]['title']} has no option '{name}' (valid: "
                             f"{', '.join(specs) or 'none'}).")
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # empty field: the default
        if spec["type"] == "bounds":
            if isinstance(value, str):
                value = _parse_bounds(value)
            if not value:
                continue
        elif spec["type"] in ("int", "float", "float_or_choice") and isinstance(value, str):
            text = value.strip()
            if spec["type"] == "float_or_choice" and text in spec["choices"]:
                value = text
            else:
                try:
                    value = float(text)
                except ValueError:
                    raise InputError(f"{METHODS[method]['title']}: {name} must be a number, not '{text}'.") from None
        if spec["type"] == "int" and isinstance(value, float) and value.is_integer():
            value = int(value)
        out[name] = value
    return out


def validate_settings(settings: dict) -> dict:
    """Check the page's settings and return them normalised (every key present).

    Raises :class:`InputError` with one sentence for an unknown method or option, a number
    of rows, seed or holdout share out of range, a constraint that cannot be read, or a
    column name that is not in the data (checked later, when the data is read).
    """
    from ..pipeline import ConfigError, validate_config
    from ..constraints import parse_constraint
    from ..synthesizers import METHODS

    if not isinstance(settings, dict):
        raise InputError("The settings must be a mapping.")
    unknown = [k for k in settings if k not in _SETTING_KEYS]
    if unknown:
        raise InputError(f"Unknown setting '{unknown[0]}' (valid: {', '.join(_SETTING_KEYS)}).")
    s: dict = {}
    data = settings.get("data")
    if not isinstance(data, str) or not data.strip():
        raise InputError("Choose a bundled table or a CSV file first.")
    s["data"] = data.strip()
    file_name = settings.get("file_name")
    s["file_name"] = str(file_name) if file_name else None
    method = settings.get("method", DEFAULT_METHOD)
    if method not in METHODS:
        raise InputError(f"Unknown method '{method}' (valid: {', '.join(PAGE_METHODS)}).")
    s["method"] = method
    s["n"] = _whole(settings.get("n", LIMITS["default_rows"]), "The number of synthetic records", 1,
                    LIMITS["max_synthetic_rows"])
    s["seed"] = _whole(settings.get("seed", DEFAULT_SEED), "The seed", 0, 2**32 - 1)
    share = settings.get("holdout_share", LIMITS["holdout_share"]["default"])
    hs = LIMITS["holdout_share"]
    if isinstance(share, str):
        try:
            share = float(share)
        except ValueError:
            pass
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not hs["min"] <= share <= hs["max"]:
        raise InputError(f"The holdout share must be a number from {hs['min']:g} to {hs['max']:g}, not {share!r}.")
    s["holdout_share"] = float(share)

    kinds = settings.get("kinds") or {}
    if not isinstance(kinds, dict):
        raise InputError("Column kinds must be a mapping of column name to kind.")
    for col, kind in kinds.items():
        if kind not in KINDS:
            raise InputError(f"Column '{col}': unknown kind {kind!r} (use one of {', '.join(KINDS)}).", column=col)
    s["kinds"] = {str(k): v for k, v in kinds.items()}
    s["exclude"] = _name_list(settings.get("exclude"), "Excluded columns")
    s["params"] = _params(method, settings.get("params"))

    constraints = settings.get("constraints") or []
    if isinstance(constraints, str):
        constraints = constraints.splitlines()
    if not isinstance(constraints, list) or not all(isinstance(c, str) for c in constraints):
        raise InputError("Constraints must be lines of text such as 'age >= 18'.")
    lines = [c.strip() for c in constraints if c.strip() and not c.strip().startswith("#")]
    if len(lines) > LIMITS["max_constraints"]:
        raise InputError(f"There are {len(lines)} constraints; the page takes at most {LIMITS['max_constraints']}.")
    for i, line in enumerate(lines, start=1):
        if len(line) > LIMITS["max_constraint_chars"]:
            raise InputError(f"Constraint {i} is longer than {LIMITS['max_constraint_chars']} characters.")
        try:
            parse_constraint(line)
        except InputError as exc:
            raise InputError(f"Constraint {i}: {exc}") from None
    s["constraints"] = lines

    ev = settings.get("evaluation") or {}
    if not isinstance(ev, dict):
        raise InputError("The evaluation settings must be a mapping (label, quasi_identifiers).")
    label = ev.get("label")
    if label is not None and (not isinstance(label, str) or not label):
        raise InputError(f"The label must be a column name or none, not {label!r}.")
    s["evaluation"] = {"label": label,
                       "quasi_identifiers": _name_list(ev.get("quasi_identifiers"), "Sensitive columns")}
    try:
        validate_config(_config_of(s))  # the same checks the command line makes
    except ConfigError as exc:
        raise InputError(_plain(str(exc))) from None
    return s


def _plain(message: str) -> str:
    """A config error in the page's words (the form has fields, not config keys)."""
    message = re.sub(r"^Config key '[^']+': ", "", message)
    return re.sub(r"Config key '([^']+)'", r"The setting '\1'", message)


def _name_list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(f"{what} must be a list of column names.")
    return list(dict.fromkeys(value))


def _config_of(s: dict, *, data: str | None = None, output: str | None = None, report: Any = None) -> dict:
    """The run config (synthlearn.pipeline) of normalised settings."""
    return {"data": data or s["data"], "kinds": dict(s["kinds"]), "exclude": list(s["exclude"]),
            "method": s["method"], "params": dict(s["params"]), "n": s["n"], "seed": s["seed"],
            "holdout_share": s["holdout_share"], "constraints": list(s["constraints"]),
            "output": output, "report": report,
            "evaluation": {"label": s["evaluation"]["label"],
                           "quasi_identifiers": list(s["evaluation"]["quasi_identifiers"])}}


def _check_against(table: Table, s: dict) -> Table:
    """The data the synthesizer will see, after checking every column the settings name."""
    from ..csvio import check_label, label_as_category

    names = table.names
    for what, cols in (("Excluded column", s["exclude"]), ("Sensitive column", s["evaluation"]["quasi_identifiers"])):
        for c in cols:
            if c not in names:
                raise InputError(f"{what} '{c}' is not in the data (columns: {', '.join(names)}).", column=c)
    kept = table.drop(s["exclude"])
    if kept.n_cols == 0:
        raise InputError("Every column is excluded: keep at least one.")
    for c in s["evaluation"]["quasi_identifiers"]:
        if c in s["exclude"]:
            raise InputError(f"The sensitive column '{c}' is excluded: include it, or unmark it as sensitive.",
                             column=c)
    if kept.n_rows < LIMITS["min_rows"]:
        raise InputError(f"The table has {kept.n_rows} rows; the generator needs at least {LIMITS['min_rows']} so "
                         "that it can keep some aside to check privacy and utility.")
    label = s["evaluation"]["label"]
    if label is not None:
        if label in s["exclude"]:
            raise InputError(f"The label '{label}' is excluded: include it, or choose no label.", column=label)
        kept = label_as_category(kept, label)  # a 0/1 number column is a label too
        col = check_label(kept, label)
        if not col.is_discrete:
            raise InputError(f"The label '{label}' is {col.kind}; a label must be categorical or boolean: change "
                             "its kind to categorical, or choose another label.", column=label)
    total = 0
    for c in kept.columns:
        if c.kind == "categorical":
            problem = _category_problem(c.name, len(c.categories))
            if problem:
                raise InputError(problem, column=c.name)
            total += len(c.categories)
    if total > LIMITS["max_total_categories"]:
        raise InputError(f"The included columns have {total:,} categories in all, more than the "
                         f"{LIMITS['max_total_categories']} this page can model in your browser: exclude some "
                         "categorical columns.")
    return kept


# ------------------------------------------------------------------------------------------
# a run, in three steps
# ------------------------------------------------------------------------------------------
def _seeds(seed: int) -> list[np.random.SeedSequence]:
    """The four streams of synthlearn.pipeline.run_config: split, fit, sample, report."""
    return np.random.SeedSequence(seed).spawn(4)


def _remember(run_: _Run) -> None:
    _RUNS.pop(run_.run_id, None)
    _RUNS[run_.run_id] = run_
    while len(_RUNS) > MAX_RUNS:
        _RUNS.popitem(last=False)


def _run_id(s: dict) -> str:
    key = json.dumps({k: v for k, v in s.items() if k not in ("data", "file_name")}, sort_keys=True)
    return hashlib.sha256((key + "|" + _fingerprint(s["data"])).encode("utf-8")).hexdigest()[:16]


def synthesize(settings: dict) -> dict:
    """Step 1: read the data, keep a seeded holdout aside, fit the method on the training
    rows and sample ``n`` rows (with the constraints). Returns the run id, a preview of
    real and synthetic rows, the fit + sample time (measured here), the constraint and
    privacy reports and the warnings."""
    from ..pipeline import ConfigError, run_config

    s = validate_settings(settings)
    t0 = time.perf_counter()
    table, data_info = _load(s["data"], s["kinds"])
    kept = _check_against(table, s)
    load_seconds = time.perf_counter() - t0
    cfg = _config_of(s)
    cfg["exclude"] = []  # already applied: run_config gets the table itself
    try:
        synthetic, info = run_config(cfg, table=kept)
    except ConfigError as exc:
        raise InputError(_plain(str(exc))) from None
    run_ = _Run(run_id=_run_id(s), settings=s, config=cfg, data=kept, synthetic=synthetic, info=info)
    run_.timings = {"load": load_seconds, "fit": info["timings"]["fit"], "sample": info["timings"]["sample"],
                    "fit_sample": info["timings"]["fit"] + info["timings"]["sample"]}
    _remember(run_)
    from ..pipeline import split_holdout

    train, _ = split_holdout(kept, s["holdout_share"], rng=np.random.default_rng(_seeds(s["seed"])[0]))
    warnings = list(data_info.get("warnings") or [])
    if info.get("constraints") and info["constraints"].get("gave_up"):
        warnings.append(info["constraints"]["message"])
    privacy = info.get("privacy")  # its warning is shown with the accounting
    return {
        "run_id": run_.run_id,
        "settings": s,
        "method_title": info["title"],
        "n": int(synthetic.n_rows),
        "train_rows": info["train_rows"],
        "holdout_rows": info["holdout_rows"],
        "split_text": (f"The synthesizer learned from {info['train_rows']:,} real rows; {info['holdout_rows']:,} "
                       f"real rows ({s['holdout_share']:.0%}, drawn at random with seed {s['seed']}) were kept "
                       "aside to check privacy and utility."),
        "timings": run_.timings,
        "timing_text": f"Fit and sample: {run_.timings['fit_sample']:.2f} s (fit {info['timings']['fit']:.2f} s, "
                       f"sample {info['timings']['sample']:.2f} s), measured in Python.",
        "preview": {
            "real": {"caption": f"Real training rows (first {min(LIMITS['preview_rows'], train.n_rows)})",
                     "columns": train.names, "rows": _rows_of(train, LIMITS["preview_rows"])},
            "synthetic": {"caption": f"Synthetic rows (first {min(LIMITS['preview_rows'], synthetic.n_rows)})",
                          "columns": synthetic.names, "rows": _rows_of(synthetic, LIMITS["preview_rows"])},
        },
        "constraints": info.get("constraints"),
        "privacy": _privacy_view(privacy),
        "warnings": warnings,
    }


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
    check, the baselines and the evaluation time (measured here). The training rows and
    the holdout are the split :func:`synthlearn.pipeline.run_config` made; the report's seed
    is its fourth stream, as on the command line."""
    from ..pipeline import split_holdout
    from ..report import evaluate

    run_ = _get(run_id, settings)
    if run_.report is None:
        s = run_.settings
        seeds = _seeds(s["seed"])
        train, holdout = split_holdout(run_.data, s["holdout_share"], rng=np.random.default_rng(seeds[0]))
        start = time.perf_counter()
        run_.report = evaluate(train, run_.synthetic, holdout=holdout, label=s["evaluation"]["label"],
                               quasi_identifiers=s["evaluation"]["quasi_identifiers"] or None,
                               rng=np.random.default_rng(seeds[3]), figures=False)
        run_.timings["evaluate"] = time.perf_counter() - start
    return _report_view(run_)


def figures(run_id: str, settings: dict | None = None) -> dict:
    """Step 3: the report's figures (distributions of the worst-matching columns and the
    association difference), as SVG text. Needs matplotlib."""
    from ..pipeline import split_holdout
    from ..report import report_figures

    run_ = _get(run_id, settings)
    if run_.report is None:
        evaluate_run(run_id)
    if not run_.figures_done:
        s = run_.settings
        train, _ = split_holdout(run_.data, s["holdout_share"], rng=np.random.default_rng(_seeds(s["seed"])[0]))
        start = time.perf_counter()
        run_.report.figures = report_figures(train, run_.synthetic)
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
#: (report row key or pattern, what it is about) for the headline table, in order.
HEADLINE = (
    ("fidelity.column_shapes", "Statistical similarity"),
    ("fidelity.pair_trends_all", "Correlation preservation (all pairs)"),
    ("fidelity.pair_trends_strong", "Correlation preservation (strong pairs)"),
    ("class_balance", "Class balance"),
    (re.compile(r"utility\.[a-z_]+\.accuracy_ratio"), "Utility (TSTR / TRTR)"),
    ("privacy.dcr_share", "Privacy: distance to closest record"),
    ("privacy.identical_match_rate", "Privacy: identical matches"),
    ("privacy.membership_inference_auc", "Privacy: membership inference"),
)


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:.3f}"


def _class_balance(run_: _Run, train: Table) -> dict | None:
    label = run_.settings["evaluation"]["label"]
    if label is None:
        return None
    real, syn = train[label], run_.synthetic[label]

    def shares(col) -> dict[str, float]:
        codes = col.values[~col.missing].astype(np.intp)
        counts = np.bincount(codes, minlength=len(col.categories)).astype(float)
        total = counts.sum()
        return {c: (counts[i] / total if total else 0.0) for i, c in enumerate(col.categories)}

    r, s = shares(real), shares(syn)
    classes = list(dict.fromkeys(list(r) + list(s)))
    gap = max(abs(r.get(c, 0.0) - s.get(c, 0.0)) for c in classes)
    shown = sorted(classes, key=lambda c: -r.get(c, 0.0))[:6]
    text = ("Real: " + ", ".join(f"{c} {r.get(c, 0.0):.1%}" for c in shown) + "; synthetic: "
            + ", ".join(f"{c} {s.get(c, 0.0):.1%}" for c in shown) + "."
            + (" (Most common 6 classes shown.)" if len(classes) > 6 else "")
            + f" Target: class shares should match within {CLASS_BALANCE_TARGET:.0%} points, or a model trained on "
              "the synthetic rows learns the wrong base rates.")
    return {"group": "fidelity", "key": "class_balance", "metric": f"Class balance gap ('{label}')",
            "score": float(gap), "target": f"<= {CLASS_BALANCE_TARGET:g}",
            "status": "pass" if gap <= CLASS_BALANCE_TARGET else "fail",
            "definition": "Largest difference, over the label's classes, between a class's share among the real "
                          "training rows and among the synthetic rows.",
            "text": text}


def _report_view(run_: _Run) -> dict:
    from ..pipeline import split_holdout

    report = run_.report
    s = run_.settings
    train, _ = split_holdout(run_.data, s["holdout_share"], rng=np.random.default_rng(_seeds(s["seed"])[0]))
    rows = [dict(r) for r in report.rows]
    balance = _class_balance(run_, train)
    if balance:
        rows.append(balance)
    for r in rows:
        r["score_text"] = _fmt(r["score"])
    headline = []
    for key, aspect in HEADLINE:
        for r in rows:
            if (key.fullmatch(r["key"]) if isinstance(key, re.Pattern) else r["key"] == key):
                headline.append({**r, "aspect": aspect})
    fid = report.scores["fidelity"]
    base = report.baselines
    baselines = {"caption": "Fidelity between a floor and a ceiling",
                 "columns": ["Score", "Independent columns (floor)", "This synthetic table",
                             "Real holdout (ceiling)"],
                 "rows": [[label, _fmt(base["independent_marginals"].get(key)), _fmt(fid.get(key)),
                           _fmt(base.get("real_holdout", {}).get(key))]
                          for key, label in (("column_shapes", "Column shapes"),
                                             ("pair_trends_strong", "Pair trends, strong pairs"),
                                             ("pair_trends_all", "Pair trends, all pairs"),
                                             ("overall", "Overall"))]}
    passed = sum(r["status"] == "pass" for r in headline)
    failed = sum(r["status"] == "fail" for r in headline)
    return {
        "run_id": run_.run_id,
        "headline": headline,
        "rows": rows,
        "baselines": baselines,
        "summary": f"{passed} of {len(headline)} headline checks pass, {failed} fail"
                   + (f", {len(headline) - passed - failed} have no target." if len(headline) - passed - failed
                      else "."),
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
    bundled = s["data"].lower() in _bundled()
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
    bundled = s["data"].lower() in _bundled()
    data = s["data"].lower() if bundled else (s["file_name"] or os.path.basename(s["data"]))
    stem = _stem(s)
    cfg = _config_of(s, data=data, output=f"{stem}.csv", report=f"{stem}-report.html")
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

        text = write_csv(run_.synthetic, neutralise_formulas=True)
        n_formula = formula_cells(run_.synthetic)
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
