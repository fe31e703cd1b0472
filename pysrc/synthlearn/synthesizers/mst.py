"""A differentially private synthesizer in the style of MST (McKenna, Miklau & Sheldon, 2021).

Privacy accounting uses zero-concentrated differential privacy (zCDP, Bun & Steinke 2016)
under *add/remove-one-row* neighbouring tables:

* ``(ε, δ)`` is turned into a zCDP budget ``ρ`` with the standard conversion
  ``ε = ρ + 2·sqrt(ρ·log(1/δ))`` (Bun & Steinke 2016, Proposition 1.3), solved for ρ:
  ``ρ = (sqrt(log(1/δ) + ε) − sqrt(log(1/δ)))²``. Canonne, Kamath & Steinke (2020) give a
  tighter conversion; the standard one is valid and slightly conservative.
* zCDP composes by adding the ρ of each step; ρ is split in thirds:

  1. **one-way marginals**: the count vector of each of the ``d`` columns (binned) gets
     Gaussian noise. One row changes one count by 1, so the L2 sensitivity is 1 and the
     Gaussian mechanism with standard deviation σ costs ``1/(2σ²)``. Giving each marginal
     ``ρ₁/d`` makes ``σ₁ = sqrt(d / (2ρ₁))``.
  2. **tree selection**: a spanning tree is grown Kruskal-style, one edge at a time, by the
     exponential mechanism. The score of a candidate pair ``(a, b)`` is the L1 error of the
     independence model built from the *noisy* one-way marginals, ``‖M_ab(D) − N̂·p̂_a ⊗
     p̂_b‖₁``, where ``M_ab(D)`` is the true two-way count table and ``N̂``, ``p̂`` come only
     from step 1 (post-processing). Adding or removing one row changes one cell of
     ``M_ab(D)`` by 1, so the score's sensitivity is 1. Each selection with parameter ε_em
     (probabilities ∝ ``exp(ε_em·score/2)``) costs ``ε_em²/8`` in zCDP (Cesar & Rogers 2021,
     as used by MST), so ``r`` selections with ``ε_em = sqrt(8ρ₂/r)`` cost ρ₂.
  3. **two-way marginals** of the ``r`` chosen edges with Gaussian noise,
     ``σ₃ = sqrt(r / (2ρ₃))``.

  If no pair of columns can be an edge (one column, or every pair's table is larger than
  ``MAX_PAIR_CELLS`` cells — a fact about the public domains only), the whole budget goes to
  the one-way marginals.
* Post-processing (free): negative counts are clipped to zero and tables normalised;
  each tree is rooted at its first column, the root gets its noisy one-way marginal and each
  child the conditional ``P(child | parent)`` of its noisy two-way table (a parent state
  with no mass falls back to the child's one-way marginal), so every edge's joint agrees
  with its parent's marginal; sampling is ancestral, then values are drawn inside bins.

**Finer bins.** A binned number column's one-way marginal is measured at ``fine_bins`` times
the resolution (each bin cut into equal parts; same sensitivity, same noise); its bin counts
are the sums (post-processing), and a number inside a bin is drawn from the noisy counts of
its parts. An integer column's lower bound is a state of its own (a rule on public bounds).

**Missing values** are schema information. A column gets a "missing" state only if it can be
missing. By default (``missing="observed"``) those are the columns with missing values in the
table, which reads one bit per column from the data (reported as not protected, like category
lists read from the data); ``missing="none"`` declares publicly that no column can be missing
(a table with missing values is then refused); ``missing="all"`` gives every column the state,
which reveals nothing but lets noise put phantom missing values into columns that have none.

**Public metadata** (treated as known to everyone, not protected): column names and kinds,
category domains, numeric bounds, the number of bins, and which columns can be missing. Bounds passed in
``bounds`` are declared public; for any other number column the bounds are the column's
own minimum and maximum, *taken from the data*, and are **not** private. Likewise,
category lists read from the private data are not private: declare them if it matters.
:meth:`MSTSynthesizer.privacy_report` lists which columns are in which case.
"""

