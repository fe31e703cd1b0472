"""Detection: can a classifier tell synthetic rows from real ones?

Rows are labelled real = 0 and synthetic = 1, encoded (one-hot categories with a missing
level, numbers imputed + missing indicator and standardised) and a logistic regression
(:class:`synthlearn.learners.LogisticRegression`) is scored by stratified k-fold
cross-validation:

* ``auc`` — the mean ROC AUC over the folds; 0.5 means the classifier cannot tell the
  tables apart, 1.0 means it always can.
* ``detection_score = 1 − mean_f(max(0.5, AUC_f) · 2 − 1)`` — SDMetrics' ``LogisticDetection``
  (1 = indistinguishable, 0 = always detected). SDMetrics uses 3 folds, an imputer and a
  robust scaler; we use ``folds=3`` by default and the encoder above.
* ``pmse`` — propensity mean squared error ``mean_i (p_i − c)²`` where ``p_i`` is the
  out-of-fold predicted probability that row ``i`` is synthetic and ``c`` the share of synthetic
  rows; 0 = indistinguishable, the maximum ``c(1 − c)`` = perfectly separated. (Snoke et al.
  use in-sample propensities; out-of-fold ones do not reward an overfitted classifier.)

A linear classifier only sees differences in means of the encoded features (including each
category's share and each missing indicator); a low AUC does not prove the tables are
indistinguishable to a more flexible model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..learners import Encoder, LogisticRegression, roc_auc
from ..table import Table
from ._checks import align, check_limit, jsonable, stack_rows, subsample_rows


@dataclass
class DetectionResult:
    """Cross-validated detection AUC, SDMetrics-style detection score and pMSE."""

    auc: float
    detection_score: float
    pmse: float
    pmse_max: float
    fold_aucs: list[float]
    folds: int
    rows_real: int
    rows_synthetic: int
    features: int

    def to_dict(self) -> dict:
        """JSON-able dict."""
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})


def stratified_folds(y: np.ndarray, folds: int, gen: np.random.Generator) -> np.ndarray:
    """A fold number 0..folds-1 for every row, each class spread evenly over the folds."""
    fold = np.empty(y.size, dtype=np.intp)
    for value in np.unique(y):
        idx = np.flatnonzero(y == value)
        idx = idx[gen.permutation(idx.size)]
        fold[idx] = np.arange(idx.size) % folds
    return fold


def detection(real: Table, synthetic: Table, *, folds: int = 3, max_rows: int | None = 10_000,
              l2: float = 1.0, rng=None) -> DetectionResult:
    """Logistic-regression detection of ``synthetic`` among ``real`` rows (see module docstring).

    At most ``max_rows`` rows of each table are used, drawn with ``rng`` (None = all rows);
    the sizes used are in the result.
    """
    if isinstance(folds, bool) or not isinstance(folds, (int, np.integer)) or folds < 2:
        raise InputError(f"folds must be a whole number ≥ 2, not {folds!r}.")
    max_rows = check_limit(max_rows, "max_rows", minimum=10)
    gen = as_generator(rng)
    real, synthetic = align(real, ("synthetic", synthetic))
    ir = subsample_rows(real.n_rows, max_rows, gen)
    isy = subsample_rows(synthetic.n_rows, max_rows, gen)
    real = real if ir is None else real.take(ir)
    synthetic = synthetic if isy is None else synthetic.take(isy)
    if min(real.n_rows, synthetic.n_rows) < folds:
        raise InputError(f"Detection with {folds} folds needs at least {folds} rows in each table.")
    both = stack_rows(real, synthetic)
    x = Encoder(standardize=True).fit(both).transform(both)
    y = np.r_[np.zeros(real.n_rows), np.ones(synthetic.n_rows)]
    fold = stratified_folds(y, int(folds), gen)
    prob = np.empty(y.size)
    aucs = []
    for f in range(int(folds)):
        test = fold == f
        model = LogisticRegression(l2=l2).fit(x[~test], y[~test])
        prob[test] = model.predict_proba(x[test])[:, 1]
        aucs.append(roc_auc(y[test], prob[test]))
    c = synthetic.n_rows / y.size
    score = 1.0 - float(np.mean([max(0.5, a) * 2.0 - 1.0 for a in aucs]))
    return DetectionResult(auc=float(np.mean(aucs)), detection_score=score,
                           pmse=float(np.mean((prob - c) ** 2)), pmse_max=float(c * (1 - c)),
                           fold_aucs=[float(a) for a in aucs], folds=int(folds), rows_real=real.n_rows,
                           rows_synthetic=synthetic.n_rows, features=int(x.shape[1]))

