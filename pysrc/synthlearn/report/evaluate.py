"""One evaluation report for a synthetic table: fidelity, detection, utility, privacy.

:func:`evaluate` runs the metrics of :mod:`synthlearn.metrics` and returns a :class:`Report`:

* ``scores`` — the summary numbers by family;
* ``rows`` — one row per check: ``{group, key, metric, score, target, status, definition, text}``
  with ``status`` "pass", "fail" or "info" (no target, or not computable);
* ``baselines`` — the same fidelity scores for an *independent-marginals* table (each real
  column shuffled on its own: perfect columns, no relations) and, with a holdout, for the
  *real holdout* (a fresh sample of real rows: the ceiling a synthesizer can hope for);
* ``figures`` — distribution overlays of the (up to 8) worst-matching columns and a heatmap
  of association differences, as SVG strings;
* ``to_dict`` / ``to_json`` / ``to_markdown`` / ``to_html`` (one self-contained page).

Default targets are in :data:`DEFAULT_TARGETS`, each with the reason for its value. They are
rules of thumb for teaching, not standards: pass ``targets={key: value}`` to change them.
"""

from __future__ import annotations

import base64
import html
import json
import time
from dataclasses import dataclass, field

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..metrics import _checks
from ..metrics.detection import detection
from ..metrics.fidelity import (association_difference, column_distances, independent_baseline, mmd, quality,
                               shared_histograms)
from ..metrics.privacy import privacy
from ..metrics.utility import tstr
from ..table import Table

#: key -> (comparison, value, why). For "identical_match_rate" and "dcr_share" the value is a
#: margin added to a reference measured on the data (holdout match rate; ideal share).
DEFAULT_TARGETS: dict[str, tuple[str, float, str]] = {
    "fidelity.column_shapes": (">=", 0.80, "Each column's distribution should be close to the real one; "
                               "independent marginals score 1.0 here, so this alone is a weak test."),
    "fidelity.pair_trends_strong": (">=", 0.75, "Pairs with a real trend should keep it (SDMetrics 0.32 pairs)."),
    "fidelity.overall": (">=", 0.80, "SDMetrics 0.32 overall quality."),
    "fidelity.beats_independent": (">=", 0.01, "Strong-pair trends must beat shuffling every column on its own "
                                   "by more than the noise of one shuffle (0.01), or the synthesizer learned no "
                                   "relation between columns."),
    "fidelity.missing_share_gap": ("<=", 0.05, "Missing values are data: their share per column should match "
                                   "within 5 percentage points."),
    "detection.auc": ("<=", 0.70, "A linear classifier should not separate synthetic from real rows well; "
                      "AUC 0.70 is SDMetrics' detection score 0.6."),
    "utility.accuracy_ratio": (">=", 0.90, "A model trained on synthetic rows should keep 90 % of the accuracy."),
    "utility.f1_macro_ratio": (">=", 0.80, "Macro F1 weighs the rare classes that accuracy hides."),
    "utility.roc_auc_ratio": (">=", 0.90, "Ranking quality of a model trained on synthetic rows."),
    "privacy.identical_match_rate": ("<=", 0.01, "Margin over the holdout's own match rate: real records "
                                     "collide by chance, synthetic ones should not copy more often."),
    "privacy.dcr_share": ("<=", 0.05, "Margin over the ideal share n_train / (n_train + n_holdout): synthetic "
                          "rows should not sit closer to the training rows than to fresh rows."),
    "privacy.membership_inference_auc": ("<=", 0.55, "The distance attack should be close to guessing (0.5)."),
}

FIGURE_COLUMNS = 8           # distribution overlays for at most this many columns (worst shapes first)
HEATMAP_LABELS = 40          # above this many columns the heatmap has no tick labels
UTILITY_TEST_SHARE = 0.25    # without a holdout, this share of the real table tests the learners
UTILITY_TRAIN_ROWS = 10_000  # learners train on at most this many rows (drawn at random; stated in the report)
DETECTION_ROWS = 5_000       # the detection classifier sees at most this many rows of each table
MIN_ROWS = 10                # real and synthetic tables need at least this many rows