from __future__ import annotations

import math

import numpy as np

from .._rng import as_generator
from ..discretize import Discretizer
from ..errors import InputError
from ..table import Table
from .base import ParamSpec, Synthesizer, normalise_rows, sample_tree
from .bayesnet import contingency

#: Pairs whose two-way table would have more cells than this are never candidate edges.
MAX_PAIR_CELLS = 250_000


def rho_from_epsilon_delta(epsilon: float, delta: float) -> float:
    """zCDP ρ whose standard conversion gives (ε, δ)-DP: solve ``ε = ρ + 2·sqrt(ρ·log(1/δ))``."""
    if not (epsilon > 0 and 0 < delta < 1):
        raise InputError(f"Need epsilon > 0 and 0 < delta < 1, not epsilon={epsilon!r}, delta={delta!r}.")
    log_inv = math.log(1.0 / delta)
    return (math.sqrt(log_inv + epsilon) - math.sqrt(log_inv)) ** 2


def epsilon_from_rho(rho: float, delta: float) -> float:
    """The ε of ρ-zCDP at a given δ (Bun & Steinke 2016, Prop. 1.3): ``ρ + 2·sqrt(ρ·log(1/δ))``."""
    if not (rho >= 0 and 0 < delta < 1):
        raise InputError(f"Need rho ≥ 0 and 0 < delta < 1, not rho={rho!r}, delta={delta!r}.")
    return rho + 2.0 * math.sqrt(rho * math.log(1.0 / delta))


def gaussian_sigma(rho: float, sensitivity: float = 1.0) -> float:
    """Noise standard deviation of the Gaussian mechanism that is ρ-zCDP: ``Δ / sqrt(2ρ)``."""
    return sensitivity / math.sqrt(2.0 * rho)


