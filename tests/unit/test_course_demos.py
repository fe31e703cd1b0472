"""The "Basics of Synthetic Data" module: its demos, its Markdown blocks and its example scripts.

Each demo is checked against the contract (JSON-able dict, metrics with help texts, valid
marks, validation, seeds, speed) and its numbers against an independent computation
(scipy, scikit-learn, closed-form results, brute force).
"""

from __future__ import annotations

import inspect
import json
import math
import re
import runpy
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy.stats import ks_2samp
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

import demoblocks
from synthlearn import InputError
from synthlearn.app.bridge import resolve
from synthlearn.datasets import load, make_correlated
from synthlearn.demos import privacy_fidelity, rebalance, simulate, taxonomy
from synthlearn.quiz import grade

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "docs" / "course"
EXAMPLES = ROOT / "pysrc" / "examples"
PAGES = ["index.md", "definition.md", "motivations.md", "taxonomy.md", "methods.md", "evaluation.md",
         "checkpoint.md"]
MARKS = {"kept", "generated", "missing", "flag"}


# ---------------------------------------------------------------------------------------------
# the result contract
# ---------------------------------------------------------------------------------------------
def check_contract(result: dict, figure: bool | None = None) -> dict:
    """Assert the demo-contract shape; return the metrics by key."""
    json.dumps(result, allow_nan=False)  # strictly JSON
    assert set(result) <= {"summary", "metrics", "tables", "figures", "notes"}
    assert isinstance(result["summary"], str) and len(result["summary"]) > 20
    keys = set()
    for m in result["metrics"]:
        assert set(m) == {"key", "label", "value", "text", "help"}
        assert m["key"] not in keys
        keys.add(m["key"])
        assert m["label"] and len(m["help"]) > 15, m
        assert m["value"] is None or type(m["value"]) is float
        assert isinstance(m["text"], str) and m["text"]
    for t in result.get("tables", []):
        assert t["caption"] and t["columns"]
        for row in t["rows"]:
            assert len(row) == len(t["columns"])
            for cell in row:
                assert isinstance(cell, str) or (set(cell) == {"text", "mark"} and cell["mark"] in MARKS)
    if figure is True:
        assert result["figures"], "figure=True must give a figure"
        for f in result["figures"]:
            assert len(f["alt"]) > 30 and f["svg"].startswith("<svg")
    if figure is False:
        assert "figures" not in result
    for note in result.get("notes", []):
        assert isinstance(note, str) and note
    return {m["key"]: m for m in result["metrics"]}


def values(result: dict) -> dict:
    return {m["key"]: m["value"] for m in result["metrics"]}


#: the course's demos, and each at its most expensive settings (the controls' extremes);
#: benchmarks/timings.py times the same cases
DEMOS = {"rebalance": rebalance.run, "taxonomy": taxonomy.run, "simulate": simulate.run,
         "privacy_fidelity": privacy_fidelity.run}
MAX_PARAMS = {
    "rebalance": dict(method="smote", minority_per_100=5, target_ratio=1.0),
    "taxonomy": dict(kind="partially"),
    "simulate": dict(arrival_rate=1.2, n=20_000),
    "privacy_fidelity": dict(privacy=1.0, n=4000),
}


@pytest.mark.parametrize("name", DEMOS)
def test_defaults_follow_the_contract(name):
    run = DEMOS[name]
    has_figure = "figure" in inspect.signature(run).parameters
    if has_figure:
        check_contract(run(figure=False), figure=False)
        check_contract(run(), figure=True)
    else:
        check_contract(run())
    kwargs = {"figure": False} if has_figure else {}
    check_contract(run(**MAX_PARAMS[name], **kwargs), figure=False if has_figure else None)  # speed: benchmarks/timings.py


@pytest.mark.parametrize("name", DEMOS)
def test_same_seed_same_result_other_seed_other_result(name):
    run = DEMOS[name]
    kwargs = {"figure": False} if "figure" in inspect.signature(run).parameters else {}
    a, b, c = run(seed=5, **kwargs), run(seed=5, **kwargs), run(seed=6, **kwargs)
    assert a == b
    assert a != c


