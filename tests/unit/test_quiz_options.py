"""The fixed quizzes must not give their answer away by its length (issue 10 item 13).

The rule, over every ```synthlab-quiz block with fixed options in docs/ (pages added later
included): the right option may be *much* longer than every wrong one — more than
``WIDE_MARGIN`` times the longest wrong option, in characters — in at most ``MAX_WIDE``
quizzes; and it may be the longest option at all in at most half of the quizzes, so that
"pick the longest" is no better a strategy than it should be.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

DOCS = Path(__file__).resolve().parents[2] / "docs"
WIDE_MARGIN = 1.2
MAX_WIDE = 2
BLOCK = re.compile(r"^```synthlab-quiz\n(.*?)^```", re.S | re.M)


def fixed_quizzes() -> list[tuple[str, dict]]:
    out = []
    for page in sorted(DOCS.rglob("*.md")):
        for body in BLOCK.findall(page.read_text(encoding="utf-8")):
            spec = yaml.safe_load(body)
            if isinstance(spec, dict) and "options" in spec:
                out.append((f"{page.relative_to(DOCS)}:{spec.get('id')}", spec))
    return out


def lengths(spec: dict) -> tuple[int, int]:
    """(length of the right option, length of the longest wrong option)."""
    opts = [str(o).strip() for o in spec["options"]]
    right = len(opts[spec["answer"]])
    return right, max(len(o) for i, o in enumerate(opts) if i != spec["answer"])


def test_the_right_option_is_not_systematically_the_longest():
    quizzes = fixed_quizzes()
    assert len(quizzes) >= 10  # the course's quizzes are all found
    wide = [name for name, spec in quizzes if lengths(spec)[0] > WIDE_MARGIN * lengths(spec)[1]]
    longest = [name for name, spec in quizzes if lengths(spec)[0] > lengths(spec)[1]]
    assert len(wide) <= MAX_WIDE, f"right option far longer than every wrong one in: {wide}"
    assert len(longest) <= len(quizzes) // 2, f"right option the longest in {len(longest)} of {len(quizzes)}: {longest}"


def test_the_rule_catches_a_giveaway():
    tell = {"options": ["No.", "Not at all.", "Yes, because the generator was trained with a formal guarantee."],
            "answer": 2}
    right, wrong = lengths(tell)
    assert right > WIDE_MARGIN * wrong


def test_every_seed_input_has_the_accepted_range_as_its_max():
    """Issue 10 item 16: a seed box said max 1,000,000 while the demos accept up to 2**32 - 1."""
    import importlib

    from synthlearn._rng import SEED_MAX
    from synthlearn.errors import InputError

    demo_block = re.compile(r"^```synthlab-demo\n(.*?)^```", re.S | re.M)
    seeds = []
    for page in sorted(DOCS.rglob("*.md")):
        for body in demo_block.findall(page.read_text(encoding="utf-8")):
            spec = yaml.safe_load(body)
            for control in spec.get("controls") or []:
                if control.get("name") == "seed":
                    seeds.append((page.name, spec["function"], control))
    assert len(seeds) >= 5
    for page, function, control in seeds:
        assert (control["min"], control["max"]) == (0, SEED_MAX), (page, control)
        module, name = function.rsplit(".", 1)
        run = getattr(importlib.import_module(module), name)
        with pytest.raises(InputError, match="from 0 to 4,294,967,295"):
            run(seed=SEED_MAX + 1)


def test_the_no_script_answer_has_no_doubled_full_stop():
    import sys

    sys.path.insert(0, str(DOCS.parent / "overrides" / "hooks"))
    import demoblocks

    md = """```synthlab-quiz
id: t-stop
question: Which?
options: [Wrong., Synthetic data is not private by construction.]
answer: 1
explanation: Because.
```"""
    html, _ = demoblocks.replace_blocks(md, lambda s: None, link=lambda t: "")
    assert "Answer: Synthetic data is not private by construction. Because." in html and ".." not in html