@dataclass
class Report:
    """The result of :func:`evaluate`."""

    scores: dict
    rows: list[dict]
    baselines: dict
    figures: list[dict] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    # -- serialisation -----------------------------------------------------------------------
    def to_dict(self, *, figures: bool = True) -> dict:
        """Everything as JSON-able values (NaN becomes None); ``figures=False`` leaves the SVGs out."""
        return _checks.jsonable({"scores": self.scores, "rows": self.rows, "baselines": self.baselines,
                                 "figures": self.figures if figures else [], "details": self.details,
                                 "meta": self.meta})

    def to_json(self, *, figures: bool = True, indent: int | None = None) -> str:
        """The report as a JSON string (strict JSON: no NaN)."""
        return json.dumps(self.to_dict(figures=figures), indent=indent, allow_nan=False, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        """Rebuild a report from :meth:`to_dict` output."""
        try:
            return cls(scores=data["scores"], rows=data["rows"], baselines=data["baselines"],
                       figures=data.get("figures", []), details=data.get("details", {}), meta=data.get("meta", {}))
        except (KeyError, TypeError):
            raise InputError("This is not a synthlearn report: it lacks scores, rows or baselines.") from None

    @classmethod
    def from_json(cls, text: str) -> "Report":
        """Rebuild a report from :meth:`to_json` output."""
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(f"The report is not valid JSON ({exc.msg}, line {exc.lineno}).") from None

    def to_markdown(self) -> str:
        """Markdown tables of the checks and baselines (cell text escaped; no figures)."""
        out = ["# Synthetic data evaluation", "", _md_sizes(self.meta), "",
               "| group | metric | score | target | status |", "|---|---|---|---|---|"]
        for r in self.rows:
            out.append("| " + " | ".join(_md(x) for x in (r["group"], r["metric"], _fmt(r["score"]),
                                                             r["target"] or "", r["status"])) + " |")
        out += ["", "## Baselines", "", _md_baselines(self)]
        out += ["", "## Definitions", ""]
        for r in self.rows:
            out.append(f"- **{_md(r['metric'])}** — {_md(r['definition'])} {_md(r['text'])}")
        return "\n".join(out) + "\n"

    def to_html(self, *, title: str = "Synthetic data evaluation") -> str:
        """One self-contained HTML page: tables, definitions and figures (as data-URI images).

        Every piece of text from the data (column names, categories) is escaped with
        ``html.escape``; figures are embedded as ``<img>`` so their SVG cannot run scripts.
        The page makes no external request.
        """
        e = html.escape
        parts = [
            "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", "<main>",
            f"<h1>{e(title)}</h1>", f"<p>{e(_md_sizes(self.meta))}</p>",
            "<h2>Checks</h2>", '<table><thead><tr><th scope="col">Group</th><th scope="col">Metric</th>'
            '<th scope="col">Score</th><th scope="col">Target</th><th scope="col">Status</th>'
            '<th scope="col">What it means</th></tr></thead><tbody>']
        for r in self.rows:
            parts.append(
                f'<tr class="{e(r["status"])}"><td>{e(r["group"])}</td><td>{e(r["metric"])}</td>'
                f'<td class="num">{e(_fmt(r["score"]))}</td><td>{e(r["target"] or "")}</td>'
                f'<td><span class="badge {e(r["status"])}">{e(r["status"])}</span></td>'
                f'<td><details><summary>{e(r["text"])}</summary><p>{e(r["definition"])}</p></details></td></tr>')
        parts.append("</tbody></table>")
        parts.append("<h2>Baselines</h2>")
        parts.append(_html_baselines(self))
        if self.figures:
            parts.append("<h2>Figures</h2>")
            for f in self.figures:
                data = base64.b64encode(f["svg"].encode("utf-8")).decode("ascii")
                parts.append(f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{e(f["alt"])}">'
                             f'<figcaption>{e(f["title"])}</figcaption></figure>')
        parts.append("<h2>About this report</h2><ul>")
        for note in self.meta.get("notes", []):
            parts.append(f"<li>{e(note)}</li>")
        parts += ["</ul>", "</main>", "</body>", "</html>"]
        return "\n".join(parts) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1f;background:#fff;line-height:1.45}
main{max-width:72rem;margin:auto;padding:1rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.num{font-variant-numeric:tabular-nums;text-align:right}
.badge{padding:0 .4rem;border-radius:.3rem;font-weight:600}
.badge.pass{background:#d4edda;color:#0b4d1c}.badge.fail{background:#f8d7da;color:#6e0f17}
.badge.info{background:#e2e3e5;color:#1b1b1f}
figure{display:inline-block;margin:.5rem}img{max-width:100%;height:auto;background:#fff}
@media (prefers-color-scheme:dark){body{background:#1b1b1f;color:#ececf1}th,td{border-color:#555}}
"""


# --------------------------------------------------------------------------------------------
# formatting helpers
# --------------------------------------------------------------------------------------------
def _fmt(x: object) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return "—" if not np.isfinite(x) else f"{x:.3f}"
    return str(x)


def _md(text: object) -> str:
    """Markdown table cell text: HTML-escaped, pipes and line breaks neutralised."""
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")


def _md_sizes(meta: dict) -> str:
    s = meta.get("sizes", {})
    parts = [f"real {s.get('real')} rows", f"synthetic {s.get('synthetic')} rows"]
    if s.get("holdout") is not None:
        parts.append(f"holdout {s.get('holdout')} rows")
    t = meta.get("timings", {}).get("total")
    return ", ".join(parts) + (f"; evaluated in {t:.1f} s." if t is not None else ".")


_BASELINE_KEYS = (("column_shapes", "Column shapes"), ("pair_trends_strong", "Pair trends, strong pairs"),
                  ("pair_trends_all", "Pair trends, all pairs"), ("overall", "Overall (SDMetrics 0.32)"),
                  ("js_distance_mean", "Mean Jensen–Shannon distance"))


def _baseline_table(report: Report) -> tuple[list[str], list[list[str]]]:
    cols = ["independent_marginals", "synthetic"] + (["real_holdout"] if "real_holdout" in report.baselines else [])
    head = ["score", "independent marginals (floor)", "synthetic"] + (
        ["real holdout (ceiling)"] if "real_holdout" in report.baselines else [])
    body = []
    for key, label in _BASELINE_KEYS:
        row = [label]
        for c in cols:
            src = report.scores["fidelity"] if c == "synthetic" else report.baselines[c]
            row.append(_fmt(src.get(key)))
        body.append(row)
    return head, body


def _md_baselines(report: Report) -> str:
    head, body = _baseline_table(report)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def _html_baselines(report: Report) -> str:
    e = html.escape
    head, body = _baseline_table(report)
    out = ["<table><thead><tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in head) + "</tr></thead><tbody>"]
    for row in body:
        cells = "".join(f'<td class="num">{e(c)}</td>' for c in row[1:])
        out.append(f"<tr><td>{e(row[0])}</td>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# targets and rows
# --------------------------------------------------------------------------------------------
def _targets(user: dict | None) -> dict[str, tuple[str, float, str]]:
    out = dict(DEFAULT_TARGETS)
    for key, value in (user or {}).items():
        if key not in DEFAULT_TARGETS:
            raise InputError(f"Unknown target '{key}'; known targets: {', '.join(DEFAULT_TARGETS)}.")
        op, _, why = DEFAULT_TARGETS[key]
        if isinstance(value, (tuple, list)) and len(value) == 2 and value[0] in ("<=", ">=", "<", ">"):
            op, value = value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise InputError(f"The target for '{key}' must be a number, not {value!r}.")
        out[key] = (op, float(value), why + " (changed by the user)")
    return out


def _status(score: float | None, op: str, value: float) -> str:
    if score is None or not np.isfinite(score):
        return "info"
    ok = {"<=": score <= value, ">=": score >= value, "<": score < value, ">": score > value}[op]
    return "pass" if ok else "fail"


class _Rows:
    def __init__(self, targets: dict):
        self.targets = targets
        self.rows: list[dict] = []

    def add(self, group: str, key: str, metric: str, score: float | None, definition: str, text: str, *,
            target_key: str | None = None, reference: float = 0.0, target_text: str | None = None) -> None:
        score = None if score is None or not np.isfinite(score) else float(score)
        status, target = "info", None
        if target_key is not None:
            op, value, why = self.targets[target_key]
            threshold = reference + value
            status = _status(score, op, threshold)
            target = target_text or f"{op} {threshold:.3g}"
            text = f"{text} Target: {why}"
        self.rows.append({"group": group, "key": key, "metric": metric, "score": score, "target": target,
                          "status": status, "definition": definition, "text": text})


# --------------------------------------------------------------------------------------------
# evaluate
# --------------------------------------------------------------------------------------------
def _fidelity_summary(q, dist: list[dict]) -> dict:
    js = [d["js_distance"] for d in dist if d["js_distance"] is not None and np.isfinite(d["js_distance"])]
    return {"column_shapes": q.column_shapes, "pair_trends_all": q.pair_trends_all,
            "pair_trends_strong": q.pair_trends_strong, "overall": q.overall, "overall_all_pairs": q.overall_all_pairs,
            "n_pairs": q.n_pairs, "n_strong_pairs": q.n_strong_pairs,
            "js_distance_mean": float(np.mean(js)) if js else float("nan")}


def evaluate(real: Table, synthetic: Table, *, holdout: Table | None = None, label: str | None = None,
             quasi_identifiers: list[str] | None = None, targets: dict | None = None, rng=0,
             figures: bool = True) -> Report:
    """Evaluate ``synthetic`` against the ``real`` table it was trained on.

    ``holdout`` — real rows *not* used to train the synthesizer: enables the DCR share, the
    membership attack, the real-holdout ceiling and a clean utility test. ``label`` — a
    categorical column to predict (utility rows only then). ``quasi_identifiers`` — columns
    for k-anonymity. ``targets`` — overrides of :data:`DEFAULT_TARGETS`. ``rng`` seeds every
    subsample and shuffle (same seed, same report). ``figures`` — build the SVG figures.
    """
    start = time.perf_counter()
    timings: dict[str, float] = {}
    tg = _targets(targets)
    gen = as_generator(rng)
    seeds = gen.spawn(6)
    if isinstance(label, str):  # a 0/1 number column is a label: make it categorical in every table
        from ..csvio import label_as_category
        synthetic = label_as_category(synthetic, label, real)
        holdout = None if holdout is None else label_as_category(holdout, label, real)
        real = label_as_category(real, label)
    if holdout is None:
        real, synthetic = _checks.align(real, ("synthetic", synthetic))
    else:
        real, synthetic, holdout = _checks.align(real, ("synthetic", synthetic), ("holdout", holdout))
    for what, t in (("real", real), ("synthetic", synthetic)):
        if t.n_rows < MIN_ROWS:
            raise InputError(f"The {what} table has {t.n_rows} rows; the evaluation needs at least {MIN_ROWS}.")
    if label is not None:
        if not isinstance(label, str) or label not in real:
            raise InputError(f"The label {label!r} is not a column (columns: {', '.join(real.names)}).",
                             column=label if isinstance(label, str) else None)
        if not real[label].is_discrete:
            raise InputError(f"The label '{label}' is {real[label].kind}; choose a categorical or boolean column.",
                             column=label)
    if quasi_identifiers is not None:
        if isinstance(quasi_identifiers, str):
            quasi_identifiers = [quasi_identifiers]
        for c in quasi_identifiers:
            if c not in real:
                raise InputError(f"The quasi-identifier '{c}' is not a column (columns: {', '.join(real.names)}).",
                                 column=c)
    rows = _Rows(tg)
    notes: list[str] = []
    details: dict = {}

    # ---- fidelity ------------------------------------------------------------------------
    t = time.perf_counter()
    q = quality(real, synthetic)
    dist = column_distances(real, synthetic)
    mm = mmd(real, synthetic, rng=seeds[0])
    assoc = association_difference(real, synthetic)
    fid = _fidelity_summary(q, dist)
    nums = [d["wasserstein"] for d in dist if d["wasserstein"] is not None and np.isfinite(d["wasserstein"])]
    fid["wasserstein_mean"] = float(np.mean(nums)) if nums else float("nan")
    gaps = [abs(d["missing_real"] - d["missing_synthetic"]) for d in dist]
    fid["missing_share_gap"] = float(max(gaps))
    fid["mmd"] = mm["mmd"]
    details["quality"] = q.to_dict()
    details["column_distances"] = dist
    details["mmd"] = mm
    details["association"] = {"columns": assoc["columns"], "measure": assoc["measure"],
                              "real": assoc["real"], "synthetic": assoc["synthetic"], "difference": assoc["difference"]}
    timings["fidelity"] = time.perf_counter() - t

    t = time.perf_counter()
    indep = independent_baseline(real, rng=seeds[1])
    baselines = {"independent_marginals": _fidelity_summary(quality(real, indep), column_distances(real, indep))}
    if holdout is not None:
        baselines["real_holdout"] = _fidelity_summary(quality(real, holdout), column_distances(real, holdout))
    timings["baselines"] = time.perf_counter() - t
    floor = baselines["independent_marginals"]
    ceiling = baselines.get("real_holdout")

    def between(key: str) -> str:
        s = f" Independent marginals: {_fmt(floor[key])}"
        return s + (f"; real holdout: {_fmt(ceiling[key])}." if ceiling else ".")

    worst = min(q.columns, key=lambda c: c["score"] if np.isfinite(c["score"]) else 2.0)
    rows.add("fidelity", "fidelity.column_shapes", "Column shapes", q.column_shapes,
             "Mean over columns of KSComplement = 1 − KS statistic (numbers, datetimes) or TVComplement = "
             "1 − ½ Σ|f_syn − f_real| (categories), missing values dropped — SDMetrics 0.32.",
             f"1 = every column has the real distribution. Worst column: '{worst['column']}' "
             f"({_fmt(worst['score'])})." + between("column_shapes"), target_key="fidelity.column_shapes")
    strong_text = (f"{q.n_strong_pairs} of {q.n_pairs} pairs have a trend in the real data "
                   f"(|ρ| > {q.strong_correlation:g} or Cramér's V > {q.strong_association:g}).")
    rows.add("fidelity", "fidelity.pair_trends_strong", "Column pair trends (strong pairs)", q.pair_trends_strong,
             "Mean of CorrelationSimilarity = 1 − |ρ_real − ρ_syn|/2 (two numbers) or ContingencySimilarity = "
             "1 − ½ Σ|p_real − p_syn| (otherwise) over the pairs with a real trend — SDMetrics 0.32.",
             strong_text + between("pair_trends_strong"),
             target_key="fidelity.pair_trends_strong" if q.n_strong_pairs else None)
    rows.add("fidelity", "fidelity.pair_trends_all", "Column pair trends (all pairs)", q.pair_trends_all,
             "The same mean over every pair of columns (SDMetrics before 0.32).",
             "Pairs without a trend in the real data score near 1 for almost any synthesizer and inflate this "
             "mean; read it next to the strong-pairs score." + between("pair_trends_all"))
    rows.add("fidelity", "fidelity.overall", "Overall quality", q.overall,
             "Mean of column shapes and strong-pair trends (SDMetrics 0.32 QualityReport score).",
             f"With all pairs instead: {_fmt(q.overall_all_pairs)}." + between("overall"),
             target_key="fidelity.overall")
    if q.n_strong_pairs:
        rows.add("fidelity", "fidelity.beats_independent", "Strong trends beyond independent marginals",
                 q.pair_trends_strong - floor["pair_trends_strong"],
                 "Strong-pair trend score of the synthetic table minus that of the real table with every column "
                 "shuffled on its own.",
                 "Positive: the synthesizer kept relations between columns that shuffling destroys.",
                 target_key="fidelity.beats_independent")
    worst_gap = max(dist, key=lambda d: abs(d["missing_real"] - d["missing_synthetic"]))
    rows.add("fidelity", "fidelity.missing_share_gap", "Missing-value share gap", fid["missing_share_gap"],
             "Largest |missing share real − missing share synthetic| over the columns.",
             f"Column shapes ignore missing values; this does not. Largest gap: '{worst_gap['column']}'.",
             target_key="fidelity.missing_share_gap")
    worst_js = max(dist, key=lambda d: d["js_distance"] if d["js_distance"] is not None else -1)
    rows.add("fidelity", "fidelity.js_distance_mean", "Mean Jensen–Shannon distance", fid["js_distance_mean"],
             "Mean over columns of the Jensen–Shannon distance (base 2, 0..1) between histograms on shared bins "
             "(20 equal-width bins for numbers, one per category, plus one for missing values).",
             f"0 = same histograms. Largest: '{worst_js['column']}' ({_fmt(worst_js['js_distance'])})."
             + between("js_distance_mean"))
    rows.add("fidelity", "fidelity.wasserstein_mean", "Mean Wasserstein distance (numbers)", fid["wasserstein_mean"],
             "Mean over numeric columns of the Wasserstein-1 distance after dividing by the real column's range.",
             "0 = same distribution; 0.05 = the mass moves 5 % of the range on average. Missing values dropped.")
    rows.add("fidelity", "fidelity.mmd", "Maximum mean discrepancy", mm["mmd"],
             "√max(MMD²_u, 0), unbiased MMD² with an RBF kernel (median-distance bandwidth) on encoded rows "
             f"(one-hot categories, standardised numbers); {mm['rows_real']} real and {mm['rows_synthetic']} "
             "synthetic rows drawn at random.",
             "Compares whole rows, not column by column; 0 = same distribution.")

    # ---- detection -----------------------------------------------------------------------
    t = time.perf_counter()
    det = detection(real, synthetic, max_rows=DETECTION_ROWS, rng=seeds[2])
    details["detection"] = det.to_dict()
    timings["detection"] = time.perf_counter() - t
    det_size = f"{det.rows_real} real and {det.rows_synthetic} synthetic rows, {det.folds}-fold cross-validation"
    rows.add("detection", "detection.auc", "Detection ROC AUC (logistic regression)", det.auc,
             f"Mean ROC AUC of a logistic regression telling synthetic (1) from real (0) rows; {det_size}.",
             "0.5 = indistinguishable to this classifier; 1 = always told apart. A linear model sees only "
             "differences in means of the encoded columns, so a low AUC is no proof that a stronger model fails.",
             target_key="detection.auc")
    rows.add("detection", "detection.score", "Detection score (SDMetrics LogisticDetection)", det.detection_score,
             "1 − mean over folds of (max(0.5, AUC) · 2 − 1).", "1 = indistinguishable, 0 = always detected.")
    rows.add("detection", "detection.pmse", "Propensity MSE", det.pmse,
             "mean (p_i − c)², p_i the out-of-fold probability that row i is synthetic, c the synthetic share.",
             f"0 = indistinguishable; {det.pmse_max:.3g} = perfectly separated.")

    # ---- utility -------------------------------------------------------------------------
    util_scores = None
    if label is not None:
        t = time.perf_counter()
        if holdout is not None:
            train, test = real, holdout
            test_name = "the real holdout"
        else:
            perm = seeds[3].permutation(real.n_rows)
            n_test = max(int(round(UTILITY_TEST_SHARE * real.n_rows)), 1)
            train, test = real.take(np.sort(perm[n_test:])), real.take(np.sort(perm[:n_test]))
            test_name = f"{n_test} real rows set aside at random"
            rows.add("utility", "utility.note", "Test rows", None,
                     "Without a holdout the learners are tested on a random quarter of the real table.",
                     "Those rows helped train the synthesizer, so train-on-synthetic scores are optimistic; "
                     "pass a holdout for a clean test.")
        ut = tstr(train, synthetic, test, label, max_train_rows=UTILITY_TRAIN_ROWS, rng=seeds[3])
        details["utility"] = ut.to_dict()
        timings["utility"] = time.perf_counter() - t
        util_scores = {"label": label, "positive": ut.positive, "majority_accuracy": ut.majority_accuracy,
                       "learners": {}}
        for item in ut.learners:
            name = item["learner"]
            util_scores["learners"][name] = {"trtr": item["trtr"], "tstr": item["tstr"], "ratio": item["ratio"]}
            for metric, label_text in (("accuracy", "accuracy"), ("f1_macro", "macro F1"), ("roc_auc", "ROC AUC")):
                if item["trtr"][metric] is None:
                    continue
                extra = (f" A majority-class guess reaches accuracy {ut.majority_accuracy:.3f}."
                         if metric == "accuracy" else "")
                rows.add("utility", f"utility.{name}.{metric}_ratio", f"TSTR / TRTR {label_text} — {item['title']}",
                         item["ratio"].get(metric),
                         f"{label_text} of a model trained on synthetic rows divided by that of a model trained on "
                         f"real rows, both tested on {test_name}, predicting '{label}'; trained on "
                         f"{ut.rows['real_train']} real and {ut.rows['synthetic']} synthetic rows (at most "
                         f"{UTILITY_TRAIN_ROWS:,} each, drawn at random).",
                         f"TRTR {item['trtr'][metric]:.3f}, TSTR {item['tstr'][metric]:.3f}.{extra}",
                         target_key=f"utility.{metric}_ratio")

    # ---- privacy -------------------------------------------------------------------------
    t = time.perf_counter()
    pr = privacy(real, synthetic, holdout, quasi_identifiers=quasi_identifiers, rng=seeds[4])
    details["privacy"] = pr.to_dict()
    timings["privacy"] = time.perf_counter() - t
    priv_scores: dict = {}
    for m in pr.metrics:
        definition = f"{m['formula']}. Ideal: {m['ideal']}."
        text = m["cannot_prove"]
        key = f"privacy.{m['key']}"
        d = m["details"]
        if m["key"] == "identical_match_rate":
            priv_scores["identical_match_rate"] = m["value"]
            priv_scores["identical_match_rate_holdout"] = d["holdout_rate"]
            if d["holdout_rate"] is not None:
                rows.add("privacy", key, m["name"], m["value"], definition,
                         f"Holdout rows matching a training row: {d['holdout_rate']:.4f}. {text}",
                         target_key=key, reference=d["holdout_rate"])
            else:
                rows.add("privacy", key, m["name"], m["value"], definition,
                         f"No holdout to compare with. {text}")
        elif m["key"] == "dcr_share":
            priv_scores.update(dcr_share=m["value"], dcr_share_ideal=d["ideal"])
            rows.add("privacy", key, m["name"], m["value"], definition,
                     f"Ideal here {d['ideal']:.3f} ({pr.sizes['synthetic_queries']} synthetic rows searched against "
                     f"{pr.sizes['train']} training and {pr.sizes['holdout']} holdout rows). {text}",
                     target_key=key, reference=d["ideal"])
        elif m["key"] == "dcr_overfitting_protection":
            priv_scores["dcr_overfitting_protection"] = m["value"]
            rows.add("privacy", key, m["name"], m["value"], definition,
                     f"Size-adjusted: {d['size_adjusted']:.3f}. {text}")
        elif m["key"] == "nndr":
            priv_scores.update(nndr_median=d["median"], nndr_p05=d["p05"])
            ref = (f" Holdout rows: median {d['holdout_median']:.3f}, 5th percentile {d['holdout_p05']:.3f}."
                   if "holdout_median" in d else "")
            rows.add("privacy", key, m["name"] + " (median)", d["median"], definition,
                     f"5th percentile {d['p05']:.3f}.{ref} {text}")
        elif m["key"] == "membership_inference_auc":
            priv_scores["membership_inference_auc"] = m["value"]
            rows.add("privacy", key, m["name"], m["value"], definition,
                     f"{d['members']} members and {d['non_members']} non-members drawn at random, against all "
                     f"{pr.sizes['synthetic']} synthetic rows. {text}", target_key=key)
        elif m["key"] == "k_anonymity":
            syn, rl = d["synthetic"], d["real_train"]
            priv_scores.update(k_anonymity_min=syn["min_class_size"], k_anonymity_share_below_k=syn["share_below_k"])
            rows.add("privacy", key, m["name"], m["value"], definition,
                     f"Quasi-identifiers: {', '.join(d['columns'])}; {syn['share_below_k']:.1%} of synthetic rows "
                     "are in "
                     f"groups smaller than k = {syn['k']} (real training table: smallest group {rl['min_class_size']}, "
                     f"{rl['share_below_k']:.1%} below k). {text}")
    if holdout is None:
        rows.add("privacy", "privacy.note", "Holdout-based privacy metrics", None,
                 "The DCR share, the DCR overfitting protection and the membership attack compare training rows "
                 "with real rows that were not used for training.",
                 "No holdout was given, so they were not computed: keep some real rows out of training and pass them "
                 "as holdout.")
    notes += pr.notes

    # ---- figures -------------------------------------------------------------------------
    figs: list[dict] = []
    if figures:
        t = time.perf_counter()
        figs = _figures(real, synthetic, q, assoc)
        timings["figures"] = time.perf_counter() - t

    timings["total"] = time.perf_counter() - start
    notes += [
        "Column shapes and pair trends follow SDMetrics 0.32's QualityReport; strong pairs are those with "
        "|ρ_real| > 0.5 (two numbers) or Cramér's V > 0.3 (otherwise), as in SDMetrics 0.32.",
        "Privacy distances use one normalisation for all tables: ranges from the real training table.",
        "None of these metrics proves privacy; only a synthesizer trained with differential privacy gives a "
        "guarantee.",
    ]
    meta = {"sizes": {"real": real.n_rows, "synthetic": synthetic.n_rows,
                      "holdout": None if holdout is None else holdout.n_rows,
                      "mmd_rows": [mm["rows_real"], mm["rows_synthetic"]],
                      "detection_rows": [det.rows_real, det.rows_synthetic], "privacy": pr.sizes,
                      "utility": None if label is None else details["utility"]["rows"]},
            "label": label, "quasi_identifiers": list(quasi_identifiers or []),
            "targets": {k: {"op": v[0], "value": v[1], "why": v[2]} for k, v in tg.items()},
            "timings": timings, "notes": notes}
    scores = {"fidelity": fid, "detection": {"auc": det.auc, "detection_score": det.detection_score,
                                             "pmse": det.pmse}, "utility": util_scores, "privacy": priv_scores}
    return Report(scores=_checks.jsonable(scores), rows=_checks.jsonable(rows.rows),
                  baselines=_checks.jsonable(baselines), figures=figs, details=_checks.jsonable(details),
                  meta=_checks.jsonable(meta))


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
def report_figures(real: Table, synthetic: Table) -> list[dict]:
    """The report's figures alone — the same as ``evaluate(..., figures=True).figures``.

    For pages that show the numbers first (``figures=False``) and draw the figures later
    without running the whole evaluation again. Each item: ``{key, title, alt, svg}``.
    """
    real, synthetic = _checks.align(real, ("synthetic", synthetic))
    return _figures(real, synthetic, quality(real, synthetic), association_difference(real, synthetic))


def _figures(real: Table, synthetic: Table, q, assoc: dict) -> list[dict]:
    from ..plotting import FIG_FONT, PALETTE, figure_svg, fit_inside, new_figure

    out = []
    order = sorted(range(real.n_cols), key=lambda j: (q.columns[j]["score"] if np.isfinite(q.columns[j]["score"])
                                                      else 2.0, j))
    chosen = sorted(order[:FIGURE_COLUMNS])
    for j in chosen:
        rc, sc = real.columns[j], synthetic.columns[j]
        fig = new_figure(3.6, 2.6)
        fig.set_layout_engine("none")       # fixed margins: much faster than constrained layout
        bottom = 0.33 if rc.is_discrete else 0.14
        ax = fig.add_axes((0.15, bottom, 0.82, 0.85 - bottom - 0.02))
        r, s, labels = shared_histograms(rc, sc, bins=20)
        rp, sp = r / max(r.sum(), 1), s / max(s.sum(), 1)
        if rc.is_discrete:
            top = np.argsort(-(rp + sp), kind="stable")[:10]
            x = np.arange(top.size)
            ax.bar(x - 0.2, rp[top], width=0.4, color=PALETTE["real"], label="real")
            ax.bar(x + 0.2, sp[top], width=0.4, color=PALETTE["synthetic"], label="synthetic")
            ax.set_xticks(x, [_short(labels[i], 12) for i in top], rotation=45, ha="right", fontsize=FIG_FONT)
        else:
            nb = len(labels) - 1
            edges = np.arange(nb + 1)
            ax.stairs(rp[:nb], edges, color=PALETTE["real"], label="real", linewidth=1.6)
            ax.stairs(sp[:nb], edges, color=PALETTE["synthetic"], label="synthetic", linewidth=1.6, linestyle="--")
            both = np.concatenate([rc.values, sc.values])
            both = both[np.isfinite(both)]
            lo, hi = (rc.format_value(float(both.min())), rc.format_value(float(both.max()))) if both.size else ("", "")
            ax.set_xticks([0, nb], [lo, hi], fontsize=FIG_FONT)
        ax.set_ylabel("share", fontsize=FIG_FONT)
        ax.tick_params(labelsize=FIG_FONT)
        miss = f"missing {rp[-1]:.1%} / {sp[-1]:.1%}" if (rp[-1] or sp[-1]) else ""
        ax.set_title(f"{_short(rc.name, 24)}  (score {q.columns[j]['score']:.2f})\n{miss}".strip(), fontsize=FIG_FONT)
        ax.legend(fontsize=FIG_FONT, frameon=False)
        fit_inside(fig)  # long category labels and titles are not cut at the edges
        out.append({"key": f"column:{rc.name}", "title": f"Distribution of '{rc.name}': real vs synthetic",
                    "alt": f"Histogram of column {rc.name}, real and synthetic overlaid; shape score "
                           f"{q.columns[j]['score']:.2f}.", "svg": figure_svg(fig)})
    diff = np.nan_to_num(assoc["difference"], nan=0.0)
    n = diff.shape[0]
    size = min(max(3.5, 0.28 * n + 2.0), 9.0)
    fig = new_figure(size + 1.0, size)
    ax = fig.add_subplot()
    im = ax.imshow(diff, cmap="RdBu_r", vmin=-1.0, vmax=1.0)
    if n <= HEATMAP_LABELS:
        names = [_short(c, 18) for c in assoc["columns"]]
        ax.set_xticks(range(n), names, rotation=90, fontsize=FIG_FONT)
        ax.set_yticks(range(n), names, fontsize=FIG_FONT)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(im, ax=ax, shrink=0.8, label="synthetic − real")
    ax.set_title("Association difference\n(Pearson ρ for two numbers, Cramér's V otherwise)", fontsize=FIG_FONT)
    worst = np.unravel_index(np.argmax(np.abs(diff)), diff.shape)
    out.append({"key": "association_difference", "title": "Association difference, synthetic − real",
                "alt": f"Heatmap of association differences between {n} columns; largest "
                       f"{diff[worst]:+.2f} for {assoc['columns'][worst[0]]} and {assoc['columns'][worst[1]]}.",
                "svg": figure_svg(fig)})
    return out


def _short(text: str, n: int = 16) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"
