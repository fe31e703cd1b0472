// Times the sequential-tree synthesizer (and, for reference, the DP method and the Bayesian
// network) on Adult inside Pyodide 0.27.7 hosted by Node (not a browser: same WebAssembly
// engine as Chromium, no worker or page overhead), and checks that the rows equal the native
// call's. CPU time (Node's process.cpuUsage) is recorded too: on a shared machine wall
// time mostly measures the other processes. Usage: node benchmarks/pyodide_engine.mjs > benchmarks/results/pyodide_engine.json
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cache = path.join(root, ".cache", "pyodide-0.27.7");
const { loadPyodide } = require(path.join(cache, "pyodide.js"));

const t0 = performance.now();
const py = await loadPyodide({ indexURL: cache + "/" });
await py.loadPackage(["numpy", "scipy"], { messageCallback: () => {}, errorCallback: (m) => { throw new Error(m); } });
py.FS.mkdirTree("/src");
py.FS.mount(py.FS.filesystems.NODEFS, { root: path.join(root, "pysrc") }, "/src");
const startup = (performance.now() - t0) / 1000;
const out = py.runPython(`
import sys, json, time, hashlib
import js
sys.path.insert(0, "/src")
import numpy as np
from synthlearn import datasets
from synthlearn.pipeline import split_holdout
from synthlearn.metrics.fidelity import quality
from synthlearn.synthesizers import make_synthesizer
train, holdout = split_holdout(datasets.load("adult"), 0.5, rng=0)
rows = []
for method, params in (("cart", {}), ("cart", {"privacy_check": "off"}), ("bayesian_network", {}),
                       ("dp_mst", {"epsilon": 1.0})):
    times, cpu = [], []
    for r in range(3):
        t, c0 = time.perf_counter(), js.process.cpuUsage()
        s = make_synthesizer(method, **params).fit(train, rng=0).sample(train.n_rows, rng=1)
        times.append(time.perf_counter() - t)
        c1 = js.process.cpuUsage(c0)
        cpu.append((c1.user + c1.system) / 1e6)
    m = np.nan_to_num(s.matrix(), nan=-1.0)
    rows.append({"method": method, "params": params, "fit_sample_s_runs": times,
                 "fit_sample_s_median": sorted(times)[1],
                 "cpu_s_runs": cpu, "cpu_s_median": sorted(cpu)[1], "quality": quality(train, s).overall,
                 "sha256_rows": hashlib.sha256(np.ascontiguousarray(m).tobytes()).hexdigest()})
json.dumps({"python": sys.version.split()[0], "numpy": np.__version__, "rows": rows})
`);
const res = JSON.parse(out);
res.runtime = `Pyodide 0.27.7 in Node ${process.version}`;
res.startup_s = startup;
res.generated = new Date().toISOString();
console.log(JSON.stringify(res, null, 2));
