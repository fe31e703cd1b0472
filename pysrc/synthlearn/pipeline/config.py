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
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from ..errors import InputError
from ..table import KINDS, Table

__all__ = ["CONFIG_KEYS", "EVALUATION_KEYS", "ConfigError", "dump_config", "load_config", "load_data",
           "parse_config", "run_config", "split_holdout", "validate_config"]

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

Progress = Callable[[str, "float | None"], None]


class ConfigError(InputError):
    """A mistake in a run config, explained in one sentence that names the key."""


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
_NUMBER_TEXT = re.compile(r"[-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\Z")


def _number_text(value: Any) -> Any:
    """YAML 1.1 reads ``1e-9`` (no dot) as text: turn such texts back into numbers."""
    if isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
        number = float(value.strip().replace("_", ""))
        return int(number) if number.is_integer() and re.fullmatch(r"[-+]?[\d_]+", value.strip()) else number
    return value


def _unknown(key: Any, valid: dict, where: str) -> ConfigError:
    hint = difflib.get_close_matches(str(key), list(valid), n=1)
    maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
    return ConfigError(f"Unknown {where} '{key}'{maybe}; valid keys: {', '.join(valid)}.")


def _names(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"Config key '{key}' must be a list of column names, not {value!r}.")
    return list(value)


