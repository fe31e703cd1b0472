"""Run configs: one small YAML file that says what to synthesize, how, and where to write it.

A run config is a mapping with these keys (only ``data`` and ``method`` are required)::

    data: adult                 # a bundled dataset name, or the path of a CSV file
    kinds: {age: integer}       # optional: force the kind of some columns when reading
    exclude: [fnlwgt]           # optional: columns to leave out
    method: gaussian_copula     # one of synthlearn.synthesizers.METHODS
    params: {}                  # the method's parameters (see `synthlearn methods`)
    n: 1000                     # rows to make (default: as many as the training rows)
    seed: 42                    # same seed, same rows, byte for byte (default 0; null = fresh)
    holdout_share: 0.2          # real rows kept out of training (default 0.2 with a report, else 0)
    constraints: ["age >= 18"]  # rows must satisfy these (see synthlearn.constraints)
    output: adult_synthetic.csv # where the CSV goes (the command line's --out wins)
    report: adult_report.html   # optional evaluation report: .html, .md or .json
    evaluation:                 # optional, used with a report
      label: income             # column a model predicts (default: a bundled dataset's label)
      quasi_identifiers: [age, sex, race]
      targets: {fidelity.overall: 0.85}
      figures: true             # default: only in an HTML report

:func:`load_config` reads a file (PyYAML is needed, ``pip install 'synthlearn[cli]'``; a
JSON file works without it), :func:`validate_config` checks a mapping and fills in the
defaults, :func:`run_config` runs it and :func:`dump_config` writes a mapping back as YAML
*without* PyYAML (the browser has none), so that the page and the command line produce the
same text. Every mistake raises :class:`ConfigError`: one sentence naming the key.

Relative paths are relative to the current working directory, as on the command line.
"""

from __future__ import annotations

import difflib
import json
import math
import os
from pathlib import Path
from typing import Any, Callable, Mapping

from .. import validation
from ..errors import InputError
from ..table import KINDS

__all__ = ["CONFIG_KEYS", "EVALUATION_KEYS", "MAX_HOLDOUT_SHARE", "REPORT_FORMATS", "ConfigError", "load_config",
           "name_of", "parse_config", "validate_config"]

#: Top-level keys of a run config, in the order a normalised config lists them, with their help.
CONFIG_KEYS: dict[str, str] = {
    "data": "a bundled dataset name (see `synthlearn datasets`) or the path of a CSV file",
    "kinds": "mapping column -> kind, forcing how a column is read (numeric, integer, categorical, boolean, "
             "datetime)",
    "exclude": "list of columns to leave out",
    "method": "the synthesizer (see `synthlearn methods`)",
    "params": "mapping of the method's parameters",
    "n": "number of rows to make (default: the number of training rows)",
    "seed": "whole number seeding every random step (default 0; null draws a fresh one and reports it)",
    "holdout_share": "share of real rows kept out of training for the report (default 0.2 with a report, else 0)",
    "constraints": "list of comparisons every row must satisfy, such as 'age >= 18'",
    "output": "path of the synthetic CSV file",
    "report": "path of the evaluation report (.html, .md or .json)",
    "evaluation": "mapping of report options: label, quasi_identifiers, targets, figures",
}
#: Keys of the ``evaluation`` mapping.
EVALUATION_KEYS: dict[str, str] = {
    "label": "categorical column a model predicts in the utility checks (null for none; default: the label "
             "of a bundled dataset)",
    "quasi_identifiers": "columns for the k-anonymity check",
    "targets": "mapping check -> threshold overriding the report's default targets",
    "figures": "whether the report draws figures (default: only in an HTML report)",
}
REPORT_FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".json": "json"}
MAX_HOLDOUT_SHARE = 0.9


class ConfigError(InputError):
    """A mistake in a run config, explained in one sentence that names the key; ``key`` holds it."""


# ----------------------------------------------------------------------------------------
# reading
# ----------------------------------------------------------------------------------------
def load_config(path: str | os.PathLike) -> dict:
    """Read, parse and validate the run config file at ``path`` (YAML, or JSON)."""
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"No config file named '{p}' was found.")
    if p.is_dir():
        raise ConfigError(f"'{p}' is a folder, not a config file.")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"The config '{p}' is not UTF-8 text: save it as UTF-8.") from None
    return parse_config(text, name=str(p))


def parse_config(text: str, *, name: str = "the config") -> dict:
    """Parse YAML (or JSON) ``text`` and validate it (see :func:`validate_config`).

    PyYAML is imported only here; without it a JSON text is still read.
    """
    try:
        import yaml  # optional dependency: synthlearn[cli]
    except ImportError:
        try:
            raw = json.loads(text)
        except ValueError:
            raise ConfigError("Reading a YAML config needs PyYAML: install it with "
                              "pip install 'synthlearn[cli]' (or write the config as JSON).") from None
    else:
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ConfigError(f"Cannot read {name} as YAML: {problem}{where}.") from None
    if raw is None:
        raise ConfigError(f"{name[0].upper() + name[1:]} is empty: it needs at least 'data' and 'method'.")
    return validate_config(raw)


