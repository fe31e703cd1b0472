"""One run: read the data, keep a seeded holdout aside, fit the method, sample rows (with
constraints), and evaluate them. The command line and the Generator page both call this.

One seed drives everything: ``numpy.random.SeedSequence(seed).spawn(4)`` gives the streams
named in :data:`SEED_STREAMS` — the holdout split, the fit, the sample and the report, in
that order — so the same config gives the same rows and the same report.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import numpy as np

from ..errors import InputError
from ..table import Table
from ..validation import jsonable
from .config import REPORT_FORMATS, ConfigError, name_of, validate_config
from .data import check_columns, load_data

__all__ = ["DEFAULT_HOLDOUT_SHARE", "SEED_STREAMS", "Progress", "Run", "evaluate_run", "run", "run_config"]

#: The named random streams of a run, in the order they are spawned from the seed.
SEED_STREAMS = ("split", "fit", "sample", "report")
#: Share of real rows kept out of training when a report is asked for and no share is given.
DEFAULT_HOLDOUT_SHARE = 0.2

#: ``progress(text, seconds)``: called with None when a step starts and its duration when it ends.
Progress = Callable[[str, "float | None"], None]


@dataclass
class Run:
    """What a run made: the split, the synthetic rows, the fitted synthesizer, the seeds and facts."""

    config: dict                       # the normalised config
    train: Table                       # the rows the synthesizer learned from
    holdout: Table | None              # real rows kept out of training (None without a holdout)
    synthetic: Table
    synthesizer: Any                   # the fitted synthesizer
    seeds: dict[str, np.random.SeedSequence]
    label: str | None                  # the column the utility checks predict
    info: dict = field(default_factory=dict)   # JSON-able facts (see :func:`run_config`)

    def rng(self, stream: str) -> np.random.Generator:
        """A fresh generator on one of the named :data:`SEED_STREAMS`."""
        return np.random.default_rng(self.seeds[stream])


@contextmanager
def _step(progress: Progress | None, text: str, timings: dict, key: str) -> Iterator[None]:
    if progress is not None:
        progress(text, None)
    start = time.perf_counter()
    yield
    timings[key] = time.perf_counter() - start
    if progress is not None:
        progress(text, timings[key])


def _holdout_share(cfg: dict) -> float:
    if cfg["holdout_share"] is not None:
        return cfg["holdout_share"]
    return DEFAULT_HOLDOUT_SHARE if cfg["report"] else 0.0


def _label(cfg: dict, data_info: dict) -> str | None:
    ev = cfg["evaluation"]
    return ev["label"] if "label" in ev else data_info["label"]


def _check_columns(cfg: dict, train: Table, label: str | None, names: Mapping[str, str] | None) -> None:
    """Constraints, label and quasi-identifiers must name columns of the data (before fitting)."""
    from ..constraints import parse_constraint

    for text in cfg["constraints"]:
        try:
            parse_constraint(text, train).check_satisfiable(train)
        except InputError as exc:
            raise ConfigError(f"{name_of('constraints', names)}: {exc}", column=exc.column,
                              key="constraints") from None
    if cfg["report"]:
        check_columns(train, [label] if label is not None else [], "evaluation.label", names)
        check_columns(train, cfg["evaluation"]["quasi_identifiers"], "evaluation.quasi_identifiers", names)


def _sample(synth, n: int, constraints: list[str], rng: np.random.Generator, progress: Progress | None,
            timings: dict) -> tuple[Table, dict | None]:
    from ..constraints import sample_with_constraints

    if not constraints:
        with _step(progress, f"sampling {n:,} rows", timings, "sample"):
            return synth.sample(n, rng=rng), None
    k = len(constraints)
    with _step(progress, f"sampling {n:,} rows with {k} constraint{'s' if k > 1 else ''}", timings, "sample"):
        return sample_with_constraints(synth, n, constraints, rng=rng)


def run(config: dict, *, table: Table | None = None, progress: Progress | None = None,
        names: Mapping[str, str] | None = None) -> Run:
    """Run a config up to the synthetic rows (no evaluation): see :func:`run_config`.

    ``names`` words the config keys in messages (see :func:`validate_config`)."""
    from .. import __version__
    from ..synthesizers import METHODS, make_synthesizer

    cfg = validate_config(config, names=names)
    start = time.perf_counter()
    timings: dict[str, float] = {}
    seq = np.random.SeedSequence(cfg["seed"])
    seeds = dict(zip(SEED_STREAMS, seq.spawn(len(SEED_STREAMS))))
    with _step(progress if table is None else None, f"reading {cfg['data']}", timings, "load"):
        data, data_info = load_data(cfg, table, names)
    share = _holdout_share(cfg)
    if share > 0:
        train, holdout = data.split(share, np.random.default_rng(seeds["split"]))
    else:
        train, holdout = data, None
    label = _label(cfg, data_info)
    _check_columns(cfg, train, label, names)

    method = cfg["method"]
    synth = make_synthesizer(method, **cfg["params"])
    with _step(progress, f"fitting {method} on {train.n_rows:,} rows x {train.n_cols} columns", timings, "fit"):
        synth.fit(train, rng=np.random.default_rng(seeds["fit"]))
    n = cfg["n"] if cfg["n"] is not None else train.n_rows
    synthetic, constraint_report = _sample(synth, n, cfg["constraints"], np.random.default_rng(seeds["sample"]),
                                           progress, timings)
    timings["total"] = time.perf_counter() - start
    info = {
        "synthlearn": __version__, "config": cfg, "method": method, "title": METHODS[method]["title"],
        "params": synth.get_params(), "seed": int(seq.entropy), "n": int(synthetic.n_rows), "data": data_info,
        "train_rows": int(train.n_rows), "holdout_rows": 0 if holdout is None else int(holdout.n_rows),
        "label": label, "timings": timings, "constraints": constraint_report,
        "privacy": synth.privacy_report() if hasattr(synth, "privacy_report") else None, "report": None,
    }
    return Run(config=cfg, train=train, holdout=holdout, synthetic=synthetic, synthesizer=synth, seeds=seeds,
               label=label, info=info)


def wants_figures(cfg: dict) -> bool:
    """Whether a run's report draws figures: as asked, else only for an HTML report."""
    figures = cfg["evaluation"]["figures"]
    if figures is not None:
        return figures
    return cfg["report"] is True or REPORT_FORMATS[Path(cfg["report"]).suffix.lower()] == "html"


