"""The Guide: its demos, its pages and its notebooks.

Each demo is checked against the result contract, for determinism and for clear errors on bad
input; its numbers are checked against an independent computation where one exists (scipy,
scikit-learn, closed forms, brute force) and against the behaviour the chapter claims.
"""

from __future__ import annotations

import importlib
import inspect
import json
import math
import re
import runpy
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp
from sklearn.metrics import roc_auc_score, roc_curve
from test_course_demos import check_contract as course_contract

from synthlearn import InputError
from synthlearn.datasets import load
from synthlearn.demos import (
    guide_approaches,
    guide_cases,
    guide_common,
    guide_compute,
    guide_dp,
    guide_failures,
    guide_frontiers,
    guide_metrics,
    guide_misconceptions,
    guide_pipeline,
    guide_risk,
    guide_utility,
)
from synthlearn.metrics.privacy import privacy
from synthlearn.synthesizers.mst import epsilon_from_rho

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide"
EXAMPLES = ROOT / "pysrc" / "examples"
CHAPTERS = ["misconceptions", "approaches", "utility", "metrics", "privacy-dp", "privacy-risk", "pipeline",
            "case-studies", "failure-modes", "compute", "frontiers", "reproducible-lab"]

#: every Guide demo: name -> function
DEMOS = {
    "memorisation": guide_misconceptions.memorisation, "missing_subgroup": guide_misconceptions.missing_subgroup,
    "poor_generator": guide_misconceptions.poor_generator, "approaches": guide_approaches.run,
    "label_relation": guide_utility.label_relation, "coverage": guide_utility.coverage,
    "metrics": guide_metrics.run, "dp": guide_dp.run, "risk": guide_risk.run,
    "validation_loop": guide_pipeline.validation_loop, "drift": guide_pipeline.drift,
    "fraud": guide_cases.fraud, "cohort": guide_cases.cohort, "robot": guide_cases.robot,
    "long_tail": guide_failures.long_tail, "constraints": guide_failures.constraints,
    "compute": guide_compute.run, "conditional": guide_frontiers.conditional, "fairness": guide_frontiers.fairness,
}
TIMED = {"compute"}  # wall-clock times: not deterministic by nature


def check_contract(result: dict) -> dict:
    """The course's demo-contract check, plus every figure's alt text and SVG; metric values by key."""
    metrics = course_contract(result)
    for f in result.get("figures", []):
        assert len(f["alt"]) > 30 and f["svg"].startswith("<svg")
    return {key: m["value"] for key, m in metrics.items()}


def call(fn, **params):
    if "figure" in inspect.signature(fn).parameters:
        params.setdefault("figure", False)
    return fn(**params)


# ---------------------------------------------------------------------------------------------
# every demo: contract, determinism, bad input
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", DEMOS)
def test_defaults_follow_the_contract(name):
    fn = DEMOS[name]
    check_contract(fn())
    if "figure" in inspect.signature(fn).parameters:
        assert "figures" not in fn(figure=False)
        assert fn()["figures"]


@pytest.mark.parametrize("name", sorted(set(DEMOS) - TIMED))
def test_same_seed_same_result_other_seed_other_result(name):
    fn = DEMOS[name]
    a, b, c = call(fn, seed=5), call(fn, seed=5), call(fn, seed=6)
    assert a == b
    assert a != c


BAD = [
    ("memorisation", dict(bandwidth=0)), ("memorisation", dict(bandwidth=1.5)), ("memorisation", dict(seed=-1)),
    ("missing_subgroup", dict(species="Emperor")), ("missing_subgroup", dict(method="gan")),
    ("poor_generator", dict(method="ctgan")), ("poor_generator", dict(seed=1.5)),
    ("approaches", dict(dataset="adult")), ("approaches", dict(seed="x")),
    ("label_relation", dict(dataset="wine")), ("coverage", dict(generator="gan")), ("coverage", dict(n=100)),
    ("metrics", dict(flaw="perfect")), ("dp", dict(epsilon="2")), ("dp", dict(epsilon=1.0)), ("dp", dict(delta="0.1")),
    ("risk", dict(target="ctgan")), ("validation_loop", dict(min_quality=1.5)),
    ("validation_loop", dict(max_dcr_share=0.4)), ("drift", dict(shift=-0.1)), ("drift", dict(threshold=1.0)),
    ("drift", dict(n=50)), ("fraud", dict(augmentation="adasyn")), ("fraud", dict(per_100=0)),
    ("cohort", dict(method="dp_mst")), ("robot", dict(conditions="real")), ("robot", dict(n=10)),
    ("long_tail", dict(boost=0)), ("long_tail", dict(boost=2.5)), ("long_tail", dict(method="kde")),
    ("constraints", dict(method="dp_mst")), ("constraints", dict(n=10**6)),
    ("compute", dict(method="gan")), ("compute", dict(sizes="huge")),
    ("conditional", dict(species="")), ("fairness", dict(method="kde")), ("fairness", dict(n=float("nan"))),
]


