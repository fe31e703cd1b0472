"""Tests for the command line (synthlearn.app.cli), run configs (synthlearn.pipeline) and the example
configs in pysrc/examples/configs/.

References: PyYAML reads back what dump_config writes; pandas reads the CSV files the CLI
writes and checks constraints itself; synthlearn.report.evaluate called directly gives the
scores the CLI prints; a second Python process gives the same bytes as an in-process run.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from synthlearn import datasets
from synthlearn.app import cli
from synthlearn.csvio import read_csv, write_csv
from synthlearn.errors import InputError
from synthlearn.pipeline import (
    ConfigError,
    dump_config,
    load_config,
    parse_config,
    run_config,
    split_holdout,
    validate_config,
)
from synthlearn.report import evaluate
from synthlearn.synthesizers import METHODS

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "pysrc" / "examples" / "configs"
EXAMPLES = sorted(CONFIGS.glob("*.yaml"))


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def penguins_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "penguins.csv"
    path.write_text(write_csv(datasets.load("penguins")), encoding="utf-8", newline="")
    return path


def write_config(tmp_path: Path, text: str, name: str = "run.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------------
# dump_config
# ----------------------------------------------------------------------------------------
_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=20), inner, max_size=4)),
                       max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=20), _values, max_size=6))
def test_dump_config_loads_back_with_pyyaml(config):
    assert yaml.safe_load(dump_config(config)) == config


def test_dump_config_of_a_real_config_is_plain_and_loads_back():
    cfg = {"data": "adult", "exclude": ["fnlwgt"], "method": "dp_mst",
           "params": {"epsilon": 1.0, "delta": 1e-9, "bounds": {"age": [0, 100]}},
           "n": 1000, "seed": 7, "constraints": ["age >= 18", "sex == 'Female'"], "output": "out/adult.csv",
           "report": None, "evaluation": {"label": "yes", "quasi_identifiers": [], "targets": {}}}
    text = dump_config(cfg, header="made by the generator")
    assert text.startswith("# made by the generator\n")
    assert "delta: 1.0e-09\n" in text                 # YAML 1.1 reads 1e-09 (no dot) as text
    assert "    age: [0, 100]\n" in text
    assert 'label: "yes"' in text                     # yes would be read as true
    assert yaml.safe_load(text) == cfg
    assert validate_config(yaml.safe_load(text))["params"]["delta"] == 1e-9


def test_dump_config_refuses_what_yaml_cannot_hold():
    with pytest.raises(InputError, match="mapping"):
        dump_config(["a"])
    with pytest.raises(InputError, match="not object"):
        dump_config({"a": object()})


# ----------------------------------------------------------------------------------------
# validate_config / parse_config
# ----------------------------------------------------------------------------------------
def test_validate_fills_defaults_and_converts_yaml_number_text():
    raw = yaml.safe_load("data: adult\nmethod: dp_mst\nparams: {delta: 1e-9, epsilon: 2}\nn: 1e3\n")
    assert raw["params"]["delta"] == "1e-9" and raw["n"] == "1e3"   # PyYAML's YAML 1.1 reading
    cfg = validate_config(raw)
    assert cfg["params"] == {"delta": 1e-9, "epsilon": 2.0} and cfg["n"] == 1000
    assert cfg["seed"] == 0 and cfg["constraints"] == [] and cfg["report"] is None
    assert list(cfg) == ["data", "kinds", "exclude", "method", "params", "n", "seed", "holdout_share",
                         "constraints", "output", "report", "evaluation"]
    assert "label" not in cfg["evaluation"]
    assert validate_config(cfg) == cfg                                # idempotent


@pytest.mark.parametrize("text, match", [
    ("data: adult\nmetod: kde\n", r"Unknown config key 'metod' \(did you mean 'method'\?\)"),
    ("data: adult\nmethod: ctgan\n", r"Unknown method 'ctgan'.*valid methods: independent"),
    ("data: adult\nmethod: gaussian_copul\n", r"did you mean 'gaussian_copula'"),
    ("data: adult\n", r"needs 'method'"),
    ("method: kde\n", r"needs 'data'"),
    ("data: adult\nmethod: kde\nparams: {bandwith: 1}\n", r"no parameter 'bandwith' \(did you mean 'bandwidth'\?\)"),
    ("data: adult\nmethod: dp_mst\nparams: {epsilon: -1}\n", r"params.*epsilon must be > 0"),
    ("data: adult\nmethod: kde\nn: 0\n", r"'n' must be a whole number from 1"),
    ("data: adult\nmethod: kde\nn: 2.5\n", r"'n' must be a whole number"),
    ("data: adult\nmethod: kde\nseed: -3\n", r"'seed' must be a whole number of at least 0"),
    ("data: adult\nmethod: kde\nconstraints: [age >]\n", r"constraints.*one comparison"),
    ("data: adult\nmethod: kde\nreport: out.pdf\n", r"must end in .html, .md or .json"),
    ("data: adult\nmethod: kde\nholdout_share: 1.5\n", r"holdout_share.*from 0 to 0.9"),
    ("data: adult\nmethod: kde\nkinds: {age: text}\n", r"unknown kind 'text'"),
    ("data: adult\nmethod: kde\nevaluation: {lable: income}\n", r"Unknown evaluation key 'lable'.*'label'"),
    ("data: adult\nmethod: kde\nevaluation: {targets: {fidelity.overal: 0.9}}\n", r"did you mean 'fidelity.overall'"),
    ("- data\n- method\n", r"must be a mapping"),
    ("", r"empty"),
    ("data: adult\nmethod: [kde\n", r"Cannot read the config as YAML: .*\(line 3, column 1\)"),
])
def test_bad_configs_raise_one_clear_config_error(text, match):
    with pytest.raises(ConfigError, match=match) as info:
        parse_config(text)
    assert "\n" not in str(info.value)


def test_json_configs_are_read_without_pyyaml(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "yaml", None)           # import yaml now raises ImportError
    assert parse_config('{"data": "penguins", "method": "independent"}')["method"] == "independent"
    with pytest.raises(ConfigError, match=r"needs PyYAML: install it with pip install 'synthlearn\[cli\]'"):
        parse_config("data: penguins\nmethod: independent\n")
    path = write_config(tmp_path, "data: penguins\nmethod: independent\n")
    code = cli.main(["synthesize", "--config", str(path), "-q"])
    assert code == 2


def test_load_config_names_a_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="No config file named"):
        load_config(tmp_path / "nope.yaml")


# ----------------------------------------------------------------------------------------
# split_holdout and run_config
# ----------------------------------------------------------------------------------------
def test_split_holdout_partitions_the_rows_reproducibly():
    table = datasets.load("penguins")
    rows = np.arange(table.n_rows, dtype=float)
    from synthlearn.table import Column
    table = table.with_columns([Column("row", "numeric", rows)])
    train, hold = split_holdout(table, 0.25, rng=3)
    assert hold.n_rows == round(0.25 * 344) and train.n_rows == 344 - hold.n_rows
    a, b = train["row"].values, hold["row"].values
    assert np.all(np.diff(a) > 0) and np.all(np.diff(b) > 0)              # original order kept
    assert set(a).isdisjoint(b) and set(a) | set(b) == set(rows)
    again = split_holdout(table, 0.25, rng=3)[1]["row"].values
    assert np.array_equal(b, again)
    assert not np.array_equal(b, split_holdout(table, 0.25, rng=4)[1]["row"].values)
    assert train["species"].categories == table["species"].categories   # domains kept
    with pytest.raises(InputError, match="between 0 and 1"):
        split_holdout(table, 1.0)


def test_run_config_reports_sizes_timings_and_is_json(penguins_csv):
    cfg = {"data": str(penguins_csv), "method": "gaussian_copula", "n": 50, "seed": 4, "holdout_share": 0.25,
           "exclude": ["year"], "constraints": ["body_mass_g >= 3000"]}
    steps = []
    table, info = run_config(cfg, progress=lambda text, s: steps.append((text, s)))
    json.dumps(info, allow_nan=False)
    assert table.n_rows == 50 and "year" not in table.names and table.n_cols == 7
    assert info["train_rows"] == 344 - 86 and info["holdout_rows"] == 86
    assert info["seed"] == 4 and info["data"]["bundled"] is False and info["data"]["label"] is None
    assert set(info["timings"]) >= {"load", "fit", "sample", "total"}
    assert info["constraints"]["violation_rate_after"] == 0.0
    assert (table["body_mass_g"].values[~table["body_mass_g"].missing] >= 3000).all()
    fit = [s for s in steps if s[0].startswith("fitting gaussian_copula on 258 rows x 7 columns")]
    assert [s[1] is None for s in fit] == [True, False]                    # start, then its duration


def test_run_config_with_a_table_and_a_null_seed_reports_the_seed_used():
    table = datasets.load("wine")
    out1, info = run_config({"data": "my upload", "method": "independent", "seed": None, "n": 30}, table=table)
    out2, _ = run_config({"data": "my upload", "method": "independent", "seed": info["seed"], "n": 30}, table=table)
    assert info["seed"] > 2 ** 32                                   # fresh entropy, reported
    assert write_csv(out1) == write_csv(out2)                       # and it reproduces the run


def test_run_config_with_a_report_evaluates_on_a_seeded_holdout():
    cfg = {"data": "penguins", "method": "bayesian_network", "n": 120, "seed": 1, "report": True,
           "evaluation": {"figures": False}}
    table, info = run_config(cfg)
    assert info["holdout_rows"] == round(0.2 * 344) and info["label"] == "species"   # bundled label by default
    rep = info["report"]
    assert rep["meta"]["sizes"] == {**rep["meta"]["sizes"], "real": 344 - 69, "synthetic": 120, "holdout": 69}
    # the report equals evaluate() called directly on the same split
    train, hold = split_holdout(datasets.load("penguins"), 0.2,
                                rng=np.random.default_rng(np.random.SeedSequence(1).spawn(4)[0]))
    direct = evaluate(train, table, holdout=hold, label="species",
                      rng=np.random.default_rng(np.random.SeedSequence(1).spawn(4)[3]), figures=False)
    assert rep["scores"] == json.loads(direct.to_json(figures=False))["scores"]


def test_run_config_checks_columns_before_fitting():
    with pytest.raises(ConfigError, match="no column named 'agee'"):
        run_config({"data": "adult", "method": "gaussian_mixture", "constraints": ["agee >= 18"]})
    with pytest.raises(ConfigError, match="'exclude' names a column 'nope'"):
        run_config({"data": "penguins", "method": "independent", "exclude": ["nope"]})
    with pytest.raises(ConfigError, match="evaluation.label' names a column 'nope'"):
        run_config({"data": "penguins", "method": "independent", "report": True,
                    "evaluation": {"label": "nope"}})


# ----------------------------------------------------------------------------------------
# the synthesize command
# ----------------------------------------------------------------------------------------
def test_synthesize_end_to_end_with_constraints_kinds_and_exclude(tmp_path, capsys, penguins_csv):
    cfg = write_config(tmp_path, f"""
