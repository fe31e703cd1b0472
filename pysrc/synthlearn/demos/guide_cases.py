"""Guide chapter 8: three case studies, each saying whether its data are real or simulated.

* :func:`fraud` — **simulated** card transactions with a rare fraud class. The fraud rows of the
  training set are augmented (SMOTE, or a Gaussian copula fitted to the fraud rows only) and a
  logistic regression is judged on real-distribution test rows it never saw.
* :func:`cohort` — the **real** Wisconsin breast cancer table (569 patients) shared as a
  synthetic cohort: fidelity, utility (TSTR for the diagnosis) and privacy (DCR share, attack
  AUC) for one method.
* :func:`robot` — **simulated** range-sensor readings for an obstacle detector. Training data
  come from a simulator with fixed conditions or with randomised conditions (sensor gain,
  offset, noise); the test data come from a "deployment" whose conditions differ.
"""

from __future__ import annotations

import numpy as np

from .._rng import as_generator
from ..learners import Encoder, LogisticRegression, roc_auc
from ..table import Table
from ._result import choice, metric, number
from .guide_common import TITLES, load_split, pct, privacy_scores, quality_score, synthesize, tstr_scores

AUGMENT = {"none": "No augmentation", "smote": "SMOTE", "copula": "Copula of the fraud rows"}


def transactions(n: int, fraud_share: float, rng: np.random.Generator) -> Table:
    """Simulated transactions: fraud has larger amounts, odd hours, far from home, bursts of activity."""
    fraud = rng.random(n) < fraud_share
    f = fraud.astype(float)
    amount = rng.normal(3.5 + 1.0 * f, 1.0)
    hour = (rng.normal(14 - 9 * f, 4)) % 24
    distance = rng.lognormal(1.0 + 1.0 * f, 1.0)
    burst = rng.poisson(1 + 2 * f)
    return Table.from_arrays({"log_amount": amount, "hour": hour, "distance_km": distance,
                              "tx_last_24h": burst.astype(float), "fraud": np.where(fraud, "yes", "no")})


def score_model(train: Table, test: Table) -> dict:
    """Recall, precision (threshold 0.5) and ROC AUC of a logistic regression for ``fraud``."""
    features = [n for n in train.names if n != "fraud"]
    yes = train["fraud"].categories.index("yes")
    enc = Encoder(features, standardize=True).fit(train)
    model = LogisticRegression().fit(enc.transform(train), train["fraud"].values == yes)
    p = model.predict_proba(enc.transform(test))[:, 1]
    truth = test["fraud"].values == test["fraud"].categories.index("yes")
    pred = p >= 0.5
    recall = float(np.mean(pred[truth])) if truth.any() else float("nan")
    precision = float(np.mean(truth[pred])) if pred.any() else float("nan")
    return {"recall": recall, "precision": precision, "auc": roc_auc(truth, p)}


def augment(train: Table, how: str, per_100: int, rng: np.random.Generator) -> Table:
    """``train`` with synthetic fraud rows added until fraud is ``per_100`` per 100 legitimate rows."""
    from ..synthesizers.rebalance import oversample

    yes = train["fraud"].categories.index("yes")
    is_fraud = train["fraud"].values == yes
    want = int(round(per_100 * (~is_fraud).sum() / 100)) - int(is_fraud.sum())
    if how == "none" or want <= 0:
        return train
    if how == "smote":
        return oversample(train, "fraud", target_ratio=per_100 / 100, rng=rng).table
    fraud_rows = train.take(np.flatnonzero(is_fraud))
    extra = synthesize("gaussian_copula", fraud_rows, want, rng)
    return Table(tuple(c.with_values(np.r_[c.values, e.values]) for c, e in zip(train.columns, extra.columns)))


def fraud(augmentation: str = "smote", per_100: int = 20, seed: int = 0) -> dict:
    """Fraud detection before and after augmenting the rare class (simulated data)."""
    augmentation = choice("augmentation", augmentation, tuple(AUGMENT))
    per_100 = number("per_100", per_100, 5, 100, integer=True)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    train, test = transactions(3000, 0.015, rng), transactions(3000, 0.015, rng)
    before = score_model(train, test)
    after = score_model(augment(train, augmentation, per_100, rng), test)
    metrics = [
        metric("recall_before", "Fraud caught, no augmentation", before["recall"], ".1%",
               "Share of the test set's fraud cases the model flags (threshold 0.5), trained on the raw training rows."),
        metric("recall_after", "Fraud caught, augmented", after["recall"], ".1%",
               "The same share after adding synthetic fraud rows to the training set."),
        metric("precision_after", "Flags that are fraud, augmented", after["precision"], ".1%",
               "Share of the augmented model's flags that are real fraud: the price of catching more."),
        metric("auc_before", "ROC AUC, no augmentation", before["auc"], ".3f",
               "Ranking quality of the raw model on the test rows, independent of the threshold."),
        metric("auc_after", "ROC AUC, augmented", after["auc"], ".3f",
               "Ranking quality of the augmented model: augmentation mostly moves the threshold, not the ranking."),
    ]
    how = "Without augmentation" if augmentation == "none" else f"{AUGMENT[augmentation]} to {per_100} fraud rows per 100"
    summary = (f"{how}: the model catches {pct(after['recall'])} "
               f"of the test fraud (before: {pct(before['recall'])}) with {pct(after['precision'])} of its flags "
               f"correct; ROC AUC {before['auc']:.3f} → {after['auc']:.3f}.")
    return {"summary": summary, "metrics": metrics,
            "notes": ["The transactions are simulated (1.5 % fraud); the test rows are never augmented."]}