@pytest.mark.parametrize("name, params", BAD)
def test_bad_params_raise_input_error(name, params):
    with pytest.raises(InputError) as err:
        call(DEMOS[name], **params)
    message = str(err.value)
    assert message.endswith(".") and "\n" not in message


# ---------------------------------------------------------------------------------------------
# chapter 1
# ---------------------------------------------------------------------------------------------
def split_like_the_demo(seed: int, name: str = "penguins"):
    return guide_common.load_split(name, np.random.default_rng(seed))


def test_load_split_drops_missing_rows_and_halves():
    train, holdout = split_like_the_demo(0)
    raw = load("penguins")
    complete = sum(all(not np.isnan(c.values[i]) for c in raw.columns) for i in range(raw.n_rows))
    assert train.n_rows + holdout.n_rows == complete == 333
    assert abs(train.n_rows - holdout.n_rows) <= 1


def test_small_bandwidth_leaks_more_than_a_copula():
    small = check_contract(guide_misconceptions.memorisation(bandwidth=0.05))
    wide = check_contract(guide_misconceptions.memorisation(bandwidth=1.0))
    assert small["kde_dcr_share"] > 0.9 and small["kde_mia_auc"] > 0.75
    assert small["kde_mia_auc"] > small["copula_mia_auc"] + 0.15
    assert wide["kde_mia_auc"] < small["kde_mia_auc"]


@pytest.mark.parametrize("species", guide_misconceptions.SPECIES)
def test_a_left_out_species_never_appears_and_is_never_recognised(species):
    v = check_contract(guide_misconceptions.missing_subgroup(species=species, method="kde"))
    assert v["synthetic_share"] == 0.0 and v["recall"] == 0.0
    rng = np.random.default_rng(0)
    _, holdout = guide_common.load_split("penguins", rng)
    col = holdout["species"]
    assert v["real_share"] == pytest.approx(np.mean(col.values == col.categories.index(species)))


def test_majority_baseline_is_the_most_common_training_class():
    v = check_contract(guide_misconceptions.poor_generator(method="independent", seed=3))
    train, holdout = split_like_the_demo(3)
    y_tr, y_te = train["species"].values.astype(int), holdout["species"].values.astype(int)
    assert v["majority"] == pytest.approx(np.mean(y_te == np.bincount(y_tr).argmax()))
    assert v["trtr"] > 0.95


# ---------------------------------------------------------------------------------------------
# chapters 2-4
# ---------------------------------------------------------------------------------------------
def test_the_comparison_table_lists_every_method_with_valid_scores():
    r = guide_approaches.run()
    rows = r["tables"][0]["rows"]
    assert [row[0] for row in rows] == list(guide_common.TITLES.values())
    for row in rows:
        assert 0 <= float(row[1]) <= 1 and 0 <= float(row[2]) <= 1 and 0 <= float(row[4]) <= 1
    v = check_contract(r)
    assert f"{v['best_quality']:.3f}" == max(row[1] for row in rows)


def test_shuffling_the_label_keeps_every_marginal_exactly():
    rng = np.random.default_rng(1)
    t = load("penguins")
    shuffled = guide_utility.shuffle_column(t, "species", rng)
    assert np.array_equal(np.sort(shuffled["species"].values), np.sort(t["species"].values))
    v = check_contract(guide_utility.label_relation())
    assert v["shapes_kept"] == v["shapes_lost"]
    assert v["tstr_lost"] < v["tstr_kept"] - 0.2


def test_coverage_counts_clusters_like_a_brute_force_assignment():
    rng = np.random.default_rng(4)
    real, mode = guide_utility.make_modes(3000, rng)
    got = guide_utility.assign_modes(real)
    xy = np.c_[real["x"].values, real["y"].values]
    brute = np.array([min(range(8), key=lambda j: np.hypot(*(p - guide_utility.centres()[j]))) for p in xy])
    near = np.array([np.hypot(*(p - guide_utility.centres()[b])) <= 3 * guide_utility.SPREAD for p, b in zip(xy, brute)])
    assert np.array_equal(got, np.where(near, brute, -1))
    assert np.mean(got == mode) == pytest.approx(1 - np.exp(-4.5), abs=0.01)  # P(r ≤ 3σ) in 2-D; no mix-ups
    full = check_contract(guide_utility.coverage(generator="mixture8", figure=False))
    dropped = check_contract(guide_utility.coverage(generator="common_only", figure=False))
    assert full["modes_reached"] == 1.0 and dropped["rare_reached"] == 0.0 and dropped["modes_reached"] == 0.5


