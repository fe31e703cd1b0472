/* The page's client of the Python worker (one per tab; it survives instant navigation).
 *
 * Messages, page -> worker: {id, type: "init", indexURL, packageURL, coreHashes}
 *   | {id, type: "load", packages} | {id, type: "import", modules} | {id, type: "call", fn, params (JSON text)}
 *   | {id, type: "file", name, data (ArrayBuffer, transferred)}
 *   | {id, type: "stream", fn, params} and {type: "stream-control", stream, action} (issue 16).
 * Worker -> page: {id, ok: true, value} | {id, ok: false, error: {kind, message, traceback}}
 *   and {type: "progress", stage, detail}, stage one of STAGE_IDS below (words: stages.mjs);
 *   streams: {type: "frame", stream, frame} and {type: "stream-state", stream, state}.
 * Error kinds: "input" (the reader's), "load" (a download failed or failed verification),
 *   "bug" (inside synthlearn), "died" (the worker crashed), "cancelled".
 */
import { CONFIG, SITE } from "./config.mjs";

const SNAPSHOT_WATCHDOG_MS = 20000;
export const STAGE_IDS = ["idle", "download", "start", "packages", "install", "ready", "cancelled", "stopped"];

const PYODIDE_URL = new URL(CONFIG.pyodide_url || "pyodide/", SITE).href;
const PACKAGE_URL = new URL(CONFIG.package_url || "", SITE).href;
// pre-compiled bytecode, with matplotlib's font list (tools/bytecode_dist.py), as absolute URLs
const BYTECODE = CONFIG.bytecode ? {
  bundles: Object.fromEntries(Object.entries(CONFIG.bytecode.bundles).map(([n, b]) => [n, { ...b, url: new URL(b.url, SITE).href }])),
} : null;
// where the worker keeps its memory snapshot (worker.js startPython): the runtime's cache, one
// entry per set of core files; off for pages opened from disk (no Cache Storage there)
const SNAPSHOT = self.caches && CONFIG.pyodide_version ? {
  cache: "synthlab-runtime-" + CONFIG.pyodide_version,
  key: new URL("synthlab-snapshot-" + (CONFIG.pyodide_sha256 ? CONFIG.pyodide_sha256["pyodide.asm.wasm"].slice(0, 16) +
    CONFIG.pyodide_sha256["python_stdlib.zip"].slice(0, 16) : "unverified") + ".bin", PYODIDE_URL).href,
} : null;

function asError(info) {
  return Object.assign(new Error(info.message), info);
}

export class Runtime {
  constructor() {
    this.worker = null;
    this.pending = new Map();
    this.nextId = 1;
    this.started = null;        // promise of init; null until something asks for Python
    this.packages = new Map();  // name -> promise
    this.loaded = new Set();    // names whose load finished
    this.listeners = new Set();
    this.stage = "idle";
    this.detail = {};
    this.streams = new Map();   // stream id -> listener (issue 16)
    this.info = null;           // the worker's init reply: versions, snapshot used/made, timings
    this.timings = {};          // ms per start-up phase, package load and warm-up import (benchmarks)
    this._used({ bytecode: [], files: [] });
  }

  /** Listen to the worker's stages: fn(stageId, detail). Returns an unsubscribe function. */
  onProgress(fn) {
    this.listeners.add(fn);
    fn(this.stage, this.detail);
    return () => this.listeners.delete(fn);
  }

  get ready() { return this.stage === "ready"; }

  _emit(stage, detail = {}) {
    this.stage = stage;
    this.detail = detail;
    this.listeners.forEach((fn) => fn(stage, detail));
  }

  _send(message, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  _onMessage(msg) {
    if (msg.type === "progress") {
      this._watch(msg);
      this._emit(msg.stage, msg.detail || {});
      return;
    }
    // streaming (issue 16): frames and pause acknowledgements go to the stream's listener
    if (msg.type === "frame" || msg.type === "stream-state") { this.streams.get(msg.stream)?.(msg); return; }
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    this.pending.delete(msg.id);
    if (msg.ok) entry.resolve(msg.value);
    else entry.reject(asError(msg.error));
  }

  /** A start from the saved snapshot (worker.js startPython) takes well under a second; one
   *  that has not moved on after SNAPSHOT_WATCHDOG_MS is stuck: stop the worker, whose next
   *  start then discards the snapshot and starts afresh. */
  _watch(msg) {
    clearTimeout(this.watchdog);
    if (msg.stage !== "start" || !msg.detail || !msg.detail.snapshot) return;
    this.watchdog = setTimeout(() => this.restart({ kind: "died", message: "Python's saved start-up state did not " +
      "work, so it was discarded. Python starts afresh on your next action." }), SNAPSHOT_WATCHDOG_MS);
  }

  /** Start the worker and Python with numpy (once); later calls return the same promise. */
  start() {
    if (this.started) return this.started;
    const worker = new Worker(new URL("../worker.js", import.meta.url));
    this.worker = worker;
    worker.onmessage = (event) => this._onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.restart({ kind: "died", message: "The Python worker stopped unexpectedly" +
        (event.message ? " (" + event.message + ")" : "") + ". It restarts on your next action." });
    };
    performance.mark("synthlab:python-start");  // benchmarks and DevTools: Python starts here
    this.started = this._send({ type: "init", indexURL: PYODIDE_URL, packageURL: PACKAGE_URL,
      coreHashes: CONFIG.pyodide_sha256 || null, bytecode: BYTECODE, snapshot: SNAPSHOT });
    this.packages.set("numpy", this.started);
    this.started.then((info) => {
      this.loaded.add("numpy");
      this.info = info;
      Object.assign(this.timings, info.timings);
      this._used(info);
    }, () => {});
    return this.started;
  }

