"""The Generator page's Python side (synthlearn.app.studio), natively.

References: pandas reads the same CSV files for shapes, missing shares, first rows and class
shares; synthlearn.report.evaluate called directly on a split made with
synthlearn.pipeline.split_holdout gives the scores the page must show; the command line
(synthlearn.app.cli.main) run on the downloaded YAML config must write the same CSV bytes.
"""

from __future__ import annotations

import inspect as pyinspect
import json
import math
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from synthlearn import datasets
from synthlearn.app import cli
from synthlearn.app import studio as generator
from synthlearn.pipeline import split_holdout
from synthlearn.csvio import read_csv
from synthlearn.errors import InputError
from synthlearn.report import evaluate
from synthlearn.synthesizers import describe_methods

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "e2e" / "data"


def settings(**over) -> dict:
    base = {"data": "penguins", "method": "gaussian_copula", "n": 200, "seed": 3,
            "evaluation": {"label": "species", "quasi_identifiers": []}}
    return {**base, **over}


@pytest.fixture(autouse=True)
def fresh_cache():
    generator._RUNS.clear()
    yield
    generator._RUNS.clear()


# ------------------------------------------------------------------------------------------
# what the page offers
# ------------------------------------------------------------------------------------------
def test_limits_match_the_csv_reader_and_the_page_text():
    lim = generator.limits()
    params = pyinspect.signature(read_csv).parameters
    assert lim["max_rows"] == params["max_rows"].default
    assert lim["max_cells"] == params["max_cells"].default
    assert lim["max_file_bytes"] <= params["max_bytes"].default
    text = (ROOT / "docs" / "generator.md").read_text(encoding="utf-8")
    assert f"{lim['max_file_bytes'] // 2**20} MB" in text
    for key in ("max_rows", "max_cells", "max_synthetic_rows"):
        assert f"{lim[key]:,}" in text, key
    assert f"more than {lim['max_categories']} distinct values" in text
    json.dumps(lim)


def test_options_list_the_page_methods_with_their_registry_specs():
    opts = generator.options()
    json.dumps(opts, allow_nan=False)
    registry = {m["key"]: m for m in describe_methods()}
    assert [m["key"] for m in opts["methods"]] == list(generator.PAGE_METHODS)
    for m in opts["methods"]:
        assert m == registry[m["key"]]
    assert [d["name"] for d in opts["datasets"]] == [d["name"] for d in datasets.list_datasets()]
    assert opts["defaults"]["data"] == "adult" and opts["defaults"]["n"] == 5000
    values = [s["value"] for s in opts["epsilon_steps"]]
    assert values == sorted(values) and 1.0 in values
    for step in opts["epsilon_steps"]:
        factor = math.exp(step["value"])               # the reading states e^ε
        shown = re.search(r"≈ ([\d,]+(?:\.\d+)?)", step["reading"]).group(1).replace(",", "")
        assert math.isclose(float(shown), factor, rel_tol=0.01), step


# ------------------------------------------------------------------------------------------
# inspect
# ------------------------------------------------------------------------------------------
def test_inspect_adult_matches_pandas():
    out = generator.inspect("adult")
    json.dumps(out, allow_nan=False)
    df = pd.read_csv(ROOT / "pysrc" / "synthlearn" / "data" / "adult.csv.gz", na_values=["?"], keep_default_na=False)
    assert (out["n_rows"], out["n_cols"]) == df.shape
    assert [c["name"] for c in out["columns"]] == list(df.columns)
    for c in out["columns"]:
        assert math.isclose(c["missing_share"], df[c["name"]].isna().mean(), abs_tol=1e-6), c["name"]
        assert c["n_distinct"] == df[c["name"]].nunique(), c["name"]
    assert out["label"] == "income" and out["source"]["bundled"] is True
    first = df.head(3).astype(str).values.tolist()
    assert out["preview"]["rows"][:3] == first
    assert not any(c["suggest_exclude"] for c in out["columns"])