def _whole(value: Any, key: str, low: int, high: int | None = None) -> int:
    value = _number_text(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value != round(value):
        raise ConfigError(f"Config key '{key}' must be a whole number, not {value!r}.")
    value = int(value)
    if value < low or (high is not None and value > high):
        span = f"from {low:,} to {high:,}" if high is not None else f"of at least {low:,}"
        raise ConfigError(f"Config key '{key}' must be a whole number {span}, not {value:,}.")
    return value


def _path_text(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"Config key '{key}' must be a file path, not {value!r}.")
    return value.strip()


def validate_config(raw: Any) -> dict:
    """Check a run config mapping and return it normalised, every key present and in order.

    Unknown keys, unknown methods and parameters, out-of-range values and malformed
    constraints raise :class:`ConfigError`. Numbers that YAML read as text (``1e-9``)
    are turned back into numbers. ``evaluation.label`` stays absent unless given (its
    default depends on the data). Columns are checked later, when the data is read.
    """
    from ..constraints import parse_constraint
    from ..synthesizers import METHODS

    if not isinstance(raw, dict):
        raise ConfigError(f"A config must be a mapping of keys such as 'data' and 'method', not "
                          f"{type(raw).__name__}.")
    for key in raw:
        if key not in CONFIG_KEYS:
            raise _unknown(key, CONFIG_KEYS, "config key")
    for key in ("data", "method"):
        if raw.get(key) in (None, ""):
            raise ConfigError(f"The config needs '{key}': " + CONFIG_KEYS[key] + ".")
    cfg: dict = {}

    data = raw["data"]
    if not isinstance(data, str) or not data.strip():
        raise ConfigError(f"Config key 'data' must be a dataset name or a CSV path, not {data!r}.")
    cfg["data"] = data.strip()

    kinds = raw.get("kinds") or {}
    if not isinstance(kinds, dict):
        raise ConfigError(f"Config key 'kinds' must be a mapping such as {{age: integer}}, not {kinds!r}.")
    for col, kind in kinds.items():
        if kind not in KINDS:
            raise ConfigError(f"Config key 'kinds': column '{col}' has unknown kind {kind!r} "
                              f"(use one of {', '.join(KINDS)}).")
    cfg["kinds"] = {str(k): v for k, v in kinds.items()}
    cfg["exclude"] = _names(raw.get("exclude"), "exclude")

    method = raw["method"]
    if not isinstance(method, str) or method not in METHODS:
        hint = difflib.get_close_matches(str(method), list(METHODS), n=1)
        maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ConfigError(f"Unknown method {method!r}{maybe}; valid methods: {', '.join(METHODS)}.")
    cfg["method"] = method

    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise ConfigError(f"Config key 'params' must be a mapping of parameter names to values, not {params!r}.")
    specs = {s["name"]: s for s in METHODS[method]["params"]}
    clean_params = {}
    for name, value in params.items():
        if name not in specs:
            valid = ", ".join(specs) or "none"
            hint = difflib.get_close_matches(str(name), list(specs), n=1)
            maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ConfigError(f"Method '{method}' has no parameter '{name}'{maybe}; valid: {valid}.")
        spec = specs[name]
        if spec["type"] in ("int", "float") or (spec["type"] == "float_or_choice" and value not in spec["choices"]):
            value = _number_text(value)
        clean_params[str(name)] = value
    cls = METHODS[method]["class"]
    try:
        validated = {s.name: s.validate(clean_params[s.name], cls.title)
                     for s in cls.param_specs if s.name in clean_params}
    except InputError as exc:
        raise ConfigError(f"Config key 'params': {exc}") from None
    # keep what the user wrote (plain YAML types), validated
    cfg["params"] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in clean_params.items()}
    for k, v in validated.items():
        if isinstance(v, dict):
            cfg["params"][k] = {c: [lo, hi] for c, (lo, hi) in v.items()}
        elif not isinstance(v, str):
            cfg["params"][k] = v

    n = raw.get("n")
    cfg["n"] = None if n is None else _whole(n, "n", 1, 1_000_000)
    seed = raw.get("seed", 0)
    cfg["seed"] = None if seed is None else _whole(seed, "seed", 0)

    share = _number_text(raw.get("holdout_share"))
    if share is not None:
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= MAX_HOLDOUT_SHARE:
            raise ConfigError(f"Config key 'holdout_share' must be a number from 0 to {MAX_HOLDOUT_SHARE}, "
                              f"not {share!r}.")
        share = float(share)
    cfg["holdout_share"] = share

    constraints = raw.get("constraints") or []
    if isinstance(constraints, str):
        constraints = [constraints]
    if not isinstance(constraints, list) or not all(isinstance(c, str) for c in constraints):
        raise ConfigError("Config key 'constraints' must be a list of comparisons such as 'age >= 18'; "
                          "quote each one.")
    for c in constraints:
        try:
            parse_constraint(c)
        except InputError as exc:
            raise ConfigError(f"Config key 'constraints': {exc}") from None
    cfg["constraints"] = [c.strip() for c in constraints]

    cfg["output"] = _path_text(raw.get("output"), "output")
    report = raw.get("report")
    if report is True:
        cfg["report"] = True
    elif report is False or report is None:
        cfg["report"] = None
    else:
        report = _path_text(report, "report")
        if Path(report).suffix.lower() not in REPORT_FORMATS:
            raise ConfigError(f"Config key 'report': '{report}' must end in .html, .md or .json (the format "
                              "follows the extension).")
        cfg["report"] = report

    ev = raw.get("evaluation") or {}
    if not isinstance(ev, dict):
        raise ConfigError(f"Config key 'evaluation' must be a mapping, not {ev!r}.")
    for key in ev:
        if key not in EVALUATION_KEYS:
            raise _unknown(key, EVALUATION_KEYS, "evaluation key")
    evaluation: dict = {}
    if "label" in ev:
        if ev["label"] is not None and (not isinstance(ev["label"], str) or not ev["label"]):
            raise ConfigError(f"Config key 'evaluation.label' must be a column name or null, not {ev['label']!r}.")
        evaluation["label"] = ev["label"]
    evaluation["quasi_identifiers"] = _names(ev.get("quasi_identifiers"), "evaluation.quasi_identifiers")
    targets = ev.get("targets") or {}
    if not isinstance(targets, dict):
        raise ConfigError(f"Config key 'evaluation.targets' must be a mapping such as {{fidelity.overall: 0.8}}, "
                          f"not {targets!r}.")
    clean_targets = {}
    for key, value in targets.items():
        from ..report import DEFAULT_TARGETS  # only when targets are given: the report module is large

        if key not in DEFAULT_TARGETS:
            raise _unknown(key, DEFAULT_TARGETS, "evaluation target")
        value = _number_text(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(f"Config key 'evaluation.targets': the target for '{key}' must be a number, "
                              f"not {value!r}.")
        clean_targets[key] = value
    evaluation["targets"] = clean_targets
    figures = ev.get("figures")
    if figures is not None and not isinstance(figures, bool):
        raise ConfigError(f"Config key 'evaluation.figures' must be true or false, not {figures!r}.")
    evaluation["figures"] = figures
    cfg["evaluation"] = evaluation
    return cfg


# ----------------------------------------------------------------------------------------
# running
# ----------------------------------------------------------------------------------------
def _bundled_names() -> list[str]:
    from ..datasets import list_datasets

    return [d["name"] for d in list_datasets()]


def load_data(config: dict) -> tuple[Table, dict]:
    """The table a (validated) config names, with ``kinds`` and ``exclude`` applied, and facts
    about it: ``{"source", "bundled", "label", "rows", "columns", "excluded", "warnings"}``."""
    from ..csvio import read_csv, write_csv
    from ..datasets import list_datasets, load

    source = config["data"]
    kinds = config.get("kinds") or {}
    bundled = {d["name"]: d for d in list_datasets()}
    warnings: list[str] = []
    if source.lower() in bundled:
        table = load(source)
        label = bundled[source.lower()]["label"]
        if kinds:
            for col in kinds:
                if col not in table:
                    raise ConfigError(f"Config key 'kinds' names a column '{col}' that is not in '{source}' "
                                      f"(columns: {', '.join(table.names)}).")
            table = read_csv(write_csv(table), kinds={**{c.name: c.kind for c in table.columns}, **kinds}).table
    else:
        path = Path(source)
        if not path.exists():
            hint = "" if path.suffix else f" and '{source}' is not a bundled dataset ({', '.join(bundled)})"
            raise ConfigError(f"No data file named '{source}' was found{hint}.")
        result = read_csv(path, kinds=kinds or None)
        table, label, warnings = result.table, None, list(result.warnings)
    excluded = config.get("exclude") or []
    for col in excluded:
        if col not in table:
            raise ConfigError(f"Config key 'exclude' names a column '{col}' that is not in the data "
                              f"(columns: {', '.join(table.names)}).")
    if excluded:
        table = table.drop(excluded)
        if len(table.names) == 0:
            raise ConfigError("Config key 'exclude' leaves out every column: keep at least one.")
        if label in excluded:
            label = None
    info = {"source": source, "bundled": source.lower() in bundled, "label": label, "rows": table.n_rows,
            "columns": table.n_cols, "excluded": list(excluded), "warnings": warnings}
    return table, info


def split_holdout(table: Table, share: float, rng: int | np.random.Generator | None = None) -> tuple[Table, Table]:
    """Split ``table`` at random into (train, holdout), ``round(share · rows)`` rows in the holdout.

    Both parts keep the original row order and every column's domain; each gets at least one row.
    """
    from .._rng import as_generator

    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share < 1:
        raise InputError(f"The holdout share must be a number between 0 and 1, not {share!r}.")
    if table.n_rows < 2:
        raise InputError("A table needs at least 2 rows to keep some out as a holdout.")
    gen = as_generator(rng)
    n_hold = min(max(int(round(share * table.n_rows)), 1), table.n_rows - 1)
    perm = gen.permutation(table.n_rows)
    return table.take(np.sort(perm[n_hold:])), table.take(np.sort(perm[:n_hold]))


@contextmanager
def _step(progress: Progress | None, text: str, timings: dict, key: str) -> Iterator[None]:
    if progress is not None:
        progress(text, None)
    start = time.perf_counter()
    yield
    timings[key] = time.perf_counter() - start
    if progress is not None:
        progress(text, timings[key])


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    return obj


def run_config(config: dict, *, table: Table | None = None,
               progress: Progress | None = None) -> tuple[Table, dict]:
    """Run a run config: read the data, fit the method, sample ``n`` rows (with constraints),
    and evaluate them when ``report`` is set.

    Returns the synthetic table and a JSON-able ``info`` dict: the normalised config, the
    seed used, data facts, training/holdout sizes, ``timings`` in seconds, the constraint
    report, the method's privacy report (``dp_mst``), and with a report ``report`` — the
    :meth:`~synthlearn.report.Report.to_dict` of the evaluation. Nothing is written to disk.

    ``table`` replaces reading ``config["data"]`` (the browser passes its table; ``kinds`` is
    then not applied, ``exclude`` is). ``progress(text, seconds)`` is called with ``None``
    when a step starts and with its duration when it ends. One seed drives everything:
    ``numpy.random.SeedSequence(seed).spawn(4)`` gives the streams of the holdout split, the
    fit, the sample and the report, in that order, so the same config gives the same rows.
    """
    from ..constraints import parse_constraint, sample_with_constraints
    from ..synthesizers import METHODS, make_synthesizer

    cfg = validate_config(config)
    start = time.perf_counter()
    timings: dict[str, float] = {}
    seq = np.random.SeedSequence(cfg["seed"])
    seed_used = int(seq.entropy)
    split_seq, fit_seq, sample_seq, eval_seq = seq.spawn(4)

    if table is None:
        with _step(progress, f"reading {cfg['data']}", timings, "load"):
            data, data_info = load_data(cfg)
    else:
        if not isinstance(table, Table):
            raise InputError(f"run_config needs a Table, not {type(table).__name__}.")
        for col in cfg["exclude"]:
            if col not in table:
                raise ConfigError(f"Config key 'exclude' names a column '{col}' that is not in the data "
                                  f"(columns: {', '.join(table.names)}).")
        data = table.drop(cfg["exclude"]) if cfg["exclude"] else table
        data_info = {"source": cfg["data"], "bundled": False, "label": None, "rows": data.n_rows,
                     "columns": data.n_cols, "excluded": list(cfg["exclude"]), "warnings": []}
        timings["load"] = 0.0

    wants_report = bool(cfg["report"])
    share = cfg["holdout_share"] if cfg["holdout_share"] is not None else (0.2 if wants_report else 0.0)
    if share > 0:
        train, holdout = split_holdout(data, share, rng=np.random.default_rng(split_seq))
    else:
        train, holdout = data, None

    for text in cfg["constraints"]:
        try:
            parse_constraint(text, train).check_satisfiable(train)
        except InputError as exc:
            raise ConfigError(f"Config key 'constraints': {exc}") from None
    ev = cfg["evaluation"]
    label = ev["label"] if "label" in ev else data_info["label"]
    if wants_report:
        for col in ([label] if label is not None else []) + ev["quasi_identifiers"]:
            if col not in train:
                key = "label" if col == label else "quasi_identifiers"
                raise ConfigError(f"Config key 'evaluation.{key}' names a column '{col}' that is not in the "
                                  f"data (columns: {', '.join(train.names)}).")

    method = cfg["method"]
    synth = make_synthesizer(method, **cfg["params"])
    with _step(progress, f"fitting {method} on {train.n_rows:,} rows x {train.n_cols} columns", timings, "fit"):
        synth.fit(train, rng=np.random.default_rng(fit_seq))
    n = cfg["n"] if cfg["n"] is not None else train.n_rows
    constraint_report = None
    sample_rng = np.random.default_rng(sample_seq)
    if cfg["constraints"]:
        k = len(cfg["constraints"])
        with _step(progress, f"sampling {n:,} rows with {k} constraint{'s' if k > 1 else ''}", timings, "sample"):
            synthetic, constraint_report = sample_with_constraints(synth, n, cfg["constraints"], rng=sample_rng)
    else:
        with _step(progress, f"sampling {n:,} rows", timings, "sample"):
            synthetic = synth.sample(n, rng=sample_rng)

    privacy = synth.privacy_report() if hasattr(synth, "privacy_report") else None
    report = None
    if wants_report:
        from ..report import evaluate

        figures = ev["figures"]
        if figures is None:
            figures = cfg["report"] is True or REPORT_FORMATS[Path(cfg["report"]).suffix.lower()] == "html"
        extra = f", holdout {holdout.n_rows:,} rows" if holdout is not None else ""
        with _step(progress, f"evaluating {synthetic.n_rows:,} synthetic rows against {train.n_rows:,} real"
                   + extra, timings, "evaluate"):
            rep = evaluate(train, synthetic, holdout=holdout, label=label,
                           quasi_identifiers=ev["quasi_identifiers"] or None, targets=ev["targets"] or None,
                           rng=np.random.default_rng(eval_seq), figures=figures)
        report = rep.to_dict(figures=figures)
    timings["total"] = time.perf_counter() - start

    from .. import __version__

    info = {
        "synthlearn": __version__,
        "config": cfg,
        "method": method,
        "title": METHODS[method]["title"],
        "params": synth.get_params(),
        "seed": seed_used,
        "n": int(synthetic.n_rows),
        "data": data_info,
        "train_rows": int(train.n_rows),
        "holdout_rows": 0 if holdout is None else int(holdout.n_rows),
        "label": label,
        "timings": timings,
        "constraints": constraint_report,
        "privacy": privacy,
        "report": report,
    }
    return synthetic, _jsonable(info)


# ----------------------------------------------------------------------------------------
# writing YAML without PyYAML
# ----------------------------------------------------------------------------------------
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/]*(?: [A-Za-z0-9_.\-/]+)*\Z")
# words YAML 1.1 or 1.2 would read as something other than text
_RESERVED = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null", "nan", "inf"})
MAX_KEY_LENGTH = 500


