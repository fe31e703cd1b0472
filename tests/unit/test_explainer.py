"""Explainer, FAQ, framework, problem set (issue 13): the demos, the graders, the worked-solution
quiz fields, and the corrections whose claims can be checked by code."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from synthlearn.app.studio import LIMITS, epsilon_reading
from synthlearn.demos import bank_design, cli_transcript, cohort_validation, compute_cost, nearest_real, privacy_claims
from synthlearn.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
import demoblocks  # noqa: E402


def metrics(result: dict) -> dict:
    return {m["key"]: m["value"] for m in result["metrics"]}


def blocks(page: str, kind: str) -> list[dict]:
    _, found = demoblocks.replace_blocks((DOCS / page).read_text(encoding="utf-8"), lambda spec: None, page)
    return [b for b in found if b["kind"] == kind]


# -- nearest real row ---------------------------------------------------------------------------
def test_copula_rows_are_not_copies_but_the_tiny_bandwidth_kde_memorises():
    honest = metrics(nearest_real.run(model="gaussian_copula"))
    overfit = metrics(nearest_real.run(model="kde_overfit"))
    assert honest["median_synthetic"] >= honest["median_holdout"]
    assert honest["too_close"] < 0.2
    assert overfit["too_close"] > 0.9 and overfit["median_synthetic"] < 0.1 * overfit["median_holdout"]


def test_nearest_real_table_shows_the_true_nearest_row_and_distance():
    result = nearest_real.run(rows=4, seed=3)
    shown = result["shown_distances"]
    rng = np.random.default_rng(3)
    train, _ = nearest_real.split(nearest_real.real_table("penguins"), rng)
    distances = [float(r[-1]) for r in result["tables"][0]["rows"][::2]]
    assert np.allclose(distances, shown, atol=5e-4)
    assert all(d > 0 for d in shown) and len(shown) == 4
    assert nearest_real.run(rows=4, seed=3)["summary"] == result["summary"]  # same seed, same result


def test_nearest_real_rejects_bad_input():
    with pytest.raises(InputError):
        nearest_real.run(model="gan")
    with pytest.raises(InputError):
        nearest_real.run(rows=0)


# -- compute cost -------------------------------------------------------------------------------
def test_wide_table_is_the_benchmark_recipe():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from engine import numeric_table

    ours, theirs = compute_cost.wide_table(), numeric_table()
    assert (ours.n_rows, ours.n_cols) == (10_000, 100)
    assert np.array_equal(ours.matrix(), theirs.matrix())


def test_compute_cost_times_each_method_on_each_table():
    result = compute_cost.run(tables="adult", methods="core")
    values = metrics(result)
    assert set(values) == {f"adult_{m}" for m in compute_cost.METHOD_SETS["core"]}
    assert all(0 < v < 60 for v in values.values())
    assert len(result["tables"][0]["rows"]) == 3
    with pytest.raises(InputError):
        compute_cost.run(methods="gpu")


# -- problem 2 ------------------------------------------------------------------------------------
def test_privacy_claims_graded_right_and_wrong_and_unanswered_not_revealed():
    assert privacy_claims.run()["tables"] == []
    graded = privacy_claims.grade_claims({"inherent": "true", "dp_process": "true", "kanon_synth": "false"})
    verdict = {g["key"]: g["correct"] for g in graded}
    assert verdict == {"inherent": False, "dp_process": True, "kanon_synth": True}
    assert "Stadler" in graded[0]["feedback"]
    assert privacy_claims.run(masking="false")["summary"].startswith("1 of 1")
    with pytest.raises(InputError):
        privacy_claims.run(masking="maybe")


# -- problem 3 ------------------------------------------------------------------------------------
def test_simulated_transactions_match_the_page_text():
    table = bank_design.make_transactions(bank_design.N_ROWS, 0)
    fraud = table["fraud"].values.mean()
    assert 0.03 <= fraud <= 0.05                        # "about 4 % fraud"
    assert 0.95 <= 1 - fraud <= 0.97                    # "a model that never flags fraud is 96 % accurate"


def parts(result: dict) -> dict:
    return {row[0]: row[1]["text"] == "pass" for row in result["tables"][0]["rows"]}


def test_bank_design_grades_the_claims_of_the_worked_solution():
    copula = parts(bank_design.run("gaussian_copula", check_recall=True, check_privacy=True))
    assert all(copula.values())
    assert not parts(bank_design.run("independent"))["Fraud recall survives"]
    assert not parts(bank_design.run("kde_overfit"))["Privacy checks pass"]
    assert not parts(bank_design.run("dp_mst", epsilon=0.1))["Fraud recall survives"]
    assert parts(bank_design.run("dp_mst", epsilon=10.0))["Fraud recall survives"]


def test_bank_design_feedback_on_the_chosen_checks():
    only_accuracy = bank_design.run(check_accuracy=True, check_recall=False, check_privacy=False)
    rows = {row[0]: row for row in only_accuracy["tables"][0]["rows"]}
    assert "Accuracy alone hides the rare class" in rows["You check the rare class"][2]
    assert "not private by construction" in rows["You check privacy against a holdout"][2]
    assert metrics(only_accuracy)["score"] == 2


# -- problem 4 ------------------------------------------------------------------------------------
def test_each_planted_flaw_is_caught_by_the_checks_the_solution_names():
    result = cohort_validation.run(shapes=True, correlations=True, subgroup=True, tstr=True, copies=True, dcr=True)
    rows = {row[0][0]: [c["text"].endswith("pass") for c in row[1:]] for row in result["tables"][0]["rows"]}
    keys = list(cohort_validation.CHECKS)
    passes = {v: dict(zip(keys, rows[v])) for v in rows}
    assert all(passes["A"].values())
    assert [k for k, ok in passes["B"].items() if not ok] == ["dcr"]      # copies do not catch it
    assert passes["C"]["shapes"] and not passes["C"]["correlations"] and not passes["C"]["tstr"]
    assert not passes["D"]["subgroup"] and not passes["D"]["tstr"]
    assert metrics(result)["caught"] == 3


def test_default_checks_miss_flaws_and_say_so():
    result = cohort_validation.run()
    assert metrics(result)["caught"] < 3
    assert any("none of your checks" in n for n in result["notes"])
    assert cohort_validation.run(shapes=False, copies=False)["tables"] == []


# -- the command-line transcript ------------------------------------------------------------------
def test_cli_transcript_is_a_real_run_and_reproducible():
    code, lines, text = cli_transcript.transcript("gaussian_copula", 7)
    assert code == 0 and '"data": "penguins"' in text
    report = [l for l in lines if l.startswith("report: overall quality")]
    assert len(report) == 1
    again = cli_transcript.transcript("gaussian_copula", 7)[1]
    assert [l for l in again if l.startswith("report:")] == report


# -- worked-solution quiz fields ------------------------------------------------------------------
def test_problem_set_has_five_problems_with_worked_solutions():
    quizzes = blocks("course/problems.md", "quiz")
    assert len(quizzes) == 5
    for q in quizzes:
        for key in ("solution", "definitions", "rules", "tips", "mistakes"):
            assert q.get(key), (q["id"], key)
    demos = {b["function"] for b in blocks("course/problems.md", "demo")}
    assert demos == {"synthlearn.demos.privacy_claims.run", "synthlearn.demos.bank_design.run",
                     "synthlearn.demos.cohort_validation.run"}


def test_worked_solution_rendered_after_an_attempt_and_without_javascript():
    spec = demoblocks.parse_quiz("id: q\nquestion: Q?\noptions: [a, b]\nanswer: 0\nexplanation: E.\n"
                                 "solution: Step **one**.\nmistakes: [a slip]\n")
    html = demoblocks.render_quiz(spec)
    hidden = html.split('<div class="sl-quiz__explanation" hidden>')[1].split("<noscript>")[0]
    noscript = html.split("<noscript>")[1]
    for part in (hidden, noscript):
        assert "<summary>Worked solution</summary>" in part and "<strong>one</strong>" in part
        assert "Common mistakes" in part and "<li>a slip</li>" in part
    assert "\n" not in html
    with pytest.raises(demoblocks.BlockError):
        demoblocks.parse_quiz("id: q\nquestion: Q?\noptions: [a, b]\nanswer: 0\nexplanation: E.\ntips: just one\n")


# -- pages ------------------------------------------------------------------------------------------
def test_faq_has_at_least_twelve_anchored_questions():
    text = (DOCS / "faq.md").read_text(encoding="utf-8")
    questions = re.findall(r"^## (.+?) \{#([a-z0-9-]+)\}$", text, flags=re.M)
    assert len(questions) >= 12
    assert len({anchor for _, anchor in questions}) == len(questions)
    for anchor in ("fake", "leak", "when", "tools", "anonymisation", "compute", "legal", "bias",
                   "degradation", "epsilon"):
        assert anchor in {a for _, a in questions}
    assert "10 minutes" not in text and "2–4 hours" not in text


def test_framework_diagram_is_accessible_and_follows_the_theme():
    text = (DOCS / "framework.md").read_text(encoding="utf-8")
    svg = text[text.index("<svg"):text.index("</svg>")]
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg and "aria-labelledby" in svg
    assert "currentColor" in svg and "#000" not in svg and "#fff" not in svg.lower()


# -- corrections ------------------------------------------------------------------------------------
def all_pages() -> dict[str, str]:
    return {str(p.relative_to(DOCS)): p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md")}


def test_file_limits_are_stated_once_and_match_the_code():
    mb = LIMITS["max_file_bytes"] // 2**20
    generator = (DOCS / "generator.md").read_text(encoding="utf-8")
    assert (f"up to {mb} MB, {LIMITS['max_rows']:,} rows and {LIMITS['max_cells']:,} cells" in generator)
    assert f"{LIMITS['max_synthetic_rows']:,} synthetic records" in generator
    for name, text in all_pages().items():
        if name != "generator.md":
            assert not re.search(r"\b\d+ MB, [\d,]+ rows", text), name


def test_no_page_calls_synthetic_data_private_by_construction():
    for name, text in all_pages().items():
        for sentence in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", text)):
            if "private by construction" in sentence.lower():
                assert re.search(r"\b(not|no|myth|false|isn't|is NOT)\b", sentence, flags=re.I), (name, sentence)


def test_epsilon_wording_is_sourced_and_says_delta():
    for eps in (0.5, 1.0, 2.0, 10.0):
        assert "official statistics" not in epsilon_reading(eps)
        assert "δ" in epsilon_reading(eps)
    generator = (DOCS / "generator.md").read_text(encoding="utf-8")
    assert "(ε, δ)" in generator


def test_audited_sentences_are_corrected():
    pages = all_pages()
    evaluation = pages["course/evaluation.md"]
    assert "absolute differences" in evaluation
    dcr_row = next(l for l in evaluation.splitlines() if l.startswith("| Privacy | distance to closest record"))
    assert "DCROverfittingProtection" in dcr_row and "mostlyai-qa" in dcr_row
    assert "Every lesson has live demos" not in pages["course/index.md"]
    assert not re.search(r"0\.80[0-9]|714 s|0\.889", pages["course/methods.md"])
    assert "most informative other column" not in pages["generator.md"]
    cli = pages["lab/cli.md"]
    assert "quality 0.890" not in cli and "synthlearn.demos.cli_transcript.run" in cli