def test_flawed_tables_are_caught_by_the_right_metrics():
    rng = np.random.default_rng(0)
    train, _ = guide_common.load_split("penguins", rng)
    shuffled = guide_metrics.flawed("shuffled", train, rng)
    for c in train.columns:
        if not c.is_discrete:
            assert ks_2samp(c.values, shuffled[c.name].values).statistic == 0.0
    r = guide_metrics.run(flaw="near_copy")
    near, shuf = check_contract(r), check_contract(guide_metrics.run(flaw="shuffled"))
    assert near["dcr_share"] > 0.9 and near["mia_auc"] > 0.9 and near["shapes"] > 0.97
    assert shuf["shapes"] == 1.0 and shuf["js"] == pytest.approx(0.0, abs=1e-12)
    assert "TSTR accuracy" in guide_metrics.run(flaw="shuffled")["summary"]
    assert "DCR share" in r["summary"].split(":")[1]


def test_js_distance_of_a_column_matches_scipy():
    from synthlearn.metrics.fidelity import js_distance

    rng = np.random.default_rng(2)
    train, _ = guide_common.load_split("penguins", rng)
    other = guide_metrics.flawed("mode_drop", train, rng)
    a, b = train["island"], other["island"]
    p = np.bincount(a.values.astype(int), minlength=3) / a.values.size
    q = np.bincount(b.values.astype(int), minlength=3) / b.values.size
    assert js_distance(a, b) == pytest.approx(jensenshannon(p, q, base=2), abs=1e-9)


# ---------------------------------------------------------------------------------------------
# chapters 5-6
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("epsilon, delta", [("0.1", "1e-9"), ("1", "1e-9"), ("10", "1e-6")])
def test_dp_accounting_matches_the_closed_form(epsilon, delta):
    r = guide_dp.run(epsilon=epsilon, delta=delta, figure=False)
    v = check_contract(r)
    eps, dl = float(epsilon), float(delta)
    rho = (math.sqrt(math.log(1 / dl) + eps) - math.sqrt(math.log(1 / dl))) ** 2
    assert v["rho"] == pytest.approx(rho, rel=1e-12)
    assert v["rho_spent"] == pytest.approx(rho, rel=1e-9)
    assert epsilon_from_rho(v["rho"], dl) == pytest.approx(eps, rel=1e-9)
    steps = r["tables"][1]["rows"]
    assert [s[0] for s in steps] == ["one-way marginals (Gaussian)", "tree selection (exponential)",
                                     "two-way marginals (Gaussian)"]
    assert [row[0] for row in r["tables"][0]["rows"]][:5] == ["0.1", "0.3", "1", "3", "10"]


def test_dp_fidelity_grows_with_epsilon_overall():
    points, ref, _ = guide_dp.sweep(1e-9, 0)
    assert points[-1]["quality"] > points[0]["quality"]
    assert ref["quality"] > points[0]["quality"]


def test_attack_roc_and_auc_match_scikit_learn_and_the_privacy_metric():
    rng = np.random.default_rng(0)
    train, holdout = guide_common.load_split("penguins", rng)
    syn = guide_common.synthesize("kde", train, train.n_rows, rng, bandwidth=0.05)
    y, score = guide_risk.attack_scores(train, holdout, syn)
    fpr, tpr = guide_risk.roc_points(y, score)
    sk_fpr, sk_tpr, _ = roc_curve(y, score, drop_intermediate=False)
    assert np.allclose(fpr, sk_fpr) and np.allclose(tpr, sk_tpr)
    assert np.trapezoid(tpr, fpr) == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    lib = privacy(train, syn, holdout, rng=0).get("membership_inference_auc")["value"]
    assert lib == pytest.approx(roc_auc_score(y, score), abs=1e-12)
    v = check_contract(guide_risk.run(target="kde", figure=False))
    assert v["auc"] > 0.75 and v["tpr_at_10"] > 0.3


# ---------------------------------------------------------------------------------------------
# chapter 7
# ---------------------------------------------------------------------------------------------
def test_validation_loop_counts_passes_from_the_scores():
    scores, ref = guide_approaches.score_methods("penguins", 0)
    expected = sum(s["quality"] >= 0.85 and s["tstr"] / ref["trtr"] >= 0.8 and s["dcr_share"] <= 0.6
                   for s in scores.values())
    assert check_contract(guide_pipeline.validation_loop())["passing"] == expected
    loose = check_contract(guide_pipeline.validation_loop(min_quality=0.5, min_utility=0.0, max_dcr_share=1.0))
    assert loose["passing"] == 6


