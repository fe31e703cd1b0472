"""Make a synthetic table and check the three properties of useful synthetic data (Definition lesson).

Run it with ``python pysrc/examples/three_properties.py``.
"""

# --8<-- [start:make]
from synthlearn.datasets import load
from synthlearn.metrics.fidelity import quality
from synthlearn.metrics.privacy import identical_match_rate
from synthlearn.synthesizers import GaussianMixtureSynthesizer

real = load("penguins")                                 # 344 measured penguins
model = GaussianMixtureSynthesizer().fit(real, rng=0)   # learn a distribution from the real rows
synthetic = model.sample(real.n_rows, rng=1)            # draw as many new rows from it
# --8<-- [end:make]

# --8<-- [start:check]
# 1. Structurally like the real data: same columns, kinds and categories
real_schema = [(c.name, c.kind, c.categories) for c in real.columns]
synthetic_schema = [(c.name, c.kind, c.categories) for c in synthetic.columns]
same_structure = real_schema == synthetic_schema
print("same structure:", same_structure)

# 2. Statistically faithful: each column's distribution, each pair's relation (1 = identical)
scores = quality(real, synthetic)
print(f"column shapes: {scores.column_shapes:.3f}   pair trends: {scores.pair_trends_all:.3f}")

# 3. Not a copy: the share of synthetic rows equal to a real row in every column
copies = identical_match_rate(real, synthetic)
print(f"exact copies of real rows: {copies:.1%}")
# --8<-- [end:check]
