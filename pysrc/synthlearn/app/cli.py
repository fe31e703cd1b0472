"""The ``synthlearn`` command: synthesize from a run config, evaluate a synthetic CSV, list
the bundled datasets and the methods.

    synthlearn synthesize --config run.yaml [--out synthetic.csv] [--report report.html]
    synthlearn evaluate --real real.csv --synthetic synthetic.csv [--holdout holdout.csv]
                        [--label income] [--format json|markdown|html] [--out report.html]
    synthlearn datasets [--json]
    synthlearn methods [--json]

Progress goes to stderr (``-q`` silences it). A mistake of the user's — a bad config, a
missing file, an impossible parameter — is one line on stderr and exit code 2; anything else
is a bug and shows its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable, Sequence, TextIO

from ..errors import InputError
from ..pipeline import REPORT_FORMATS, ConfigError, load_config, load_table, run_config, validate_config

__all__ = ["build_parser", "main"]

EXIT_USER_ERROR = 2


class _Progress:
    """Prints ``text… 0.8 s`` lines to a stream, or nothing when quiet."""

    def __init__(self, stream: TextIO, quiet: bool):
        self.stream = stream
        self.quiet = quiet
        self.open = False

    def __call__(self, text: str, seconds: float | None) -> None:
        if self.quiet:
            return
        if seconds is None:
            self.stream.write(f"{text}… ")
            self.open = True
        else:
            self.stream.write(f"{seconds:.1f} s\n")
            self.open = False
        self.stream.flush()

    def say(self, text: str) -> None:
        if not self.quiet:
            self.close()
            self.stream.write(text + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.open = False


# ----------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------
def _format_for(path: str | None, explicit: str | None) -> str:
    if explicit:
        return explicit
    if path and path != "-":
        fmt = REPORT_FORMATS.get(Path(path).suffix.lower())
        if fmt is None:
            raise InputError(f"Cannot tell the report format from '{path}': end it in .html, .md or .json, "
                             "or pass --format.")
        return fmt
    return "markdown"


def _write_text(path: str | None, text: str, what: str) -> None:
    """Write ``text`` to ``path`` ('-' or None: stdout), as UTF-8, line endings untouched."""
    if path in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    p = Path(path)
    if p.is_dir():
        raise InputError(f"The {what} path '{p}' is a folder: give a file name.")
    if not p.parent.exists():
        raise InputError(f"Cannot write the {what} to '{p}': the folder '{p.parent}' does not exist.")
    try:
        with open(p, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        raise InputError(f"Cannot write the {what} to '{p}': {exc.strerror or exc}.") from None


def _render(report, fmt: str) -> str:
    if fmt == "html":
        return report.to_html()
    if fmt == "json":
        return report.to_json(indent=2) + "\n"
    return report.to_markdown()


def _summary(report_dict: dict) -> str:
    """One line: overall quality with its floor and ceiling, and the pass/fail counts."""
    fid = report_dict["scores"]["fidelity"]
    base = report_dict["baselines"]
    parts = [f"overall quality {fid['overall']:.3f}" if fid.get("overall") is not None else "overall quality —"]
    floor = base.get("independent_marginals", {}).get("overall")
    ceiling = base.get("real_holdout", {}).get("overall")
    refs = []
    if floor is not None:
        refs.append(f"independent marginals {floor:.3f}")
    if ceiling is not None:
        refs.append(f"real holdout {ceiling:.3f}")
    if refs:
        parts[0] += f" ({', '.join(refs)})"
    statuses = [r["status"] for r in report_dict["rows"]]
    parts.append(f"{statuses.count('pass')} checks pass, {statuses.count('fail')} fail")
    return "; ".join(parts)


def _read_table(source: str, what: str, kinds: dict | None = None):
    """A bundled dataset by name, or a CSV file, with ``kinds`` for the columns it shares:
    the table, its default label and the reading's warnings."""
    table, facts = load_table(source, kinds, what=what, strict=False)
    return table, facts["label"], facts["warnings"]