def test_inspect_a_csv_file_and_force_a_kind(tmp_path):
    out = generator.inspect(str(DATA / "clinic.csv"), file_name="clinic.csv")
    assert out["source"] == {"name": "clinic.csv", "bundled": False, "file_name": "clinic.csv"}
    kinds = {c["name"]: c["kind"] for c in out["columns"]}
    assert kinds == {"age": "integer", "sex": "categorical", "smoker": "boolean", "bmi": "numeric",
                     "visits": "integer", "risk": "categorical"}
    assert out["label"] == "risk" or out["label"] is None
    again = generator.inspect(str(DATA / "clinic.csv"), kinds={"visits": "categorical"})
    assert {c["name"]: c["kind"] for c in again["columns"]}["visits"] == "categorical"
    with pytest.raises(InputError, match="sex"):
        generator.inspect(str(DATA / "clinic.csv"), kinds={"sex": "numeric"})


def test_malicious_cells_come_back_as_plain_text():
    out = generator.inspect(str(DATA / "malicious.csv"), file_name="malicious.csv")
    df = pd.read_csv(DATA / "malicious.csv")
    assert out["preview"]["columns"][0] == df.columns[0] == '<b onmouseover="window.__pwned=4">name</b>'
    assert out["preview"]["rows"][0][0] == df.iloc[0, 0] == '<img src=x onerror="window.__pwned=1">'


@pytest.mark.parametrize("name, match", [
    ("not_csv.csv", r"This is a PNG image, not a CSV file"),
    ("malformed.csv", r"Line 5 has 4 fields but the header has 3"),
])
def test_bad_files_raise_one_clear_sentence(name, match):
    with pytest.raises(InputError, match=match) as info:
        generator.inspect(str(DATA / name), file_name=name)
    assert "\n" not in str(info.value)


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:                       # a sparse file: size without content
        fh.truncate(generator.LIMITS["max_file_bytes"] + 1)
    start = time.perf_counter()
    with pytest.raises(InputError, match=r"this page reads files up to 50 MB"):
        generator.inspect(str(big))
    assert time.perf_counter() - start < 0.5


def test_missing_file_and_empty_source():
    with pytest.raises(InputError, match="choose the file again"):
        generator.inspect("/tmp/uploads/nope.csv")
    with pytest.raises(InputError, match="Choose a bundled table or a CSV file"):
        generator.inspect("")


# ------------------------------------------------------------------------------------------
# settings
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("over, match", [
    ({"n": 0}, r"number of synthetic records must be a whole number from 1 to 100,000, not 0"),
    ({"n": 100_001}, r"from 1 to 100,000, not 100,001"),
    ({"n": "lots"}, r"number of synthetic records must be a whole number"),
    ({"n": ""}, r"number of synthetic records must be a whole number"),
    ({"seed": -1}, r"The seed must be a whole number from 0"),
    ({"seed": 1.5}, r"The seed must be a whole number"),
    ({"holdout_share": 0.05}, r"holdout share must be a number from 0.1 to 0.5"),
    ({"method": "ctgan"}, r"Unknown method 'ctgan'"),
    ({"method": "dp_mst", "params": {"epsilon": 0}}, r"epsilon must be > 0"),
    ({"method": "dp_mst", "params": {"epsilon": "much"}}, r"epsilon must be a number, not 'much'"),
    ({"method": "dp_mst", "params": {"bounds": "age 1 2"}}, r"Public bounds, line 1: write 'column: low, high'"),
    ({"method": "gaussian_mixture", "params": {"n_component": 3}}, r"has no option 'n_component'"),
    ({"constraints": ["body_mass_g >= 3000", "flipper >"]}, r"Constraint 2: .*one comparison"),
    ({"constraints": ["a > 1"] * 21}, r"21 constraints; the page takes at most 20"),
    ({"colour": "blue"}, r"Unknown setting 'colour'"),
    ({"kinds": {"year": "text"}}, r"unknown kind 'text'"),
    ({"data": ""}, r"Choose a bundled table or a CSV file first"),
])
def test_bad_settings_raise_one_clear_sentence(over, match):
    with pytest.raises(InputError, match=match) as info:
        generator.validate_settings(settings(**over))
    assert "\n" not in str(info.value) and "Config key" not in str(info.value)