@pytest.mark.parametrize("name, params", [
    ("rebalance", dict(method="adasyn")), ("rebalance", dict(minority_per_100=4)),
    ("rebalance", dict(minority_per_100=51)), ("rebalance", dict(minority_per_100=7.5)),
    ("rebalance", dict(target_ratio=0)), ("rebalance", dict(target_ratio=1.5)), ("rebalance", dict(seed=-1)),
    ("taxonomy", dict(kind="semi")), ("taxonomy", dict(seed=1.5)), ("taxonomy", dict(seed="x")),
    ("simulate", dict(arrival_rate=0)), ("simulate", dict(arrival_rate=1.3)), ("simulate", dict(service="gamma")),
    ("simulate", dict(n=99)), ("simulate", dict(n=20_001)), ("simulate", dict(seed=-3)),
    ("privacy_fidelity", dict(privacy=-0.1)), ("privacy_fidelity", dict(privacy=1.1)),
    ("privacy_fidelity", dict(rho=0.99)), ("privacy_fidelity", dict(n=100)), ("privacy_fidelity", dict(n=4001)),
    ("privacy_fidelity", dict(privacy=float("nan"))), ("privacy_fidelity", dict(privacy="high")),
])
def test_bad_params_raise_input_error(name, params):
    with pytest.raises(InputError):
        DEMOS[name](**params)


# ---------------------------------------------------------------------------------------------
# simulate: a queue from three rules
# ---------------------------------------------------------------------------------------------
def lindley_waits(arrival: np.ndarray, service: np.ndarray) -> np.ndarray:
    """Waits from Lindley's recursion in closed form: W_k = P_k − min_{j≤k} P_j (independent of the loop)."""
    steps = service[:-1] - np.diff(arrival)
    partial = np.concatenate([[0.0], np.cumsum(steps)])
    return partial - np.minimum.accumulate(partial)


@pytest.mark.parametrize("service", ["exponential", "constant", "uniform"])
def test_simulated_waits_follow_lindley_and_metrics_match(service):
    rng = np.random.default_rng(3)
    sim = simulate.simulate_queue(0.7, service, 3000, rng)
    assert np.allclose(sim["wait"], lindley_waits(sim["arrival"], sim["service"]), atol=1e-9)
    assert np.allclose(sim["departure"], sim["arrival"] + sim["wait"] + sim["service"])
    result = simulate.run(arrival_rate=0.7, service=service, n=3000, seed=3, figure=False)
    v = values(result)
    assert v["mean_wait"] == pytest.approx(sim["wait"].mean())
    assert v["waited"] == pytest.approx(np.mean(sim["wait"] > 0))
    first = result["tables"][0]["rows"][0]
    assert float(first[1]) == pytest.approx(sim["arrival"][0], abs=0.006)


def test_queue_lengths_by_brute_force():
    sim = simulate.simulate_queue(0.95, "exponential", 400, np.random.default_rng(8))
    brute = [sum(1 for j in range(k) if sim["departure"][j] > sim["arrival"][k]) for k in range(400)]
    assert simulate.queue_lengths(sim["arrival"], sim["departure"]).tolist() == brute


def test_closed_forms():
    # M/M/1 with mu = 1: W_q = rho / (mu - lambda); M/D/1: W_q = rho / (2 mu (1 - rho))
    for lam in (0.2, 0.5, 0.9):
        assert simulate.pollaczek_khinchine_wait(lam, "exponential") == pytest.approx(lam / (1.0 - lam))
        assert simulate.pollaczek_khinchine_wait(lam, "constant") == pytest.approx(lam / (2 * (1.0 - lam)))
        # uniform(0, 2): E[S^2] = Var + mean^2 = 1/3 + 1
        assert simulate.pollaczek_khinchine_wait(lam, "uniform") == pytest.approx(lam * (4 / 3) / (2 * (1 - lam)))
    assert math.isinf(simulate.pollaczek_khinchine_wait(1.0, "exponential"))
    assert simulate.SERVICE_SECOND_MOMENT["uniform"] == pytest.approx(
        np.mean(np.random.default_rng(0).uniform(0, 2, 400_000) ** 2), rel=0.01)


