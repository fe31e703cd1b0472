"""Problem 3: a bank shares card transactions with a fintech for fraud detection. Design it.

The reader picks a method, a privacy level ε (used by the differentially private method) and
the checks they would run before sharing; this module runs the design and grades it.

**The data are simulated, not real.** No real fraud table can be bundled (real card data are
confidential, which is the point of the problem). :func:`make_transactions` draws a
fraud-like table with a known recipe: amounts (log-normal), hour of day, merchant type,
distance from home, whether the card was present, and a rare ``fraud`` label (about 3 %)
that is more likely for large amounts, night hours, card-not-present payments, far-away
merchants and some merchant types. The recipe is fixed; only the seed changes the rows.

**The run.** Half the rows are the bank's *training* rows (the generator sees only these),
the other half a *holdout* of real rows. A logistic regression learns ``fraud`` once from the
real training rows and once from the synthetic rows; both are tested on the real holdout.
A transaction is flagged when its predicted fraud probability exceeds the fraud rate of the
rows the model learned from. The privacy checks are those of the evaluation report
(:mod:`synthlearn.report` targets): DCR share within 5 points of the ideal share, a
membership-inference AUC ≤ 0.55, and no more exact copies than the holdout's own rate + 1 point.

**The grade** has four parts: the rare class's recall survives (synthetic-trained recall ≥ 80 %
of real-trained recall), the privacy checks pass, the chosen checks include fraud recall (not
only accuracy, which a model that never flags fraud already maximises), and they include a
privacy check against a holdout.
"""

from __future__ import annotations

import numpy as np

from .._rng import SEED_MAX, as_generator
from ..learners import Encoder, LogisticRegression
from ..metrics.privacy import privacy
from ..synthesizers import make_synthesizer
from ..table import Column, Table
from ._result import choice, metric, number

MERCHANTS = ("grocery", "fuel", "restaurant", "online_retail", "electronics", "travel")
MERCHANT_RISK = np.array([0.0, 0.2, 0.0, 1.0, 1.3, 1.1])
METHODS = {"independent": "Independent columns", "gaussian_copula": "Gaussian copula",
           "bayesian_network": "Bayesian network", "dp_mst": "Differentially private MST",
           "kde_overfit": "KDE with a tiny bandwidth (near-copies)"}
RECALL_KEPT = 0.8          # synthetic-trained recall must keep this share of real-trained recall
PRECISION_KEPT = 0.5       # ... without flagging everything: keep half the real-trained precision
TARGETS = {"dcr_margin": 0.05, "mia_auc": 0.55, "copy_margin": 0.01}
N_ROWS = 4000