def _quote(text: str) -> str:
    """A YAML double-quoted scalar for ``text``: readable where possible, escapes elsewhere."""
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif 0x20 <= o <= 0x7E or (0xA0 <= o <= 0xD7FF and o not in (0x2028, 0x2029)) \
                or (0xE000 <= o <= 0xFFFD and o != 0xFEFF) or o >= 0x10000:
            out.append(ch)
        elif o <= 0xFF:
            out.append(f"\\x{o:02x}")
        else:
            out.append(f"\\u{o:04x}")
    out.append('"')
    return "".join(out)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return ".nan"
        if math.isinf(x):
            return ".inf" if x > 0 else "-.inf"
        text = repr(x)
        if "." not in text and "e" in text:  # YAML 1.1 needs a dot: 1e-09 -> 1.0e-09
            text = text.replace("e", ".0e", 1)
        return text
    if isinstance(value, str):
        if _PLAIN.match(value) and value.lower() not in _RESERVED:
            return value
        return _quote(value)
    raise InputError(f"dump_config can write text, numbers, true/false, null, lists and mappings, "
                     f"not {type(value).__name__}.")


def _key(key: Any) -> str:
    text = _scalar(key)
    if len(text) > MAX_KEY_LENGTH:
        raise InputError(f"A config key is longer than {MAX_KEY_LENGTH} characters: {text[:40]}…")
    return text


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list, tuple))


