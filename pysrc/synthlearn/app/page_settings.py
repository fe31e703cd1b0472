"""The Generator page's settings: its limits, its words for each setting, and the check that
turns the form's settings into a run config (through the one validator,
:func:`synthlearn.pipeline.validate_config`) and checks them against the data."""

from __future__ import annotations

import re
from typing import Any

from .. import validation
from ..errors import InputError
from ..pipeline import validate_config
from ..table import Table

__all__ = ["DEFAULT_METHOD", "DEFAULT_SEED", "FIELD_NAMES", "LIMITS", "PAGE_METHODS", "category_problem",
           "check_against", "config_of", "validate_settings"]

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
#: How the page names the settings in messages (the config's keys, in the form's words).
FIELD_NAMES = {
    "data": "The table", "kinds": "Column kinds", "exclude": "Excluded columns", "params": "The method's options",
    "n": "The number of synthetic records", "seed": "The seed", "holdout_share": "The holdout share",
    "constraints": "Constraints", "evaluation": "The evaluation settings", "evaluation.label": "The label",
    "evaluation.quasi_identifiers": "Sensitive columns", "evaluation.targets": "The targets",
    "evaluation.figures": "Figures",
}


def category_problem(name: str, n_distinct: int) -> str | None:
    """Why a categorical column with ``n_distinct`` values is too large for the page, or None."""
    cap = LIMITS["max_categories"]
    if n_distinct > cap:
        return (f"Column '{name}' has {n_distinct:,} distinct values, more than the {cap} categories per column this "
                "page can model and evaluate in your browser: exclude it, or group its rarer values before you "
                "load the file.")
    return None


_SETTING_KEYS = ("data", "file_name", "kinds", "exclude", "method", "params", "n", "seed", "holdout_share",
                 "constraints", "evaluation")


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


def _constraint_lines(raw: Any) -> list[str]:
    """The constraints from the form: lines of text, comments and blank lines left out, within the limits."""
    from ..constraints import parse_constraint

    constraints = raw or []
    if isinstance(constraints, str):
        constraints = constraints.splitlines()
    if not isinstance(constraints, list) or not all(isinstance(c, str) for c in constraints):
        raise InputError("Constraints must be lines of text such as 'age >= 18'.", key="constraints")
    lines = [c.strip() for c in constraints if c.strip() and not c.strip().startswith("#")]
    if len(lines) > LIMITS["max_constraints"]:
        raise InputError(f"There are {len(lines)} constraints; the page takes at most {LIMITS['max_constraints']}.",
                         key="constraints")
    for i, line in enumerate(lines, start=1):
        if len(line) > LIMITS["max_constraint_chars"]:
            raise InputError(f"Constraint {i} is longer than {LIMITS['max_constraint_chars']} characters.",
                             key="constraints")
        try:
            parse_constraint(line)
        except InputError as exc:
            raise InputError(f"Constraint {i}: {exc}", key="constraints") from None
    return lines


def _evaluation_settings(raw: Any) -> dict:
    ev = raw or {}
    if not isinstance(ev, dict):
        raise InputError("The evaluation settings must be a mapping (label, quasi_identifiers).", key="evaluation")
    label = ev.get("label")
    if label is not None and (not isinstance(label, str) or not label):
        raise InputError(f"The label must be a column name or none, not {label!r}.", key="evaluation.label")
    return {"label": label, "quasi_identifiers": validation.column_names(
        ev.get("quasi_identifiers"), FIELD_NAMES["evaluation.quasi_identifiers"], key="evaluation.quasi_identifiers")}


def validate_settings(settings: dict) -> dict:
    """Check the page's settings and return them normalised (every key present).

    The page's own limits (rows, seed, holdout share, constraints) are checked here; the
    rest by the one run-config validator, :func:`synthlearn.pipeline.validate_config`, in
    the form's words (:data:`FIELD_NAMES`). Raises :class:`InputError` with one sentence
    and the ``key`` of the setting concerned. Column names are checked when the data is read.
    """
    from ..synthesizers import METHODS

    if not isinstance(settings, dict):
        raise InputError("The settings must be a mapping.")
    unknown = [k for k in settings if k not in _SETTING_KEYS]
    if unknown:
        raise InputError(f"Unknown setting '{unknown[0]}' (valid: {', '.join(_SETTING_KEYS)}).", key=unknown[0])
    data = settings.get("data")
    if not isinstance(data, str) or not data.strip():
        raise InputError("Choose a bundled table or a CSV file first.", key="data")
    method = settings.get("method", DEFAULT_METHOD)
    if method not in METHODS:
        raise InputError(f"Unknown method '{method}' (valid: {', '.join(PAGE_METHODS)}).", key="method")
    hs = LIMITS["holdout_share"]
    s = {"data": data.strip(), "file_name": str(settings["file_name"]) if settings.get("file_name") else None,
         "method": method,
         "n": validation.row_count(settings.get("n", LIMITS["default_rows"]), FIELD_NAMES["n"],
                                   LIMITS["max_synthetic_rows"], key="n"),
         "seed": validation.seed(settings.get("seed", DEFAULT_SEED), FIELD_NAMES["seed"], key="seed"),
         "holdout_share": validation.number_in(settings.get("holdout_share", hs["default"]),
                                               FIELD_NAMES["holdout_share"], hs["min"], hs["max"],
                                               key="holdout_share")}
    kinds = settings.get("kinds") or {}
    if not isinstance(kinds, dict):
        raise InputError("Column kinds must be a mapping of column name to kind.", key="kinds")
    s["kinds"] = {str(k): v for k, v in kinds.items()}
    s["exclude"] = validation.column_names(settings.get("exclude"), FIELD_NAMES["exclude"], key="exclude")
    s["params"] = _params(method, settings.get("params"))
    s["constraints"] = _constraint_lines(settings.get("constraints"))
    s["evaluation"] = _evaluation_settings(settings.get("evaluation"))
    validate_config(config_of(s), names=FIELD_NAMES)   # the checks the command line makes, in the form's words
    return s


def config_of(s: dict, *, data: str | None = None, output: str | None = None, report: Any = None) -> dict:
    """The run config (synthlearn.pipeline) of normalised settings."""
    return {"data": data or s["data"], "kinds": dict(s["kinds"]), "exclude": list(s["exclude"]),
            "method": s["method"], "params": dict(s["params"]), "n": s["n"], "seed": s["seed"],
            "holdout_share": s["holdout_share"], "constraints": list(s["constraints"]),
            "output": output, "report": report,
            "evaluation": {"label": s["evaluation"]["label"],
                           "quasi_identifiers": list(s["evaluation"]["quasi_identifiers"])}}


def check_against(table: Table, s: dict) -> Table:
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
            problem = category_problem(c.name, len(c.categories))
            if problem:
                raise InputError(problem, column=c.name)
            total += len(c.categories)
    if total > LIMITS["max_total_categories"]:
        raise InputError(f"The included columns have {total:,} categories in all, more than the "
                         f"{LIMITS['max_total_categories']} this page can model in your browser: exclude some "
                         "categorical columns.")
    return kept
