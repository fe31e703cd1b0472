"""Fit, then sample: the two steps every generator shares (Methods lesson).

Run it with ``python pysrc/examples/fit_then_sample.py``.
"""

# --8<-- [start:fit_sample]
import numpy as np

from synthlearn.stats import ks_statistic
from synthlearn.univariate import GaussianUnivariate, KDEUnivariate

# "real" data with two peaks, as if measured
gen = np.random.default_rng(0)
real = np.concatenate([gen.normal(30, 5, 500), gen.normal(70, 6, 500)])

results = {}
for model in (GaussianUnivariate(), KDEUnivariate()):
    model.fit(real)                          # 1. learn the distribution
    synthetic = model.sample(1000, rng=1)    # 2. sample new values from it
    name = type(model).__name__
    results[name] = ks_statistic(real, synthetic)
    print(f"{name}: KS distance to the real data = {results[name]:.3f}")
# --8<-- [end:fit_sample]
