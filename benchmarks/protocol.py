"""The issue-12 evaluation protocol, shared by the engine benchmarks.

A bundled table is split 50/50 at random (``split_holdout(table, 0.5, rng=seed)``); a method is
fitted on the training half with ``rng=seed`` and samples as many rows with ``rng=seed + 1``.
Measured against the training half:

* quality — :func:`synthlearn.metrics.fidelity.quality` (SDMetrics 0.32's QualityReport
  definitions: column shapes, strong-pair trends, their mean);
* TSTR — train on the synthetic rows, test on the real holdout: ROC AUC (or accuracy for
  more than two classes) of our two learners (logistic regression, decision tree) and, when
  scikit-learn is installed, of ``HistGradientBoostingClassifier`` (default parameters,
  categories as native categorical features, missing values passed as NaN);
* DCR share — :func:`synthlearn.metrics.privacy.privacy` (5,000 synthetic queries; ideal 0.5);
* time (fit + sample: wall clock, and CPU time of this process, which other processes on a
  shared machine disturb less) and peak traced memory (``tracemalloc``).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pysrc"))

from synthlearn import datasets  # noqa: E402
from synthlearn.pipeline import split_holdout  # noqa: E402
from synthlearn.learners import roc_auc  # noqa: E402
from synthlearn.metrics.fidelity import quality  # noqa: E402
from synthlearn.metrics.privacy import privacy  # noqa: E402
from synthlearn.metrics.utility import tstr  # noqa: E402
from synthlearn.synthesizers import make_synthesizer  # noqa: E402
from synthlearn.table import Table  # noqa: E402

LABELS = {"adult": "income", "breast_cancer": "diagnosis", "penguins": "species", "wine": "class"}


def split(name: str, seed: int = 0) -> tuple[Table, Table, str]:
    """(train, holdout, label) of a bundled table, split 50/50 with ``seed``."""
    table = datasets.load(name)
    train, holdout = split_holdout(table, 0.5, rng=seed)
    return train, holdout, LABELS[name]


def _matrix(table: Table, label: str) -> tuple[np.ndarray, np.ndarray, list[int]]:
    names = [n for n in table.names if n != label]
    x = table.matrix(names)
    cats = [j for j, n in enumerate(names) if table[n].is_discrete]
    y = table[label].values
    return x, y, cats


def gradient_boosting_score(train: Table, test: Table, label: str, seed: int = 0) -> float | None:
    """ROC AUC (two classes) or accuracy of scikit-learn's HistGradientBoosting trained on ``train``."""
    try:
        from sklearn.ensemble import HistGradientBoostingClassifier
    except ImportError:
        return None
    x, y, cats = _matrix(train, label)
    xt, yt, _ = _matrix(test, label)
    keep, keep_t = ~np.isnan(y), ~np.isnan(yt)
    if np.unique(y[keep]).size < 2:
        return float("nan")
    mask = np.zeros(x.shape[1], dtype=bool)
    mask[cats] = True
    model = HistGradientBoostingClassifier(categorical_features=mask, random_state=seed)
    model.fit(x[keep], y[keep])
    yt = yt[keep_t]
    if np.unique(yt).size == 2:
        pos = np.flatnonzero(model.classes_ == np.unique(yt)[1])
        score = model.predict_proba(xt[keep_t])[:, pos[0]] if pos.size else np.zeros(yt.size)
        return roc_auc(yt == np.unique(yt)[1], score)
    return float(np.mean(model.predict(xt[keep_t]) == yt))


def score(train: Table, holdout: Table, synthetic: Table, label: str, seed: int = 0) -> dict:
    """Quality, TSTR (ours and gradient boosting) and DCR share of ``synthetic``."""
    q = quality(train, synthetic)
    out = {"quality": q.overall, "shapes": q.column_shapes, "pairs": q.pair_trends_strong,
           "pairs_all": q.pair_trends_all}
    u = tstr(train, synthetic, holdout, label, rng=seed)
    metric = "roc_auc" if u.positive is not None else "accuracy"
    out["tstr_metric"] = metric
    for item in u.learners:
        out[f"tstr_{item['learner']}"] = item["tstr"][metric]
        out[f"trtr_{item['learner']}"] = item["trtr"][metric]
    out["tstr_gradient_boosting"] = gradient_boosting_score(synthetic, holdout, label, seed)
    p = privacy(train, synthetic, holdout, max_queries=5000, max_attack=2000, rng=seed)
    out["dcr_share"] = p.get("dcr_share")["value"]
    out["identical_match_rate"] = p.get("identical_match_rate")["value"]
    out["missing_added"] = [c.name for c in synthetic.columns
                            if c.missing.any() and not train[c.name].missing.any()]
    return out


def run(method: str, params: dict, train: Table, holdout: Table, label: str, seed: int = 0,
        memory: bool = True) -> dict:
    """Fit + sample ``method`` (timed, then again under tracemalloc for peak memory) and score it."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    synth = make_synthesizer(method, **params).fit(train, rng=seed)
    t1 = time.perf_counter()
    out = synth.sample(train.n_rows, rng=seed + 1)
    t2 = time.perf_counter()
    res = {"method": method, "params": params, "fit_s": t1 - t0, "sample_s": t2 - t1, "fit_sample_s": t2 - t0,
           "fit_sample_cpu_s": time.process_time() - c0}
    if memory:
        tracemalloc.start()
        make_synthesizer(method, **params).fit(train, rng=seed).sample(train.n_rows, rng=seed + 1)
        res["peak_memory_mb"] = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    res.update(score(train, holdout, out, label, seed))
    return res


def reference(train: Table, holdout: Table, label: str, seed: int = 0) -> dict:
    """Quality of the holdout against the training half; TRTR (train on real, test on the holdout).

    A DCR share is not defined here (the holdout is its own nearest record)."""
    q = quality(train, holdout)
    res = {"method": "real_holdout", "params": {}, "quality": q.overall, "shapes": q.column_shapes,
           "pairs": q.pair_trends_strong, "pairs_all": q.pair_trends_all, "dcr_share": None}
    u = tstr(train, train, holdout, label, rng=seed)
    metric = "roc_auc" if u.positive is not None else "accuracy"
    res["tstr_metric"] = metric
    for item in u.learners:
        res[f"tstr_{item['learner']}"] = item["trtr"][metric]
    res["tstr_gradient_boosting"] = gradient_boosting_score(train, holdout, label, seed)
    return res
