"""One builder per metric family: each runs its metrics, adds its rows to a
:class:`~synthlearn.report.checks.RowBook` and returns its summary scores and details."""

from __future__ import annotations

import numpy as np

from ..metrics.detection import detection
from ..metrics.fidelity import association_difference, column_distances, independent_baseline, mmd, quality
from ..metrics.privacy import privacy
from ..metrics.utility import class_balance, tstr
from ..table import Table
from .checks import RowBook

UTILITY_TEST_SHARE = 0.25    # without a holdout, this share of the real table tests the learners
UTILITY_TRAIN_ROWS = 10_000  # learners train on at most this many rows (drawn at random; stated in the report)
DETECTION_ROWS = 5_000       # the detection classifier sees at most this many rows of each table
WORST_LISTED = 5             # failing columns or pairs named in a row's text


def fmt(x: object) -> str:
    """A score as the report prints it: three decimals, or — when there is none."""
    if x is None:
        return "—"
    if isinstance(x, float):
        return "—" if not np.isfinite(x) else f"{x:.3f}"
    return str(x)


def _finite(values) -> list[float]:
    return [v for v in values if v is not None and np.isfinite(v)]


def fidelity_summary(q, dist: list[dict]) -> dict:
    """The fidelity scores of one table against the real one (the synthetic table or a baseline)."""
    js = _finite(d["js_distance"] for d in dist)
    return {"column_shapes": q.column_shapes, "pair_trends_all": q.pair_trends_all,
            "pair_trends_strong": q.pair_trends_strong, "overall": q.overall, "overall_all_pairs": q.overall_all_pairs,
            "n_pairs": q.n_pairs, "n_strong_pairs": q.n_strong_pairs,
            "js_distance_mean": float(np.mean(js)) if js else float("nan")}


def baselines(real: Table, holdout: Table | None, gen: np.random.Generator) -> dict:
    """Independent columns (each real column shuffled on its own) and, with a holdout, fresh real rows."""
    indep = independent_baseline(real, rng=gen)
    out = {"independent_marginals": fidelity_summary(quality(real, indep), column_distances(real, indep))}
    if holdout is not None:
        out["real_holdout"] = fidelity_summary(quality(real, holdout), column_distances(real, holdout))
    return out


def _between(key: str, base: dict) -> str:
    s = f" Independent columns: {fmt(base['independent_marginals'][key])}"
    ceiling = base.get("real_holdout")
    return s + (f"; real holdout: {fmt(ceiling[key])}." if ceiling else ".")


def _failing(items: list[tuple[str, float]], threshold: float) -> str:
    bad = sorted((s, name) for name, s in items if np.isfinite(s) and s < threshold)
    if not bad:
        return ""
    shown = ", ".join(f"{name} ({s:.2f})" for s, name in bad[:WORST_LISTED])
    more = f" and {len(bad) - WORST_LISTED} more" if len(bad) > WORST_LISTED else ""
    return f" Below the target: {shown}{more}."


def _worst_rows(rows: RowBook, q) -> None:
    """The worst column and the worst strong pair, naming every one below its target."""
    cols = [(c["column"], c["score"]) for c in q.columns if np.isfinite(c["score"])]
    worst = min(cols, key=lambda c: c[1]) if cols else (None, float("nan"))
    limit = rows.targets["fidelity.worst_column_shape"][1]
    rows.add("fidelity.worst_column_shape", worst[1],
             (f"Worst column: '{worst[0]}' ({fmt(worst[1])})." if worst[0] else "No column could be scored.")
             + _failing(cols, limit))
    pairs = [(f"{p['column_1']} × {p['column_2']}", p["score"]) for p in q.pairs if p["strong"]]
    if pairs:
        name, score = min(pairs, key=lambda p: p[1])
        rows.add("fidelity.worst_pair_trend", score, f"Worst of {len(pairs)} strong pairs: {name} ({fmt(score)})."
                 + _failing(pairs, rows.targets["fidelity.worst_pair_trend"][1]))