# ----------------------------------------------------------------------------------------
# subcommands
# ----------------------------------------------------------------------------------------
def _cmd_synthesize(args: argparse.Namespace, progress: _Progress) -> int:
    from ..csvio import FORMULA_NOTE, formula_cells, write_csv

    cfg = load_config(args.config)
    if args.n is not None:
        cfg["n"] = args.n
    if args.seed is not None:
        cfg["seed"] = args.seed
    if args.report is not None:
        cfg["report"] = validate_config({**cfg, "report": args.report})["report"]
    if args.no_report:
        cfg["report"] = None
    output = args.out if args.out is not None else cfg["output"]
    data_path = Path(cfg["data"])
    for path in (output, cfg["report"]):
        if isinstance(path, str) and path != "-" and data_path.exists() and Path(path).exists() \
                and Path(path).resolve() == data_path.resolve():
            raise InputError(f"The output '{path}' is the data file itself: choose another path.")
    # check the destinations before the work, not after it
    for path, what in ((output, "synthetic data"), (cfg["report"] if isinstance(cfg["report"], str) else None,
                                                     "report")):
        if path not in (None, "-") and not Path(path).parent.exists():
            raise InputError(f"Cannot write the {what} to '{path}': the folder '{Path(path).parent}' does not exist.")
    table, info = run_config(cfg, progress=progress)
    for warning in info["data"]["warnings"]:
        progress.say(f"warning: {warning}")
    if info["constraints"] and info["constraints"]["gave_up"]:
        progress.say(f"warning: {info['constraints']['message']}")
    if info["privacy"] and info["privacy"].get("warning"):
        progress.say(f"warning: {info['privacy']['warning']}")
    start = time.perf_counter()
    _write_text(output, write_csv(table, neutralise_formulas=args.neutralise_formulas), "synthetic data")
    if args.neutralise_formulas and formula_cells(table):
        progress.say(f"note: {formula_cells(table):,} cells: {FORMULA_NOTE} (--keep-formulas writes them as they are)")
    if output not in (None, "-"):
        progress.say(f"wrote {table.n_rows:,} rows x {table.n_cols} columns to {output} "
                     f"({time.perf_counter() - start:.1f} s)")
    if info["report"] is not None:
        from ..report import Report

        rep = Report.from_dict(info["report"])
        if isinstance(cfg["report"], str):
            fmt = REPORT_FORMATS[Path(cfg["report"]).suffix.lower()]
            _write_text(cfg["report"], _render(rep, fmt), "report")
            progress.say(f"report: {_summary(info['report'])} -> {cfg['report']}")
        else:
            progress.say(f"report: {_summary(info['report'])}")
    if args.info:
        _write_text(args.info, json.dumps({k: v for k, v in info.items() if k != "report"}, indent=2,
                                          ensure_ascii=False) + "\n", "run info")
    progress.say(f"done in {info['timings']['total']:.1f} s (seed {info['seed']})")
    return 0


def _cmd_evaluate(args: argparse.Namespace, progress: _Progress) -> int:
    import numpy as np

    from ..report import evaluate

    fmt = _format_for(args.out, args.format)
    timings: dict = {}
    start = time.perf_counter()
    progress(f"reading {args.real}", None)
    real, default_label, warnings = _read_table(args.real, "real")
    kinds = {c.name: c.kind for c in real.columns}
    synthetic, _, w2 = _read_table(args.synthetic, "synthetic", kinds)
    holdout = None
    if args.holdout:
        holdout, _, w3 = _read_table(args.holdout, "holdout", kinds)
        warnings += w3
    timings["read"] = time.perf_counter() - start
    progress(f"reading {args.real}", timings["read"])
    excluded = [c.strip() for c in args.exclude.split(",") if c.strip()] if args.exclude else []
    for col in excluded:
        if col not in real:
            raise InputError(f"--exclude names a column '{col}' that is not in the real table "
                             f"(columns: {', '.join(real.names)}).")
    real = real.drop(excluded)
    if holdout is not None:
        holdout = holdout.drop([c for c in excluded if c in holdout])
    synthetic = synthetic.drop([c for c in excluded if c in synthetic])
    lacking = [c for c in real.names if c not in synthetic]
    if lacking and len(lacking) < real.n_cols:
        raise InputError(f"The synthetic table lacks {', '.join(repr(c) for c in lacking)} of the real table: "
                         f"pass --exclude {','.join(lacking)} to leave them out of the comparison.")
    label = None if args.no_label else (args.label or default_label)
    qi = [c.strip() for c in args.quasi_identifiers.split(",") if c.strip()] if args.quasi_identifiers else None
    figures = fmt == "html" if args.figures is None else args.figures
    text = f"evaluating {synthetic.n_rows:,} synthetic rows against {real.n_rows:,} real"
    if holdout is not None:
        text += f", holdout {holdout.n_rows:,} rows"
    progress(text, None)
    start = time.perf_counter()
    report = evaluate(real, synthetic, holdout=holdout, label=label, quasi_identifiers=qi,
                      rng=np.random.default_rng(args.seed), figures=figures)
    progress(text, time.perf_counter() - start)
    for warning in warnings + w2:
        progress.say(f"warning: {warning}")
    _write_text(args.out, _render(report, fmt), "report")
    progress.say(f"report: {_summary(report.to_dict(figures=False))}"
                 + (f" -> {args.out}" if args.out not in (None, "-") else ""))
    return 0


