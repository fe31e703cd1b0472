"""Quiz questions: one grader for static and generated multiple-choice questions.

A question is a plain dict with ``id``, ``question``, ``options`` (list of strings),
``answer`` (0-based index) and ``explanation``; it may carry ``tables`` in the demo
result format. Static questions come from a ```` ```synthlab-quiz ```` block; generated
ones from a function ``f(seed) -> dict`` such as :func:`ks_question`, so every learner
gets fresh numbers that the same Python code grades.
"""

from __future__ import annotations

import numpy as np

from ._rng import as_generator
from .errors import InputError
from .stats import ks_statistic

LETTERS = "ABCDEFGH"


def grade(question: dict, choice: int) -> dict:
    """Grade ``choice`` (0-based option index) against ``question``.

    Returns ``{"correct": bool, "answer": int, "feedback": str, "explanation": str}``. The
    feedback is short — "Correct." or the right option when the choice was wrong — because the
    page shows the explanation right below it; repeating it there made readers read it twice.
    """
    options = question.get("options") if isinstance(question, dict) else None
    if not isinstance(options, (list, tuple)) or len(options) < 2:
        raise InputError("A quiz question needs a list of at least two options.")
    answer = question.get("answer")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)) or not 0 <= answer < len(options):
        raise InputError(f"The question's answer must be an option number from 0 to {len(options) - 1}, "
                         f"not {answer!r}.")
    if isinstance(choice, bool) or not isinstance(choice, (int, np.integer)):
        raise InputError(f"Choose one option by its number (0 to {len(options) - 1}), not {choice!r}.")
    if not 0 <= choice < len(options):
        raise InputError(f"There is no option {choice}; choose a number from 0 to {len(options) - 1}.")
    answer = int(answer)
    correct = int(choice) == answer
    explanation = str(question.get("explanation", "")).strip()
    if correct:
        feedback = "Correct."
    else:
        right = str(options[answer]).strip()
        end = "" if right.endswith((".", "!", "?", "…")) else "."  # no "risk.”." doubled full stop
        feedback = f"Not quite: the answer is “{right}”{end}"
    return {"correct": bool(correct), "answer": answer, "feedback": feedback, "explanation": explanation}


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= 2**32 - 1:
        raise InputError(f"The question seed must be a whole number from 0 to {2**32 - 1}, not {seed!r}.")
    return int(seed)


def _ks_gap(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float, float]:
    """KS distance and where it happens: (D, x, ECDF_a(x), ECDF_b(x))."""
    a, b = np.sort(a), np.sort(b)
    grid = np.concatenate([a, b])
    fa = np.searchsorted(a, grid, side="right") / a.size
    fb = np.searchsorted(b, grid, side="right") / b.size
    i = int(np.argmax(np.abs(fa - fb)))
    return float(abs(fa[i] - fb[i])), float(grid[i]), float(fa[i]), float(fb[i])