def fidelity_rows(rows: RowBook, real: Table, synthetic: Table, base: dict, gen: np.random.Generator) -> tuple:
    """Column shapes, pair trends, worst column and pair, overall, missing values, distances."""
    q = quality(real, synthetic)
    dist = column_distances(real, synthetic)
    mm = mmd(real, synthetic, rng=gen)
    fid = fidelity_summary(q, dist)
    nums = _finite(d["wasserstein"] for d in dist)
    fid["wasserstein_mean"] = float(np.mean(nums)) if nums else float("nan")
    fid["missing_share_gap"] = float(max(abs(d["missing_real"] - d["missing_synthetic"]) for d in dist))
    fid["mmd"] = mm["mmd"]
    worst = min(q.columns, key=lambda c: c["score"] if np.isfinite(c["score"]) else 2.0)
    rows.add("fidelity.column_shapes", q.column_shapes,
             f"Worst column: '{worst['column']}' ({fmt(worst['score'])})." + _between("column_shapes", base))
    rows.add("fidelity.pair_trends_strong", q.pair_trends_strong,
             f"{q.n_strong_pairs} of {q.n_pairs} pairs have a trend in the real data (|ρ| > "
             f"{q.strong_correlation:g} or Cramér's V > {q.strong_association:g})." + _between("pair_trends_strong", base),
             judged=bool(q.n_strong_pairs))
    rows.add("fidelity.pair_trends_all", q.pair_trends_all, _between("pair_trends_all", base).strip())
    _worst_rows(rows, q)
    rows.add("fidelity.overall", q.overall, f"With all pairs instead: {fmt(q.overall_all_pairs)}."
             + _between("overall", base))
    if q.n_strong_pairs:
        rows.add("fidelity.beats_independent", q.pair_trends_strong - base["independent_marginals"]["pair_trends_strong"],
                 "Independent columns keep every column and lose every relation: they are the floor for pair "
                 "trends only (their column shapes are perfect by construction).")
    gap_col = max(dist, key=lambda d: abs(d["missing_real"] - d["missing_synthetic"]))
    rows.add("fidelity.missing_share_gap", fid["missing_share_gap"], f"Largest gap: '{gap_col['column']}'.")
    worst_js = max(dist, key=lambda d: d["js_distance"] if d["js_distance"] is not None else -1)
    rows.add("fidelity.js_distance_mean", fid["js_distance_mean"],
             f"Largest: '{worst_js['column']}' ({fmt(worst_js['js_distance'])})." + _between("js_distance_mean", base))
    rows.add("fidelity.wasserstein_mean", fid["wasserstein_mean"], "")
    rows.add("fidelity.mmd", mm["mmd"], "", definition=f"{mm['rows_real']} real and {mm['rows_synthetic']} synthetic "
                                                      "rows drawn at random.")
    assoc = association_difference(real, synthetic)
    details = {"quality": q.to_dict(), "column_distances": dist, "mmd": mm,
               "association": {k: assoc[k] for k in ("columns", "measure", "real", "synthetic", "difference")}}
    return fid, details, q, assoc


def class_balance_rows(rows: RowBook, real: Table, synthetic: Table, label: str | None) -> dict | None:
    """The label's class shares, real vs synthetic (only with a label)."""
    if label is None:
        return None
    cb = class_balance(real, synthetic, label)
    shown = sorted(cb["real"], key=lambda c: -cb["real"][c])[:6]
    more = " (Most common 6 classes shown.)" if len(set(cb["real"]) | set(cb["synthetic"])) > 6 else ""
    rows.add("class_balance", cb["gap"],
             "Real: " + ", ".join(f"{c} {cb['real'].get(c, 0.0):.1%}" for c in shown) + "; synthetic: "
             + ", ".join(f"{c} {cb['synthetic'].get(c, 0.0):.1%}" for c in shown) + "." + more,
             metric=f"Class balance gap ('{label}')")
    return cb


def detection_rows(rows: RowBook, real: Table, synthetic: Table, gen: np.random.Generator):
    """A logistic regression telling synthetic rows from real ones."""
    det = detection(real, synthetic, max_rows=DETECTION_ROWS, rng=gen)
    size = f"{det.rows_real} real and {det.rows_synthetic} synthetic rows, {det.folds}-fold cross-validation."
    rows.add("detection.auc", det.auc, "", definition=size)
    rows.add("detection.score", det.detection_score, "")
    rows.add("detection.pmse", det.pmse, f"0 = indistinguishable; {det.pmse_max:.3g} = perfectly separated.")
    return det


def utility_rows(rows: RowBook, real: Table, synthetic: Table, holdout: Table | None, label: str | None,
                 gen: np.random.Generator) -> tuple[dict | None, object]:
    """Train on synthetic, test on real (TSTR) against train on real (TRTR), per learner."""
    if label is None:
        return None, None
    if holdout is not None:
        train, test, test_name = real, holdout, "the real holdout"
    else:
        train, test = real.split(UTILITY_TEST_SHARE, gen)
        test_name = f"{test.n_rows} real rows set aside at random"
        rows.add("utility.note", None, "")
    ut = tstr(train, synthetic, test, label, max_train_rows=UTILITY_TRAIN_ROWS, rng=gen)
    scores = {"label": label, "positive": ut.positive, "majority_accuracy": ut.majority_accuracy, "learners": {}}
    for item in ut.learners:
        name = item["learner"]
        scores["learners"][name] = {"trtr": item["trtr"], "tstr": item["tstr"], "ratio": item["ratio"]}
        for metric in ("accuracy", "f1_macro", "roc_auc"):
            if item["trtr"][metric] is None:
                continue
            extra = f" A majority-class guess reaches accuracy {ut.majority_accuracy:.3f}." if metric == "accuracy" else ""
            key = f"utility.{name}.{metric}_ratio"
            rows.add(key, item["ratio"].get(metric), f"TRTR {item['trtr'][metric]:.3f}, TSTR {item['tstr'][metric]:.3f}."
                     + extra, metric=f"{rows_name(key)} — {item['title']}",
                     definition=f"Tested on {test_name}, predicting '{label}'; trained on {ut.rows['real_train']} "
                                f"real and {ut.rows['synthetic']} synthetic rows (at most {UTILITY_TRAIN_ROWS:,} each, "
                                "drawn at random).")
    return scores, ut


