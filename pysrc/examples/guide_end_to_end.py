"""# End to end: a synthetic penguin table, judged on fidelity, utility and privacy

From the Guide's appendix (the reproducible lab). Needs `synthlearn` installed
(`pip install -e .` in the repository). Every step takes an explicit seed, so a rerun gives the
same numbers.
"""

# %%
import numpy as np

from synthlearn.datasets import load
from synthlearn.metrics.fidelity import quality
from synthlearn.metrics.privacy import privacy
from synthlearn.metrics.utility import tstr
from synthlearn.synthesizers import make_synthesizer

# %%
# 1. Data: the real table, split into training rows and held-out rows
real = load("penguins")
order = np.random.default_rng(0).permutation(real.n_rows)
train, holdout = real.take(np.sort(order[:172])), real.take(np.sort(order[172:]))
print(f"{train.n_rows} training rows, {holdout.n_rows} held-out rows")

# %%
# 2. Synthesize with each candidate method
synthetic = {}
for method in ("independent", "gaussian_copula", "bayesian_network"):
    model = make_synthesizer(method).fit(train, rng=1)
    synthetic[method] = model.sample(train.n_rows, rng=2)

# %%
# 3. Evaluate: fidelity, utility (train on synthetic, test on real) and privacy
for method, table in synthetic.items():
    q = quality(train, table).overall_all_pairs
    u = tstr(train, table, holdout, "species", learners=("logistic_regression",), rng=3).learners[0]
    p = privacy(train, table, holdout, rng=4)
    print(f"{method:18s} quality {q:.3f}  TSTR accuracy {u['tstr']['accuracy']:.3f} "
          f"(real {u['trtr']['accuracy']:.3f})  DCR share {p.get('dcr_share')['value']:.1%}  "
          f"attack AUC {p.get('membership_inference_auc')['value']:.3f}")