def _emit(value: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for k, v in value.items():
            key = _key(k)
            if isinstance(v, dict) and v:
                lines.append(f"{pad}{key}:")
                _emit(v, indent + 2, lines)
            elif isinstance(v, (list, tuple)) and v:
                if all(isinstance(x, (int, float, bool, np.integer, np.floating)) or x is None for x in v):
                    lines.append(f"{pad}{key}: [{', '.join(_scalar(x) for x in v)}]")
                else:
                    lines.append(f"{pad}{key}:")
                    _emit(list(v), indent + 2, lines)
            else:
                lines.append(f"{pad}{key}: {_flow_empty(v)}")
        return
    for item in value:  # a list
        if isinstance(item, dict) and item:
            sub: list[str] = []
            _emit(item, indent + 2, sub)
            lines.append(f"{pad}- {sub[0][indent + 2:]}")
            lines.extend(sub[1:])
        elif isinstance(item, (list, tuple)) and item:
            lines.append(f"{pad}-")
            _emit(list(item), indent + 2, lines)
        else:
            lines.append(f"{pad}- {_flow_empty(item)}")


def _flow_empty(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, (list, tuple)):
        return "[]"
    return _scalar(value)


def dump_config(config: dict, *, header: str | None = None) -> str:
    """``config`` as block-style YAML text, written without PyYAML (so the browser can too).

    ``yaml.safe_load`` of the text gives back ``config`` (tuples come back as lists; NaN as
    NaN). Text is left unquoted when YAML cannot misread it and double-quoted otherwise;
    floats always carry a dot (``1.0e-09``) so that YAML 1.1 reads them as numbers. ``header``
    becomes ``#`` comment lines at the top.
    """
    if not isinstance(config, dict):
        raise InputError(f"dump_config needs a mapping, not {type(config).__name__}.")
    lines: list[str] = []
    if header:
        lines += [("# " + line).rstrip() for line in header.splitlines()]
    if config:
        _emit(config, 0, lines)
    else:
        lines.append("{}")
    return "\n".join(lines) + "\n"