def test_settings_from_the_form_are_normalised():
    s = generator.validate_settings(settings(
        n="1500", seed="7", method="dp_mst", holdout_share="0.3",
        params={"epsilon": 0.5, "n_bins": "12", "delta": "", "bounds": "body_mass_g: 2500, 6500\n\nyear: 2007, 2009"},
        constraints="body_mass_g >= 3000\n\n# a comment\n  sex != 'female'  "))
    assert s["n"] == 1500 and s["seed"] == 7 and s["holdout_share"] == 0.3
    assert s["params"] == {"epsilon": 0.5, "n_bins": 12,
                           "bounds": {"body_mass_g": [2500.0, 6500.0], "year": [2007.0, 2009.0]}}
    assert s["constraints"] == ["body_mass_g >= 3000", "sex != 'female'"]
    assert generator.validate_settings(s) == s                      # idempotent


@pytest.mark.parametrize("over, match", [
    ({"exclude": ["nope"]}, r"Excluded column 'nope' is not in the data"),
    ({"exclude": ["species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g",
                  "sex", "year"]}, r"Every column is excluded"),
    ({"evaluation": {"label": "bill_depth_mm"}}, r"label 'bill_depth_mm' is numeric; a label must be categorical"),
    ({"evaluation": {"label": "species"}, "exclude": ["species"]}, r"The label 'species' is excluded"),
    ({"evaluation": {"label": None, "quasi_identifiers": ["sex"]}, "exclude": ["sex"]},
     r"sensitive column 'sex' is excluded"),
    ({"evaluation": {"label": None, "quasi_identifiers": ["zip"]}}, r"Sensitive column 'zip' is not in the data"),
    ({"constraints": ["agee >= 18"]}, r"no column named 'agee'"),
    ({"constraints": ["sex >= 2"]}, r"only == and != can compare it"),
    ({"kinds": {"sex": "numeric"}}, r"sex"),
])
def test_settings_that_do_not_fit_the_data(over, match):
    with pytest.raises(InputError, match=match) as info:
        generator.synthesize(settings(**over))
    assert "\n" not in str(info.value) and "Config key" not in str(info.value)


def test_one_class_label_is_refused_clearly():
    s = settings(data=str(DATA / "one_class.csv"), file_name="one_class.csv",
                 evaluation={"label": "outcome", "quasi_identifiers": []})
    with pytest.raises(InputError, match=r"label column 'outcome' has a single value: a model cannot learn"):
        generator.synthesize(s)
    s["evaluation"]["label"] = None
    assert generator.synthesize(s)["n"] == 200                      # without a label it runs


def test_ten_thousand_distinct_strings_warn_then_refuse_or_run():
    path = str(DATA / "many_strings.csv")
    out = generator.inspect(path, file_name="many_strings.csv")
    col = next(c for c in out["columns"] if c["name"] == "customer_id")
    assert col["n_distinct"] == 10_000 and col["suggest_exclude"] is True
    assert any("customer_id" in w and "identifier" in w for w in out["warnings"])
    assert any("10,000 distinct values, more than the 200" in w for w in out["warnings"])
    s = settings(data=path, file_name="many_strings.csv", n=500, evaluation={"label": "segment"})
    with pytest.raises(InputError, match=r"Column 'customer_id' has 10,000 distinct values.*exclude it"):
        generator.synthesize(s)
    s["exclude"] = ["customer_id"]
    start = time.perf_counter()
    res = generator.run(s)
    assert time.perf_counter() - start < 30
    assert res["preview"]["synthetic"]["columns"] == ["spend", "segment"]
    assert res["report"]["headline"]