def test_drift_monitor_flags_drift_and_not_stillness():
    still = check_contract(guide_pipeline.drift(shift=0.0, threshold=0.6, figure=False))
    moving = check_contract(guide_pipeline.drift(shift=0.5, threshold=0.9, figure=False))
    assert still["refits"] == 0 and still["last_fit"] == 0
    assert moving["refits"] >= 3 and moving["last_fit"] > 0


def test_month_data_drifts_by_the_stated_shift():
    rng = np.random.default_rng(0)
    a = guide_pipeline.month_data(0, 0.3, 20000, rng)["log_amount"].values.mean()
    b = guide_pipeline.month_data(10, 0.3, 20000, rng)["log_amount"].values.mean()
    assert b - a == pytest.approx(3.0, abs=0.05)


# ---------------------------------------------------------------------------------------------
# chapter 8
# ---------------------------------------------------------------------------------------------
def test_fraud_without_augmentation_changes_nothing_and_smote_raises_recall():
    none = check_contract(guide_cases.fraud(augmentation="none"))
    assert none["recall_before"] == none["recall_after"] and none["auc_before"] == none["auc_after"]
    for seed in (0, 1):
        smote = check_contract(guide_cases.fraud(augmentation="smote", per_100=50, seed=seed))
        assert smote["recall_after"] > smote["recall_before"]


def test_augmenting_reaches_the_requested_ratio():
    rng = np.random.default_rng(0)
    train = guide_cases.transactions(3000, 0.015, rng)
    for how in ("smote", "copula"):
        out = guide_cases.augment(train, how, 25, np.random.default_rng(1))
        counts = np.bincount(out["fraud"].values.astype(int))
        yes = out["fraud"].categories.index("yes")
        assert counts[yes] / counts[1 - yes] == pytest.approx(0.25, abs=0.002)


def test_cohort_uses_the_real_breast_cancer_table():
    v = check_contract(guide_cases.cohort())
    assert "284 real patients" in guide_cases.cohort()["summary"]
    assert 0.9 < v["trtr"] <= 1.0 and 0 <= v["dcr_share"] <= 1


def test_domain_randomisation_helps_under_shifted_conditions():
    for seed in (0, 1):
        fixed = check_contract(guide_cases.robot(conditions="fixed", seed=seed))
        rand = check_contract(guide_cases.robot(conditions="randomised", seed=seed))
        assert rand["acc_deployed"] > fixed["acc_deployed"] + 0.05
        assert fixed["acc_nominal"] > 0.95


# ---------------------------------------------------------------------------------------------
# chapters 9-11
# ---------------------------------------------------------------------------------------------
def test_boost_repeats_exactly_the_rare_rows():
    rng = np.random.default_rng(0)
    t = guide_failures.coded_records(2000, rng)
    boosted = guide_failures.boost_rare(t, 4)
    before = np.bincount(t["code"].values.astype(int), minlength=30)
    after = np.bincount(boosted["code"].values.astype(int), minlength=30)
    rare = before / t.n_rows < guide_failures.RARE_BELOW
    assert np.array_equal(after[rare], 4 * before[rare]) and np.array_equal(after[~rare], before[~rare])


def test_rare_recall_and_tv_match_a_direct_count():
    from synthlearn.metrics.fidelity import tv_complement

    v = check_contract(guide_failures.long_tail(method="bayesian_network"))
    assert v["rare_recall"] == 1.0 and v["common_recall"] == 1.0
    rng = np.random.default_rng(0)
    a, b = guide_failures.coded_records(2000, rng)["code"], guide_failures.coded_records(2000, rng)["code"]
    p = np.bincount(a.values.astype(int), minlength=30) / 2000
    q = np.bincount(b.values.astype(int), minlength=30) / 2000
    assert 1 - tv_complement(a, b) == pytest.approx(0.5 * np.abs(p - q).sum(), abs=1e-12)


def test_constraints_before_and_after():
    rng = np.random.default_rng(0)
    real = guide_failures.hospital_stays(500, rng)
    assert np.all(real["admission"].values <= real["discharge"].values)
    v = check_contract(guide_failures.constraints(method="independent"))
    assert v["before"] > 0.3 and v["after"] == 0.0


