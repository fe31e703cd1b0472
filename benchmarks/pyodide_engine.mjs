// Times native_rows.py's measurement (the sequential-tree synthesizer and, for reference, the DP
// method and the Bayesian network on Adult) inside Pyodide 0.27.7 hosted by Node (not a browser: same WebAssembly
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
py.FS.mkdirTree("/bench");
py.FS.mount(py.FS.filesystems.NODEFS, { root: path.join(root, "benchmarks") }, "/bench");
const startup = (performance.now() - t0) / 1000;
// the measurement is native_rows.py's own function; only the CPU clock differs (Node's)
const out = py.runPython(`
import sys, json
import js
sys.path[:0] = ["/src", "/bench"]
from native_rows import measure

def cpu_seconds():
    usage = js.process.cpuUsage()
    return (usage.user + usage.system) / 1e6

json.dumps(measure(cpu_seconds))
`);
const res = JSON.parse(out);
res.runtime = `Pyodide 0.27.7 in Node ${process.version}`;
res.startup_s = startup;
res.generated = new Date().toISOString();
console.log(JSON.stringify(res, null, 2));