@pytest.mark.parametrize("service", ["exponential", "constant", "uniform"])
def test_long_simulation_agrees_with_theory(service):
    v = values(simulate.run(arrival_rate=0.5, service=service, n=20_000, seed=11, figure=False))
    assert v["mean_wait"] == pytest.approx(v["theory_wait"], rel=0.08)
    assert v["waited"] == pytest.approx(0.5, abs=0.02)  # P(wait > 0) = rho in the steady state
    assert v["busy"] == pytest.approx(0.5, abs=0.02)


def test_unstable_queue_has_no_theory():
    result = simulate.run(arrival_rate=1.1, seed=1, figure=False)
    metrics = check_contract(result)
    assert metrics["theory_wait"]["value"] is None and metrics["theory_wait"]["text"] == "—"
    assert "no steady-state formula" in result["summary"]


def test_queue_example_matches_the_demo():
    script = runpy.run_path(str(EXAMPLES / "queue_rules.py"))
    sim = simulate.simulate_queue(script["arrival_rate"], "exponential", script["n"], np.random.default_rng(42))
    assert np.array_equal(script["wait"], sim["wait"])
    assert values(simulate.run(figure=False))["mean_wait"] == pytest.approx(script["wait"].mean())


# ---------------------------------------------------------------------------------------------
# rebalance: oversampling a rare class
# ---------------------------------------------------------------------------------------------
def test_rebalance_counts_follow_from_the_data():
    table = load("breast_cancer")
    y = np.array(table["diagnosis"].to_strings())
    n_rare, n_common = int(np.sum(y == "malignant")), int(np.sum(y == "benign"))
    test_rare, test_common = round(0.3 * n_rare), round(0.3 * n_common)
    train_common = n_common - test_common
    for per100, ratio in [(10, 1.0), (5, 0.5), (30, 0.8)]:
        result = rebalance.run(minority_per_100=per100, target_ratio=ratio, seed=1, figure=False)
        v = values(result)
        kept = round(per100 * train_common / 100)
        assert v["rare_real"] == kept
        assert v["rare_synthetic"] == max(0, math.ceil(ratio * train_common) - kept)
        counts = result["tables"][0]["rows"]
        assert counts[0][4] == str(test_rare) and counts[1][4] == str(test_common)
        assert counts[1][1] == counts[1][2] == str(train_common)


def test_rebalance_recall_from_the_prediction_counts():
    result = rebalance.run(seed=3, figure=False)
    v = values(result)
    outcomes = result["tables"][1]["rows"]
    for row, when in zip(outcomes, ("before", "after")):
        caught, missed = int(row[1]), int(row[2]["text"])
        alarms, cleared = int(row[3]["text"]), int(row[4])
        assert v[f"recall_{when}"] == pytest.approx(caught / (caught + missed))
        assert v[f"false_alarms_{when}"] == pytest.approx(alarms / (alarms + cleared))


def test_rebalance_model_agrees_with_scikit_learn():
    rng = np.random.default_rng(4)
    train, test = rebalance.split_stratified(load("breast_cancer"), "diagnosis", 0.3, rng)
    train = rebalance.make_rare(train, 10, rng)
    ours = rebalance.fit_and_score(train, test)
    features = [n for n in train.names if n != "diagnosis"]
    scaler = StandardScaler().fit(train.matrix(features))
    y_train = np.array(train["diagnosis"].to_strings()) == "malignant"
    model = SkLogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(scaler.transform(train.matrix(features)), y_train)
    x_test = scaler.transform(test.matrix(features))
    truth = np.array(test["diagnosis"].to_strings()) == "malignant"
    predicted = model.predict(x_test)
    assert np.array_equal(ours["truth"], truth)
    assert np.mean(ours["predicted"] == predicted) >= 0.99
    assert ours["recall"] == pytest.approx(np.sum(predicted & truth) / truth.sum(), abs=1.01 / truth.sum())
    assert ours["auc"] == pytest.approx(roc_auc_score(truth, model.decision_function(x_test)), abs=0.005)


