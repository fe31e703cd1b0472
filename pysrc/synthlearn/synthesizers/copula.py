"""Gaussian copula over mixed column types.

Every modelled column is turned into a *normal score* ``z`` so that the scores of each
column are standard normal; the dependence between columns is then summarised by the
correlation matrix of the scores. Sampling draws correlated normal scores and maps each
back through its column's marginal.

* Numbers (numeric, integer, datetime): the empirical CDF (``EmpiricalUnivariate``). A
  tied value ``x`` covers the interval ``[F(x-), F(x)]`` of probability; its uniform score
  is drawn uniformly inside that interval (the randomised probability integral transform),
  so ties do not pile up on one normal score.
* Categories and booleans: category ``c`` covers the interval of its cumulative frequency;
  the uniform score is drawn uniformly inside it, then ``z = ndtri(u)``.
* Missing values are a state: they take the lowest interval ``[0, p_missing)`` of the
  column's uniform scale, so a column's missing share is reproduced (in expectation) and how
  missingness moves with the other columns is kept in part (one correlation per pair has
  to describe both the value and its missingness).

The correlation matrix is fixed to be positive semi-definite (eigenvalues clipped at
zero, unit diagonal restored) before sampling through :func:`~synthlearn.synthesizers.base.psd_factor`:
its Cholesky factor when the matrix is positive definite (the same rows on every platform),
an eigen-factor only when collinear columns make it singular.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..table import Column, Table
from ..univariate import EmpiricalUnivariate
from .base import Synthesizer, check_n, conform_numeric, psd_factor

_EPS = 1e-10


@dataclass
class _Margin:
    """One column's map between values and uniform scores."""

    name: str
    discrete: bool
    p_missing: float
    edges: np.ndarray | None = None  # discrete: cumulative edges [0, p_miss, p_miss+p_0, ..., 1]
    categories: tuple[str, ...] = ()
    dist: EmpiricalUnivariate | None = None

    def to_uniform(self, values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        v = rng.random(values.size)
        miss = np.isnan(values)
        if self.discrete:
            state = np.where(miss, 0, np.nan_to_num(values, nan=0.0).astype(int) + 1)
            lo, hi = self.edges[state], self.edges[state + 1]
            u = lo + v * (hi - lo)
        else:
            u = np.empty(values.size)
            x = values[~miss]
            order = np.argsort(x)  # sorted queries make the CDF's binary searches cache-friendly
            f_hi = np.empty(x.size)
            f_lo = np.empty(x.size)
            f_hi[order] = self.dist.cdf(x[order])
            f_lo[order] = self.dist.cdf(np.nextafter(x[order], -np.inf))
            u[~miss] = self.p_missing + (1 - self.p_missing) * (f_lo + v[~miss] * (f_hi - f_lo))
            u[miss] = v[miss] * self.p_missing
        if self.p_missing == 0:
            u[miss] = 0.5  # a missing value the model never saw: treated as the median
        return np.clip(u, _EPS, 1 - _EPS)

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        if self.discrete:
            state = np.searchsorted(self.edges[1:-1], u, side="right")
            return np.where(state == 0, np.nan, state - 1.0)
        miss = u < self.p_missing
        out = np.full(u.size, np.nan)
        scaled = np.clip((u[~miss] - self.p_missing) / (1 - self.p_missing), 0.0, 1.0)
        order = np.argsort(scaled)
        values = np.empty(scaled.size)
        values[order] = self.dist.ppf(scaled[order])
        out[~miss] = values
        return out


def _margin(c: Column) -> _Margin:
    miss = c.missing
    p_missing = float(miss.mean())
    if c.is_discrete:
        counts = np.bincount(c.values[~miss].astype(int), minlength=len(c.categories)).astype(float)
        probs = np.concatenate([[miss.sum()], counts]) / c.values.size
        edges = np.concatenate([[0.0], np.cumsum(probs)])
        edges[-1] = 1.0
        return _Margin(c.name, True, p_missing, edges=edges, categories=c.categories)
    return _Margin(c.name, False, p_missing, dist=EmpiricalUnivariate().fit(c.values[~miss]))


def nearest_correlation(matrix: np.ndarray) -> np.ndarray:
    """A valid correlation matrix near ``matrix``: NaN -> 0, eigenvalues clipped at 0, unit diagonal."""
    m = np.nan_to_num(np.asarray(matrix, dtype=float), nan=0.0)
    m = (m + m.T) / 2
    np.fill_diagonal(m, 1.0)
    w, v = np.linalg.eigh(m)
    if w.min() < 0:
        m = (v * np.clip(w, 0, None)) @ v.T
        d = np.sqrt(np.clip(np.diag(m), 1e-12, None))
        m = m / d[:, None] / d[None, :]
        np.fill_diagonal(m, 1.0)
    return m


class GaussianCopulaSynthesizer(Synthesizer):
    """Gaussian copula with empirical marginals, for numbers, categories and missing values.

    After :meth:`fit`: ``columns_`` (modelled column names, in model order) and
    ``correlation_`` (their normal-score correlation matrix). Fitting is random (the
    uniform scores of ties and categories are drawn inside their intervals): pass ``rng``.
    """

    title = "Gaussian copula"
    param_specs = ()

    def __init__(self):
        pass

    def fit(self, table: Table, *, rng=None) -> "GaussianCopulaSynthesizer":
        """Learn the marginals and the normal-score correlation matrix."""
        rng = as_generator(rng)
        modelled = self._begin_fit(table)
        from scipy.special import ndtri

        self.margins_ = [_margin(c) for c in modelled]
        self.columns_ = [c.name for c in modelled]
        d = len(modelled)
        if d == 0:
            self.correlation_ = np.zeros((0, 0))
        else:
            z = np.empty((table.n_rows, d))
            for j, (c, m) in enumerate(zip(modelled, self.margins_)):
                z[:, j] = ndtri(m.to_uniform(c.values, rng))
            if table.n_rows < 2 or d == 1:
                corr = np.eye(d)
            else:
                with np.errstate(invalid="ignore", divide="ignore"):
                    corr = np.corrcoef(z, rowvar=False)
            self.correlation_ = nearest_correlation(np.atleast_2d(corr))
        self.factor_ = psd_factor(self.correlation_)
        return self

    def sample(self, n: int, *, rng=None) -> Table:
        """``n`` rows drawn from the copula."""
        self._check_fitted()
        n = check_n(n)
        rng = as_generator(rng)
        from scipy.special import ndtr

        d = len(self.margins_)
        z = rng.standard_normal((n, d)) @ self.factor_.T if d else np.zeros((n, 0))
        u = ndtr(z)
        values = {m.name: m.from_uniform(u[:, j]) for j, m in enumerate(self.margins_)}
        return self._assemble(values, n)

    def sample_conditional(self, known: Table, columns: list[str], *, rng=None) -> Table:
        """Redraw ``columns`` for every row of ``known``, conditioned on its other columns.

        In normal-score space the scores are jointly normal, so the scores ``z_T`` of the
        target columns given the scores ``z_K`` of the known ones are normal with mean
        ``z_K Σ_KK⁻¹ Σ_KT`` and covariance ``Σ_TT − Σ_TK Σ_KK⁻¹ Σ_KT``. ``known`` must hold
        every modelled column not in ``columns``, with the fitted categories. Returns
        ``known`` with ``columns`` replaced (appended if absent), in the fitted schema.
        """
        self._check_fitted()
        rng = as_generator(rng)
        columns = list(columns)
        if not columns:
            raise InputError("Choose at least one column to synthesize.")
        if not isinstance(known, Table) or known.n_rows == 0:
            raise InputError("Conditional sampling needs a table with at least one row of known values.")
        fitted = self.template_.names
        for name in columns:
            if name not in fitted:
                raise InputError(f"There is no column named '{name}' in the fitted table "
                                 f"(columns: {', '.join(fitted)}).", column=name)
        target = [j for j, m in enumerate(self.margins_) if m.name in columns]
        given = [j for j, m in enumerate(self.margins_) if m.name not in columns]
        n = known.n_rows
        from scipy.special import ndtr, ndtri

        zk = np.empty((n, len(given)))
        for i, j in enumerate(given):
            m = self.margins_[j]
            if m.name not in known:
                raise InputError(f"Conditional sampling needs the column '{m.name}' in the known table.",
                                 column=m.name)
            zk[:, i] = ndtri(m.to_uniform(self._aligned(known[m.name]), rng))
        s = self.correlation_
        s_kk = s[np.ix_(given, given)]
        s_kt = s[np.ix_(given, target)]
        s_tt = s[np.ix_(target, target)]
        if given:
            coef = np.linalg.pinv(s_kk, hermitian=True) @ s_kt
            mean = zk @ coef
            cov = s_tt - s_kt.T @ coef
        else:
            mean = np.zeros((n, len(target)))
            cov = s_tt
        zt = mean + rng.standard_normal((n, len(target))) @ psd_factor(cov).T
        u = ndtr(zt)
        values = {self.margins_[j].name: self.margins_[j].from_uniform(u[:, i]) for i, j in enumerate(target)}
        new_cols = []
        for name in columns:
            col = self.template_[name]
            v = np.full(n, self.fixed_[name]) if name in self.fixed_ else values[name]
            new_cols.append(col.with_values(conform_numeric(col, v)))
        return known.with_columns(new_cols)

    def _aligned(self, col: Column) -> np.ndarray:
        """``col``'s values in the fitted column's coding (categories matched by label)."""
        ref = self.template_[col.name]
        if ref.is_discrete != col.is_discrete:
            raise InputError(f"Column '{col.name}' has kind {col.kind}, but the model was fitted with "
                             f"kind {ref.kind}.", column=col.name)
        if not ref.is_discrete or col.categories == ref.categories:
            return col.values
        index = {label: i for i, label in enumerate(ref.categories)}
        unseen = [label for label in col.categories if label not in index]
        codes = np.array([index.get(label, -1) for label in col.categories], dtype=float)
        out = np.full(col.values.size, np.nan)
        ok = ~col.missing
        out[ok] = codes[col.values[ok].astype(int)]
        if np.any(out[ok] < 0):
            raise InputError(f"Column '{col.name}' holds categories the model never saw "
                             f"({', '.join(unseen[:5])}).", column=col.name)
        return out
