// Byte-compile the third-party modules synthlearn imports, inside the verified Pyodide runtime
// itself (Python 3.12, the browser's interpreter), with matplotlib's font list.
// Called by tools/bytecode_dist.py:  node tools/bytecode_compile.mjs <pyodide dir> <job.json> <out dir>
// job.json: {"packages": [...lock package names to load], "entries": [...modules to import],
//            "owners": {"<site-packages relative .py path>": "<lock package name>"}}
// Writes <out>/<package>.zip (site-packages relative __pycache__/*.pyc, unchecked-hash pycs,
// so the interpreter never compares them with the sources; matplotlib's also holds its font
// list) and prints a JSON summary on stdout.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [dir, jobFile, outDir] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { loadPyodide } = require(path.resolve(dir, "pyodide.js"));
const job = JSON.parse(fs.readFileSync(jobFile, "utf8"));

const py = await loadPyodide({ indexURL: path.resolve(dir) + "/", env: { MPLBACKEND: "Agg", HOME: "/home/pyodide" } });
const errors = [];
await py.loadPackage(job.packages, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
if (errors.length) throw new Error("loadPackage: " + errors.join("; "));
fs.mkdirSync(outDir, { recursive: true });
py.FS.mkdirTree("/out");
py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(outDir) }, "/out");
py.globals.set("job", py.toPy(job));
const summary = py.runPython(`
import importlib, json, os, py_compile, sys, zipfile
SITE = "/lib/python3.12/site-packages"
for name in job["entries"]:
    importlib.import_module(name)
used = sorted({os.path.relpath(m.__file__, SITE) for m in list(sys.modules.values())
               if (getattr(m, "__file__", None) or "").startswith(SITE + "/") and m.__file__.endswith(".py")})
zips, counts = {}, {}
for rel in used:
    owner = job["owners"].get(rel)
    if owner is None:
        continue  # not from a lock package (cannot happen with a clean runtime; skipped, not guessed)
    pyc = py_compile.compile(os.path.join(SITE, rel), doraise=True,
                             invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    if owner not in zips:
        zips[owner] = zipfile.ZipFile(f"/out/{owner}.zip", "w", zipfile.ZIP_DEFLATED)
    info = zipfile.ZipInfo(os.path.relpath(pyc, SITE), date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with open(pyc, "rb") as fh:
        zips[owner].writestr(info, fh.read())
    counts[owner] = counts.get(owner, 0) + 1
# matplotlib's font list: Pyodide's matplotlib keeps it beside font_manager.py (and wrote it
# there on import above); shipped with matplotlib's bytecode, it is not rebuilt on each start
fontlist = "matplotlib/fontlist.json"
info = zipfile.ZipInfo(fontlist, date_time=(2020, 1, 1, 0, 0, 0))
info.compress_type = zipfile.ZIP_DEFLATED
with open(os.path.join(SITE, fontlist), "rb") as fh:
    zips["matplotlib"].writestr(info, fh.read())
for z in zips.values():
    z.close()
json.dumps({"python": sys.version.split()[0], "modules": counts})
`);
console.log(summary);