def test_rebalance_none_and_nothing_to_add():
    v = values(rebalance.run(method="none", figure=False))
    assert v["rare_synthetic"] == 0 and v["recall_before"] == v["recall_after"]
    result = rebalance.run(minority_per_100=50, target_ratio=0.2, figure=False)
    assert values(result)["rare_synthetic"] == 0 and "no synthetic rows were added" in result["summary"]


def test_oversampling_raises_recall_on_average():
    gains = [values(rebalance.run(minority_per_100=5, seed=s, figure=False)) for s in range(6)]
    assert np.mean([g["recall_after"] - g["recall_before"] for g in gains]) > 0


# ---------------------------------------------------------------------------------------------
# taxonomy: which cells are real?
# ---------------------------------------------------------------------------------------------
def penguin_row(label: str) -> list[str]:
    """The real values of row 'real #k' straight from the bundled CSV file (independent of the demo)."""
    import csv

    k = int(label.split("#")[1])
    path = ROOT / "pysrc" / "synthlearn" / "data" / "penguins.csv"
    with open(path, newline="") as fh:
        record = list(csv.DictReader(fh))[k - 1]
    out = []
    for c in taxonomy.COLUMNS:
        text = record[c]
        if c == "bill_length_mm":
            text = f"{float(text):.1f}"
        out.append(text)
    return out


def grid(result: dict) -> list[list]:
    return result["tables"][0]["rows"]


@pytest.mark.parametrize("seed", [0, 42])
def test_fully_synthetic_generates_every_cell(seed):
    result = taxonomy.run(kind="fully", seed=seed)
    check_contract(result)
    assert all(cell["mark"] == "generated" for row in grid(result) for cell in row[1:])
    v = values(result)
    assert v["real_rows"] == 0 and v["real_values"] == 0 and v["generated_share"] == 1.0


@pytest.mark.parametrize("seed", [0, 42])
def test_partially_synthetic_keeps_real_values_outside_the_sensitive_columns(seed):
    result = taxonomy.run(kind="partially", seed=seed)
    for row in grid(result):
        real = penguin_row(row[0])
        for c, cell, truth in zip(taxonomy.COLUMNS, row[1:], real):
            if c in taxonomy.SENSITIVE:
                assert cell["mark"] == "generated"
            else:
                assert cell["mark"] == "kept" and cell["text"] == truth
    assert values(result)["real_values"] == 8 * (len(taxonomy.COLUMNS) - len(taxonomy.SENSITIVE))
    # the number of rows unique on the kept columns, by pandas
    import pandas as pd

    df = pd.read_csv(ROOT / "pysrc" / "synthlearn" / "data" / "penguins.csv")
    kept = [c for c in taxonomy.COLUMNS if c not in taxonomy.SENSITIVE]
    sizes = df.fillna("NA").groupby(kept)[kept[0]].transform("size")
    unique = sum(int(sizes.iloc[int(r[0].split("#")[1]) - 1] == 1) for r in grid(result))
    assert f"and {unique} of the 8 rows have a combination" in result["summary"]


def test_hybrid_mixes_unchanged_real_rows_with_generated_ones():
    result = taxonomy.run(kind="hybrid", seed=42)
    real_rows = [r for r in grid(result) if r[0].startswith("real")]
    assert len(real_rows) == 4 and values(result)["real_rows"] == 4
    for row in real_rows:
        assert [c["text"] for c in row[1:]] == penguin_row(row[0])
        assert all(c["mark"] == "kept" for c in row[1:])
    for row in grid(result):
        if row[0] == "synthetic":
            assert all(c["mark"] == "generated" for c in row[1:])