# ----------------------------------------------------------------------------------------
# validating
# ----------------------------------------------------------------------------------------
def name_of(key: str, names: Mapping[str, str] | None = None) -> str:
    """How a message names ``key``: the caller's words for it, or "Config key 'key'"."""
    return (names or {}).get(key) or f"Config key '{key}'"


def _unknown(key: Any, valid: Mapping, where: str, at: str | None = None) -> ConfigError:
    hint = difflib.get_close_matches(str(key), list(valid), n=1)
    maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
    return ConfigError(f"Unknown {where} '{key}'{maybe}; valid keys: {', '.join(valid)}.", key=at or str(key))


def _checked(func: Callable, *args: Any, key: str, **kwargs: Any) -> Any:
    """Run a check of :mod:`synthlearn.validation`; its error becomes a ConfigError naming ``key``."""
    try:
        return func(*args, key=key, **kwargs)
    except InputError as exc:
        raise ConfigError(str(exc), key=key) from None


def _path_text(value: Any, key: str, names: Mapping[str, str] | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{name_of(key, names)} must be a file path, not {value!r}.", key=key)
    return value.strip()


def _check_top(raw: Any) -> None:
    if not isinstance(raw, dict):
        raise ConfigError(f"A config must be a mapping of keys such as 'data' and 'method', not "
                          f"{type(raw).__name__}.")
    for key in raw:
        if key not in CONFIG_KEYS:
            raise _unknown(key, CONFIG_KEYS, "config key")
    for key in ("data", "method"):
        if raw.get(key) in (None, ""):
            raise ConfigError(f"The config needs '{key}': " + CONFIG_KEYS[key] + ".", key=key)


def _data(raw: dict, names: Mapping[str, str] | None) -> dict:
    data = raw["data"]
    if not isinstance(data, str) or not data.strip():
        raise ConfigError(f"{name_of('data', names)} must be a dataset name or a CSV path, not {data!r}.", key="data")
    kinds = raw.get("kinds") or {}
    if not isinstance(kinds, dict):
        raise ConfigError(f"{name_of('kinds', names)} must be a mapping such as {{age: integer}}, not {kinds!r}.",
                          key="kinds")
    for col, kind in kinds.items():
        if kind not in KINDS:
            raise ConfigError(f"{name_of('kinds', names)}: column '{col}' has unknown kind {kind!r} "
                              f"(use one of {', '.join(KINDS)}).", key="kinds")
    exclude = _checked(validation.column_names, raw.get("exclude"), name_of("exclude", names), key="exclude")
    return {"data": data.strip(), "kinds": {str(k): v for k, v in kinds.items()}, "exclude": exclude}


def _method_params(raw: dict, names: Mapping[str, str] | None) -> dict:
    """The method and its parameters, validated by the method's own specs (plain YAML types kept)."""
    from ..synthesizers import METHODS

    method = raw["method"]
    if not isinstance(method, str) or method not in METHODS:
        hint = difflib.get_close_matches(str(method), list(METHODS), n=1)
        maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ConfigError(f"Unknown method {method!r}{maybe}; valid methods: {', '.join(METHODS)}.", key="method")
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise ConfigError(f"{name_of('params', names)} must be a mapping of parameter names to values, not "
                          f"{params!r}.", key="params")
    specs = {s["name"]: s for s in METHODS[method]["params"]}
    clean = {}
    for name, value in params.items():
        if name not in specs:
            hint = difflib.get_close_matches(str(name), list(specs), n=1)
            maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ConfigError(f"Method '{method}' has no parameter '{name}'{maybe}; valid: "
                              f"{', '.join(specs) or 'none'}.", key=f"params.{name}")
        spec = specs[name]
        if spec["type"] in ("int", "float") or (spec["type"] == "float_or_choice" and value not in spec["choices"]):
            value = validation.number_text(value)
        clean[str(name)] = value
    cls = METHODS[method]["class"]
    validated = {}
    for s in cls.param_specs:
        if s.name in clean:
            try:
                validated[s.name] = s.validate(clean[s.name], cls.title)
            except InputError as exc:
                raise ConfigError(f"{name_of('params', names)}: {exc}", key=f"params.{s.name}") from None
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in clean.items()}
    for k, v in validated.items():
        if isinstance(v, dict):
            out[k] = {c: [lo, hi] for c, (lo, hi) in v.items()}
        elif not isinstance(v, str):
            out[k] = v
    return {"method": method, "params": out}


