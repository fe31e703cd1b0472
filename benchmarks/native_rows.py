"""The native counterpart of ``pyodide_engine.mjs``: same calls, row checksums and times."""
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pysrc"))
from synthlearn import datasets  # noqa: E402
from synthlearn.pipeline import split_holdout  # noqa: E402
from synthlearn.synthesizers import make_synthesizer  # noqa: E402

train, holdout = split_holdout(datasets.load("adult"), 0.5, rng=0)
rows = []
for method, params in (("cart", {}), ("cart", {"privacy_check": "off"}), ("bayesian_network", {}),
                       ("dp_mst", {"epsilon": 1.0})):
    times, cpu = [], []
    for r in range(3):
        t, c = time.perf_counter(), time.process_time()
        s = make_synthesizer(method, **params).fit(train, rng=0).sample(train.n_rows, rng=1)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    m = np.nan_to_num(s.matrix(), nan=-1.0)
    rows.append({"method": method, "params": params, "fit_sample_s_median": sorted(times)[1],
                 "cpu_s_median": sorted(cpu)[1],
                 "sha256_rows": hashlib.sha256(np.ascontiguousarray(m).tobytes()).hexdigest()})
print(json.dumps({"numpy": np.__version__, "rows": rows}, indent=2))