def test_augmented_keeps_all_real_rows_and_adds_smote_rows():
    result = taxonomy.run(kind="augmented", seed=42)
    rows = grid(result)
    assert len(rows) == taxonomy.N_SHOWN + taxonomy.N_AUGMENT_SHOWN
    for row in rows[: taxonomy.N_SHOWN]:
        assert [c["text"] for c in row[1:]] == penguin_row(row[0])
    import pandas as pd

    counts = pd.read_csv(ROOT / "pysrc" / "synthlearn" / "data" / "penguins.csv")["species"].value_counts()
    added = int((counts.max() - counts).sum())
    assert f"{len(load('penguins').columns[0])} real rows are kept and {added} SMOTE rows" in result["summary"]


# ---------------------------------------------------------------------------------------------
# privacy_fidelity: the slider
# ---------------------------------------------------------------------------------------------
def replay(p: float, rho: float, n: int, seed: int):
    rng = np.random.default_rng(seed)
    real = make_correlated(n, rho, rng=rng)
    half = n // 2
    train, holdout = real.take(np.arange(half)), real.take(np.arange(half, n))
    return train, holdout, privacy_fidelity.add_privacy_noise(train, p, rng)


def row_distances(a: np.ndarray, b: np.ndarray, span: np.ndarray) -> np.ndarray:
    """Mean over columns of min(|a − b| / range, 1), every pair of rows (brute force)."""
    return np.minimum(np.abs(a[:, None, :] - b[None, :, :]) / span, 1.0).mean(axis=2)


@pytest.mark.parametrize("p, rho, n, seed", [(0.3, 0.8, 400, 42), (0.7, -0.5, 600, 1), (0.05, 0.9, 200, 9)])
def test_slider_numbers_match_independent_computations(p, rho, n, seed):
    v = values(privacy_fidelity.run(privacy=p, rho=rho, n=n, seed=seed, figure=False))
    train, holdout, syn = replay(p, rho, n, seed)
    t, h, s = train.matrix(), holdout.matrix(), syn.matrix()
    assert v["real_correlation"] == pytest.approx(np.corrcoef(t.T)[0, 1])
    assert v["synthetic_correlation"] == pytest.approx(np.corrcoef(s.T)[0, 1])
    shapes = 1 - np.mean([ks_2samp(t[:, j], s[:, j]).statistic for j in range(2)])
    similarity = 1 - abs(v["real_correlation"] - v["synthetic_correlation"]) / 2
    assert v["column_shapes"] == pytest.approx(shapes)
    assert v["correlation_similarity"] == pytest.approx(similarity)
    assert v["fidelity"] == pytest.approx((shapes + similarity) / 2)
    span = np.ptp(t, axis=0)
    d_train, d_hold = row_distances(s, t, span), row_distances(s, h, span)
    dcr_t, dcr_h = d_train.min(axis=1), d_hold.min(axis=1)
    assert v["dcr_share"] == pytest.approx(np.mean(dcr_t < dcr_h) + 0.5 * np.mean(dcr_t == dcr_h), abs=1e-9)
    assert v["privacy"] == pytest.approx(min(2 * (1 - np.mean(dcr_t < dcr_h)), 1.0), abs=1e-9)
    assert v["traced"] == pytest.approx(np.mean(np.argmin(d_train, axis=1) == np.arange(len(t))), abs=1e-9)
    members, others = row_distances(t, s, span).min(axis=1), row_distances(h, s, span).min(axis=1)
    labels = np.r_[np.ones(len(members)), np.zeros(len(others))]
    assert v["membership_auc"] == pytest.approx(roc_auc_score(labels, -np.r_[members, others]), abs=1e-6)


def test_the_two_ends_of_the_slider():
    copy = values(privacy_fidelity.run(privacy=0, figure=False))
    assert copy["fidelity"] == 1.0 and copy["privacy"] == 0.0
    assert copy["traced"] == 1.0 and copy["copies"] == 1.0 and copy["membership_auc"] == 1.0
    noise = values(privacy_fidelity.run(privacy=1, rho=0.9, n=2000, figure=False))
    assert noise["traced"] < 0.02 and abs(noise["synthetic_correlation"]) < 0.1
    assert noise["privacy"] > 0.8 and abs(noise["membership_auc"] - 0.5) < 0.05


