"""Sequential decision trees (synthpop's CART method), built so that it does not copy rows.

The columns are synthesized one after another (in table order). The first is drawn from
its frequencies; column ``j`` is drawn from a classification tree fitted to predict it from
columns ``0 .. j−1`` — the tree's leaf for a synthetic row gives the distribution to draw
from (Reiter 2005; Nowok, Raab & Dibben 2016, the R package synthpop).

What keeps it from copying the training rows:

* **numbers are never taken from a real row.** A number column is modelled as states: its
  quantile bins (``n_bins``; integers with few values keep each value), plus "missing" when
  the column has missing values. A tree predicts the *state*; the number is then drawn inside
  the bin from the smoothed distribution of all training values in that bin
  (:class:`~synthlearn.discretize.WithinBinSampler`), not from the rows of the leaf;
* **large leaves**: every leaf holds at least ``min_leaf`` training rows, and its
  frequencies are shrunk towards the column's overall frequencies with ``alpha`` pseudo-rows;
* **a privacy check in the fit** (``privacy_check``): the method is fitted on one random half
  of the rows and sampled; if the share of synthetic rows closer to that half than to the
  other half (the DCR share, 0.5 when nothing is memorised) exceeds ``max_dcr_share``, the
  fit warns (``"warn"``) or refuses (``"refuse"``). The result is in ``privacy_check_``.

None of this is a formal guarantee: for one, use the differentially private method.
Missing values are a state of their column (modelled like a category); a column without
missing values never gets one.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from .._rng import as_generator
from ..discretize import WithinBinSampler
from ..errors import InputError
from ..learners import DecisionTree
from ..table import Column, Table
from .base import ParamSpec, Synthesizer, check_n, normalise_rows, sample_rows_of_cdf

CHECK_ROWS = 8000      # rows per half in the privacy check (larger tables are subsampled)
CHECK_SAMPLE = 2000    # synthetic rows the check measures (standard error of the share ≈ 0.011)


@dataclass
class _Target:
    """One column as a discrete variable: its states, how to draw values, how it feeds the trees.

    Number columns: ``atoms`` (values held by many rows, or every value when there are few)
    are states of their own, returned exactly; the other values fall into quantile bins
    (``edges`` between them) and are drawn with ``sampler``. States: atoms, bins, missing.
    """

    name: str
    discrete: bool
    n_states: int
    has_missing: bool
    atoms: np.ndarray = field(default_factory=lambda: np.zeros(0))
    edges: np.ndarray = field(default_factory=lambda: np.zeros(0))
    sampler: WithinBinSampler | None = None
    fill: float = 0.0            # numbers: the value standing in for "missing" in the features (below all)

    @property
    def missing_state(self) -> int:
        return self.n_states - 1

    def states(self, values: np.ndarray) -> np.ndarray:
        miss = np.isnan(values)
        v = np.where(miss, 0.0, values)
        if self.discrete:
            s = v.astype(np.intp)
        else:
            a = np.clip(np.searchsorted(self.atoms, v), 0, max(self.atoms.size - 1, 0))
            is_atom = self.atoms[a] == v if self.atoms.size else np.zeros(v.size, dtype=bool)
            s = np.where(is_atom, a, self.atoms.size + np.searchsorted(self.edges, v, side="right"))
            if self.sampler is None:
                s = np.minimum(s, self.atoms.size - 1)   # only atoms: a value never seen maps to the last
        return np.where(miss, self.missing_state, s) if self.has_missing else s

    def values(self, states: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        miss = states == self.missing_state if self.has_missing else np.zeros(states.size, dtype=bool)
        s = np.where(miss, 0, states)
        if self.discrete:
            return np.where(miss, np.nan, s.astype(float))
        n_atoms = self.atoms.size
        is_atom = s < n_atoms
        v = np.empty(s.size)
        v[is_atom] = self.atoms[s[is_atom]]
        if self.sampler is not None and not is_atom.all():
            v[~is_atom] = self.sampler.sample(s[~is_atom] - n_atoms, rng)
        return np.where(miss, np.nan, v)


def _target(c: Column, n_bins: int) -> _Target:
    miss = c.missing
    has_missing = bool(miss.any())
    if c.is_discrete:
        return _Target(c.name, True, len(c.categories) + has_missing, has_missing)
    v = c.values[~miss]
    distinct, counts = np.unique(v, return_counts=True)
    fill = float(v.min() - 1.0 - 0.01 * (v.max() - v.min()))
    if distinct.size <= n_bins:
        return _Target(c.name, False, distinct.size + has_missing, has_missing, atoms=distinct, fill=fill)
    atoms = distinct[counts >= v.size / n_bins]
    rest = v[~np.isin(v, atoms)]
    n_rest_bins = max(n_bins - atoms.size, 1)
    edges = np.unique(np.quantile(rest, np.linspace(0.0, 1.0, n_rest_bins + 1)))
    inner = edges[1:-1]
    states = np.searchsorted(inner, rest, side="right")
    sampler = WithinBinSampler().fit(rest, states, edges[:-1], edges[1:]) if edges.size > 1 else \
        WithinBinSampler().fit(rest, np.zeros(rest.size, dtype=np.intp), edges[:1], edges[:1])
    n_value = atoms.size + inner.size + 1
    return _Target(c.name, False, n_value + has_missing, has_missing, atoms=atoms, edges=inner,
                   sampler=sampler, fill=fill)


def category_order(predictor: np.ndarray, target: np.ndarray, k_pred: int, k_target: int) -> np.ndarray:
    """A rank per state of a categorical predictor, so that one threshold on the rank splits well.

    States are ordered by their projection on the first principal component of the rows of the
    (smoothed) predictor × target frequency table, weighted by the rows' counts (Coppersmith,
    Hong & Hosking 1999). For a two-state target this is the order by ``P(second state)``, for
    which the best threshold is the best split of all (Breiman et al. 1984).
    """
    counts = np.bincount(predictor * k_target + target, minlength=k_pred * k_target).reshape(k_pred, k_target)
    counts = counts + 0.5
    w = counts.sum(axis=1)
    p = counts / w[:, None]
    centred = p - (w @ p) / w.sum()
    cov = (centred * w[:, None]).T @ centred
    _, vecs = np.linalg.eigh(cov)
    score = p @ vecs[:, -1]
    rank = np.empty(k_pred)
    rank[np.argsort(score, kind="stable")] = np.arange(k_pred)
    return rank


class SequentialCARTSynthesizer(Synthesizer):
    """Sequential classification trees with large, smoothed leaves and smoothed numbers.

    After :meth:`fit`: ``columns_`` (the visit order), ``n_leaves_`` (per column) and
    ``privacy_check_`` (the DCR share of the internal check and its verdict, or why it was skipped).
    """

    title = "Sequential trees (CART)"
    param_specs = (
        ParamSpec("min_leaf", "int", 50, "Fewest training rows in a leaf: larger copies less, smaller fits closer.",
                  min=1, max=100_000),
        ParamSpec("max_depth", "int", 12, "Deepest split of each tree.", min=1, max=40),
        ParamSpec("n_bins", "int", 24, "Quantile bins per number column (numbers are drawn inside them).",
                  min=2, max=200),
        ParamSpec("alpha", "float", 5.0, "Pseudo-rows pulling each leaf towards the column's overall frequencies.",
                  min=0.0, max=1000.0),
        ParamSpec("privacy_check", "choice", "warn",
                  "Fit on half the rows and measure the DCR share: 'warn', 'refuse' or 'off'.",
                  choices=("warn", "refuse", "off")),
        ParamSpec("max_dcr_share", "float", 0.57,
                  "The check's limit on the DCR share (0.5 = no memorisation; the check itself is uncertain "
                  "by about ±0.02).", min=0.5, max=1.0),
    )

    def __init__(self, min_leaf: int = 50, max_depth: int = 12, n_bins: int = 24, alpha: float = 5.0,
                 privacy_check: str = "warn", max_dcr_share: float = 0.57):
        self.min_leaf = min_leaf
        self.max_depth = max_depth
        self.n_bins = n_bins
        self.alpha = alpha
        self.privacy_check = privacy_check
        self.max_dcr_share = max_dcr_share

    def fit(self, table: Table, *, rng=None) -> "SequentialCARTSynthesizer":
        """Fit one tree per column (the privacy check first, unless ``privacy_check='off'``)."""
        params = self._validated_params()
        gen = as_generator(rng)
        modelled = self._begin_fit(table)
        self.privacy_check_ = {"status": "off"}
        if params["privacy_check"] != "off":
            self.privacy_check_ = self._check(table, params, gen)
        self.targets_ = [_target(c, params["n_bins"]) for c in modelled]
        self.columns_ = [c.name for c in modelled]
        states = [t.states(c.values) for c, t in zip(modelled, self.targets_)]
        raw = [None if t.discrete else np.where(c.missing, t.fill, c.values) for c, t in zip(modelled, self.targets_)]
        self.models_, self.orders_, self.n_leaves_ = [], [], []
        for j, t in enumerate(self.targets_):
            orders = [category_order(states[i], states[j], self.targets_[i].n_states, t.n_states)
                      if self.targets_[i].discrete else None for i in range(j)]
            x = self._features(orders, states, raw) if j else None
            tree, cdf = self._fit_one(x, states[j], t.n_states, params)
            self.models_.append((tree, cdf))
            self.orders_.append(orders)
            self.n_leaves_.append(1 if tree is None else int(np.sum(tree.feature_ < 0)))
        return self

    @staticmethod
    def _features(orders: list, states: list, raw: list) -> np.ndarray:
        """Predictors of one tree: ranked states of category columns, numbers as they are."""
        return np.column_stack([raw[i] if order is None else order[states[i]] for i, order in enumerate(orders)])

    @staticmethod
    def _fit_one(x: np.ndarray | None, y: np.ndarray, k: int, params: dict) -> tuple:
        """(tree or None, cumulative distributions per node over the column's states)."""
        marginal = np.bincount(y, minlength=k).astype(float)
        prior = marginal / marginal.sum()
        if x is None or np.unique(y).size < 2:
            return None, np.cumsum(prior)[None, :]
        tree = DecisionTree(max_depth=params["max_depth"], min_samples_leaf=params["min_leaf"], max_bins=64)
        tree.fit(x, y)
        n_nodes = tree.feature_.size
        counts = np.bincount(tree.apply(x) * k + y, minlength=n_nodes * k).reshape(n_nodes, k).astype(float)
        probs = normalise_rows(counts + params["alpha"] * prior[None, :])
        return tree, np.cumsum(probs, axis=1)

    def _check(self, table: Table, params: dict, gen: np.random.Generator) -> dict:
        """Fit on one half, sample, and measure the DCR share against the two halves."""
        from ..metrics.privacy import privacy

        half = min(table.n_rows // 2, CHECK_ROWS)
        if half < 50:
            return {"status": "skipped", "reason": f"{table.n_rows} rows are too few for a check on two halves."}
        perm = gen.permutation(table.n_rows)
        a, b = table.take(np.sort(perm[:half])), table.take(np.sort(perm[half:2 * half]))
        inner = SequentialCARTSynthesizer(**{**params, "privacy_check": "off"}).fit(a, rng=gen)
        syn = inner.sample(min(CHECK_SAMPLE, half), rng=gen)
        share = float(privacy(a, syn, b, max_queries=CHECK_SAMPLE, max_attack=10, rng=gen).get("dcr_share")["value"])
        out = {"status": "ok", "dcr_share": share, "limit": params["max_dcr_share"], "rows_per_half": half,
               "synthetic_rows": syn.n_rows}
        if share > params["max_dcr_share"]:
            text = (f"{self.title}: in a check on two halves of the data, {share:.0%} of synthetic rows sat closer "
                    f"to the rows the model was fitted on than to the held-out half (0.5 means no memorisation; "
                    f"the limit is {params['max_dcr_share']:g}). Raise min_leaf or use the differentially private "
                    "method before sharing.")
            if params["privacy_check"] == "refuse":
                raise InputError(text)
            warnings.warn(text, UserWarning, stacklevel=3)
            out.update(status="high", warning=text)
        return out

    def sample(self, n: int, *, rng=None) -> Table:
        """``n`` rows, column by column down the sequence of trees."""
        self._check_fitted()
        n = check_n(n)
        gen = as_generator(rng)
        values, states, raw = {}, [], []
        for t, (tree, cdf), orders in zip(self.targets_, self.models_, self.orders_):
            rows = np.zeros(n, dtype=np.intp) if tree is None else tree.apply(self._features(orders, states, raw))
            s = sample_rows_of_cdf(cdf, rows, gen.random(n))
            v = t.values(s, gen)
            values[t.name] = v
            states.append(s)
            raw.append(None if t.discrete else np.where(np.isnan(v), t.fill, v))
        return self._assemble(values, n)