def make_transactions(n: int = N_ROWS, rng=None) -> Table:
    """A simulated card-transaction table with a rare ``fraud`` label (see the module docstring)."""
    gen = as_generator(rng)
    merchant = gen.choice(len(MERCHANTS), size=n, p=[0.3, 0.15, 0.2, 0.2, 0.08, 0.07])
    amount = np.round(np.exp(gen.normal(3.3 + 0.6 * (merchant >= 3), 0.9)), 2)
    hour = np.where(gen.random(n) < 0.12, gen.integers(0, 6, n), gen.integers(6, 24, n))
    present = (gen.random(n) < np.where(merchant == 3, 0.0, 0.85)).astype(float)
    distance = np.round(np.exp(gen.normal(1.5, 1.2, n)), 1)
    logit = (-6.0 + 0.9 * (np.log(amount) - 3.5) + 1.6 * (hour < 6) + 1.2 * (1 - present)
             + MERCHANT_RISK[merchant] + 0.45 * np.log1p(distance))
    fraud = (gen.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    return Table((
        Column("amount", "numeric", amount),
        Column("hour", "integer", hour.astype(float)),
        Column("merchant", "categorical", merchant.astype(float), categories=MERCHANTS),
        Column("distance_km", "numeric", distance),
        Column("card_present", "categorical", present, categories=("no", "yes")),
        Column("fraud", "categorical", fraud, categories=("no", "yes")),
    ))


def fraud_scores(train: Table, test: Table) -> dict:
    """Recall, precision and accuracy on ``test`` of a logistic regression trained on ``train``."""
    features = [n for n in train.names if n != "fraud"]
    train = train.take(np.flatnonzero(~train["fraud"].missing))  # a row without a label teaches nothing
    y = train["fraud"].values.astype(int)
    y_test = test["fraud"].values.astype(int)
    if y.min() == y.max():  # one class only: the model can only ever predict it
        flag = np.full(y_test.size, bool(y[0]))
    else:
        enc = Encoder(features, standardize=True).fit(train)
        model = LogisticRegression(l2=1.0).fit(enc.transform(train), y)
        proba = model.predict_proba(enc.transform(test))[:, 1]
        flag = proba > y.mean()
    hits = int(np.sum(flag & (y_test == 1)))
    return {"recall": hits / max(int(y_test.sum()), 1), "precision": hits / max(int(flag.sum()), 1),
            "accuracy": float(np.mean(flag == (y_test == 1))), "flagged": int(flag.sum())}


def _synthesize(method: str, epsilon: float, train: Table, rng: np.random.Generator) -> Table:
    if method == "kde_overfit":
        synth = make_synthesizer("kde", bandwidth=0.01)
    elif method == "dp_mst":
        synth = make_synthesizer("dp_mst", epsilon=epsilon)
    else:
        synth = make_synthesizer(method)
    return synth.fit(train, rng=rng).sample(train.n_rows, rng=rng)


def grade(recall_ok: bool, privacy_ok: bool, check_recall: bool, check_accuracy: bool, check_privacy: bool,
          facts: dict) -> list[list]:
    """Four graded parts, each ``[part, verdict, feedback]``."""
    parts = [
        ["Fraud recall survives", recall_ok,
         f"Trained on synthetic rows the model finds {facts['recall_syn']:.0%} of the real frauds, against "
         f"{facts['recall_real']:.0%} when trained on real rows (needs ≥ {RECALL_KEPT:.0%} of it), with "
         f"precision {facts['precision_syn']:.0%} against {facts['precision_real']:.0%} (needs ≥ "
         f"{PRECISION_KEPT:.0%} of it, so that flagging everything does not pass)."
         + ("" if recall_ok else " The rare class's relations were lost: try a model that keeps relations "
            "between columns, or a larger ε.")],
        ["Privacy checks pass", privacy_ok,
         f"DCR share {facts['dcr']:.1%} (ideal {facts['ideal']:.0%}), attack AUC {facts['mia']:.3f}, exact copies "
         f"{facts['copies']:.1%}." + (" " + facts["privacy_fail"] if not privacy_ok else "")],
        ["You check the rare class", check_recall,
         "Right: recall of the fraud class is what the fintech needs." if check_recall else
         f"Accuracy alone hides the rare class: a model that never flags fraud scores "
         f"{facts['always_no']:.1%} accuracy here. Check recall of the fraud class."
         if check_accuracy else "No utility check chosen: check recall of the fraud class on real held-out rows."],
        ["You check privacy against a holdout", check_privacy,
         "Right: distances to real rows the generator never saw tell copying from similarity." if check_privacy else
         "No privacy check chosen: 'synthetic' is not private by construction; test DCR and membership "
         "inference against a real holdout (and prefer a DP method for a guarantee)."],
    ]
    return parts


def run(method: str = "gaussian_copula", epsilon: float = 1.0, check_recall: bool = False,
        check_accuracy: bool = True, check_privacy: bool = False, seed: int = 0) -> dict:
    """Run the reader's design on the simulated transactions and grade it."""
    choice("method", method, METHODS)
    epsilon = number("epsilon", epsilon, 0.05, 50.0)
    seed = number("seed", seed, 0, SEED_MAX, integer=True)
    rng = as_generator(seed)
    real = make_transactions(N_ROWS, rng)
    train, holdout = real.take(np.arange(N_ROWS // 2)), real.take(np.arange(N_ROWS // 2, N_ROWS))
    synthetic = _synthesize(method, epsilon, train, rng)

    real_fit, syn_fit = fraud_scores(train, holdout), fraud_scores(synthetic, holdout)
    recall_ok = (syn_fit["recall"] >= RECALL_KEPT * real_fit["recall"]
                 and syn_fit["precision"] >= PRECISION_KEPT * real_fit["precision"])
    p = privacy(train, synthetic, holdout, max_queries=1000, max_attack=1000, rng=rng)
    dcr, ideal = p.get("dcr_share")["value"], p.get("dcr_share")["details"]["ideal"]
    mia = p.get("membership_inference_auc")["value"]
    copies = p.get("identical_match_rate")
    fails = []
    if dcr > ideal + TARGETS["dcr_margin"]:
        fails.append("too many synthetic rows sit closer to a training row than to any holdout row")
    if mia > TARGETS["mia_auc"]:
        fails.append("the membership attack beats guessing")
    if copies["value"] > copies["details"]["holdout_rate"] + TARGETS["copy_margin"]:
        fails.append("the synthetic rows copy training rows more often than chance")
    privacy_ok = not fails
    y_hold = holdout["fraud"].values
    facts = {"recall_syn": syn_fit["recall"], "recall_real": real_fit["recall"],
             "precision_syn": syn_fit["precision"], "precision_real": real_fit["precision"], "dcr": dcr, "ideal": ideal,
             "mia": mia, "copies": copies["value"], "always_no": float(np.mean(y_hold == 0)),
             "privacy_fail": ("It fails: " + "; ".join(fails) + ".") if fails else ""}
    parts = grade(recall_ok, privacy_ok, check_recall, check_accuracy, check_privacy, facts)
    score = sum(1 for part in parts if part[1])
    rows = [[name, {"text": "pass" if ok else "fail", "mark": "kept" if ok else "flag"}, text]
            for name, ok, text in parts]
    fraud_real, fraud_syn = float(train["fraud"].values.mean()), float(np.nanmean(synthetic["fraud"].values))
    metrics = [
        metric("score", "Design score (of 4)", score, ".0f", "One point for each graded part below."),
        metric("recall_real", "Fraud recall, trained on real", real_fit["recall"], ".1%",
               "Share of the real holdout's frauds the model flags when it learned from the real training rows."),
        metric("recall_syn", "Fraud recall, trained on synthetic", syn_fit["recall"], ".1%",
               "The same model and threshold, trained on the synthetic rows, tested on the same real rows."),
        metric("fraud_share", "Fraud share: synthetic (real)", fraud_syn, ".2%",
               f"Share of fraud rows among the synthetic rows; among the real training rows: {fraud_real:.2%}."),
        metric("dcr_share", "DCR share (closer to train than holdout)", dcr, ".1%",
               f"Pass when ≤ the ideal {ideal:.0%} + 5 points."),
        metric("mia_auc", "Membership attack AUC", mia, ".3f", "Pass when ≤ 0.55 (0.5 = guessing)."),
    ]
    dp = (f" The DP method gives an (ε, δ) guarantee with ε = {epsilon:g}, δ = 1e-9, provided the number "
          "columns' bounds are public (here they are taken from the data, so strictly they are not)."
          if method == "dp_mst" else " This method gives no formal guarantee; the checks are measurements.")
    summary = (f"{METHODS[method]} on {train.n_rows:,} simulated transactions ({fraud_real:.1%} fraud): "
               f"score {score} of 4.{dp}")
    notes = ["The transactions are simulated with a fixed recipe (see the module synthlearn.demos.bank_design); "
             "no real card data are used."]
    table = {"caption": "Your design, graded", "columns": ["Part", "Verdict", "Why"], "rows": rows}
    return {"summary": summary, "metrics": metrics, "tables": [table], "notes": notes}
