"""Evaluation of synthetic tables: fidelity, detection, utility and privacy.

One module per family of metrics; :mod:`synthlearn.report` runs them all and builds the
report. Import from the modules (``from synthlearn.metrics.fidelity import quality``,
``from synthlearn.metrics.privacy import privacy``): this package imports nothing itself,
so loading one family does not load the others (and no scipy at import time).

* :mod:`~synthlearn.metrics.fidelity` — SDMetrics-style quality (column shapes, pair trends),
  Jensen–Shannon, Wasserstein, MMD, association matrices;
* :mod:`~synthlearn.metrics.detection` — logistic-regression detection AUC and pMSE;
* :mod:`~synthlearn.metrics.utility` — train on synthetic, test on real (TSTR) vs TRTR;
* :mod:`~synthlearn.metrics.privacy` — DCR share, identical matches, NNDR, membership
  inference, k-anonymity.
"""