def _print_listing(items: list[dict], as_json: bool, lines_of: Callable[[dict], list[str]]) -> int:
    """Print a listing (``datasets``, ``methods``): the items as JSON, or each item's text lines
    followed by a blank line."""
    if as_json:
        sys.stdout.write(json.dumps(items, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n".join(line for item in items for line in [*lines_of(item), ""]))
    return 0


def _dataset_lines(d: dict) -> list[str]:
    """A bundled dataset's lines in ``synthlearn datasets``."""
    return [f"{d['name']:<14} {d['rows']:>7,} rows x {d['columns']:>2} columns   label {d['label']:<10} "
            f"licence {d['licence']}",
            f"{'':<14} {d['title']}",
            f"{'':<14} source: {d['source']}"]


def _method_lines(m: dict) -> list[str]:
    """A method's lines in ``synthlearn methods``: its title, description and parameters."""
    lines = [f"{m['key']}: {m['title']}", f"    {m['description']}"]
    for p in m["params"]:
        rng = []
        if p["choices"]:
            rng.append("one of " + ", ".join(map(str, p["choices"])))
        if p["min"] is not None:
            rng.append(f"{'>' if p['min_exclusive'] else '>='} {p['min']:g}")
        if p["max"] is not None:
            rng.append(f"{'<' if p['max_exclusive'] else '<='} {p['max']:g}")
        extra = f" ({'; '.join(rng)})" if rng else ""
        lines.append(f"    params.{p['name']} = {p['default']!r}{extra}: {p['help']}")
    return lines


def _cmd_datasets(args: argparse.Namespace, progress: _Progress) -> int:
    from ..datasets import list_datasets

    return _print_listing(list_datasets(), args.json, _dataset_lines)


def _cmd_methods(args: argparse.Namespace, progress: _Progress) -> int:
    from ..synthesizers import describe_methods

    return _print_listing(describe_methods(), args.json, _method_lines)


def _cmd_audit(args: argparse.Namespace, progress: _Progress) -> int:
    from ..privacy_audit import audit_mst

    progress.say(f"auditing dp_mst at epsilon={args.epsilon:g}, delta={args.delta:g}: {args.runs} fits with and "
                 "without a canary row ...")
    res = audit_mst(epsilon=args.epsilon, delta=args.delta, runs=args.runs, rng=args.seed)
    if args.json:
        sys.stdout.write(json.dumps(res.to_dict(), indent=2) + "\n")
        return 0
    verdict = "VIOLATED: the implementation leaks more than it claims" if res.violation else \
        "consistent with the claim (an audit can refute a claim, never prove it)"
    sys.stdout.write(f"stated epsilon {res.epsilon:g} (delta {res.delta:g}); audited lower bound {res.epsilon_lower:.3f} "
                     f"(no-assumption bound {res.epsilon_lower_generic:.3f}; TPR {res.tpr:.3f}, FPR {res.fpr:.3f}, "
                     f"{res.confidence:.0%} confidence): {verdict}\n")
    return 0


# ----------------------------------------------------------------------------------------
# parser
# ----------------------------------------------------------------------------------------
def _whole_number(minimum: int, words: str) -> Callable[[str], int]:
    """An argparse ``type``: a whole number of at least ``minimum`` (``words`` says so in the error)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {words}, not {value}")
        return value
    return parse


_positive_int = _whole_number(1, "at least 1")
_seed = _whole_number(0, "zero or positive")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``synthlearn`` command (one subparser per subcommand)."""
    from .. import __version__

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="print no progress (errors only)")

    parser = argparse.ArgumentParser(prog="synthlearn",
                                     description="Make and evaluate synthetic tables with synthlearn.",
                     epilog="Run 'synthlearn COMMAND --help' for the options of a command.")
    parser.add_argument("--version", action="version", version=f"synthlearn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("synthesize", parents=[common], help="make a synthetic CSV from a run config",
                       description="Read the data a run config names, fit its method and write the synthetic "
                                   "rows as CSV. The same config and seed give the same file, byte for byte.",
                       epilog="Config keys: data, kinds, exclude, method, params, n, seed, holdout_share, "
                              "constraints, output, report, evaluation. See the example configs in "
                              "pysrc/examples/configs/ and the guide page 'Command line'.")
    p.add_argument("--config", "-c", required=True, metavar="RUN.yaml", help="the run config (YAML or JSON)")
    p.add_argument("--out", "-o", metavar="FILE.csv",
                   help="where to write the CSV ('-' for stdout; default: the config's 'output', else stdout)")
    p.add_argument("--report", metavar="FILE.html",
                   help="also evaluate the rows and write a report (.html, .md or .json); the synthesizer then "
                        "learns from the training rows only (see holdout_share)")
    p.add_argument("--no-report", action="store_true", help="make no report, even if the config names one")
    p.add_argument("--n", type=_positive_int, metavar="ROWS", help="number of rows (overrides the config's 'n')")
    p.add_argument("--seed", type=_seed, help="seed (overrides the config's 'seed')")
    p.add_argument("--neutralise-formulas", dest="neutralise_formulas", action="store_true", default=True,
                   help="prefix text cells starting with = + - @ with ' so spreadsheets do not run them as "
                        "formulas (CSV injection; the default, as on the page)")
    p.add_argument("--keep-formulas", dest="neutralise_formulas", action="store_false",
                   help="write text cells exactly as generated, even those a spreadsheet would run as formulas")
    p.add_argument("--info", metavar="FILE.json", help="write the run info (timings, sizes, seed, constraint and "
                                                       "privacy reports) as JSON")
    p.set_defaults(func=_cmd_synthesize)

    p = sub.add_parser("evaluate", parents=[common], help="evaluate a synthetic CSV against the real one",
                       description="Compare a synthetic table with the real table it was made from: fidelity, "
                                   "detection, utility and privacy checks with targets and baselines.")
    p.add_argument("--real", required=True, metavar="REAL.csv",
                   help="the real (training) table: a CSV file or a bundled dataset name")
    p.add_argument("--synthetic", required=True, metavar="SYN.csv", help="the synthetic table (CSV)")
    p.add_argument("--holdout", metavar="HOLDOUT.csv",
                   help="real rows NOT used for training: enables the holdout privacy checks and a clean utility test")
    p.add_argument("--label", help="categorical column a model should predict (utility checks; default: a "
                                   "bundled dataset's label)")
    p.add_argument("--no-label", action="store_true", help="skip the utility checks")
    p.add_argument("--exclude", metavar="COL,COL", help="comma-separated real columns to leave out (those the "
                                                        "run config excluded)")
    p.add_argument("--quasi-identifiers", metavar="COL,COL", help="comma-separated columns for k-anonymity")
    p.add_argument("--format", choices=("json", "markdown", "html"),
                   help="report format (default: from the --out extension, else markdown)")
    p.add_argument("--out", "-o", metavar="FILE", help="where to write the report (default: stdout)")
    p.add_argument("--figures", action=argparse.BooleanOptionalAction, default=None,
                   help="draw figures (default: only for HTML)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the report's subsamples (default 0)")
    p.set_defaults(func=_cmd_evaluate)

    listings = {
        "datasets": (_cmd_datasets, "list the bundled datasets",
                     "List the real tables bundled with synthlearn: rows, columns, label, source "
                     "and licence. Use a name as 'data:' in a run config."),
        "methods": (_cmd_methods, "list the synthesizers and their parameters",
                    "List the methods a run config can name and their parameters (the 'params:' "
                    "mapping), with defaults and allowed values."),
    }
    for name, (func, summary, description) in listings.items():
        p = sub.add_parser(name, parents=[common], help=summary, description=description)
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
        p.set_defaults(func=func)

    p = sub.add_parser("audit", parents=[common], help="audit the differential privacy of dp_mst empirically",
                       description="Fit dp_mst many times with and without a canary row, attack the releases and "
                                   "report a lower bound on its real epsilon (synthlearn.privacy_audit).")
    p.add_argument("--epsilon", type=float, default=1.0, help="the stated epsilon to audit (default 1)")
    p.add_argument("--delta", type=float, default=1e-9, help="the stated delta (default 1e-9)")
    p.add_argument("--runs", type=_positive_int, default=400, help="fits per side (default 400)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the runs (default 0)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=_cmd_audit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    0 on success; 2 for a user error (one line on stderr, no traceback) and for bad
    arguments (argparse's usage message).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (code 2)
        return int(exc.code or 0)
    progress = _Progress(sys.stderr, args.quiet)
    try:
        return args.func(args, progress)
    except (InputError, ConfigError) as exc:
        progress.close()
        sys.stderr.write(f"synthlearn {args.command}: error: {exc}\n")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        progress.close()
        sys.stderr.write("synthlearn: interrupted\n")
        return 130
    except BrokenPipeError:  # e.g. `synthlearn synthesize ... | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
