"""Chow–Liu tree Bayesian network over binned columns.

1. Every column is discretised (:class:`~synthlearn.discretize.Discretizer`: equal-width
   bins for numbers, categories as they are, missing values as their own state).
2. The empirical mutual information of every pair of columns is computed, and the tree
   that maximises the total mutual information is found as a maximum spanning tree
   (Chow & Liu, 1968) — ``scipy.sparse.csgraph.minimum_spanning_tree`` on ``-(MI + 1)``.
3. The tree is rooted at the first modelled column and every edge oriented away from
   it. The root gets its marginal, each child a conditional table ``P(child | parent)``,
   both with Laplace smoothing ``alpha`` (``alpha`` pseudo-rows spread over each row of a
   table; a column gets a "missing" state only if it has missing values, so smoothing
   never invents missing values).
4. Sampling is ancestral: root first, then each child given its sampled parent; states
   are mapped back to values (inside a number bin, drawn from the training values' smoothed
   distribution in that bin; an integer column's lower bound is a state of its own).

Categories beyond the ``max_categories - 1`` most frequent share one "other" state (drawn
back by their observed frequencies), which keeps every conditional table small.
"""

from __future__ import annotations

import numpy as np

from ..discretize import Discretizer
from ..table import Table
from .base import ParamSpec, Synthesizer, normalise_rows, sample_tree


def contingency(a: np.ndarray, b: np.ndarray, ka: int, kb: int) -> np.ndarray:
    """The ``ka × kb`` table of counts of the state pairs ``(a[i], b[i])``."""
    cells = np.asarray(a, dtype=np.intp) * kb + np.asarray(b, dtype=np.intp)
    return np.bincount(cells, minlength=ka * kb).reshape(ka, kb).astype(float)


def mutual_information(a: np.ndarray, b: np.ndarray) -> float:
    """Empirical mutual information (nats) of two integer-coded variables.

    Uses only the occupied cells, so it stays fast and small for many states.
    Equals ``sklearn.metrics.mutual_info_score(a, b)``.
    """
    n = a.size
    if n == 0:
        return 0.0
    a = np.asarray(a, dtype=np.intp)
    b = np.asarray(b, dtype=np.intp)
    ka, kb = int(a.max()) + 1, int(b.max()) + 1
    if min(a.min(), b.min()) >= 0 and ka * kb <= max(4 * n, 4096):
        table = np.bincount(a * kb + b, minlength=ka * kb).reshape(ka, kb) / n
        pa, pb = table.sum(axis=1), table.sum(axis=0)
        nz = table > 0
        outer = np.outer(pa, pb)
        return float(max(0.0, np.sum(table[nz] * np.log(table[nz] / outer[nz]))))
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    ia, ib = ia.ravel(), ib.ravel()
    kb = int(ib.max()) + 1
    pairs, counts = np.unique(ia.astype(np.int64) * kb + ib, return_counts=True)
    pa = np.bincount(ia) / n
    pb = np.bincount(ib) / n
    pab = counts / n
    return float(max(0.0, np.sum(pab * np.log(pab / (pa[pairs // kb] * pb[pairs % kb])))))


def chow_liu_edges(mi: np.ndarray, root: int = 0) -> list[tuple[int, int]]:
    """(parent, child) index pairs of the maximum-MI spanning tree, oriented away from ``root``."""
    d = mi.shape[0]
    if d < 2:
        return []
    from scipy.sparse.csgraph import breadth_first_order, minimum_spanning_tree

    weights = -(np.asarray(mi, dtype=float) + 1.0)  # all weights negative and non-zero: a full graph
    np.fill_diagonal(weights, 0.0)
    tree = minimum_spanning_tree(np.triu(weights))
    order, pred = breadth_first_order(tree, root, directed=False, return_predecessors=True)
    return [(int(pred[c]), int(c)) for c in order[1:]]


class BayesianNetworkSynthesizer(Synthesizer):
    """Chow–Liu tree over binned columns, sampled ancestrally.

    After :meth:`fit`: ``edges_`` (list of ``(parent, child)`` column names),
    ``mutual_information_`` (matrix over ``modelled_`` columns), ``root_``.
    """

    title = "Bayesian network (Chow–Liu tree)"
    param_specs = (
        ParamSpec("n_bins", "int", 20, "Equal-width bins per number column.", min=2, max=200),
        ParamSpec("alpha", "float", 1.0, "Laplace smoothing: pseudo-count added to every cell.", min=0.0, max=100.0),
        ParamSpec("max_categories", "int", 100, "Categories kept as their own state; rarer ones share one.",
                  min=2, max=1000),
    )

    def __init__(self, n_bins: int = 20, alpha: float = 1.0, max_categories: int = 100):
        self.n_bins = n_bins
        self.alpha = alpha
        self.max_categories = max_categories

    def fit(self, table: Table, *, rng=None) -> "BayesianNetworkSynthesizer":
        """Bin, learn the Chow–Liu tree and its smoothed tables (deterministic)."""
        params = self._validated_params()
        modelled = self._begin_fit(table)
        sub = Table(tuple(modelled))
        d = len(modelled)
        self.edges_ = []
        self.mutual_information_ = np.zeros((d, d))
        if d == 0:
            return self
        self.discretizer_ = Discretizer(params["n_bins"], missing="observed", max_categories=params["max_categories"],
                                        within="data", point_low=True).fit(sub)
        codes = self.discretizer_.transform(sub)
        k = self.discretizer_.n_states_
        mi = np.zeros((d, d))
        for i in range(d):
            for j in range(i + 1, d):
                mi[i, j] = mi[j, i] = mutual_information(codes[:, i], codes[:, j])
        self.mutual_information_ = mi
        self.root_ = self.modelled_[0]
        edges = chow_liu_edges(mi, 0)
        self.edges_ = [(self.modelled_[p], self.modelled_[c]) for p, c in edges]
        alpha = params["alpha"]
        self._order = [(None, 0)] + edges  # (parent index, child index) in sampling order
        self._cdfs = [np.cumsum(normalise_rows(np.bincount(codes[:, 0], minlength=k[0]) + alpha))[None, :]]
        for p, c in edges:
            table_pc = contingency(codes[:, p], codes[:, c], k[p], k[c]) + alpha
            self._cdfs.append(np.cumsum(normalise_rows(table_pc), axis=1))
        return self

    def sample(self, n: int, *, rng=None) -> Table:
        """``n`` rows by ancestral sampling down the tree."""
        return sample_tree(self, n, rng)
