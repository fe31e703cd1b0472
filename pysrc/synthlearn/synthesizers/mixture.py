"""Gaussian mixture fitted by EM in numpy, extended to categories as a latent-class model.

Model (``K`` components, a hidden component ``k`` per row):

* number columns (standardised) are multivariate normal given ``k``, with a full
  covariance ``Σ_k`` (plus ``1e-6`` on the diagonal, as scikit-learn's ``reg_covar``);
* each categorical or boolean column is a categorical distribution given ``k``
  (a missing value is its own category), independent of the other columns given ``k``;
* each number column that has missing values gets a "missing" indicator, also a
  categorical given ``k``. Where the value is missing, the Gaussian part sees the
  column's mean as a placeholder; the placeholder never reaches the output, because a
  sampled row whose indicator says "missing" gets a missing value.

This is the simplest model that is fitted jointly, by one EM, and ties categories to
numbers: the components capture the dependence between them. EM starts from a
k-means++ seeding (``rng``) with every row assigned to its nearest seed.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..table import NUMERIC_KINDS, Table
from .base import ParamSpec, Synthesizer, check_n, sample_rows_of_cdf

_REG = 1e-6
_TINY = 1e-300


def _cholesky(sigma: np.ndarray) -> np.ndarray:
    """Cholesky factor, adding a growing ridge if rounding made ``sigma`` indefinite."""
    ridge = _REG
    while True:
        try:
            return np.linalg.cholesky(sigma)
        except np.linalg.LinAlgError:
            sigma = sigma + ridge * np.eye(sigma.shape[0])
            ridge *= 10


class GaussianMixtureSynthesizer(Synthesizer):
    """Mixture of ``n_components`` Gaussians (numbers) with per-component category frequencies.

    After :meth:`fit`: ``weights_`` (K), ``means_`` (K × p, original units, over
    ``numeric_columns_``), ``covariances_`` (K × p × p, original units), ``log_likelihood_``
    (mean log-likelihood per row at the last EM step: log-density of the numbers in their
    original units plus log-probability of the categories), ``n_iter_`` and ``converged_``.
    """

    title = "Gaussian mixture"
    param_specs = (
        ParamSpec("n_components", "int", 5, "Number of mixture components (clusters).", min=1, max=100),
        ParamSpec("max_iter", "int", 200, "Most EM iterations.", min=1, max=10_000),
        ParamSpec("tol", "float", 1e-3, "Stop when the mean log-likelihood improves by less than this (scikit-learn's default).",
                  min=0.0, max=1.0, min_exclusive=True),
    )

    def __init__(self, n_components: int = 5, max_iter: int = 200, tol: float = 1e-3):
        self.n_components = n_components
        self.max_iter = max_iter
        self.tol = tol

    # -- fitting ------------------------------------------------------------------------
    def fit(self, table: Table, *, rng=None) -> "GaussianMixtureSynthesizer":
        """Run EM from a k-means++ start drawn with ``rng``."""
        params = self._validated_params()
        rng = as_generator(rng)
        modelled = self._begin_fit(table)
        k = params["n_components"]
        if k > table.n_rows:
            raise InputError(f"{self.title}: n_components ({k}) cannot exceed the number of rows "
                             f"({table.n_rows}); choose {table.n_rows} or fewer.")
        numeric = [c for c in modelled if c.kind in NUMERIC_KINDS]
        self.numeric_columns_ = [c.name for c in numeric]
        x = table.matrix(self.numeric_columns_)
        obs = ~np.isnan(x)
        counts = np.maximum(obs.sum(axis=0), 1)
        self.centre_ = np.where(obs, x, 0.0).sum(axis=0) / counts
        spread = np.sqrt(np.where(obs, (x - self.centre_) ** 2, 0.0).sum(axis=0) / counts)
        self.scale_ = np.where(spread > 0, spread, 1.0)
        z = np.where(obs, (x - self.centre_) / self.scale_, 0.0)

        # discrete features: (name, codes, n_states, role) with role "column" or "missing"
        feats = []
        for c in modelled:
            miss = c.missing
            if c.is_discrete:
                kc = len(c.categories)
                codes = np.where(miss, kc, np.nan_to_num(c.values, nan=0.0)).astype(int)
                feats.append((c.name, codes, kc + 1, "column"))
            elif miss.any():
                feats.append((c.name, miss.astype(int), 2, "missing"))
        self.features_ = [(name, n_states, role) for name, _, n_states, role in feats]
        codes = [f[1] for f in feats]
        n_states = [f[2] for f in feats]

        from scipy.special import logsumexp  # scipy is imported only when a mixture is fitted

        resp = self._kmeans_pp(z, codes, k, rng)
        prev = -np.inf
        self.converged_ = False
        for it in range(1, params["max_iter"] + 1):
            self._m_step(z, codes, n_states, resp)
            log_joint = self._log_joint(z, codes)
            ll_rows = logsumexp(log_joint, axis=1)
            ll = float(ll_rows.mean())
            resp = np.exp(log_joint - ll_rows[:, None])
            self.n_iter_ = it
            if abs(ll - prev) < params["tol"]:
                self.converged_ = True
                break
            prev = ll
        # the last E-step's likelihood is that of the parameters kept; report it in original units
        self.log_likelihood_ = ll - float(np.log(self.scale_).sum())
        self.weights_ = self.pi_.copy()
        self.means_ = self.centre_ + self.mu_ * self.scale_
        self.covariances_ = self.sigma_ * np.outer(self.scale_, self.scale_)[None]
        return self

    def _kmeans_pp(self, z: np.ndarray, codes: list[np.ndarray], k: int, rng: np.random.Generator) -> np.ndarray:
        """Hard responsibilities from k-means++ seeds (squared distance: numbers + category mismatches)."""
        n = z.shape[0]

        def dist2(i: int) -> np.ndarray:
            d = ((z - z[i]) ** 2).sum(axis=1)
            for c in codes:
                d = d + (c != c[i])
            return d

        seeds = [int(rng.integers(n))]
        best = dist2(seeds[0])
        dists = [best]
        for _ in range(1, k):
            total = best.sum()
            nxt = int(rng.choice(n, p=best / total)) if total > 0 else int(rng.integers(n))
            seeds.append(nxt)
            d = dist2(nxt)
            dists.append(d)
            best = np.minimum(best, d)
        label = np.argmin(np.column_stack(dists), axis=1)
        label[seeds] = np.arange(k)  # every component starts with at least its seed
        resp = np.zeros((n, k))
        resp[np.arange(n), label] = 1.0
        return resp

    def _m_step(self, z: np.ndarray, codes: list[np.ndarray], n_states: list[int], resp: np.ndarray) -> None:
        n, p = z.shape
        k = resp.shape[1]
        raw = resp.sum(axis=0)
        empty = raw < 1e-8  # a component that lost all its rows keeps a harmless default
        nk = np.where(empty, 1.0, raw)
        self.pi_ = (raw + 10 * np.finfo(float).eps) / (raw.sum() + 10 * k * np.finfo(float).eps)
        self.mu_ = np.where(empty[:, None], 0.0, (resp.T @ z) / nk[:, None])
        sigma = np.empty((k, p, p))
        for j in range(k):
            diff = z - self.mu_[j]
            sigma[j] = np.eye(p) if empty[j] else (resp[:, j, None] * diff).T @ diff / nk[j]
            sigma[j].flat[:: p + 1] += _REG
        self.sigma_ = sigma
        self.theta_ = []
        for c, ks in zip(codes, n_states):
            counts = np.stack([np.bincount(c, weights=resp[:, j], minlength=ks) for j in range(k)])
            counts[empty] = 1.0
            self.theta_.append(counts / counts.sum(axis=1, keepdims=True).clip(min=_TINY))

    def _log_joint(self, z: np.ndarray, codes: list[np.ndarray]) -> np.ndarray:
        """``log π_k + log p(row | k)`` for every row and component, shape (n, K)."""
        n, p = z.shape
        k = self.pi_.size
        out = np.tile(np.log(self.pi_), (n, 1))
        if p:
            self.chol_ = np.empty_like(self.sigma_)
            for j in range(k):
                chol = _cholesky(self.sigma_[j])
                self.chol_[j] = chol
                y = (z - self.mu_[j]) @ np.linalg.inv(chol).T  # rows of L^-1 (x - mu)
                logdet = 2 * np.log(np.diag(chol)).sum()
                out[:, j] += -0.5 * ((y * y).sum(axis=1) + logdet + p * np.log(2 * np.pi))
        for c, theta in zip(codes, self.theta_):
            out += np.log(np.maximum(theta, _TINY))[:, c].T
        return out

    # -- sampling -----------------------------------------------------------------------
    def sample(self, n: int, *, rng=None) -> Table:
        """``n`` rows: a component per row, then its Gaussian and its category frequencies."""
        self._check_fitted()
        n = check_n(n)
        rng = as_generator(rng)
        comp = np.searchsorted(np.cumsum(self.pi_)[:-1], rng.random(n), side="right")
        p = len(self.numeric_columns_)
        z = rng.standard_normal((n, p))
        for j in range(self.pi_.size):
            if p:
                rows = comp == j
                z[rows] = self.mu_[j] + z[rows] @ self.chol_[j].T
        x = self.centre_ + z * self.scale_
        values = {name: x[:, j] for j, name in enumerate(self.numeric_columns_)}
        for (name, n_states, role), theta in zip(self.features_, self.theta_):
            state = sample_rows_of_cdf(np.cumsum(theta, axis=1), comp, rng.random(n))
            if role == "column":
                values[name] = np.where(state == n_states - 1, np.nan, state.astype(float))
            else:
                values[name] = np.where(state == 1, np.nan, values[name])
        return self._assemble(values, n)
