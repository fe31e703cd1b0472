"""Guide chapter 11: conditional generation and a fairness check.

* :func:`conditional` — generate penguins of one stated species three ways: fit a copula to
  that species' rows only; sample a copula of all rows and keep the rows that meet the
  condition (rejection); or sample all rows and overwrite the species column (a tempting
  shortcut). Each is checked for the condition's share and for fidelity to the real rows of
  that species.
* :func:`fairness` — simulated loan decisions in which group B is approved less often than
  group A. Synthesizers change that gap, each in its own way; the demo measures it.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..table import Table
from ._result import choice, metric, number
from .guide_common import TITLES, load_split, pct, quality_score, synthesize
from .guide_misconceptions import SPECIES

WAYS = {"subgroup": "Fit to the species' rows", "reject": "Joint model, keep matching rows",
        "overwrite": "Joint model, overwrite the species"}


def species_rows(table: Table, species: str) -> Table:
    col = table["species"]
    return table.take(np.flatnonzero(col.values == col.categories.index(species)))


def conditional(species: str = "Chinstrap", seed: int = 0) -> dict:
    """Condition share and fidelity (against the real rows of ``species``) of three ways to condition."""
    from ..synthesizers import make_synthesizer

    species = choice("species", species, SPECIES)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    train, _ = load_split("penguins", rng, train_share=1.0)
    target = species_rows(train, species)
    n = target.n_rows
    code = train["species"].categories.index(species)
    joint = make_synthesizer("gaussian_copula").fit(train, rng=rng)
    pool = joint.sample(8 * n, rng=rng)
    match = np.flatnonzero(pool["species"].values == code)
    made = {"subgroup": synthesize("gaussian_copula", target, n, rng),
            "reject": pool.take(match[:n]),
            "overwrite": joint.sample(n, rng=rng)}
    values = {c.name: c.values.copy() for c in made["overwrite"].columns}
    values["species"][:] = code
    made["overwrite"] = made["overwrite"].like(values)
    res = {}
    for key, syn in made.items():
        res[key] = {"share": float(np.mean(syn["species"].values == code)), "quality": quality_score(target, syn),
                    "rows": syn.n_rows}
    acceptance = match.size / pool.n_rows
    metrics = [metric(f"quality_{k}", f"Fidelity: {WAYS[k]}", r["quality"], ".3f",
                      f"Quality score (all pairs) against the {n} real {species} penguins; 1 = identical.")
               for k, r in res.items()]
    metrics.append(metric("acceptance", "Rejection: share of joint rows kept", acceptance, ".1%",
                          "Share of the joint model's rows that met the condition: rarer conditions cost more draws."))
    summary = (f"All three ways give {species} in {pct(res['overwrite']['share'])} of their rows, but their fidelity to "
               f"the real {species} differs: {res['subgroup']['quality']:.3f} (own model), "
               f"{res['reject']['quality']:.3f} (rejection) and {res['overwrite']['quality']:.3f} (overwrite). "
               f"The condition's share alone does not show whether the rows fit it.")
    table = {"caption": f"Three ways to generate {species} penguins (fidelity against the {n} real ones)",
             "columns": ["Way", "Rows", "Condition share", "Fidelity"],
             "rows": [[WAYS[k], str(r["rows"]), pct(r["share"]), f"{r['quality']:.3f}"] for k, r in res.items()]}
    return {"summary": summary, "metrics": metrics, "tables": [table]}


def loans(n: int, rng: np.random.Generator) -> Table:
    """Simulated applications: group, income, and approval that depends on income and, unfairly, on group."""
    group = rng.choice(2, size=n, p=[0.7, 0.3])
    income = rng.normal(50 - 6 * group, 12, size=n)
    logit = 0.12 * (income - 45) - 0.9 * group
    approved = rng.random(n) < 1 / (1 + np.exp(-logit))
    return Table.from_arrays({"group": np.where(group == 1, "B", "A"), "income": np.round(income, 1),
                              "approved": np.where(approved, "yes", "no")})


def approval_gap(table: Table) -> tuple[float, float]:
    """Approval rate of group A and of group B."""
    g, a = table["group"], table["approved"]
    yes = a.values == a.categories.index("yes")
    in_b = g.values == g.categories.index("B")
    return float(yes[~in_b].mean()), float(yes[in_b].mean())


def fairness(method: str = "independent", n: int = 2000, seed: int = 0) -> dict:
    """Approval rates per group, real vs synthetic, and the change in the gap."""
    method = choice("method", method, ("independent", "gaussian_copula", "bayesian_network", "dp_mst"))
    n = number("n", n, 500, 5000, integer=True)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    real = loans(n, rng)
    params = {"bounds": {"income": (0.0, 120.0)}, "epsilon": 1.0} if method == "dp_mst" else {}
    syn = synthesize(method, real, n, rng, **params)
    ra, rb = approval_gap(real)
    sa, sb = approval_gap(syn)
    metrics = [
        metric("real_gap", "Approval gap A − B, real", ra - rb, ".3f", "Difference of approval rates between groups in the real (simulated) data."),
        metric("synthetic_gap", "Approval gap A − B, synthetic", sa - sb, ".3f", "The same difference in the synthetic rows."),
        metric("change", "Change in the gap", (sa - sb) - (ra - rb), "+.3f",
               "Synthetic gap minus real gap: negative = the synthetic data look fairer than the real decisions were."),
    ]
    summary = (f"{TITLES[method]}: the real approval rates are {pct(ra)} (A) and {pct(rb)} (B), a gap of {ra - rb:.3f}; "
               f"the synthetic rows give {pct(sa)} and {pct(sb)}, a gap of {sa - sb:.3f}. " + (
                   "The gap survives." if abs((sa - sb) - (ra - rb)) < 0.05 else
                   "A model trained or audited on these rows would see a different world than the real one."))
    return {"summary": summary, "metrics": metrics,
            "notes": ["The loan decisions are simulated, with a known unfair penalty on group B."]}
