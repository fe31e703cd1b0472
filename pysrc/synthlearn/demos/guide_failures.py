"""Guide chapter 9: rare categories that vanish, and rules that synthetic rows break.

* :func:`long_tail` — simulated records with a diagnosis code of long-tailed frequency (a few
  common codes, many rare ones). The DP synthesizer's noise wipes out rare codes; a non-private
  Bayesian network keeps them. The mitigation shown is oversampling the rare codes' rows before
  fitting (here ×``boost``), which raises their recall and, measured, distorts the code's
  distribution.
* :func:`constraints` — simulated hospital stays (admission day, discharge day, age). A
  generator that models the columns separately produces discharges before admissions; rejection
  sampling with the constraint (:func:`synthlearn.constraints.sample_with_constraints`) removes
  them, and the report gives the violation rate before and after.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..table import Table
from ._result import choice, metric, number
from .guide_common import TITLES, pct, synthesize

N_CODES = 30
RARE_BELOW = 0.01


def code_shares() -> np.ndarray:
    """Zipf-like shares of the 30 codes (share ∝ 1 / rank^1.3)."""
    w = 1.0 / np.arange(1, N_CODES + 1) ** 1.3
    return w / w.sum()


def coded_records(n: int, rng: np.random.Generator) -> Table:
    """``n`` simulated records: a long-tailed code and an age that depends on it."""
    code = rng.choice(N_CODES, size=n, p=code_shares())
    age = 40 + code + 12 * rng.standard_normal(n)
    return Table.from_arrays({"code": [f"C{c:02d}" for c in code], "age": np.round(age)})


def boost_rare(table: Table, factor: int) -> Table:
    """``table`` with every row of a rare code (share below 1 %) repeated ``factor`` times."""
    col = table["code"]
    shares = np.bincount(col.values.astype(int), minlength=len(col.categories)) / table.n_rows
    rare = shares[col.values.astype(int)] < RARE_BELOW
    extra = np.repeat(np.flatnonzero(rare), factor - 1)
    return table.take(np.r_[np.arange(table.n_rows), extra])


def long_tail(method: str = "dp_mst", boost: int = 1, n: int = 2000, seed: int = 0) -> dict:
    """Recall of rare codes (share of rare real codes present in the synthetic rows) and TV distance."""
    from ..metrics.fidelity import tv_complement

    method = choice("method", method, ("bayesian_network", "dp_mst", "independent"))
    boost = number("boost", boost, 1, 20, integer=True)
    n = number("n", n, 500, 5000, integer=True)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    real = coded_records(n, rng)
    fit_on = boost_rare(real, boost) if boost > 1 else real
    synthetic = synthesize(method, fit_on, n, rng, **({"bounds": {"age": (0.0, 110.0)}} if method == "dp_mst" else {}))
    rc, sc = real["code"], synthetic["code"]
    k = len(rc.categories)
    real_counts = np.bincount(rc.values.astype(int), minlength=k)
    syn_codes = [sc.categories[int(v)] for v in sc.values[~np.isnan(sc.values)]]
    present = {c for c in syn_codes}
    rare = [rc.categories[i] for i in range(k) if 0 < real_counts[i] < RARE_BELOW * n]
    common = [rc.categories[i] for i in range(k) if real_counts[i] >= RARE_BELOW * n]
    rare_recall = float(np.mean([c in present for c in rare])) if rare else float("nan")
    common_recall = float(np.mean([c in present for c in common]))
    tv = 1.0 - tv_complement(rc, sc)
    metrics = [
        metric("rare_recall", "Rare codes present", rare_recall, ".0%",
               f"Share of the real codes held by fewer than {RARE_BELOW:.0%} of the rows that appear at least once in "
               "the synthetic rows."),
        metric("common_recall", "Common codes present", common_recall, ".0%",
               "The same share for the codes held by at least 1 % of the rows."),
        metric("tv", "Total variation of the code", tv, ".3f",
               "Half the sum of the differences between real and synthetic code shares; 0 = same distribution."),
    ]
    summary = (f"{TITLES[method]}{' with rare rows ×' + str(boost) if boost > 1 else ''}: {pct(rare_recall)} of the "
               f"{len(rare)} rare codes and {pct(common_recall)} of the {len(common)} common ones appear in the "
               f"synthetic rows; the code's total variation distance is {tv:.3f}.")
    return {"summary": summary, "metrics": metrics,
            "notes": ["The records are simulated (30 codes with Zipf-like shares), so every rare code is known."]}


RULE = "admission <= discharge"


def hospital_stays(n: int, rng: np.random.Generator) -> Table:
    """``n`` simulated stays: admission day of the year, discharge = admission + a skewed stay, age."""
    admission = rng.integers(0, 365, size=n).astype(float)
    stay = np.round(rng.lognormal(1.2, 0.8, size=n))
    age = np.round(np.clip(rng.normal(62, 16, size=n), 18, 100))
    return Table.from_arrays({"admission": admission, "discharge": admission + stay, "age": age})


def constraints(method: str = "independent", n: int = 1000, seed: int = 0) -> dict:
    """Violation rate of ``admission <= discharge`` before and after rejection sampling; stay lengths."""
    from ..constraints import sample_with_constraints, violations
    from ..synthesizers import make_synthesizer

    method = choice("method", method, ("independent", "gaussian_copula", "bayesian_network"))
    n = number("n", n, 200, 5000, integer=True)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    real = hospital_stays(n, rng)
    model = make_synthesizer(method).fit(real, rng=rng)
    raw = model.sample(n, rng=rng)
    before = violations(raw, RULE)["violation_rate"]
    kept, report = sample_with_constraints(model, n, RULE, rng=rng)
    after = violations(kept, RULE)["violation_rate"]
    stay_real = np.median(real["discharge"].values - real["admission"].values)
    stay_kept = np.median(kept["discharge"].values - kept["admission"].values)
    metrics = [
        metric("before", "Rows breaking the rule, raw", before, ".1%",
               f"Share of raw synthetic rows with a discharge before the admission ('{RULE}' false)."),
        metric("after", "Rows breaking the rule, with the constraint", after, ".1%",
               "The same share after rejection sampling with the constraint (0 unless it gave up)."),
        metric("stay_real", "Median stay, real (days)", float(stay_real), ".0f",
               "Median of discharge − admission in the real (simulated) stays."),
        metric("stay_kept", "Median stay, synthetic (days)", float(stay_kept), ".0f",
               "The same median in the constrained synthetic rows: rejection fixes the rule, not the stay lengths."),
    ]
    summary = (f"{TITLES[method]}: {before:.1%} of the raw rows discharge a patient before admission; with the "
               f"constraint, {after:.1%}. The median stay is {stay_kept:.0f} days against {stay_real:.0f} in the real "
               f"data — a model that does not learn the stay can obey the rule and still get the stays wrong.")
    return {"summary": summary, "metrics": metrics,
            "notes": ["The stays are simulated. Modelling the stay length (discharge − admission) as a column "
                      "makes the rule hold by construction."]}