def cohort(method: str = "gaussian_copula", seed: int = 0) -> dict:
    """A synthetic breast cancer cohort (real data): fidelity, TSTR for the diagnosis, privacy."""
    method = choice("method", method, ("gaussian_copula", "gaussian_mixture", "bayesian_network", "kde"))
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    train, holdout = load_split("breast_cancer", rng)
    syn = synthesize(method, train, train.n_rows, rng)
    q = quality_score(train, syn)
    u = tstr_scores(train, syn, holdout, "diagnosis", rng)
    p = privacy_scores(train, syn, holdout, rng)
    metrics = [
        metric("quality", "Quality score", q, ".3f", "SDMetrics-style quality (all pairs) against the training patients."),
        metric("tstr", "TSTR accuracy (diagnosis)", u["tstr"], ".3f",
               "Accuracy on held-out real patients of a logistic regression trained on the synthetic cohort."),
        metric("trtr", "Accuracy trained on real patients", u["trtr"], ".3f", "The same model trained on the real training patients."),
        metric("dcr_share", "DCR share", p["dcr_share"], ".1%", "Share of synthetic rows closer to a training patient than to any held-out one; 50 % = ideal."),
        metric("mia_auc", "Membership attack AUC", p["mia_auc"], ".3f", "Distance-based attack on training membership; 0.5 = chance."),
    ]
    summary = (f"{TITLES[method]} on {train.n_rows} real patients: quality {q:.3f}, TSTR accuracy {u['tstr']:.3f} "
               f"(real {u['trtr']:.3f}), DCR share {pct(p['dcr_share'])}, attack AUC {p['mia_auc']:.3f}. None of this is a "
               f"privacy guarantee: for sharing outside the clinic, a DP method and a governance review come first.")
    return {"summary": summary, "metrics": metrics}


CONDITIONS = {"fixed": "Fixed simulator conditions", "randomised": "Randomised conditions (domain randomisation)"}


def sensor(n: int, gain: np.ndarray, offset: np.ndarray, noise: np.ndarray, rng: np.random.Generator) -> Table:
    """Simulated 8-beam range readings; an obstacle within 1 m ahead shortens the middle beams."""
    obstacle = rng.random(n) < 0.5
    true = rng.uniform(1.5, 5.0, size=(n, 8))
    near = rng.uniform(0.2, 1.0, size=n)
    true[obstacle, 3:5] = near[obstacle, None] + 0.05 * rng.standard_normal((obstacle.sum(), 2))
    read = gain[:, None] * true + offset[:, None] + noise[:, None] * rng.standard_normal((n, 8))
    cols = {f"beam{j}": read[:, j] for j in range(8)}
    cols["obstacle"] = np.where(obstacle, "yes", "no")
    return Table.from_arrays(cols)


def robot(conditions: str = "randomised", n: int = 2000, seed: int = 0) -> dict:
    """Obstacle detection trained on simulated data, tested under shifted deployment conditions (all simulated)."""
    conditions = choice("conditions", conditions, tuple(CONDITIONS))
    n = number("n", n, 500, 5000, integer=True)
    seed = number("seed", seed, 0, 2**32 - 1, integer=True)
    rng = as_generator(seed)
    if conditions == "fixed":
        gain, offset, noise = np.ones(n), np.zeros(n), np.full(n, 0.05)
    else:
        gain, offset, noise = rng.uniform(0.7, 1.3, n), rng.uniform(-1.2, 1.2, n), rng.uniform(0.02, 0.4, n)
    train = sensor(n, gain, offset, noise, rng)
    scores = {}
    for key, (g, o, s) in {"nominal": (1.0, 0.0, 0.05), "deployed": (0.9, 0.9, 0.3)}.items():
        test = sensor(n, np.full(n, g), np.full(n, o), np.full(n, s), rng)
        scores[key] = score_model_generic(train, test)
    metrics = [
        metric("acc_nominal", "Accuracy, nominal conditions", scores["nominal"], ".3f",
               "Accuracy on simulated readings with the simulator's nominal gain, offset and noise."),
        metric("acc_deployed", "Accuracy, deployment conditions", scores["deployed"], ".3f",
               "Accuracy on simulated readings from a sensor with lower gain, an offset and more noise."),
    ]
    summary = (f"{CONDITIONS[conditions]}: {scores['nominal']:.3f} accuracy under nominal conditions and "
               f"{scores['deployed']:.3f} under the shifted deployment conditions.")
    return {"summary": summary, "metrics": metrics,
            "notes": ["Everything here is simulated, including the 'deployment': real sensors differ in more ways."]}


def score_model_generic(train: Table, test: Table) -> float:
    """Accuracy of a logistic regression for ``obstacle`` trained on ``train``, tested on ``test``."""
    features = [c for c in train.names if c != "obstacle"]
    enc = Encoder(features, standardize=True).fit(train)
    yes = train["obstacle"].categories.index("yes")
    model = LogisticRegression().fit(enc.transform(train), train["obstacle"].values == yes)
    pred = model.predict(enc.transform(test)).astype(bool)
    return float(np.mean(pred == (test["obstacle"].values == test["obstacle"].categories.index("yes"))))
