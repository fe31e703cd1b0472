"""The "no correlations" baseline: every column sampled on its own.

Each column keeps its own distribution (and its missing share) but all relationships
between columns are lost, so any real synthesizer should beat it on pair trends.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..table import Table
from ..univariate import EmpiricalUnivariate, GaussianUnivariate, KDEUnivariate
from .base import ParamSpec, Synthesizer, check_n


class IndependentSynthesizer(Synthesizer):
    """Sample each column independently from its marginal distribution.

    ``marginals`` chooses the distribution of numeric, integer and datetime columns:
    ``"empirical"`` (the data's own piecewise-linear quantile function), ``"gaussian"``
    (mean and standard deviation) or ``"kde"`` (Gaussian kernels, Scott's bandwidth).
    Categorical and boolean columns always use their observed frequencies. Missing values
    are a state of their own: each column is missing with its observed share. A column with
    fewer than two observed values uses the empirical distribution whatever ``marginals`` says.
    """

    title = "Independent columns"
    param_specs = (
        ParamSpec("marginals", "choice", "empirical", "Distribution of each number column.",
                  choices=("empirical", "gaussian", "kde")),
    )

    def __init__(self, marginals: str = "empirical"):
        self.marginals = marginals

    def fit(self, table: Table, *, rng=None) -> "IndependentSynthesizer":
        """Learn every column's marginal (deterministic; ``rng`` is accepted for a uniform API)."""
        params = self._validated_params()
        modelled = self._begin_fit(table)
        self.models_ = {}
        for c in modelled:
            miss = c.missing
            if c.is_discrete:
                k = len(c.categories)
                counts = np.bincount(c.values[~miss].astype(int), minlength=k).astype(float)
                probs = np.append(counts, miss.sum()) / c.values.size  # last state = missing
                self.models_[c.name] = ("discrete", probs)
            else:
                observed = c.values[~miss]
                if params["marginals"] == "gaussian" and observed.size >= 2:
                    dist = GaussianUnivariate().fit(observed)
                elif params["marginals"] == "kde" and observed.size >= 2 and np.ptp(observed) > 0:
                    dist = KDEUnivariate("scott").fit(observed)
                else:
                    dist = EmpiricalUnivariate().fit(observed)
                self.models_[c.name] = ("numeric", float(miss.mean()), dist)
        return self

    def sample(self, n: int, *, rng=None) -> Table:
        """``n`` rows, each column drawn independently."""
        self._check_fitted()
        n = check_n(n)
        rng = as_generator(rng)
        values = {}
        for name, model in self.models_.items():
            if model[0] == "discrete":
                probs = model[1]
                state = np.searchsorted(np.cumsum(probs)[:-1], rng.random(n), side="right")
                k = probs.size - 1
                values[name] = np.where(state >= k, np.nan, state.astype(float))
            else:
                _, p_missing, dist = model
                miss = rng.random(n) < p_missing
                v = np.full(n, np.nan)
                v[~miss] = dist.sample(int((~miss).sum()), rng=rng)
                values[name] = v
        return self._assemble(values, n)