def evaluate_run(run_: Run, *, figures: bool = False, progress: Progress | None = None):
    """The evaluation report of a run: its synthetic rows against its training rows and holdout,
    with the config's label, quasi-identifiers and targets, on the run's ``report`` stream.
    Both front ends call this; returns a :class:`~synthlearn.report.Report`."""
    from ..report import evaluate

    ev = run_.config["evaluation"]
    train, holdout, synthetic = run_.train, run_.holdout, run_.synthetic
    extra = f", holdout {holdout.n_rows:,} rows" if holdout is not None else ""
    timings = run_.info["timings"]
    with _step(progress, f"evaluating {synthetic.n_rows:,} synthetic rows against {train.n_rows:,} real" + extra,
               timings, "evaluate"):
        return evaluate(train, synthetic, holdout=holdout, label=run_.label,
                        quasi_identifiers=ev["quasi_identifiers"] or None, targets=ev["targets"] or None,
                        rng=run_.rng("report"), figures=figures)


def run_config(config: dict, *, table: Table | None = None,
               progress: Progress | None = None) -> tuple[Table, dict]:
    """Run a run config: read the data, fit the method, sample ``n`` rows (with constraints),
    and evaluate them when ``report`` is set.

    Returns the synthetic table and a JSON-able ``info`` dict: the normalised config, the
    seed used, data facts, training/holdout sizes, ``timings`` in seconds, the constraint
    report, the method's privacy report (``dp_mst``), and with a report ``report`` — the
    :meth:`~synthlearn.report.Report.to_dict` of the evaluation. Nothing is written to disk.

    ``table`` replaces reading ``config["data"]`` (the browser passes its table; ``kinds`` is
    then not applied, ``exclude`` is). ``progress(text, seconds)`` is called with ``None``
    when a step starts and with its duration when it ends. The seed streams are
    :data:`SEED_STREAMS`, so the same config gives the same rows.
    """
    start = time.perf_counter()
    made = run(config, table=table, progress=progress)
    if made.config["report"]:
        figures = wants_figures(made.config)
        made.info["report"] = evaluate_run(made, figures=figures, progress=progress).to_dict(figures=figures)
    made.info["timings"]["total"] = time.perf_counter() - start
    return made.synthetic, jsonable(made.info)