def test_noise_shrinks_the_correlation_as_expected():
    # E[rho_syn] = (1 - p^2) rho, checked on a large sample
    rng = np.random.default_rng(0)
    train = make_correlated(100_000, 0.8, rng=rng)
    for p in (0.3, 0.6, 0.9):
        syn = privacy_fidelity.add_privacy_noise(train, p, rng).matrix()
        assert np.corrcoef(syn.T)[0, 1] == pytest.approx((1 - p * p) * np.corrcoef(train.matrix().T)[0, 1], abs=0.01)
        assert np.std(syn, axis=0) == pytest.approx(np.std(train.matrix(), axis=0), rel=0.01)


def test_fidelity_falls_and_privacy_rises_along_the_slider():
    def mean_over_seeds(p):
        runs = [values(privacy_fidelity.run(privacy=p, seed=s, figure=False)) for s in range(4)]
        return {k: np.mean([r[k] for r in runs]) for k in ("fidelity", "privacy", "traced")}
    low, mid, high = mean_over_seeds(0.05), mean_over_seeds(0.4), mean_over_seeds(1.0)
    assert low["fidelity"] > mid["fidelity"] > high["fidelity"]
    assert low["privacy"] < mid["privacy"]
    assert low["traced"] > mid["traced"] > high["traced"]


def test_slider_reading_for_uncorrelated_data():
    result = privacy_fidelity.run(rho=0.0, figure=False)
    assert "hardly any relation to lose" in result["summary"]


# ---------------------------------------------------------------------------------------------
# the Markdown blocks on the lesson pages
# ---------------------------------------------------------------------------------------------
def blocks(kind: str) -> list[tuple[str, dict]]:
    """The blocks of ``kind`` on the course pages, found and validated by the build's own parser,
    as written (the YAML mapping before the parser fills in defaults)."""
    parse = {"synthlab-demo": demoblocks.parse_demo, "synthlab-quiz": demoblocks.parse_quiz}[kind]
    found = []
    for page in PAGES:
        for found_kind, body in demoblocks.find_blocks((COURSE / page).read_text(encoding="utf-8"), where=page):
            if found_kind == kind:
                parse(body)                                    # the build accepts it
                found.append((page, yaml.safe_load(body)))
    return found


def test_every_page_exists_and_ends_with_a_next_link():
    for page in PAGES:
        text = (COURSE / page).read_text(encoding="utf-8")
        assert not text.startswith("---"), f"{page} must not have front matter"
        assert re.search(r"^Next: .*\]\([a-z_]+\.md\)", text.strip().splitlines()[-1]), page
    assert '<div class="sl-progress" data-module="basics"></div>' in (COURSE / "index.md").read_text()


