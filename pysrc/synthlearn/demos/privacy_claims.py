"""Problem 2: which techniques actually protect privacy? Six statements, each graded with a reason.

The reader marks each statement true or false (or leaves it); :func:`grade_claims` grades the
marked ones and explains each, right or wrong. Nothing is revealed for a statement left
unanswered, so the page can show the grader before the reader has tried.
"""

from __future__ import annotations

from ._result import choice, metric

ANSWERS = {"unanswered": "—", "true": "True", "false": "False"}
#: key -> (statement, is it true?, why)
CLAIMS = {
    "inherent": ("Synthetic data is private by construction, because its rows are not real people.", False,
                 "A generator can memorise its training rows, and linkage and inference attacks succeed against "
                 "synthetic data from common generators (Stadler, Oprisanu and Troncoso, 2022). Privacy must be "
                 "shown, not assumed."),
    "dp_process": ("Differential privacy is a property of the process that generates the data, not of the rows.",
                   True, "ε bounds how much any one person's row can change the chance of each possible output; you "
                   "cannot check it by looking at the output."),
    "kanon_synth": ("k-anonymity is a synthetic-data technique.", False,
                    "k-anonymity belongs to anonymisation: real records are generalised or suppressed until each "
                    "combination of quasi-identifiers is shared by at least k of them; nothing is generated."),
    "masking": ("Masking names and ID numbers makes a table anonymous.", False,
                "The remaining columns (postcode, birth date, sex…) can single people out and link them to other "
                "data; masking removes direct identifiers only."),
    "holdout": ("A synthetic row much closer to a training row than real new people are is a warning sign.",
                True, "That is what the distance-to-closest-record checks with a holdout look for: a model of the "
                "population should not sit closer to its training people than to people it never saw."),
    "checks_prove": ("Passing DCR and membership-inference checks proves that the synthetic data is private.",
                     False, "They test particular attacks on particular rows; only a differentially private "
                     "generator gives a guarantee, and only for the ε it was run with."),
}


def grade_claims(answers: dict[str, str]) -> list[dict]:
    """One dict per answered statement: key, statement, answer, correct, feedback."""
    out = []
    for key, (text, truth, why) in CLAIMS.items():
        answer = choice(key, answers.get(key, "unanswered"), ANSWERS)
        if answer == "unanswered":
            continue
        correct = (answer == "true") == truth
        verdict = "Right" if correct else "Not quite"
        out.append({"key": key, "statement": text, "answer": ANSWERS[answer], "correct": correct,
                    "feedback": f"{verdict}: it is {'true' if truth else 'false'}. {why}"})
    return out


def run(inherent: str = "unanswered", dp_process: str = "unanswered", kanon_synth: str = "unanswered",
        masking: str = "unanswered", holdout: str = "unanswered", checks_prove: str = "unanswered") -> dict:
    """Grade the statements the reader has marked."""
    graded = grade_claims({"inherent": inherent, "dp_process": dp_process, "kanon_synth": kanon_synth,
                           "masking": masking, "holdout": holdout, "checks_prove": checks_prove})
    right = sum(g["correct"] for g in graded)
    if not graded:
        return {"summary": "Mark each statement true or false; each one you mark is graded here with the reason.",
                "metrics": [], "tables": [], "notes": []}
    rows = [[g["statement"], g["answer"], {"text": g["feedback"], "mark": "kept" if g["correct"] else "flag"}]
            for g in graded]
    summary = f"{right} of {len(graded)} marked statements right ({len(CLAIMS) - len(graded)} left unmarked)."
    return {"summary": summary,
            "metrics": [metric("right", "Right answers", right, ".0f", "Statements marked correctly."),
                        metric("marked", "Marked", len(graded), ".0f", f"Of {len(CLAIMS)} statements.")],
            "tables": [{"caption": "Your answers, graded", "columns": ["Statement", "Your answer", "Feedback"],
                        "rows": rows}], "notes": []}