data: {penguins_csv}
kinds: {{year: categorical}}
exclude: [island]
method: gaussian_copula
n: 400
seed: 9
constraints:
  - "flipper_length_mm >= 190"
  - "sex != 'female'"
output: {tmp_path / 'syn.csv'}
""")
    code, out, err = run(["synthesize", "--config", cfg], capsys)
    assert code == 0, err
    assert out == ""
    df = pd.read_csv(tmp_path / "syn.csv", keep_default_na=False, na_values=[""])
    real = pd.read_csv(penguins_csv, na_values=["NA"])
    assert len(df) == 400 and list(df.columns) == [c for c in real.columns if c != "island"]
    assert (df["flipper_length_mm"].dropna() >= 190).all()            # checked with pandas, not synthlearn
    assert (df["sex"].dropna() != "female").all()
    assert set(df["year"].dropna().astype(str)) <= {"2007", "2008", "2009"}   # categorical: only real years
    assert "fitting gaussian_copula on 344 rows x 7 columns… " in err
    assert "sampling 400 rows with 2 constraints… " in err
    assert f"wrote 400 rows x 7 columns to {tmp_path / 'syn.csv'}" in err


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, capsys, penguins_csv):
    cfg = write_config(tmp_path, f"data: {penguins_csv}\nmethod: gaussian_mixture\nn: 200\nseed: 5\n")
    outs = []
    for name, extra in (("a", []), ("b", []), ("c", ["--seed", "6"])):
        code, _, err = run(["synthesize", "-c", cfg, "--out", tmp_path / f"{name}.csv", "-q", *extra], capsys)
        assert code == 0 and err == ""                                   # -q: nothing on stderr
        outs.append((tmp_path / f"{name}.csv").read_bytes())
    assert outs[0] == outs[1] and outs[0] != outs[2]


def test_synthesize_writes_to_stdout_and_a_report(tmp_path, capsys):
    cfg = write_config(tmp_path, "data: penguins\nmethod: independent\nn: 60\nseed: 2\n")
    code, out, err = run(["synthesize", "-c", cfg, "--report", tmp_path / "r.md", "--info", tmp_path / "i.json"],
                         capsys)
    assert code == 0, err
    assert read_csv(out).table.n_rows == 60                              # the CSV went to stdout
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.startswith("# Synthetic data evaluation") and "| fidelity |" in md
    info = json.loads((tmp_path / "i.json").read_text())
    assert info["holdout_rows"] == 69 and info["train_rows"] == 275 and "report" not in info
    assert "report: overall quality" in err and "real holdout" in err


@pytest.mark.parametrize("text, extra, match", [
    ("data: penguins\nmethod: ctgan\n", [], "Unknown method 'ctgan'"),
    ("data: penguins\nmethod: kde\nsede: 1\n", [], "Unknown config key 'sede' (did you mean 'seed'?)"),
    ("data: penguins\nmethod: kde\n  n: 3\n", [], "Cannot read"),
    ("data: no_such.csv\nmethod: kde\n", [], "No data file named 'no_such.csv' was found."),
    ("data: adullt\nmethod: kde\n", [], "is not a bundled dataset (adult, breast_cancer"),
    ("data: penguins\nmethod: kde\nparams: {bandwidth: wide}\n", [], "bandwidth must be one of"),
    ("data: penguins\nmethod: kde\nconstraints: [\"sex >= 2\"]\n", [], "only == and != can compare it"),
    ("data: penguins\nmethod: kde\n", ["--out", "/no/such/folder/x.csv"], "the folder '/no/such/folder' does not"),
    ("data: penguins\nmethod: kde\n", ["--report", "r.pdf"], "must end in .html, .md or .json"),
])
def test_user_errors_are_one_line_and_exit_2(tmp_path, capsys, text, extra, match):
    cfg = write_config(tmp_path, text)
    code, out, err = run(["synthesize", "--config", cfg, *extra], capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith("synthlearn synthesize: error: ") and match in lines[-1]
    assert "Traceback" not in err and out == ""


def test_missing_config_file_and_bad_arguments_exit_2(tmp_path, capsys):
    code, _, err = run(["synthesize", "--config", tmp_path / "missing.yaml"], capsys)
    assert code == 2 and err.strip() == ("synthlearn synthesize: error: No config file named "
                                         f"'{tmp_path / 'missing.yaml'}' was found.")
    code, _, err = run(["synthesize"], capsys)                           # argparse: usage + error, code 2
    assert code == 2 and "the following arguments are required: --config" in err
    code, _, err = run(["synthesize", "-c", "x.yaml", "--n", "0"], capsys)
    assert code == 2 and "--n: must be at least 1" in err
    code, _, err = run(["synthesize", "-c", "x.yaml", "--n", "1.5"], capsys)
    assert code == 2 and "--n: must be a whole number, not '1.5'" in err
    code, _, err = run(["synthesize", "-c", "x.yaml", "--seed", "-1"], capsys)
    assert code == 2 and "--seed: must be zero or positive, not -1" in err
    code, _, err = run(["frobnicate"], capsys)
    assert code == 2 and "invalid choice" in err


@pytest.mark.parametrize("command, words", [
    ([], ["synthesize", "evaluate", "datasets", "methods"]),
    (["synthesize"], ["--config", "--out", "--report", "--n", "--seed", "--quiet"]),
    (["evaluate"], ["--real", "--synthetic", "--holdout", "--label", "--format", "--out"]),
    (["datasets"], ["--json"]),
    (["methods"], ["--json"]),
])
def test_help_for_each_subcommand(capsys, command, words):
    code, out, _ = run([*command, "--help"], capsys)
    assert code == 0
    for word in words:
        assert word in out


# ----------------------------------------------------------------------------------------
# the example configs
# ----------------------------------------------------------------------------------------
def test_there_is_one_example_config_per_method():
    methods = [load_config(p)["method"] for p in EXAMPLES]
    assert sorted(methods) == sorted(METHODS)
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#") and f"synthlearn synthesize --config pysrc/examples/configs/{path.name}" in text
        assert path.stem == load_config(path)["method"]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_each_example_config_runs_and_is_reproducible(tmp_path, capsys, path):
    cfg = load_config(path)
    outs = []
    for name in ("a", "b"):
        code, _, err = run(["synthesize", "-c", path, "--n", "150", "--no-report", "-q",
                            "--out", tmp_path / f"{name}.csv"], capsys)
        assert code == 0, err
        outs.append((tmp_path / f"{name}.csv").read_bytes())
    assert outs[0] == outs[1]
    df = pd.read_csv(io.BytesIO(outs[0]), keep_default_na=False, na_values=[""])
    real = datasets.load(cfg["data"]).drop(cfg["exclude"])
    assert len(df) == 150 and list(df.columns) == real.names
    for text in cfg["constraints"]:                       # checked with pandas: rows with a missing
        cols = [t for t in text.split() if t in df.columns]  # value satisfy a constraint (SQL CHECK)
        sub = df[cols].dropna()
        assert len(sub) > 0 and len(sub.query(text)) == len(sub), text


# ----------------------------------------------------------------------------------------
# evaluate, datasets, methods
# ----------------------------------------------------------------------------------------
def test_evaluate_command_matches_the_library(tmp_path, capsys, penguins_csv):
    real = datasets.load("penguins")
    train, hold = split_holdout(real, 0.3, rng=0)
    from synthlearn.synthesizers import make_synthesizer
    syn = make_synthesizer("gaussian_copula").fit(train, rng=1).sample(200, rng=2)
    for name, table in (("train", train), ("hold", hold), ("syn", syn)):
        (tmp_path / f"{name}.csv").write_text(write_csv(table), encoding="utf-8", newline="")
    code, out, err = run(["evaluate", "--real", tmp_path / "train.csv", "--synthetic", tmp_path / "syn.csv",
                          "--holdout", tmp_path / "hold.csv", "--label", "species", "--format", "json",
                          "--seed", "3"], capsys)
    assert code == 0, err
    got = json.loads(out)
    ref = evaluate(read_csv(tmp_path / "train.csv").table, read_csv(tmp_path / "syn.csv").table,
                   holdout=read_csv(tmp_path / "hold.csv").table, label="species",
                   rng=np.random.default_rng(3), figures=False)
    assert got["scores"] == json.loads(ref.to_json(figures=False))["scores"]
    assert got["figures"] == []
    assert f"evaluating 200 synthetic rows against {train.n_rows} real, holdout {hold.n_rows} rows" in err
    code, _, err = run(["evaluate", "--real", "penguins", "--synthetic", tmp_path / "syn.csv",
                        "--out", tmp_path / "r.html", "-q"], capsys)
    assert code == 0 and err == ""
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "data:image/svg+xml;base64," in page   # html: figures on
    code, _, err = run(["evaluate", "--real", tmp_path / "nope.csv", "--synthetic", tmp_path / "syn.csv"], capsys)
    assert code == 2 and err.splitlines()[-1] == (f"synthlearn evaluate: error: No real file named "
                                                   f"'{tmp_path / 'nope.csv'}' was found.")
    code, _, err = run(["evaluate", "--real", "penguins", "--synthetic", tmp_path / "syn.csv",
                        "--label", "bill_depth_mm"], capsys)
    assert code == 2 and "choose a categorical or boolean column" in err and "Traceback" not in err


def test_datasets_and_methods_listings(capsys):
    code, out, _ = run(["datasets", "--json"], capsys)
    assert code == 0 and json.loads(out) == datasets.list_datasets()
    code, out, _ = run(["datasets"], capsys)
    for d in datasets.list_datasets():
        assert d["name"] in out and f"{d['rows']:,} rows x" in out and d["licence"] in out and d["source"] in out
    code, out, _ = run(["methods", "--json"], capsys)
    assert code == 0 and [m["key"] for m in json.loads(out)] == list(METHODS)
    code, out, _ = run(["methods"], capsys)
    assert "params.epsilon = 1.0 (> 0; <= 100)" in out


def test_python_dash_m_gives_the_same_bytes_as_main(tmp_path, capsys):
    """One subprocess: the console entry point works, and the output does not depend on the
    process (hash randomisation, import order)."""
    cfg = write_config(tmp_path, "data: wine\nmethod: bayesian_network\nn: 100\nseed: 12\n"
                                 "constraints: ['alcohol > 12']\n")
    assert cli.main(["synthesize", "-c", str(cfg), "-q", "--out", str(tmp_path / "in.csv")]) == 0
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    proc = subprocess.run([sys.executable, "-m", "synthlearn", "synthesize", "-c", str(cfg), "--out", "-"],
                          capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == (tmp_path / "in.csv").read_bytes()
    assert b"fitting bayesian_network on 178 rows x 14 columns" in proc.stderr
    bad = subprocess.run([sys.executable, "-m", "synthlearn", "synthesize", "-c", str(tmp_path / "x.yaml")],
                         capture_output=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.count(b"\n") == 1 and b"Traceback" not in bad.stderr


# ----------------------------------------------------------------------------------------
# the guide page's examples are real
# ----------------------------------------------------------------------------------------
GUIDE = ROOT / "docs" / "lab" / "cli.md"


def test_the_guide_python_block_runs(capsys):
    text = GUIDE.read_text(encoding="utf-8")
    blocks = text.split("```python\n")[1:]
    assert len(blocks) == 1
    exec(compile(blocks[0].split("```")[0], str(GUIDE), "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("500 ") and out[0].endswith(" 0.0")
    assert yaml.safe_load("\n".join(out[1:])) == {"data": "penguins", "method": "bayesian_network", "n": 500,
                                                  "seed": 1, "constraints": ["flipper_length_mm >= 180"]}


def test_the_guide_error_example_is_what_the_cli_prints(tmp_path, capsys):
    text = GUIDE.read_text(encoding="utf-8")
    documented = next(line for line in text.splitlines() if line.startswith("synthlearn synthesize: error:"))
    cfg = write_config(tmp_path, "data: penguins\nmethod: kde\nsede: 1\n")
    code, _, err = run(["synthesize", "--config", cfg], capsys)
    assert code == 2 and err.strip() == documented
    assert '--8<-- "pysrc/examples/configs/gaussian_copula.yaml"' in text


def test_evaluate_exclude_and_the_output_guard(tmp_path, capsys, penguins_csv):
    syn = datasets.load("penguins").drop(["year"]).take(np.arange(0, 344, 2))
    (tmp_path / "syn.csv").write_text(write_csv(syn), encoding="utf-8", newline="")
    code, _, err = run(["evaluate", "--real", "penguins", "--synthetic", tmp_path / "syn.csv", "--no-label"], capsys)
    assert code == 2 and err.splitlines()[-1].endswith("lacks 'year' of the real table: pass --exclude year to "
                                                       "leave them out of the comparison.")
    code, out, err = run(["evaluate", "--real", "penguins", "--synthetic", tmp_path / "syn.csv", "--no-label",
                          "--exclude", "year", "--format", "json", "-q"], capsys)
    assert code == 0, err
    shapes = json.loads(out)["details"]["quality"]["columns"]
    assert [c["column"] for c in shapes] == syn.names
    cfg = write_config(tmp_path, f"data: {penguins_csv}\nmethod: independent\noutput: {penguins_csv}\n")
    before = penguins_csv.read_bytes()
    code, _, err = run(["synthesize", "-c", cfg], capsys)
    assert code == 2 and "is the data file itself" in err and penguins_csv.read_bytes() == before
