"""The report's checks as data: one registry of what each check is, how it is computed and
what it should reach. The report's rows, its Markdown/HTML and the Generator page's
tooltips all read their names, definitions and targets from here.

A target is ``(comparison, value, why)``. For ``privacy.identical_match_rate`` and
``privacy.dcr_share`` the value is a margin added to a reference measured on the data (the
holdout's own match rate; the ideal share). Targets are rules of thumb for teaching, not
standards: ``evaluate(..., targets={key: value})`` changes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import InputError

__all__ = ["CHECKS", "DEFAULT_TARGETS", "HEADLINE", "Check", "RowBook", "check_for", "headline_rows", "resolve_targets",
           "status", "verdict"]


@dataclass(frozen=True)
class Check:
    """One check of the report: its row key (``{learner}`` stands for a utility learner)."""

    key: str
    group: str            # fidelity, detection, utility or privacy
    name: str             # what the row calls it
    definition: str       # how it is computed
    reading: str = ""     # how to read it: what a good and a bad value mean
    target: tuple[str, float, str] | None = None
    aspect: str = ""      # the headline's wording of what it is about; "" = not in the headline


_CHECKS = (
    # ---- fidelity ------------------------------------------------------------------------
    Check("fidelity.column_shapes", "fidelity", "Column shapes",
          "Mean over columns of KSComplement = 1 − KS statistic (numbers, datetimes) or TVComplement = "
          "1 − ½ Σ|f_syn − f_real| (categories), missing values dropped — SDMetrics 0.32.",
          "1 = every column has the real distribution.",
          (">=", 0.80, "Each column's distribution should be close to the real one; independent columns score "
                       "1.0 here, so this alone is a weak test."), "Statistical similarity"),
    Check("fidelity.pair_trends_all", "fidelity", "Column pair trends (all pairs)",
          "The same mean over every pair of columns (SDMetrics before 0.32).",
          "Pairs without a trend in the real data score near 1 for almost any synthesizer and inflate this "
          "mean; read it next to the strong-pairs score.", None, "Correlation preservation (all pairs)"),
    Check("fidelity.pair_trends_strong", "fidelity", "Column pair trends (strong pairs)",
          "Mean of CorrelationSimilarity = 1 − |ρ_real − ρ_syn|/2 (two numbers) or ContingencySimilarity = "
          "1 − ½ Σ|p_real − p_syn| (otherwise) over the pairs with a real trend — SDMetrics 0.32.",
          "1 = every real trend kept.",
          (">=", 0.75, "Pairs with a real trend should keep it (SDMetrics 0.32 pairs)."),
          "Correlation preservation (strong pairs)"),
    Check("class_balance", "fidelity", "Class balance gap",
          "Largest difference, over the label's classes, between a class's share among the real training rows "
          "and among the synthetic rows.",
          "0 = the same base rates.",
          ("<=", 0.05, "Class shares should match within 5 percentage points, or a model trained on the synthetic "
                       "rows learns the wrong base rates."), "Class balance"),
    Check("fidelity.worst_column_shape", "fidelity", "Worst column shape",
          "The lowest column shape score (KSComplement or TVComplement) over the columns.",
          "A mean hides a broken column: this is the column a reader would notice first.",
          (">=", 0.60, "No column may be badly off, whatever the mean: below 0.60 a column's values are largely "
                       "in the wrong places (for example a column that is 0 in most real rows and never 0 in "
                       "the synthetic ones)."), "Worst column"),
    Check("fidelity.worst_pair_trend", "fidelity", "Worst strong pair trend",
          "The lowest pair trend score (CorrelationSimilarity or ContingencySimilarity) over the pairs with a "
          "trend in the real data.",
          "A mean over pairs hides a relation the synthesizer lost.",
          (">=", 0.60, "No real relation may be lost entirely: 0.60 is about what shuffling the two columns "
                       "independently leaves of a strong trend."), "Worst relation"),
    Check("fidelity.overall", "fidelity", "Overall quality",
          "Mean of column shapes and strong-pair trends (SDMetrics 0.32 QualityReport score).", "",
          (">=", 0.80, "SDMetrics 0.32 overall quality.")),
    Check("fidelity.beats_independent", "fidelity", "Strong trends beyond independent columns",
          "Strong-pair trend score of the synthetic table minus that of the real table with every column "
          "shuffled on its own.",
          "Positive: the synthesizer kept relations between columns that shuffling destroys.",
          (">=", 0.01, "Strong-pair trends must beat shuffling every column on its own by more than the noise of "
                       "one shuffle (0.01), or the synthesizer learned no relation between columns.")),
    Check("fidelity.missing_share_gap", "fidelity", "Missing-value share gap",
          "Largest |missing share real − missing share synthetic| over the columns.",
          "Column shapes ignore missing values; this does not.",
          ("<=", 0.05, "Missing values are data: their share per column should match within 5 percentage "
                       "points.")),
    Check("fidelity.js_distance_mean", "fidelity", "Mean Jensen–Shannon distance",
          "Mean over columns of the Jensen–Shannon distance (base 2, 0..1) between histograms on shared bins "
          "(20 equal-width bins for numbers, one per category, plus one for missing values).",
          "0 = same histograms."),
    Check("fidelity.wasserstein_mean", "fidelity", "Mean Wasserstein distance (numbers)",
          "Mean over numeric columns of the Wasserstein-1 distance after dividing by the real column's range.",
          "0 = same distribution; 0.05 = the mass moves 5 % of the range on average. Missing values dropped."),
    Check("fidelity.mmd", "fidelity", "Maximum mean discrepancy",
          "√max(MMD²_u, 0), unbiased MMD² with an RBF kernel (median-distance bandwidth) on encoded rows "
          "(one-hot categories, standardised numbers).",
          "Compares whole rows, not column by column; 0 = same distribution."),
    # ---- detection -----------------------------------------------------------------------
    Check("detection.auc", "detection", "Detection ROC AUC (logistic regression)",
          "Mean ROC AUC of a logistic regression telling synthetic (1) from real (0) rows.",
          "0.5 = indistinguishable to this classifier; 1 = always told apart. A linear model sees only "
          "differences in means of the encoded columns, so a low AUC is no proof that a stronger model fails.",
          ("<=", 0.70, "A linear classifier should not separate synthetic from real rows well; AUC 0.70 is "
                       "SDMetrics' detection score 0.6.")),
    Check("detection.score", "detection", "Detection score (SDMetrics LogisticDetection)",
          "1 − mean over folds of (max(0.5, AUC) · 2 − 1).", "1 = indistinguishable, 0 = always detected."),
    Check("detection.pmse", "detection", "Propensity MSE",
          "mean (p_i − c)², p_i the out-of-fold probability that row i is synthetic, c the synthetic share.", ""),
    # ---- utility -------------------------------------------------------------------------
    Check("utility.note", "utility", "Test rows",
          "Without a holdout the learners are tested on a random quarter of the real table.",
          "Those rows helped train the synthesizer, so train-on-synthetic scores are optimistic; pass a holdout "
          "for a clean test."),
    Check("utility.{learner}.accuracy_ratio", "utility", "TSTR / TRTR accuracy",
          "Accuracy of a model trained on synthetic rows divided by that of a model trained on real rows, both "
          "tested on the same real rows.", "",
          (">=", 0.90, "A model trained on synthetic rows should keep 90 % of the accuracy."),
          "Utility (TSTR / TRTR)"),
    Check("utility.{learner}.f1_macro_ratio", "utility", "TSTR / TRTR macro F1",
          "Macro F1 of a model trained on synthetic rows divided by that of a model trained on real rows, both "
          "tested on the same real rows.", "",
          (">=", 0.80, "Macro F1 weighs the rare classes that accuracy hides.")),
    Check("utility.{learner}.roc_auc_ratio", "utility", "TSTR / TRTR ROC AUC",
          "ROC AUC of a model trained on synthetic rows divided by that of a model trained on real rows, both "
          "tested on the same real rows.", "",
          (">=", 0.90, "Ranking quality of a model trained on synthetic rows.")),
    # ---- privacy -------------------------------------------------------------------------
    Check("privacy.dcr_share", "privacy", "DCR share (closer to training than to holdout)",
          "Share of synthetic rows whose nearest training row is closer than their nearest holdout row.", "",
          ("<=", 0.05, "Margin over the ideal share n_train / (n_train + n_holdout): synthetic rows should not "
                       "sit closer to the training rows than to fresh rows."),
          "Privacy: distance to closest record"),
    Check("privacy.identical_match_rate", "privacy", "Identical match rate",
          "Share of synthetic rows equal to some training row in every column.", "",
          ("<=", 0.01, "Margin over the holdout's own match rate: real records collide by chance, synthetic ones "
                       "should not copy more often."), "Privacy: identical matches"),
    Check("privacy.membership_inference_auc", "privacy", "Membership inference AUC",
          "ROC AUC of a distance attack telling training rows from holdout rows by their distance to the "
          "nearest synthetic row.", "",
          ("<=", 0.55, "The distance attack should be close to guessing (0.5)."), "Privacy: membership inference"),
    Check("privacy.dcr_overfitting_protection", "privacy", "DCR overfitting protection",
          "SDMetrics' score min(2 · (1 − DCR share), 1).", ""),
    Check("privacy.nndr", "privacy", "Nearest-neighbour distance ratio",
          "Distance to the nearest training row divided by the distance to the second nearest.", ""),
    Check("privacy.k_anonymity", "privacy", "k-anonymity of the synthetic rows",
          "Smallest group of synthetic rows sharing the quasi-identifiers' values.", ""),
    Check("privacy.note", "privacy", "Holdout-based privacy metrics",
          "The DCR share, the DCR overfitting protection and the membership attack compare training rows with "
          "real rows that were not used for training.",
          "No holdout was given, so they were not computed: keep some real rows out of training and pass them "
          "as holdout."),
)

#: Every check by key (utility keys carry ``{learner}``).
CHECKS: dict[str, Check] = {c.key: c for c in _CHECKS}

#: key -> (comparison, value, why): the default targets (utility ones by metric, without the learner).
DEFAULT_TARGETS: dict[str, tuple[str, float, str]] = {
    c.key.replace("{learner}.", ""): c.target for c in _CHECKS if c.target is not None}

#: The headline checks, in order: (key, aspect).
HEADLINE: tuple[tuple[str, str], ...] = tuple((c.key, c.aspect) for c in _CHECKS if c.aspect)


def headline_rows(rows: list[dict]) -> list[dict]:
    """The report's headline rows in the registry's order, each with its ``aspect``."""
    out = []
    for key, aspect in HEADLINE:
        for r in rows:
            if r["key"] == key or ("{learner}" in key and r["key"].startswith("utility.")
                                   and check_for(r["key"]).key == key):
                out.append({**r, "aspect": aspect})
    return out


def verdict(rows: list[dict]) -> dict:
    """The headline's verdict: it passes only when no headline check fails (a mean that passes
    cannot outvote a worst column that fails). ``{status, failed, text}``."""
    head = headline_rows(rows)
    failed = [r for r in head if r["status"] == "fail"]
    passed = sum(r["status"] == "pass" for r in head)
    counts = f"{passed} of {len(head)} headline checks pass, {len(failed)} fail"
    untargeted = len(head) - passed - len(failed)
    counts += f", {untargeted} have no target." if untargeted else "."
    if failed:
        names = "; ".join(f"{r['metric']} {r['score']:.3f}" if r["score"] is not None else r["metric"]
                          for r in failed)
        text = f"Does not pass: {names} (target not met). {counts}"
    else:
        text = f"Passes every headline check that has a target. {counts}"
    return {"status": "fail" if failed else "pass", "failed": [r["key"] for r in failed], "text": text}


def check_for(key: str) -> Check:
    """The registry entry of a row key (``utility.decision_tree.accuracy_ratio`` → its template)."""
    if key in CHECKS:
        return CHECKS[key]
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "utility":
        return CHECKS[f"utility.{{learner}}.{parts[2]}"]
    raise KeyError(key)


def target_key(key: str) -> str:
    """The :data:`DEFAULT_TARGETS` key of a row key (the learner left out)."""
    parts = key.split(".")
    return f"utility.{parts[2]}" if len(parts) == 3 and parts[0] == "utility" else key


def resolve_targets(user: dict | None) -> dict[str, tuple[str, float, str]]:
    """The default targets with the user's changes (a number, or ``(comparison, number)``)."""
    out = dict(DEFAULT_TARGETS)
    for key, value in (user or {}).items():
        if key not in DEFAULT_TARGETS:
            raise InputError(f"Unknown target '{key}'; known targets: {', '.join(DEFAULT_TARGETS)}.")
        op, _, why = DEFAULT_TARGETS[key]
        if isinstance(value, (tuple, list)) and len(value) == 2 and value[0] in ("<=", ">=", "<", ">"):
            op, value = value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(f"The target for '{key}' must be a number, not {value!r}.")
        out[key] = (op, float(value), why + " (changed by the user)")
    return out


