"""A real run of ``synthlearn synthesize``, captured: the transcript on the Command line page.

The page's transcript is not typed in: this function writes a small run config as JSON (the bundled
penguins table, a report as JSON; JSON because the browser has no PyYAML) into a temporary folder, runs the command line's ``main``
in-process exactly as ``synthlearn synthesize --config run.json`` would, and returns what it
printed on the error stream, line by line, with its exit code. At build time the page shows
the build machine's run; in the browser, Run repeats it in your tab.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile

from .._rng import SEED_MAX
from ._result import choice, metric, number

METHODS = ("gaussian_copula", "bayesian_network", "independent", "dp_mst")


def config(method: str, seed: int) -> dict:
    """The run config of the transcript."""
    return {"data": "penguins", "method": method, "n": 300, "seed": seed, "holdout_share": 0.2,
            "output": "penguins_synthetic.csv", "report": "penguins_report.json",
            "evaluation": {"label": "species"}}


def transcript(method: str = "gaussian_copula", seed: int = 7) -> tuple[int, list[str], str]:
    """Run ``synthlearn synthesize --config run.json`` in a temporary folder; (exit code, stderr lines, config)."""
    from ..app.cli import main

    text = json.dumps(config(method, seed), indent=2)  # JSON: the browser has no PyYAML
    err = io.StringIO()
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "run.json"), "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            os.chdir(folder)
            with contextlib.redirect_stderr(err):
                code = main(["synthesize", "--config", "run.json"])
        finally:
            os.chdir(here)
    return code, [line for line in err.getvalue().splitlines() if line.strip()], text


def run(method: str = "gaussian_copula", seed: int = 7) -> dict:
    """The transcript of a real command-line run, as a table of lines."""
    choice("method", method, METHODS)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    code, lines, text = transcript(method, seed)
    rows = [["$ synthlearn synthesize --config run.json"]] + [[line] for line in lines]
    return {"summary": f"Exit code {code}; {len(lines)} lines on the error stream (the CSV went to a file).",
            "metrics": [metric("exit_code", "Exit code", code, ".0f", "0 = done, 2 = a mistake in the input.")],
            "tables": [{"caption": f"What the command printed. run.json: data penguins, method {method}, n 300, "
                                   f"seed {seed}, holdout_share 0.2, a report as JSON, label species.",
                        "columns": ["Error stream"], "rows": rows}],
            "notes": []}
