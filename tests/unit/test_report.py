"""The evaluation report: contents, targets, serialisation and safe HTML."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from synthlearn import InputError, Table
from synthlearn.report import DEFAULT_TARGETS, Report, evaluate, report_figures

EVIL_COLUMN = '<img src=x onerror="alert(1)">'
EVIL_LABEL = "<script>alert('x')</script>"


def _population(rng: np.random.Generator, n: int, evil: bool = False) -> Table:
    age = rng.integers(18, 80, size=n).astype(float)
    hours = np.clip(rng.normal(40 - 0.2 * (age - 45), 8), 1, 99)
    job = np.where(age > 50, rng.choice(["manager", "retired"], size=n),
                   rng.choice(["clerk", "manager", "student"], size=n))
    if evil:
        job = np.where(job == "student", EVIL_LABEL, job)
    income = np.where(hours + 5 * (job == "manager") + rng.normal(0, 5, size=n) > 45, ">50K", "<=50K")
    hours[rng.random(n) < 0.03] = np.nan
    data = {"age": age, "hours": hours, "job": job.tolist(), "income": income.tolist()}
    if evil:
        data[EVIL_COLUMN] = rng.normal(size=n)
    return Table.from_arrays(data, kinds={"age": "integer"})


@pytest.fixture(scope="module")
def tables():
    rng = np.random.default_rng(0)
    return _population(rng, 800), _population(rng, 800), _population(rng, 800)


@pytest.fixture(scope="module")
def report(tables):
    real, synthetic, holdout = tables
    return evaluate(real, synthetic, holdout=holdout, label="income", quasi_identifiers=["age", "job"], rng=1,
                    figures=False)


def _without_timings(d: dict) -> dict:
    d = json.loads(json.dumps(d))
    d["meta"].pop("timings")
    return d


def test_rows_have_every_field_and_a_known_status(report):
    assert report.rows
    for row in report.rows:
        assert set(row) == {"group", "key", "metric", "score", "target", "status", "definition", "text"}
        assert row["status"] in ("pass", "fail", "info")
        assert row["definition"] and row["text"]
        if row["status"] == "info":
            assert row["target"] is None or row["score"] is None
    groups = {r["group"] for r in report.rows}
    assert groups == {"fidelity", "detection", "utility", "privacy"}


def test_draws_from_one_population_pass_the_main_checks(report):
    status = {r["key"]: r["status"] for r in report.rows}
    for key in ("fidelity.column_shapes", "fidelity.overall", "detection.auc", "privacy.dcr_share",
                "privacy.identical_match_rate", "privacy.membership_inference_auc",
                "utility.logistic_regression.accuracy_ratio"):
        assert status[key] == "pass", key
    assert report.scores["privacy"]["dcr_share_ideal"] == 0.5


def test_baselines_bracket_the_scores(report):
    floor = report.baselines["independent_marginals"]
    ceiling = report.baselines["real_holdout"]
    assert floor["column_shapes"] == 1.0                      # shuffling keeps every column exactly
    assert floor["pair_trends_strong"] < report.scores["fidelity"]["pair_trends_strong"]
    assert floor["pair_trends_strong"] < ceiling["pair_trends_strong"]       # the holdout is a fresh real draw
    assert report.scores["fidelity"]["js_distance_mean"] == pytest.approx(ceiling["js_distance_mean"], abs=0.03)


def test_a_copy_of_the_real_table_fails_privacy(tables):
    real, _, holdout = tables
    rep = evaluate(real, real, holdout=holdout, rng=0, figures=False)
    status = {r["key"]: r["status"] for r in rep.rows}
    assert status["privacy.identical_match_rate"] == "fail"
    assert status["privacy.dcr_share"] == "fail"
    assert status["privacy.membership_inference_auc"] == "fail"
    assert status["fidelity.overall"] == "pass"
    assert rep.scores["fidelity"]["overall"] == pytest.approx(1.0)


def test_without_holdout_or_label(tables):
    real, synthetic, _ = tables
    rep = evaluate(real, synthetic, rng=0, figures=False)
    keys = [r["key"] for r in rep.rows]
    assert not any(k.startswith("utility") for k in keys)
    assert "privacy.note" in keys and "privacy.dcr_share" not in keys
    assert "real_holdout" not in rep.baselines
    assert rep.scores["utility"] is None
    with_label = evaluate(real, synthetic, label="income", rng=0, figures=False)
    assert "utility.note" in [r["key"] for r in with_label.rows]


def test_json_round_trips(report):
    text = report.to_json()
    data = json.loads(text)
    assert data == report.to_dict()
    assert Report.from_json(text).to_dict() == report.to_dict()
    assert "NaN" not in text and "Infinity" not in text


def test_same_seed_same_report(tables, report):
    real, synthetic, holdout = tables
    again = evaluate(real, synthetic, holdout=holdout, label="income", quasi_identifiers=["age", "job"], rng=1,
                     figures=False)
    assert _without_timings(again.to_dict()) == _without_timings(report.to_dict())


def test_targets_can_be_changed(tables):
    real, synthetic, _ = tables
    rep = evaluate(real, synthetic, targets={"detection.auc": 0.4, "fidelity.column_shapes": (">=", 0.999)},
                   rng=0, figures=False)
    rows = {r["key"]: r for r in rep.rows}
    assert rows["detection.auc"]["status"] == "fail" and rows["detection.auc"]["target"] == "<= 0.4"
    assert rows["fidelity.column_shapes"]["status"] == "fail"
    with pytest.raises(InputError, match="Unknown target 'nope'"):
        evaluate(real, synthetic, targets={"nope": 1.0})
    assert all(len(v) == 3 and v[2] for v in DEFAULT_TARGETS.values())


def test_bad_input_is_explained(tables):
    real, synthetic, holdout = tables
    with pytest.raises(InputError, match="label 'salary' is not a column"):
        evaluate(real, synthetic, label="salary")
    with pytest.raises(InputError, match="'age' is integer; choose a categorical"):
        evaluate(real, synthetic, label="age")
    with pytest.raises(InputError, match="quasi-identifier 'zip'"):
        evaluate(real, synthetic, quasi_identifiers=["zip"])
    with pytest.raises(InputError, match="synthetic table must have the same columns.*lacks 'job'"):
        evaluate(real, synthetic.drop(["job"]))
    with pytest.raises(InputError, match="holdout table has no rows"):
        evaluate(real, synthetic, holdout=holdout.take(np.array([], dtype=int)))
    with pytest.raises(InputError, match="synthetic table has 5 rows"):
        evaluate(real, synthetic.take(np.arange(5)))
    one_class = synthetic.with_columns([synthetic["income"].with_values(np.zeros(synthetic.n_rows))])
    with pytest.raises(InputError, match="only one class .* synthetic table"):
        evaluate(real, one_class, holdout=holdout, label="income")


def test_html_is_self_contained_and_escaped():
    rng = np.random.default_rng(3)
    real, synthetic, holdout = (_population(rng, 600, evil=True) for _ in range(3))
    rep = evaluate(real, synthetic, holdout=holdout, label="income", rng=0, figures=True)
    page = rep.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<img src=x" not in page and "onerror=\"alert" not in page
    assert "<script" not in page.lower()
    assert html_escaped(EVIL_COLUMN) in page                   # the name is shown, escaped
    # every <img> is an inline data URI: no request leaves the page
    assert re.findall(r"<img [^>]*>", page)
    for tag in re.findall(r"<img [^>]*>", page):
        assert 'src="data:image/svg+xml;base64,' in tag
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert not re.search(r"@import|url\(", page)
    md = rep.to_markdown()
    assert "<img" not in md and "<script" not in md


def html_escaped(text: str) -> str:
    import html

    return html.escape(text)


def test_figures_are_svg_and_limited(tables):
    real, synthetic, _ = tables
    rep = evaluate(real, synthetic, rng=0, figures=True)
    assert 2 <= len(rep.figures) <= 9
    for f in rep.figures:
        assert f["svg"].startswith("<svg") and f["title"] and f["alt"]
    assert rep.figures[-1]["key"] == "association_difference"
    assert report_figures(real, synthetic) == rep.figures          # same figures without a full evaluation
    assert rep.to_dict(figures=False)["figures"] == []
