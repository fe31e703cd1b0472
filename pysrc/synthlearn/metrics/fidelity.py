"""Fidelity: how closely the synthetic table reproduces the real one, column by column and pair by pair.

:func:`quality` follows the definitions of SDMetrics 0.32's ``QualityReport``:

* **Column shapes** — numbers and datetimes: ``KSComplement = 1 − D`` (two-sample
  Kolmogorov–Smirnov statistic, missing values dropped, values rounded to 14 decimals);
  categories and booleans: ``TVComplement = 1 − ½ Σ_c |f_syn(c) − f_real(c)|`` over the
  observed categories, missing values dropped (a category seen only in the synthetic
  column gets a real count of 1e-6, as in SDMetrics). Score = mean over columns.
* **Column pair trends** — two numbers: ``CorrelationSimilarity = 1 − |ρ_real − ρ_syn| / 2``
  (Pearson on rows where both are present); otherwise ``ContingencySimilarity =
  1 − ½ Σ |p_real − p_syn|`` over the cells of the two-way table, missing a level of its own.
  A number paired with a category is cut into 10 equal-width bins with
  ``np.histogram_bin_edges``, computed separately for the real and the synthetic column, then
  labelled with ``np.digitize`` (so, exactly as in SDMetrics, the maximum value and a missing
  value share the last label).
  A category column with more than ``MAX_PAIR_LEVELS`` levels enters a two-way table as its
  most frequent real categories plus "other" (:func:`capped_codes`), which bounds the cost.
* **Strong pairs** — SDMetrics 0.32 averages only the pairs with a trend in the real data:
  ``|ρ_real| > 0.5`` for two numbers, Cramér's V of the real two-way table ``> 0.3`` otherwise
  (SDMetrics#815). We report that mean *and* the mean over all pairs (the definition before
  0.32), because pairs without a real trend score near 1 for almost any synthesizer and
  inflate the all-pairs mean.
* **Overall** = mean of column shapes and strong-pair trends (a missing part is skipped), which is
  SDMetrics 0.32's overall score. ``overall_all_pairs`` uses the all-pairs mean instead.

Differences from SDMetrics: it subsamples the two-way tables to 50,000 rows at random when
a table is larger; we always use every row.

Because KS and TV drop missing values, a synthesizer that gets the *share* of missing values
wrong is not penalised by them; :func:`column_distances` reports the missing shares and a
Jensen–Shannon distance that counts "missing" as a bin of its own.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field

import numpy as np

from .._rng import as_generator
from ..errors import InputError
from ..learners import tdot
from ..stats import bin_edges, ks_statistic
from ..table import Column, Table
from ._checks import NUMERIC_KINDS, align, codes_with_missing, jsonable, recode, subsample_rows

SDMETRICS_DECIMALS = 14           # SDMetrics rounds to sys.float_info.dig - 1 decimals before KS
STRONG_CORRELATION = 0.5          # SDMetrics 0.32 DEFAULT_REAL_CORRELATION_THRESHOLD (strict >)
STRONG_ASSOCIATION = 0.3          # SDMetrics 0.32 DEFAULT_REAL_ASSOCIATION_THRESHOLD (strict >)
MAX_PAIR_LEVELS = 100             # a category column in a two-way table: its 98 most frequent real
                                  # categories, "other" and "missing" (SDMetrics has no cap; a
                                  # 10,000-level column made pair tables of 10^8 cells and minutes)


def _is_number(col: Column) -> bool:
    return col.kind in NUMERIC_KINDS


# --------------------------------------------------------------------------------------------
# single columns
# --------------------------------------------------------------------------------------------
def ks_complement(real: np.ndarray | Column, synthetic: np.ndarray | Column) -> float:
    """``1 − KS statistic`` of two numeric samples, missing values dropped; NaN if one is empty."""
    a = real.values if isinstance(real, Column) else np.asarray(real, dtype=float)
    b = synthetic.values if isinstance(synthetic, Column) else np.asarray(synthetic, dtype=float)
    d = ks_statistic(np.round(a, SDMETRICS_DECIMALS), np.round(b, SDMETRICS_DECIMALS))
    return float(1.0 - d)


def tv_complement(real: Column, synthetic: Column) -> float:
    """``1 − total variation distance`` of two discrete columns, missing values dropped.

    Categories are matched by label. NaN if either column has no value.
    """
    real, synthetic = _same_categories(real, synthetic)
    k = max(len(real.categories), 1)
    r = real.values[~np.isnan(real.values)].astype(np.intp)
    s = synthetic.values[~np.isnan(synthetic.values)].astype(np.intp)
    if r.size == 0 or s.size == 0:
        return float("nan")
    rc = np.bincount(r, minlength=k).astype(float)
    sc = np.bincount(s, minlength=k).astype(float)
    rc[(sc > 0) & (rc == 0)] += 1e-6          # SDMetrics' regularisation of unseen categories
    return float(1.0 - 0.5 * np.abs(sc / sc.sum() - rc / rc.sum()).sum())


def _same_categories(a: Column, b: Column) -> tuple[Column, Column]:
    """Both discrete columns recoded onto the union of their labels (a's first)."""
    if tuple(a.categories) == tuple(b.categories):
        return a, b
    cats = tuple(a.categories) + tuple(c for c in b.categories if c not in set(a.categories))
    return recode(a, cats), recode(b, cats)


# --------------------------------------------------------------------------------------------
# pairs
# --------------------------------------------------------------------------------------------
def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation on the rows where both values are present; NaN if undefined."""
    ok = ~(np.isnan(x) | np.isnan(y))
    if ok.sum() < 2:
        return float("nan")
    x = x[ok] - x[ok].mean()
    y = y[ok] - y[ok].mean()
    den = np.sqrt((x * x).sum()) * np.sqrt((y * y).sum())  # two roots: no overflow near 1e150
    if den == 0 or not np.isfinite(den):
        return float("nan")
    return float(np.clip((x * y).sum() / den, -1.0, 1.0))


def pearson_matrix(x: np.ndarray) -> np.ndarray:
    """Pearson correlations of the columns of ``x``, each pair on the rows where both are present.

    Vectorised with matrix products (same values as :func:`pearson` pair by pair); NaN where a
    pair has fewer than two complete rows or no variance.
    """
    x = np.asarray(x, dtype=float)
    present = ~np.isnan(x)
    m = present.astype(float)
    counts = present.sum(axis=0)
    means = np.where(counts > 0, np.nansum(x, axis=0) / np.maximum(counts, 1), 0.0)
    xc = np.where(present, x - means, 0.0)
    n = tdot(m, m)
    sx = tdot(xc, m)                    # sx[i, j] = Σ x_i over rows where i and j are present
    sxx = tdot(xc * xc, m)
    sxy = tdot(xc, xc)
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = sxy - sx * sx.T / n
        var_i = sxx - sx * sx / n
        var_j = var_i.T
        r = cov / (np.sqrt(var_i) * np.sqrt(var_j))  # roots first: products of 1e300s overflow
        scale = np.sqrt(sxx) * np.sqrt(sxx.T)
    bad = (n < 2) | ~(var_i > 1e-12 * np.maximum(scale, 1e-300)) | ~(var_j > 1e-12 * np.maximum(scale, 1e-300))
    r = np.where(bad, np.nan, np.clip(r, -1.0, 1.0))
    return r


def _constant(v: np.ndarray) -> bool:
    """SDMetrics' test ``nunique() == 1`` (missing values ignored)."""
    f = v[~np.isnan(v)]
    return f.size > 0 and bool(np.all(f == f[0]))


def sdmetrics_bins(values: np.ndarray) -> np.ndarray:
    """SDMetrics' discretisation of a number for a contingency table.

    Ten equal-width bins from ``np.histogram_bin_edges`` of the present values, labelled
    with ``np.digitize``: labels 1..10 inside, 11 for the maximum *and* for a missing value.
    """
    edges = bin_edges(values, bins=10)  # = np.histogram_bin_edges, without overflow near ±1e308
    return np.digitize(values, edges).astype(np.intp)


def capped_codes(col: Column, reference: Column | None = None,
                 max_levels: int = MAX_PAIR_LEVELS) -> tuple[np.ndarray, int]:
    """Codes of a discrete column for a two-way table, at most ``max_levels`` levels.

    With ``k + 1 <= max_levels`` levels (missing included) these are
    :func:`~synthlearn.metrics._checks.codes_with_missing`. Otherwise the ``max_levels − 2``
    categories most frequent in ``reference`` (default: the column itself; ties by category
    order) keep a level, every other category shares an "other" level and missing has the
    last one — the same mapping for a real column and its aligned synthetic column.
    """
    codes, k1 = codes_with_missing(col)
    if k1 <= max_levels:
        return codes, k1
    ref = col if reference is None else reference
    counts = np.bincount(codes_with_missing(ref)[0], minlength=k1)[:-1]
    keep = np.sort(np.argsort(-counts, kind="stable")[: max_levels - 2])
    lut = np.full(k1, max_levels - 2, dtype=np.intp)   # "other"
    lut[keep] = np.arange(keep.size)
    lut[-1] = max_levels - 1                           # missing
    return lut[codes], max_levels


def _levels(col: Column, reference: Column | None = None) -> tuple[np.ndarray, int]:
    """Integer labels for a contingency table (capped discrete codes with missing, or SDMetrics bins)."""
    if col.is_discrete:
        return capped_codes(col, reference)
    return sdmetrics_bins(col.values), 12


def _cells(a: np.ndarray, b: np.ndarray, kb: int, size: int) -> np.ndarray:
    return np.bincount(a * kb + b, minlength=size).astype(float)


def cramers_v_from_counts(counts: np.ndarray) -> float:
    """Cramér's V of a two-way table of counts (observed levels only, no continuity correction).

    Equals ``scipy.stats.contingency.association(table, method="cramer")``; NaN when fewer
    than two levels are observed on either side.
    """
    counts = np.asarray(counts, dtype=float)
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if counts.ndim != 2 or min(counts.shape) < 2:
        return float("nan")
    n = counts.sum()
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / n
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    return float(np.sqrt(chi2 / n / (min(counts.shape) - 1)))


def contingency_similarity(real_a: np.ndarray, real_b: np.ndarray, syn_a: np.ndarray, syn_b: np.ndarray,
                           ka: int, kb: int) -> tuple[float, float]:
    """``(1 − ½ Σ |p_real − p_syn|, Cramér's V of the real table)`` for integer labels."""
    size = ka * kb
    rc = _cells(real_a, real_b, kb, size)
    sc = _cells(syn_a, syn_b, kb, size)
    score = 1.0 - 0.5 * np.abs(rc / rc.sum() - sc / sc.sum()).sum()
    return float(score), cramers_v_from_counts(rc.reshape(ka, kb))


def pair_trend(real_a: Column, real_b: Column, syn_a: Column, syn_b: Column) -> dict:
    """The SDMetrics column-pair score of two columns (already aligned), with its real trend."""
    if _is_number(real_a) and _is_number(real_b):
        if any(_constant(c.values) for c in (real_a, real_b, syn_a, syn_b)):
            r = s = float("nan")
        else:
            r = pearson(real_a.values, real_b.values)
            s = pearson(syn_a.values, syn_b.values)
        score = 1.0 - abs(r - s) / 2.0 if np.isfinite(r) and np.isfinite(s) else float("nan")
        return {"metric": "CorrelationSimilarity", "score": score, "real_correlation": r,
                "synthetic_correlation": s, "real_association": float("nan")}
    ra, ka = _levels(real_a)
    rb, kb = _levels(real_b)
    sa, _ = _levels(syn_a, real_a)
    sb, _ = _levels(syn_b, real_b)
    score, v = contingency_similarity(ra, rb, sa, sb, ka, kb)
    return {"metric": "ContingencySimilarity", "score": score, "real_correlation": float("nan"),
            "synthetic_correlation": float("nan"), "real_association": v}


# --------------------------------------------------------------------------------------------
# the quality report
# --------------------------------------------------------------------------------------------
@dataclass
class QualityResult:
    """Column shapes, column pair trends (all pairs and strong pairs) and the overall score."""

    column_shapes: float
    pair_trends_all: float
    pair_trends_strong: float
    overall: float
    overall_all_pairs: float
    n_pairs: int
    n_strong_pairs: int
    strong_correlation: float
    strong_association: float
    columns: list[dict] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-able dict (NaN becomes None)."""
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})


def _nanmean(values: list[float]) -> float:
    v = np.array([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v)]
    return float(v.mean()) if v.size else float("nan")


def quality(real: Table, synthetic: Table, *, strong_correlation: float = STRONG_CORRELATION,
            strong_association: float = STRONG_ASSOCIATION) -> QualityResult:
    """SDMetrics-0.32-style quality scores of ``synthetic`` against ``real`` (see module docstring).

    A pair is *strong* when ``|ρ_real| > strong_correlation`` (two numbers) or Cramér's V of the
    real two-way table ``> strong_association`` (otherwise); the defaults are SDMetrics 0.32's.
    """
    for name, t in (("strong_correlation", strong_correlation), ("strong_association", strong_association)):
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t <= 1:
            raise InputError(f"{name} must be a number between 0 and 1, not {t!r}.")
    real, synthetic = align(real, ("synthetic", synthetic))
    columns = []
    for rc, sc in zip(real.columns, synthetic.columns):
        if rc.is_discrete:
            metric, score = "TVComplement", tv_complement(rc, sc)
        else:
            metric, score = "KSComplement", ks_complement(rc, sc)
        columns.append({"column": rc.name, "kind": rc.kind, "metric": metric, "score": score})
    num = [j for j, c in enumerate(real.columns) if _is_number(c)]
    corr = {}
    if len(num) > 1:
        pos = {j: i for i, j in enumerate(num)}
        mats = []
        for t in (real, synthetic):
            r = pearson_matrix(t.matrix([t.columns[j].name for j in num]))
            flat = np.array([_constant(t.columns[j].values) for j in num])
            r[flat, :] = np.nan
            r[:, flat] = np.nan
            mats.append(r)
        corr = {"pos": pos, "real": mats[0], "synthetic": mats[1]}
    pairs = []
    for i, j in itertools.combinations(range(real.n_cols), 2):
        if corr and i in corr["pos"] and j in corr["pos"]:
            a, b = corr["pos"][i], corr["pos"][j]
            r, s_ = float(corr["real"][a, b]), float(corr["synthetic"][a, b])
            score = 1.0 - abs(r - s_) / 2.0 if np.isfinite(r) and np.isfinite(s_) else float("nan")
            item = {"metric": "CorrelationSimilarity", "score": score, "real_correlation": r,
                    "synthetic_correlation": s_, "real_association": float("nan")}
        else:
            item = pair_trend(real.columns[i], real.columns[j], synthetic.columns[i], synthetic.columns[j])
        if item["metric"] == "CorrelationSimilarity":
            strong = bool(np.isfinite(item["real_correlation"]) and abs(item["real_correlation"]) > strong_correlation)
        else:
            strong = bool(np.isfinite(item["real_association"]) and item["real_association"] > strong_association)
        item = {"column_1": real.columns[i].name, "column_2": real.columns[j].name, **item,
                "strong": strong and bool(np.isfinite(item["score"]))}
        pairs.append(item)
    shapes = _nanmean([c["score"] for c in columns])
    all_pairs = _nanmean([p["score"] for p in pairs])
    strong_pairs = _nanmean([p["score"] for p in pairs if p["strong"]])
    return QualityResult(
        column_shapes=shapes, pair_trends_all=all_pairs, pair_trends_strong=strong_pairs,
        overall=_nanmean([shapes, strong_pairs]), overall_all_pairs=_nanmean([shapes, all_pairs]),
        n_pairs=len(pairs), n_strong_pairs=sum(p["strong"] for p in pairs),
        strong_correlation=float(strong_correlation), strong_association=float(strong_association),
        columns=columns, pairs=pairs)


# --------------------------------------------------------------------------------------------
# distances between distributions
# --------------------------------------------------------------------------------------------
def shared_histograms(real: Column, synthetic: Column, bins: int = 20) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Counts of both columns on one set of bins, the last bin being "missing".

    Numbers use ``bins`` equal-width bins over the range of both columns together;
    categories use the union of labels. Returns (real counts, synthetic counts, bin labels).
    """
    real, synthetic = _same_categories(real, synthetic) if real.is_discrete else (real, synthetic)
    if real.is_discrete:
        k = len(real.categories)
        rc = np.bincount(codes_with_missing(real)[0], minlength=k + 1).astype(float)
        sc = np.bincount(codes_with_missing(synthetic)[0], minlength=k + 1).astype(float)
        return rc, sc, list(real.categories) + ["(missing)"]
    both = np.concatenate([real.values, synthetic.values])
    both = both[np.isfinite(both)]
    edges = bin_edges(both, bins=bins)
    out = []
    for v in (real.values, synthetic.values):
        f = v[np.isfinite(v)]
        h = np.histogram(f, bins=edges)[0].astype(float)
        out.append(np.append(h, np.isnan(v).sum()))
    labels = [f"[{edges[i]:.4g}, {edges[i + 1]:.4g})" for i in range(bins)] + ["(missing)"]
    return out[0], out[1], labels


def jensen_shannon(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen–Shannon distance (base 2) of two probability vectors: √(½ KL(p‖m) + ½ KL(q‖m)), m = (p + q)/2.

    Same value as ``scipy.spatial.distance.jensenshannon(p, q, base=2)`` (checked in the
    tests); written in numpy because importing ``scipy.spatial`` costs more than the sum.
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_p = np.where(p > 0, p * np.log2(p / m), 0.0).sum()
        kl_q = np.where(q > 0, q * np.log2(q / m), 0.0).sum()
    return float(np.sqrt(max((kl_p + kl_q) / 2.0, 0.0)))


def js_distance(real: Column, synthetic: Column, bins: int = 20) -> float:
    """Jensen–Shannon distance (base 2, in [0, 1]) between the two columns' shared histograms.

    Missing values are a bin of their own; NaN if a column has no rows.
    """
    rc, sc, _ = shared_histograms(real, synthetic, bins)
    if rc.sum() == 0 or sc.sum() == 0:
        return float("nan")
    return jensen_shannon(rc, sc)


def wasserstein_1d(u: np.ndarray, v: np.ndarray) -> float:
    """First Wasserstein distance of two 1-D samples: ∫ |F_u(t) − F_v(t)| dt.

    Same result as ``scipy.stats.wasserstein_distance(u, v)`` (checked in the tests), written
    in numpy so that the browser does not pay for importing ``scipy.stats``. NaN dropped.
    """
    u = np.sort(np.asarray(u, dtype=float)[~np.isnan(u)])
    v = np.sort(np.asarray(v, dtype=float)[~np.isnan(v)])
    if u.size == 0 or v.size == 0:
        return float("nan")
    grid = np.sort(np.concatenate([u, v]))
    deltas = np.diff(grid)
    fu = np.searchsorted(u, grid[:-1], side="right") / u.size
    fv = np.searchsorted(v, grid[:-1], side="right") / v.size
    return float(np.sum(np.abs(fu - fv) * deltas))


def normalised_wasserstein(real: Column, synthetic: Column) -> float:
    """Wasserstein distance after dividing both columns by the real column's range (max − min).

    0 = same distribution; 0.1 = on average the mass must move a tenth of the real range.
    A constant real column uses range 1. Missing values are dropped.
    """
    f = real.values[~np.isnan(real.values)]
    span = float(f.max() - f.min()) if f.size else 1.0
    span = span if span > 0 else 1.0
    lo = float(f.min()) if f.size else 0.0
    return wasserstein_1d((real.values - lo) / span, (synthetic.values - lo) / span)


def column_distances(real: Table, synthetic: Table, *, bins: int = 20) -> list[dict]:
    """Per column: missing shares, Jensen–Shannon distance (missing as a bin) and, for numbers,
    the range-normalised Wasserstein distance."""
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or not 2 <= bins <= 1000:
        raise InputError(f"bins must be a whole number between 2 and 1000, not {bins!r}.")
    real, synthetic = align(real, ("synthetic", synthetic))
    out = []
    for rc, sc in zip(real.columns, synthetic.columns):
        out.append({
            "column": rc.name, "kind": rc.kind,
            "missing_real": rc.missing_share, "missing_synthetic": sc.missing_share,
            "js_distance": js_distance(rc, sc, bins),
            "wasserstein": None if rc.is_discrete else normalised_wasserstein(rc, sc),
        })
    return out


def mmd(real: Table, synthetic: Table, *, max_rows: int = 1000, rng=None) -> dict:
    """Maximum mean discrepancy with an RBF kernel, unbiased estimator, on encoded rows.

    Rows are encoded with :class:`synthlearn.learners.Encoder` (one-hot categories with a
    missing level, numbers standardised with the real table's statistics); at most
    ``max_rows`` rows of each table are drawn with ``rng``. Kernel
    ``k(x, y) = exp(−‖x − y‖² / (2σ²))`` with σ the median pairwise distance of the pooled
    sample (median heuristic). ``mmd2`` is the unbiased
    estimate of MMD² (it can be slightly negative when the tables match); 0 = same distribution.
    """
    from ..learners import Encoder, dot_nt
    from ._checks import check_limit

    max_rows = check_limit(max_rows, "max_rows", minimum=2)
    gen = as_generator(rng)
    real, synthetic = align(real, ("synthetic", synthetic))
    enc = Encoder(standardize=True).fit(real)
    ir = subsample_rows(real.n_rows, max_rows, gen)
    isy = subsample_rows(synthetic.n_rows, max_rows, gen)
    x = enc.transform(real if ir is None else real.take(ir))
    y = enc.transform(synthetic if isy is None else synthetic.take(isy))
    m, n = len(x), len(y)
    if m < 2 or n < 2:
        raise InputError("MMD needs at least two rows in each table.")
    z = np.vstack([x, y])
    sq = (z * z).sum(axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * dot_nt(z, z), 0.0)
    off = d2[np.triu_indices(len(z), k=1)]
    med = float(np.median(off))
    if med <= 0:
        pos = off[off > 0]
        med = float(pos.mean()) if pos.size else 1.0
    kern = np.exp(-d2 / (2.0 * med))
    kxx, kyy, kxy = kern[:m, :m], kern[m:, m:], kern[:m, m:]
    mmd2 = ((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
            - 2.0 * kxy.mean())
    return {"mmd2": float(mmd2), "mmd": float(np.sqrt(max(mmd2, 0.0))), "bandwidth": float(np.sqrt(med)),
            "rows_real": m, "rows_synthetic": n, "features": int(z.shape[1])}


# --------------------------------------------------------------------------------------------
# association matrices for the heatmap
# --------------------------------------------------------------------------------------------
def association_matrix(table: Table, *, reference: Table | None = None, bins: int = 10) -> np.ndarray:
    """Pairwise association of every two columns: Pearson ρ for two numbers, Cramér's V otherwise.

    For Cramér's V a number is cut into ``bins`` equal-width bins over the range of
    ``reference`` (default: ``table`` itself), so that a real and a synthetic matrix use the
    same bins; missing values are a level. The diagonal is 1; undefined entries are NaN.
    """
    reference = table if reference is None else reference
    n = table.n_cols
    labels = []
    for c, r in zip(table.columns, reference.columns):
        if c.is_discrete:
            labels.append(capped_codes(c, r))
        else:
            edges = bin_edges(r.values, bins=bins)
            inner = np.clip(np.searchsorted(edges, c.values, side="right") - 1, 0, bins - 1)
            labels.append((np.where(np.isnan(c.values), bins, inner).astype(np.intp), bins + 1))
    out = np.eye(n)
    num = [j for j, c in enumerate(table.columns) if _is_number(c)]
    if len(num) > 1:
        r = pearson_matrix(table.matrix([table.columns[j].name for j in num]))
        out[np.ix_(num, num)] = r
        out[num, num] = 1.0
    for i, j in itertools.combinations(range(n), 2):
        a, b = table.columns[i], table.columns[j]
        if _is_number(a) and _is_number(b):
            continue
        (la, ka), (lb, kb) = labels[i], labels[j]
        out[i, j] = out[j, i] = cramers_v_from_counts(_cells(la, lb, kb, ka * kb).reshape(ka, kb))
    return out


def association_difference(real: Table, synthetic: Table, *, bins: int = 10) -> dict:
    """Real and synthetic association matrices (same bins) and their difference (synthetic − real)."""
    real, synthetic = align(real, ("synthetic", synthetic))
    a = association_matrix(real, bins=bins)
    b = association_matrix(synthetic, reference=real, bins=bins)
    return {"columns": real.names, "real": a, "synthetic": b, "difference": b - a,
            "measure": [["pearson" if _is_number(x) and _is_number(y) else "cramers_v" for y in real.columns]
                        for x in real.columns]}


def independent_baseline(real: Table, *, rng=None) -> Table:
    """The real table with each column permuted independently: same marginals, no dependence."""
    gen = as_generator(rng)
    return Table(tuple(dataclasses.replace(c, values=c.values[gen.permutation(len(c))]) for c in real.columns))