  /** Load Pyodide packages (once each); resolves when all are importable. */
  ensure(names) {
    const start = this.start();
    return Promise.all(names.map((name) => {
      if (!this.packages.has(name)) {
        const p = start.then(() => this._send({ type: "load", packages: [name] }));
        p.then((reply) => {
          this.loaded.add(name);
          this.timings["load " + name] = reply.ms;
          this._used(reply);
        }, () => this.packages.delete(name));
        this.packages.set(name, p);
      }
      return this.packages.get(name);
    }));
  }

  /** Record what the worker says it used so far (every reply carries the whole list):
   *  ``bytecode``, the packages whose pre-compiled bytecode it used, and ``files``, the URLs of
   *  the runtime files and bundles, which core/offline.mjs hands to the service worker. */
  _used(reply) {
    this.bytecode = new Set(reply.bytecode);
    this.files = reply.files;
    if (this.files.length) document.dispatchEvent(new CustomEvent("synthlab:runtime-files", { detail: this.files }));
  }

  /** Start ahead of need (idle time, or a first touch): load ``names`` and import ``modules``
   *  (synthlearn.* or matplotlib.*). Never rejects, never computes a result. */
  warm(names = ["numpy"], modules = []) {
    const done = this.ensure(names).then(() => (modules.length ? this._send({ type: "import", modules }) : null))
      .then((reply) => { if (reply) this.timings.import = reply.ms; });
    done.catch(() => {});
    this.warming = done; // the latest warm-up (tests and benchmarks wait on it)
    return done;
  }

  /** Call a synthlearn function by dotted name with JSON-able params; resolves to its result. */
  call(fn, params = {}) {
    return this.start().then(() => this._send({ type: "call", fn, params: JSON.stringify(params) }));
  }

  /** Streaming call (issue 16): run a generator demo, calling onMessage({type: "frame", frame})
   *  per frame and onMessage({type: "stream-state", state}) when a pause takes effect.
   *  Returns {done, control}: done resolves with {frames, stopped} when the stream ends;
   *  control("pause" | "resume" | "stop") acts between frames without killing the worker. */
  stream(fn, params, onMessage) {
    const id = this.nextId++;
    let worker = null;
    const done = this.start().then(() => new Promise((resolve, reject) => {
      worker = this.worker;
      this.streams.set(id, onMessage);
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: "stream", id, fn, params: JSON.stringify(params) });
    }));
    done.finally(() => this.streams.delete(id)).catch(() => {});
    const control = (action) => { if (worker && worker === this.worker) worker.postMessage({ type: "stream-control", stream: id, action }); };
    return { done, control };
  }

  /** Copy a file's bytes into the worker (its memory only); resolves to the path Python sees.
   *  The buffer is copied, so the caller keeps its own for a later restart. */
  putFile(name, buffer) {
    const copy = buffer.slice(0);
    return this.start().then(() => this._send({ type: "file", name: String(name).replace(/[^\w.-]/g, "_"), data: copy }, [copy]));
  }

  /** Stop whatever runs by terminating the worker; the next call starts a fresh one.
   *  Why terminate, not interrupt: Pyodide's interrupt buffer needs a SharedArrayBuffer,
   *  which browsers only allow on cross-origin-isolated pages (COOP/COEP response headers),
   *  and GitHub Pages cannot send those headers. Terminating is the one reliable stop. */
  restart(reason = { kind: "cancelled", message: "Cancelled." }) {
    clearTimeout(this.watchdog);
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.started = null;
    this.packages.clear();
    this.loaded.clear();
    this.info = null;
    this.timings = {};
    this._used({ bytecode: [], files: [] });
    const pending = [...this.pending.values()];
    this.pending.clear();
    pending.forEach(({ reject }) => reject(asError(reason)));
    this._emit(reason.kind === "cancelled" ? "cancelled" : "stopped");
  }
}