def rows_name(key: str) -> str:
    from .checks import check_for

    return check_for(key).name


def _privacy_row(rows: RowBook, m: dict, sizes: dict) -> None:
    key, d = f"privacy.{m['key']}", m["details"]
    definition = f"{m['formula']}. Ideal: {m['ideal']}."
    text = m["cannot_prove"]
    if m["key"] == "identical_match_rate":
        if d["holdout_rate"] is None:
            rows.add(key, m["value"], f"No holdout to compare with. {text}", metric=m["name"], definition=definition,
                     judged=False)
        else:
            rows.add(key, m["value"], f"Holdout rows matching a training row: {d['holdout_rate']:.4f}. {text}",
                     metric=m["name"], definition=definition, reference=d["holdout_rate"])
    elif m["key"] == "dcr_share":
        rows.add(key, m["value"], f"Ideal here {d['ideal']:.3f} ({sizes['synthetic_queries']} synthetic rows searched "
                 f"against {sizes['train']} training and {sizes['holdout']} holdout rows). {text}",
                 metric=m["name"], definition=definition, reference=d["ideal"])
    elif m["key"] == "dcr_overfitting_protection":
        rows.add(key, m["value"], f"Size-adjusted: {d['size_adjusted']:.3f}. {text}", metric=m["name"],
                 definition=definition)
    elif m["key"] == "nndr":
        ref = (f" Holdout rows: median {d['holdout_median']:.3f}, 5th percentile {d['holdout_p05']:.3f}."
               if "holdout_median" in d else "")
        rows.add(key, d["median"], f"5th percentile {d['p05']:.3f}.{ref} {text}", metric=m["name"] + " (median)",
                 definition=definition)
    elif m["key"] == "membership_inference_auc":
        rows.add(key, m["value"], f"{d['members']} members and {d['non_members']} non-members drawn at random, "
                 f"against all {sizes['synthetic']} synthetic rows. {text}", metric=m["name"], definition=definition)
    elif m["key"] == "k_anonymity":
        syn, rl = d["synthetic"], d["real_train"]
        rows.add(key, m["value"], f"Quasi-identifiers: {', '.join(d['columns'])}; {syn['share_below_k']:.1%} of "
                 f"synthetic rows are in groups smaller than k = {syn['k']} (real training table: smallest group "
                 f"{rl['min_class_size']}, {rl['share_below_k']:.1%} below k). {text}", metric=m["name"],
                 definition=definition)


def _privacy_scores(m: dict) -> dict:
    d = m["details"]
    return {
        "identical_match_rate": lambda: {"identical_match_rate": m["value"],
                                         "identical_match_rate_holdout": d["holdout_rate"]},
        "dcr_share": lambda: {"dcr_share": m["value"], "dcr_share_ideal": d["ideal"]},
        "dcr_overfitting_protection": lambda: {"dcr_overfitting_protection": m["value"]},
        "nndr": lambda: {"nndr_median": d["median"], "nndr_p05": d["p05"]},
        "membership_inference_auc": lambda: {"membership_inference_auc": m["value"]},
        "k_anonymity": lambda: {"k_anonymity_min": d["synthetic"]["min_class_size"],
                                "k_anonymity_share_below_k": d["synthetic"]["share_below_k"]},
    }.get(m["key"], dict)()


def privacy_rows(rows: RowBook, real: Table, synthetic: Table, holdout: Table | None,
                 quasi_identifiers: list[str] | None, gen: np.random.Generator):
    """Distances to the closest real rows, identical copies, a membership attack, k-anonymity."""
    pr = privacy(real, synthetic, holdout, quasi_identifiers=quasi_identifiers, rng=gen)
    scores: dict = {}
    for m in pr.metrics:
        scores.update(_privacy_scores(m))
        _privacy_row(rows, m, pr.sizes)
    if holdout is None:
        rows.add("privacy.note", None, "")
    return scores, pr