def status(score: float | None, op: str, value: float) -> str:
    """"pass" or "fail" against a target; "info" when there is no score."""
    if score is None or not math.isfinite(score):
        return "info"
    ok = {"<=": score <= value, ">=": score >= value, "<": score < value, ">": score > value}[op]
    return "pass" if ok else "fail"


class RowBook:
    """Collects the report's rows: names, definitions and targets from the registry."""

    def __init__(self, targets: dict[str, tuple[str, float, str]]):
        self.targets = targets
        self.rows: list[dict] = []

    def add(self, key: str, score: float | None, text: str, *, metric: str | None = None, definition: str = "",
            judged: bool = True, reference: float = 0.0) -> None:
        """One row. ``text`` says what was found; ``definition`` adds run details to the registry's
        definition; ``judged=False`` reports without the target; ``reference`` is added to it."""
        check = check_for(key)
        score = None if score is None or not math.isfinite(score) else float(score)
        tkey = target_key(key)
        reading = f"{check.reading} " if check.reading else ""
        row_status, target, text = "info", None, f"{reading}{text}".strip()
        if judged and tkey in self.targets:
            op, value, why = self.targets[tkey]
            threshold = reference + value
            row_status = status(score, op, threshold)
            target = f"{op} {threshold:.3g}"
            text = f"{text} Target: {why}"
        self.rows.append({"group": check.group, "key": key, "metric": metric or check.name, "score": score,
                          "target": target, "status": row_status,
                          "definition": f"{check.definition} {definition}".strip(), "text": text})