def _numbers(raw: dict, names: Mapping[str, str] | None) -> dict:
    n, seed, share = raw.get("n"), raw.get("seed", 0), raw.get("holdout_share")
    return {
        "n": None if n is None else _checked(validation.row_count, n, name_of("n", names), key="n"),
        "seed": None if seed is None else _checked(validation.whole_number, seed, name_of("seed", names), 0,
                                                   key="seed"),
        "holdout_share": None if share is None else _checked(validation.number_in, share,
                                                             name_of("holdout_share", names), 0, MAX_HOLDOUT_SHARE,
                                                             key="holdout_share"),
    }


def _constraints(raw: dict, names: Mapping[str, str] | None) -> list[str]:
    from ..constraints import parse_constraint

    constraints = raw.get("constraints") or []
    if isinstance(constraints, str):
        constraints = [constraints]
    if not isinstance(constraints, list) or not all(isinstance(c, str) for c in constraints):
        raise ConfigError(f"{name_of('constraints', names)} must be a list of comparisons such as 'age >= 18'; "
                          "quote each one.", key="constraints")
    for c in constraints:
        try:
            parse_constraint(c)
        except InputError as exc:
            raise ConfigError(f"{name_of('constraints', names)}: {exc}", key="constraints") from None
    return [c.strip() for c in constraints]


def _report_path(raw: dict, names: Mapping[str, str] | None) -> str | bool | None:
    report = raw.get("report")
    if report is True:
        return True
    if report is False or report is None:
        return None
    report = _path_text(report, "report", names)
    if Path(report).suffix.lower() not in REPORT_FORMATS:
        raise ConfigError(f"{name_of('report', names)}: '{report}' must end in .html, .md or .json (the format "
                          "follows the extension).", key="report")
    return report


def _targets(targets: Any, names: Mapping[str, str] | None) -> dict:
    key = "evaluation.targets"
    if not isinstance(targets, dict):
        raise ConfigError(f"{name_of(key, names)} must be a mapping such as {{fidelity.overall: 0.8}}, "
                          f"not {targets!r}.", key=key)
    if not targets:
        return {}
    from ..report.checks import DEFAULT_TARGETS

    clean = {}
    for name, value in targets.items():
        if name not in DEFAULT_TARGETS:
            raise _unknown(name, DEFAULT_TARGETS, "evaluation target", at=key)
        value = validation.number_text(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(f"{name_of(key, names)}: the target for '{name}' must be a number, not {value!r}.",
                              key=key)
        clean[name] = value
    return clean


def _evaluation(raw: dict, names: Mapping[str, str] | None) -> dict:
    ev = raw.get("evaluation") or {}
    if not isinstance(ev, dict):
        raise ConfigError(f"{name_of('evaluation', names)} must be a mapping, not {ev!r}.", key="evaluation")
    for key in ev:
        if key not in EVALUATION_KEYS:
            raise _unknown(key, EVALUATION_KEYS, "evaluation key", at=f"evaluation.{key}")
    out: dict = {}
    if "label" in ev:
        if ev["label"] is not None and (not isinstance(ev["label"], str) or not ev["label"]):
            raise ConfigError(f"{name_of('evaluation.label', names)} must be a column name or null, not "
                              f"{ev['label']!r}.", key="evaluation.label")
        out["label"] = ev["label"]
    out["quasi_identifiers"] = _checked(validation.column_names, ev.get("quasi_identifiers"),
                                        name_of("evaluation.quasi_identifiers", names),
                                        key="evaluation.quasi_identifiers")
    out["targets"] = _targets(ev.get("targets") or {}, names)
    figures = ev.get("figures")
    if figures is not None and not isinstance(figures, bool):
        raise ConfigError(f"{name_of('evaluation.figures', names)} must be true or false, not {figures!r}.",
                          key="evaluation.figures")
    out["figures"] = figures
    return out


def validate_config(raw: Any, *, names: Mapping[str, str] | None = None) -> dict:
    """Check a run config mapping and return it normalised, every key present and in order.

    Unknown keys, unknown methods and parameters, out-of-range values and malformed
    constraints raise :class:`ConfigError`, whose ``key`` is the config key concerned
    (``"n"``, ``"params.epsilon"``, ``"evaluation.label"``). Messages name a key as
    "Config key 'n'" unless ``names`` gives other words for it (the Generator page names
    its fields). Numbers that YAML read as text (``1e-9``) are turned back into numbers.
    ``evaluation.label`` stays absent unless given (its default depends on the data).
    Columns are checked later, when the data is read.
    """
    _check_top(raw)
    cfg = _data(raw, names)
    cfg.update(_method_params(raw, names))
    cfg.update(_numbers(raw, names))
    cfg["constraints"] = _constraints(raw, names)
    cfg["output"] = _path_text(raw.get("output"), "output", names)
    cfg["report"] = _report_path(raw, names)
    cfg["evaluation"] = _evaluation(raw, names)
    return {key: cfg[key] for key in CONFIG_KEYS}