def test_compute_reports_positive_times_for_every_shape():
    r = guide_compute.run(method="independent", sizes="medium")
    v = check_contract(r)
    assert v["fit_small"] > 0 and v["fit_large"] > 0
    assert [row[0] for row in r["tables"][0]["rows"]] == ["500 × 4", "4,000 × 4", "500 × 16", "4,000 × 16"]
    assert r["tables"][0]["rows"][-1][3] == f"{4000 * 16 * 8 / 1024:.0f} KiB"


@pytest.mark.parametrize("species", guide_misconceptions.SPECIES)
def test_conditional_rows_meet_the_condition(species):
    r = guide_frontiers.conditional(species=species)
    v = check_contract(r)
    assert all(row[2] == "100.0%" for row in r["tables"][0]["rows"])
    real = load("penguins")
    assert 0 < v["acceptance"] < 1
    share = np.mean(real["species"].values == real["species"].categories.index(species))
    assert abs(v["acceptance"] - share) < 0.15


def test_fairness_gap_matches_a_direct_count_and_independence_erases_it():
    rng = np.random.default_rng(3)
    t = guide_frontiers.loans(4000, rng)
    a, b = guide_frontiers.approval_gap(t)
    g = np.array(t["group"].categories)[t["group"].values.astype(int)]
    ok = np.array(t["approved"].categories)[t["approved"].values.astype(int)] == "yes"
    assert a == pytest.approx(ok[g == "A"].mean()) and b == pytest.approx(ok[g == "B"].mean())
    v = check_contract(guide_frontiers.fairness(method="independent"))
    assert v["real_gap"] > 0.2 and abs(v["synthetic_gap"]) < 0.06


# ---------------------------------------------------------------------------------------------
# the pages
# ---------------------------------------------------------------------------------------------
def blocks(text: str, kind: str) -> list[dict]:
    return [yaml.safe_load(b) for b in re.findall(rf"```{kind}\n(.*?)```", text, flags=re.S)]


def test_every_chapter_has_learning_goals_a_quiz_sources_and_links():
    nav = (ROOT / "mkdocs.yml").read_text()
    for i, name in enumerate(CHAPTERS):
        text = (GUIDE / f"{name}.md").read_text()
        assert "**What you will learn:**" in text, name
        assert blocks(text, "synthlab-quiz"), name
        assert "## Sources" in text, name
        assert f"guide/{name}.md" in nav
        if i + 1 < len(CHAPTERS):
            assert f"({CHAPTERS[i + 1]}.md)" in text, name


def test_every_guide_demo_is_on_a_page_and_the_guide_has_enough_of_them():
    functions = []
    for name in CHAPTERS:
        functions += [b["function"] for b in blocks((GUIDE / f"{name}.md").read_text(), "synthlab-demo")]
    assert len(functions) >= 10
    for fn in DEMOS.values():
        assert f"{fn.__module__}.{fn.__name__}" in functions
    for f in functions:
        module, attr = f.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), attr))


def test_no_page_links_to_the_old_guide_package_pages():
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text()
        assert not re.search(r"guide/(datasets|cli)\.md", text), page
    assert (ROOT / "docs" / "lab" / "cli.md").exists() and (ROOT / "docs" / "lab" / "datasets.md").exists()


# ---------------------------------------------------------------------------------------------
# the notebooks: built from the tested scripts
# ---------------------------------------------------------------------------------------------
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
notebooks = importlib.import_module("notebooks")


@pytest.mark.parametrize("script", notebooks.NOTEBOOKS)
def test_each_notebook_is_its_script_and_the_script_runs(script, capsys):
    source = (EXAMPLES / script).read_text()
    nb = json.loads(notebooks.notebook_bytes(script))
    assert nb["nbformat"] == 4
    code = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]
    body = source.split('"""', 2)[2]  # the script after its docstring
    assert [block.strip("\n") for block in body.split("# %%") if block.strip()] == code
    assert "\n".join(code).replace("\n", "") == body.replace("# %%", "").replace("\n", "")
    assert nb["cells"][0]["cell_type"] == "markdown"
    runpy.run_path(str(EXAMPLES / script), run_name="__main__")
    out = capsys.readouterr().out
    assert out.strip()


def test_a_single_class_synthetic_label_scores_as_a_constant_prediction():
    rng = np.random.default_rng(0)
    train, holdout = guide_common.load_split("penguins", rng)
    col = train["species"]
    one = train.like({c.name: (np.zeros(train.n_rows) if c.name == "species" else c.values) for c in train.columns})
    s = guide_common.tstr_scores(train, one, holdout, "species", rng)
    assert s["tstr"] == pytest.approx(np.mean(holdout["species"].values == 0))
    assert col.categories[0] == "Adelie" and s["trtr"] > 0.95