def test_too_few_rows(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("a,b\n" + "".join(f"{i},{i % 2}\n" for i in range(10)))
    with pytest.raises(InputError, match=r"The table has 10 rows; the generator needs at least 30"):
        generator.synthesize(settings(data=str(path), evaluation={}))


# ------------------------------------------------------------------------------------------
# runs
# ------------------------------------------------------------------------------------------
def _direct(s: dict, table, synthetic_csv: str):
    """The report computed without the generator: split as config.run_config documents, evaluate."""
    seq = np.random.SeedSequence(s["seed"]).spawn(4)
    train, hold = split_holdout(table, s.get("holdout_share", 0.2), rng=np.random.default_rng(seq[0]))
    synthetic = read_csv(synthetic_csv, kinds={c.name: c.kind for c in train.columns}).table
    return evaluate(train, synthetic, holdout=hold, label=s["evaluation"]["label"],
                    quasi_identifiers=s["evaluation"].get("quasi_identifiers") or None,
                    rng=np.random.default_rng(seq[3]), figures=False), train


@pytest.mark.parametrize("method, params", [("gaussian_copula", {}), ("dp_mst", {"epsilon": 2.0})])
def test_a_run_on_adult_equals_the_library_called_directly(method, params):
    s = {"data": "adult", "method": method, "params": params, "n": 1500, "seed": 11, "exclude": ["fnlwgt"],
         "constraints": ["age >= 18"], "evaluation": {"label": "income", "quasi_identifiers": ["age", "sex"]}}
    res = generator.run(s)
    json.dumps(res, allow_nan=False)
    csv_text = generator.download(res["run_id"], "synthetic_csv")["text"]
    table = datasets.load("adult").drop(["fnlwgt"])
    rep, train = _direct(s, table, csv_text)
    syn = pd.read_csv(pd.io.common.StringIO(csv_text), keep_default_na=False, na_values=[""])
    assert len(syn) == 1500 and list(syn.columns) == table.names and (syn["age"] >= 18).all()
    assert res["train_rows"] == train.n_rows == table.n_rows - round(0.2 * table.n_rows)
    shown = {r["key"]: r for r in res["report"]["rows"]}
    for row in rep.rows:
        assert shown[row["key"]]["score"] == row["score"], row["key"]
        assert shown[row["key"]]["status"] == row["status"], row["key"]
        assert shown[row["key"]]["score_text"] == ("—" if row["score"] is None else f"{row['score']:.3f}")
    keys = [h["key"] for h in res["report"]["headline"]]
    for key in ("fidelity.column_shapes", "fidelity.pair_trends_all", "fidelity.pair_trends_strong", "class_balance",
                "privacy.dcr_share", "privacy.identical_match_rate", "privacy.membership_inference_auc"):
        assert key in keys
    assert sum(k.startswith("utility.") and k.endswith("accuracy_ratio") for k in keys) >= 1
    for h in res["report"]["headline"]:
        assert h["definition"] and h["aspect"] and h["status"] in ("pass", "fail", "info")
    # class balance against pandas shares of the same rows
    real_share = pd.Series(train["income"].to_strings()).value_counts(normalize=True)
    syn_share = syn["income"].value_counts(normalize=True)
    gap = max(abs(real_share.get(c, 0) - syn_share.get(c, 0)) for c in set(real_share.index) | set(syn_share.index))
    assert math.isclose(shown["class_balance"]["score"], gap, abs_tol=1e-12)
    assert shown["class_balance"]["status"] == ("pass" if gap <= 0.05 else "fail")
    # timings measured in Python, shown separately
    assert res["timings"]["fit_sample"] > 0 and res["report"]["seconds"] > 0
    assert "Fit and sample:" in res["timing_text"] and "Evaluation:" in res["report"]["timing_text"]
    if method == "dp_mst":
        assert res["privacy"]["epsilon"] == 2.0 and "differential privacy" in res["privacy"]["summary"]
        assert "age" in res["privacy"]["warning"]                 # bounds from the data are not private
    else:
        assert res["privacy"] is None


def test_same_seed_same_rows_other_seed_other_rows():
    a = generator.synthesize(settings())
    text_a = generator.download(a["run_id"], "synthetic_csv")["text"]
    generator._RUNS.clear()
    b = generator.synthesize(settings())
    assert b["run_id"] == a["run_id"] and generator.download(b["run_id"], "synthetic_csv")["text"] == text_a
    c = generator.synthesize(settings(seed=4))
    assert c["run_id"] != a["run_id"] and generator.download(c["run_id"], "synthetic_csv")["text"] != text_a


def test_only_the_last_two_runs_are_kept_and_a_lost_run_is_rebuilt():
    ids = [generator.synthesize(settings(seed=k))["run_id"] for k in range(3)]
    assert list(generator._RUNS) == ids[1:]
    with pytest.raises(InputError, match="no longer in memory"):
        generator.download(ids[0], "synthetic_csv")
    rebuilt = generator.download(ids[0], "synthetic_csv", settings(seed=0))["text"]
    generator._RUNS.clear()
    first = generator.synthesize(settings(seed=0))
    assert generator.download(first["run_id"], "synthetic_csv")["text"] == rebuilt
    generator._RUNS.clear()
    with pytest.raises(InputError, match="changed since this result"):
        generator.download(ids[0], "synthetic_csv", settings(seed=5))
    with pytest.raises(InputError, match="Unknown download"):
        generator.download(first["run_id"], "pdf")


def test_figures_and_report_downloads():
    res = generator.run(settings(), draw=True)
    assert len(res["figures"]) >= 2 and all(f["svg"].startswith("<svg") and f["alt"] for f in res["figures"])
    page = generator.download(res["run_id"], "report_html")
    assert page["filename"] == "penguins-gaussian_copula-seed3-report.html" and page["mime"] == "text/html"
    assert page["text"].startswith("<!DOCTYPE html>") and page["text"].count("data:image/svg+xml;base64,") == len(res["figures"])
    data = json.loads(generator.download(res["run_id"], "report_json")["text"])
    assert {r["key"] for r in data["rows"]} <= {r["key"] for r in res["report"]["rows"]}
    assert data["figures"] == []


def test_report_html_escapes_malicious_cells():
    s = {"data": str(DATA / "malicious.csv"), "file_name": "malicious.csv", "method": "independent", "n": 100,
         "seed": 1, "evaluation": {"label": "group"}}
    res = generator.run(s)
    cell = '<img src=x onerror="window.__pwned=1">'
    assert cell in generator.download(res["run_id"], "synthetic_csv")["text"].replace('""', '"')
    page = generator.download(res["run_id"], "report_html")["text"]
    assert "onerror=" not in page.replace("onerror=&quot;", "") and "<script>window" not in page
    assert "onmouseover=\"" not in page


# ------------------------------------------------------------------------------------------
# the run config reproduces the run on the command line
# ------------------------------------------------------------------------------------------
def test_config_yaml_reproduces_the_rows_and_the_report_with_the_cli(tmp_path, monkeypatch, capsys):
    src = tmp_path / "upload"
    src.mkdir()
    (src / "clinic data.csv").write_bytes((DATA / "clinic.csv").read_bytes())
    s = {"data": str(src / "clinic data.csv"), "file_name": "clinic data.csv", "method": "bayesian_network",
         "params": {"n_bins": 8}, "n": 300, "seed": 21, "holdout_share": 0.25, "kinds": {"visits": "categorical"},
         "exclude": ["bmi"], "constraints": ["age >= 30"],
         "evaluation": {"label": "risk", "quasi_identifiers": ["age", "sex"]}}
    res = generator.run(s)
    page_csv = generator.download(res["run_id"], "synthetic_csv")
    conf = generator.download(res["run_id"], "config_yaml")
    assert conf["filename"] == "clinic_data-bayesian_network-seed21.yaml"
    cfg = yaml.safe_load(conf["text"])
    assert cfg["data"] == "clinic data.csv" and cfg["seed"] == 21 and cfg["kinds"] == {"visits": "categorical"}
    assert cfg["output"] == "clinic_data-bayesian_network-seed21.csv"
    (src / conf["filename"]).write_text(conf["text"], encoding="utf-8")
    monkeypatch.chdir(src)                         # where the reader keeps the file
    code = cli.main(["synthesize", "--config", conf["filename"], "--report", "report.json", "-q"])
    assert code == 0, capsys.readouterr().err
    assert (src / cfg["output"]).read_bytes() == page_csv["text"].encode("utf-8")
    cli_report = json.loads((src / "report.json").read_text(encoding="utf-8"))
    page_scores = {r["key"]: r["score"] for r in res["report"]["rows"]}
    for row in cli_report["rows"]:
        assert page_scores[row["key"]] == row["score"], row["key"]


def test_config_yaml_for_a_bundled_table_names_it():
    text = generator.config_yaml(settings(method="dp_mst", params={"epsilon": 0.5}))
    cfg = yaml.safe_load(text)
    assert cfg["data"] == "penguins" and cfg["params"] == {"epsilon": 0.5} and cfg["holdout_share"] == 0.2
    assert cfg["evaluation"] == {"label": "species", "quasi_identifiers": []}
    assert text.startswith("# ") and "synthlearn synthesize --config penguins-dp_mst-seed3.yaml" in text