def ks_question(seed: int = 0) -> dict:
    """Which of three small samples has the largest KS distance to a reference sample?

    Values are whole numbers so the empirical CDFs can be counted by hand; the KS
    distances (computed with :func:`synthlearn.stats.ks_statistic`) are multiples of
    1/10 and the largest one is unique, so exactly one option is right.
    """
    seed = _check_seed(seed)
    rng = as_generator(seed)
    n = 10
    for _ in range(200):
        reference = np.round(rng.normal(50, 10, n))
        # three synthetic candidates: a shifted one, a too-narrow or too-wide one, a close one
        samples = [
            np.round(rng.normal(50 + rng.choice([-1, 1]) * rng.uniform(4, 14), 10, n)),
            np.round(rng.normal(50, 10 * rng.choice([0.35, 2.2]), n)),
            np.round(rng.normal(50, 10, n)),
        ]
        order = rng.permutation(3)
        samples = [samples[i] for i in order]
        distances = [ks_statistic(reference, s) for s in samples]
        ranked = sorted(distances)
        if ranked[-1] - ranked[-2] >= 0.099:  # a clear winner (steps are 0.1)
            break
    else:  # pragma: no cover - 200 draws without a clear winner does not happen in practice
        raise RuntimeError("could not draw a KS question with a unique answer")
    answer = int(np.argmax(distances))
    d, x, f_ref, f_ans = _ks_gap(reference, samples[answer])

    def fmt(v: np.ndarray) -> str:
        return ", ".join(str(int(t)) for t in np.sort(v))

    rows = [["Reference (real)", fmt(reference)]]
    rows += [[f"Sample {LETTERS[i]}", fmt(s)] for i, s in enumerate(samples)]
    listing = "; ".join(f"{LETTERS[i]}: {dist:.1f}" for i, dist in enumerate(distances))
    explanation = (
        f"The KS distance is the largest vertical gap between two empirical CDFs. Here the distances to "
        f"the reference are {listing}. For sample {LETTERS[answer]} the gap is largest at x = {x:g}: "
        f"{round(f_ref * n)} of the {n} reference values are ≤ {x:g} (ECDF {f_ref:.1f}) but "
        f"{round(f_ans * n)} of sample {LETTERS[answer]}'s are (ECDF {f_ans:.1f}), a gap of {d:.1f}."
    )
    return {
        "id": f"ks-question-{seed}",
        "question": ("Each row lists ten sorted values. Which synthetic sample has the largest "
                     "Kolmogorov–Smirnov (KS) distance to the reference sample?"),
        "options": [f"Sample {LETTERS[i]}" for i in range(3)],
        "answer": answer,
        "explanation": explanation,
        "tables": [{"caption": "Reference and candidate samples (values sorted)",
                    "columns": ["Sample", "Values"], "rows": rows}],
    }


def dcr_question(seed: int = 0) -> dict:
    """Which synthetic row sits closest to a real record (smallest distance to closest record)?

    Points have whole-number coordinates; distances are Euclidean, and the smallest one is
    unique by a clear margin.
    """
    seed = _check_seed(seed)
    rng = as_generator(seed)
    for _ in range(200):
        real = rng.integers(0, 21, size=(6, 2)).astype(float)
        synthetic = rng.integers(0, 21, size=(3, 2)).astype(float)
        # one candidate is a near-copy of a real row, as a memorising generator would produce
        k = int(rng.integers(0, 3))
        synthetic[k] = real[int(rng.integers(0, 6))] + rng.integers(-1, 2, size=2)
        d = np.sqrt(((synthetic[:, None, :] - real[None, :, :]) ** 2).sum(axis=-1))
        dcr = d.min(axis=1)
        ranked = np.sort(dcr)
        if ranked[1] - ranked[0] >= 1.0:
            break
    else:  # pragma: no cover
        raise RuntimeError("could not draw a DCR question with a unique answer")
    answer = int(np.argmin(dcr))
    nearest = int(np.argmin(d[answer]))
    real_rows = [[f"R{i + 1}", f"{int(p[0])}", f"{int(p[1])}"] for i, p in enumerate(real)]
    syn_rows = [[LETTERS[i], f"{int(p[0])}", f"{int(p[1])}"] for i, p in enumerate(synthetic)]
    listing = "; ".join(f"{LETTERS[i]}: {v:.2f}" for i, v in enumerate(dcr))
    explanation = (
        f"A row's distance to closest record (DCR) is its distance to the nearest real row. "
        f"Here the DCRs are {listing}. Synthetic row {LETTERS[answer]} is {dcr[answer]:.2f} away from real row "
        f"R{nearest + 1}: a near-copy like this is what a privacy check looks for."
    )
    return {
        "id": f"dcr-question-{seed}",
        "question": ("Which synthetic row has the smallest distance to closest record (Euclidean distance "
                     "to the nearest real row)?"),
        "options": [f"Synthetic row {LETTERS[i]}" for i in range(3)],
        "answer": answer,
        "explanation": explanation,
        "tables": [
            {"caption": "Real rows", "columns": ["Row", "x", "y"], "rows": real_rows},
            {"caption": "Synthetic rows", "columns": ["Row", "x", "y"],
             "rows": [[{"text": r[0], "mark": "generated"}, r[1], r[2]] for r in syn_rows]},
        ],
    }