def _component_labels(d: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """The connected component of each of ``d`` columns joined by ``pairs`` (scipy's csgraph)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rows = [a for a, _ in pairs]
    cols = [b for _, b in pairs]
    graph = coo_matrix((np.ones(len(pairs)), (rows, cols)), shape=(d, d))
    return connected_components(graph, directed=False)[1]


def _components(d: int, pairs: list[tuple[int, int]]) -> int:
    return int(np.unique(_component_labels(d, pairs)).size)


class FineBinSampler:
    """Draws numbers inside a bin from the noisy counts of its finer bins (post-processing only).

    A finer bin is chosen with probability proportional to its clipped noisy count (all zero:
    uniform), then the number is uniform inside it; the point state returns its value.
    """

    def __init__(self, bins, fine: np.ndarray):
        self.lows, self.highs = bins.bin_edges()
        value = fine[: bins.n_value_states]
        self.cdf = np.cumsum(normalise_rows(np.clip(value, 0, None)), axis=1)
        self.parts = fine.shape[1]

    def sample(self, states: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One number per (value) state in ``states``."""
        from .base import sample_rows_of_cdf

        sub = sample_rows_of_cdf(self.cdf, states, rng.random(states.size))
        lo, hi = self.lows[states], self.highs[states]
        return lo + (sub + rng.random(states.size)) / self.parts * (hi - lo)


class MSTSynthesizer(Synthesizer):
    """Differentially private MST-style synthesizer (see the module docstring for the accounting).

    ``epsilon`` and ``delta`` are the (ε, δ)-DP guarantee for the whole fit; ``n_bins`` the
    equal-width bins per number column over ``bounds`` (dict ``name -> (low, high)``,
    declared public; other number columns use their data bounds, which are not private).
    After :meth:`fit`: ``rho_``, ``edges_`` (parent, child names), ``one_way_noisy_`` and
    ``two_way_noisy_`` (the released noisy counts), ``n_estimate_`` (a noisy row count: sample
    about that many rows, since sampling exactly the real row count would reveal it) and
    :meth:`privacy_report`.
    """

    title = "Differentially private MST"
    #: TEST ONLY — multiplies every Gaussian noise σ actually drawn (the stated σ does not change).
    #: 1.0 is the real mechanism; :mod:`synthlearn.privacy_audit` sets 0.5 on an instance to show
    #: that the audit catches a broken implementation. Never change it for a release.
    _noise_scale = 1.0
    param_specs = (
        ParamSpec("epsilon", "float", 1.0, "Privacy loss ε: smaller is more private and noisier.",
                  min=0.0, max=100.0, min_exclusive=True),
        ParamSpec("delta", "float", 1e-9, "Privacy failure probability δ (far below 1 / rows).",
                  min=0.0, max=0.01, min_exclusive=True),
        ParamSpec("n_bins", "int", 16, "Equal-width bins per number column (over public bounds).", min=2, max=200),
        ParamSpec("bounds", "bounds", None, "Declared public bounds: {column: [low, high]}."),
        ParamSpec("fine_bins", "int", 8, "Finer bins inside each bin, measured with the one-way marginals "
                  "(numbers are drawn from them).", min=1, max=64),
        ParamSpec("missing", "choice", "observed",
                  "Which columns can be missing: those with missing values in the table ('observed', read from "
                  "the data, not protected), none ('none', declared public) or every column ('all').",
                  choices=("observed", "none", "all")),
    )

    def __init__(self, epsilon: float = 1.0, delta: float = 1e-9, n_bins: int = 16,
                 bounds: dict[str, tuple[float, float]] | None = None, fine_bins: int = 8,
                 missing: str = "observed"):
        self.epsilon = epsilon
        self.delta = delta
        self.n_bins = n_bins
        self.bounds = bounds
        self.fine_bins = fine_bins
        self.missing = missing

    def fit(self, table: Table, *, rng=None) -> "MSTSynthesizer":
        """Measure noisy marginals, select a tree privately and build the sampler."""
        params = self._validated_params()
        rng = as_generator(rng)
        columns = self._begin_fit(table, detect_fixed=False)
        missing = {"observed": "observed", "all": "always", "none": []}[params["missing"]]
        if params["missing"] == "none":
            holes = [c.name for c in columns if c.missing.any()]
            if holes:
                raise InputError(f"{self.title}: missing='none' declares that no column can be missing, but "
                                 f"'{holes[0]}' has missing values; use missing='observed'.", column=holes[0])
        disc = Discretizer(params["n_bins"], bounds=params["bounds"], missing=missing,
                           point_low=True).fit(Table(tuple(columns)))
        self.discretizer_ = disc
        codes = disc.transform(table)
        k = disc.n_states_
        d = len(columns)
        names = self.modelled_
        rho = rho_from_epsilon_delta(params["epsilon"], params["delta"])
        candidates = [(a, b) for a in range(d) for b in range(a + 1, d) if k[a] * k[b] <= MAX_PAIR_CELLS]
        n_select = d - _components(d, candidates)
        rho1, rho2, rho3 = (rho / 3, rho / 3, rho / 3) if n_select else (rho, 0.0, 0.0)
        self.rho_ = rho

        # 1. one-way marginals (binned number columns at the finer resolution)
        sigma1 = gaussian_sigma(rho1 / d)
        self.one_way_noisy_, self.fine_noisy_, self._samplers = {}, {}, {}
        probs = []
        totals, weights = [], []
        for j, b in enumerate(disc.columns_):
            noisy, fine = self._one_way(b, codes[:, j], table[b.name].values, params["fine_bins"],
                                        sigma1 * self._noise_scale, rng)
            self.one_way_noisy_[names[j]] = noisy
            if fine is not None:
                self.fine_noisy_[names[j]] = fine
                self._samplers[names[j]] = FineBinSampler(b, fine)
            probs.append(normalise_rows(np.clip(noisy, 0, None)))
            totals.append(noisy.sum())
            weights.append(1.0 / k[j])  # the total of k noisy cells has variance k σ²
        n_hat = max(1.0, float(np.dot(totals, weights) / np.sum(weights)))
        self.n_estimate_ = n_hat

        # 2. tree selection by the exponential mechanism (Gumbel-max form)
        edges: list[tuple[int, int]] = []
        eps_em = math.sqrt(8 * rho2 / n_select) if n_select else 0.0
        if n_select:
            scores = {}
            for a, b in candidates:
                true = contingency(codes[:, a], codes[:, b], k[a], k[b])
                scores[a, b] = float(np.abs(true - n_hat * np.outer(probs[a], probs[b])).sum())
            for _ in range(n_select):
                label = _component_labels(d, edges)
                open_pairs = [e for e in candidates if label[e[0]] != label[e[1]]]
                q = np.array([scores[e] for e in open_pairs])
                pick = int(np.argmax(eps_em * q / 2.0 + rng.gumbel(size=q.size)))
                edges.append(open_pairs[pick])
        self.selection_epsilon_ = eps_em

        # 3. two-way marginals on the chosen edges
        sigma3 = gaussian_sigma(rho3 / len(edges)) if edges else 0.0
        self.two_way_noisy_ = {}
        noisy_pairs = {}
        for a, b in edges:
            noisy = contingency(codes[:, a], codes[:, b], k[a], k[b]) + rng.normal(0.0, sigma3 * self._noise_scale, size=(k[a], k[b]))
            noisy_pairs[a, b] = noisy
            self.two_way_noisy_[names[a], names[b]] = noisy
        self._sigmas = (sigma1, sigma3)
        self._rhos = (rho1, rho2, rho3)
        self._n_select = n_select

        # post-processing: orient each tree away from its first column, build the sampler
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import breadth_first_order

        graph = coo_matrix((np.ones(len(edges)), ([a for a, _ in edges], [b for _, b in edges])), shape=(d, d))
        seen = np.zeros(d, dtype=bool)
        self._order, self._cdfs = [], []
        oriented = []
        for root in range(d):
            if seen[root]:
                continue
            order, pred = breadth_first_order(graph, root, directed=False, return_predecessors=True)
            seen[order] = True
            self._order.append((None, root))
            self._cdfs.append(np.cumsum(probs[root])[None, :])
            for c in order[1:]:
                p = int(pred[c])
                c = int(c)
                t = noisy_pairs[p, c] if (p, c) in noisy_pairs else noisy_pairs[c, p].T
                t = np.clip(t, 0, None)
                sums = t.sum(axis=1, keepdims=True)
                cond = np.where(sums > 0, t / np.where(sums > 0, sums, 1.0), probs[c][None, :])
                self._order.append((p, c))
                self._cdfs.append(np.cumsum(cond, axis=1))
                oriented.append((names[p], names[c]))
        self.edges_ = oriented
        return self

    def sample(self, n: int, *, rng=None) -> Table:
        """``n`` rows by ancestral sampling from the post-processed noisy marginals."""
        return sample_tree(self, n, rng, samplers=getattr(self, "_samplers", None))  # unfitted: sample_tree says so

    @staticmethod
    def _one_way(b, states: np.ndarray, values: np.ndarray, fine_bins: int, sigma: float,
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
        """Noisy counts of one column's states, and of its finer bins when it is a binned number column.

        A binned number column is measured once, at the finer resolution: ``fine_bins`` equal
        parts of every bin (the point state and the missing state are one cell each). One row
        changes one cell by 1 (L2 sensitivity 1, noise ``sigma``); the counts of the states
        are sums of their cells (post-processing).
        """
        k = b.n_states
        if b.discrete or b.exact_integers or b.width <= 0 or fine_bins <= 1:
            return np.bincount(states, minlength=k) + rng.normal(0.0, sigma, size=k), None
        lows, highs = b.bin_edges()
        value = states < b.n_value_states
        sv = np.minimum(states, b.n_value_states - 1)
        span = np.where(highs[sv] > lows[sv], highs[sv] - lows[sv], 1.0)
        sub = np.clip(np.floor((np.nan_to_num(values) - lows[sv]) / span * fine_bins), 0, fine_bins - 1)
        sub = np.where(value & (highs[sv] > lows[sv]), sub, 0).astype(np.intp)
        fine = np.bincount(states * fine_bins + sub, minlength=k * fine_bins).reshape(k, fine_bins).astype(float)
        single = np.ones(k, dtype=bool)  # states that are one cell: the point state and "missing"
        single[:b.n_value_states] = highs <= lows
        cells = np.where(single[:, None], np.arange(fine_bins)[None, :] == 0, True)
        fine = fine + np.where(cells, rng.normal(0.0, sigma, size=fine.shape), 0.0)
        return fine.sum(axis=1), fine

    def privacy_report(self) -> dict:
        """Budget, per-step ρ and noise, and which metadata is public (JSON-able)."""
        self._check_fitted()
        sigma1, sigma3 = self._sigmas
        rho1, rho2, rho3 = self._rhos
        d = len(self.modelled_)
        r = self._n_select
        steps = [
            {"step": "one-way marginals", "mechanism": "Gaussian", "count": d, "rho": rho1,
             "rho_each": rho1 / d, "sensitivity": 1.0, "sigma": sigma1},
            {"step": "tree selection", "mechanism": "exponential (L1 error of the independence model)",
             "count": r, "rho": rho2, "rho_each": rho2 / r if r else 0.0, "sensitivity": 1.0,
             "epsilon_each": self.selection_epsilon_},
            {"step": "two-way marginals", "mechanism": "Gaussian", "count": len(self.edges_), "rho": rho3,
             "rho_each": rho3 / len(self.edges_) if self.edges_ else 0.0, "sensitivity": 1.0,
             "sigma": sigma3},
        ]
        columns = []
        for b in self.discretizer_.columns_:
            if b.bounds_source == "domain":
                source = "category domain (public; if read from the private data it is not protected)"
            elif b.bounds_source == "declared":
                source = "declared bounds (public)"
            else:
                source = "bounds taken from the data (NOT private: declare them in `bounds`)"
            if self.missing == "none":
                can_miss = "declared: no column can be missing (public)"
            elif self.missing == "all":
                can_miss = "every column has a missing state (public)"
            else:
                can_miss = "taken from the data (NOT private: declare it with missing='none' or 'all')"
            columns.append({"name": b.name, "kind": b.kind, "states": int(b.n_states), "domain": source,
                            "can_be_missing": b.missing_state is not None, "missing_state": can_miss})
        leaks = [c["name"] for c in columns if c["domain"].startswith("bounds taken")]
        return {
            "epsilon": float(self.epsilon), "delta": float(self.delta), "rho": float(self.rho_),
            "rho_spent": float(sum(s["rho"] for s in steps)),
            "conversion": "epsilon = rho + 2*sqrt(rho*log(1/delta)) (Bun & Steinke 2016)",
            "neighbouring": "add or remove one row",
            "steps": [{k: (float(v) if isinstance(v, (float, np.floating)) else v) for k, v in s.items()}
                      for s in steps],
            "edges": [list(e) for e in self.edges_],
            "public": ["column names", "column kinds", "category domains", "numeric bounds", "number of bins",
                       "which columns can be missing"],
            "columns": columns,
            "not_private": leaks,
            "missing_states": {"observed": "columns with missing values in the table get a missing state (which "
                                           "columns have any is read from the data and not protected)",
                               "none": "declared: no column can be missing (public)",
                               "all": "every column has a missing state (public; noise can put missing values "
                                      "into columns that have none)"}[self.missing],
            "n_rows_estimate": int(round(self.n_estimate_)),
            "row_count_note": ("The number of rows you sample is your choice and is not protected: sampling "
                               "exactly as many rows as the real table reveals its size; n_rows_estimate is a "
                               "private (noisy) estimate to use instead."),
            "warning": (f"Bounds of {', '.join(leaks)} were taken from the data itself, so they are not "
                        "protected by the guarantee; declare public bounds.") if leaks else "",
        }