def test_relative_links_resolve():
    for page in PAGES:
        text = (COURSE / page).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:\s]+\.md)(?:#[^)]*)?\)", text):
            assert (COURSE / target).is_file(), f"{page} links to missing {target}"


@pytest.mark.parametrize("page, block", blocks("synthlab-demo"), ids=lambda x: x if isinstance(x, str) else "")
def test_demo_blocks_match_their_functions(page, block):
    fn = resolve(block["function"])
    params = inspect.signature(fn).parameters
    assert block["title"] and block["intro"] and set(block["packages"]) <= {"numpy", "scipy", "matplotlib"}
    assert block.get("figure", False) == ("figure" in params)
    for c in block["controls"]:
        assert set(c) <= {"name", "label", "type", "default", "min", "max", "step", "options"}, c
        assert c["type"] in ("select", "range", "number", "checkbox") and c.get("label"), c
    names = [c["name"] for c in block["controls"]]
    assert set(names) == set(params) - {"figure"}, "every parameter has a control and vice versa"
    for c in block["controls"]:
        assert c["default"] == params[c["name"]].default, c["name"]
    base = {"figure": False} if "figure" in params else {}
    for c in block["controls"]:  # every option and both ends of every range are accepted
        if c["type"] == "select":
            assert c["default"] in c["options"]
            tries = list(c["options"])
        elif c["type"] in ("range", "number"):
            assert c["min"] <= c["default"] <= c["max"]
            tries = [c["min"], c["max"]]
        else:
            tries = [c["default"]]
        for value in tries:
            check_contract(fn(**base, **{c["name"]: value}))


@pytest.mark.parametrize("page, block", blocks("synthlab-demo"), ids=lambda x: x if isinstance(x, str) else "")
def test_declared_packages_are_enough(page, block):
    """Numbers only (figure=False) must not import matplotlib, nor scipy unless the block loads it."""
    import subprocess
    import sys

    module, _, name = block["function"].rpartition(".")
    fig = ", figure=False" if block.get("figure") else ""
    code = (f"import sys; from {module} import {name} as run; run(seed=1{fig}); "
            "print('scipy' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[1] == "False", "figure=False imported matplotlib"
    if "scipy" not in block["packages"]:
        assert out[0] == "False", f"{block['function']} imports scipy but the block does not load it"


def test_fit_sample_block_is_the_leads_block():
    (page, block), = [(p, b) for p, b in blocks("synthlab-demo") if b["function"].endswith("fit_sample.run")]
    assert page == "methods.md"
    assert block["packages"] == ["numpy"] and block["figure"] is True
    assert [c["name"] for c in block["controls"]] == ["distribution", "n", "method", "seed"]


def test_quiz_blocks_are_gradable():
    ids = set()
    for page, block in blocks("synthlab-quiz"):
        assert block["id"] not in ids
        ids.add(block["id"])
        if block.get("lesson"):
            assert (COURSE / block["lesson"]).is_file()
        if "generator" in block:
            q = resolve(block["generator"])(0)
            assert grade(q, q["answer"])["correct"]
            continue
        assert grade(block, block["answer"])["correct"]
        wrong = (block["answer"] + 1) % len(block["options"])
        assert not grade(block, wrong)["correct"]
        assert len(block["explanation"]) > 40
    checkpoint = [b for p, b in blocks("synthlab-quiz") if p == "checkpoint.md"]
    assert sum("generator" not in b for b in checkpoint) == 5
    assert any(b.get("generator") == "synthlearn.quiz.ks_question" for b in checkpoint)


# ---------------------------------------------------------------------------------------------
# example scripts shown on the pages
# ---------------------------------------------------------------------------------------------
def test_snippet_sections_exist():
    for page in PAGES:
        text = (COURSE / page).read_text(encoding="utf-8")
        for path, section in re.findall(r'--8<-- "([^":]+):([a-z_]+)"', text):
            source = (ROOT / path).read_text(encoding="utf-8")
            assert f"# --8<-- [start:{section}]" in source and f"# --8<-- [end:{section}]" in source, (path, section)


def test_fit_then_sample_example(capsys):
    script = runpy.run_path(str(EXAMPLES / "fit_then_sample.py"))
    real = script["real"]
    results = script["results"]
    assert results["KDEUnivariate"] < results["GaussianUnivariate"]  # a KDE follows two peaks, a bell does not
    assert "KS distance" in capsys.readouterr().out
    from synthlearn.univariate import GaussianUnivariate

    synthetic = GaussianUnivariate().fit(real).sample(1000, rng=1)
    assert results["GaussianUnivariate"] == pytest.approx(ks_2samp(real, synthetic).statistic)


def test_three_properties_example(capsys):
    script = runpy.run_path(str(EXAMPLES / "three_properties.py"))
    real, synthetic = script["real"], script["synthetic"]
    assert script["same_structure"] is True
    assert synthetic.n_rows == real.n_rows == 344
    real_rows = {tuple(r.values()) for r in real.head_records(real.n_rows)}
    copies = np.mean([tuple(r.values()) in real_rows for r in synthetic.head_records(synthetic.n_rows)])
    assert script["copies"] == pytest.approx(copies)
    assert 0.5 < script["scores"].column_shapes <= 1.0
    assert "same structure: True" in capsys.readouterr().out


def test_queue_example_runs_as_a_script(capsys):
    runpy.run_path(str(EXAMPLES / "queue_rules.py"), run_name="__main__")
    assert "simulated mean wait" in capsys.readouterr().out
