/* Synthetic Data Lab: the Python worker (a classic worker, so importScripts works).
 * One Pyodide instance per worker; messages are handled one at a time, in order.
 *
 * Page -> worker: {id, type: "init", indexURL, packageURL, coreHashes}
 *   | {id, type: "load", packages} | {id, type: "import", modules} | {id, type: "call", fn, params}
 *   | {id, type: "file", name, data}.
 * Worker -> page: {id, ok: true, value} | {id, ok: false, error: {kind, message, traceback}},
 *   and {type: "progress", stage, detail} with stage one of
 *   "download" {bytes, total} | "start" | "packages" {packages} | "install" {bytes} | "ready".
 *   The page words them (core/stages.mjs).
 * Streaming (issue 16): {id, type: "stream", fn, params} runs a generator demo frame by frame
 * (frames go out as {type: "frame", stream: id, frame}); {type: "stream-control", stream, action}
 * with action pause|resume|stop bypasses the queue. See the STREAMING section below.
 * Integrity: with coreHashes (file name -> sha256, pinned at build time) every core runtime
 * file is checked before use; a mismatch is a "load" error and nothing of it runs. The
 * packages are checked by Pyodide itself against the sha256 in the (checked) lock file.
 * Figures: a result's {svg} figures gain a ready data: URL (src) here, off the page's thread.
 * Bytecode: init may carry {bytecode: {bundles: {package: {url, sha256}}}} (tools/bytecode_dist.py).
 * Right after a package loads, its bundle of pre-compiled modules (matplotlib's also holds its
 * font list) is fetched, checked against its sha256 and unpacked next to the sources, so Python
 * does not compile them again. A missing or mismatching bundle is skipped (never used): Python
 * then compiles as usual.
 * Snapshot: init may carry {snapshot: {cache, key}}: see startPython.
 * Replies: init {version, python, snapshot: "used" | "made" | "off", timings: {phase: ms}, bytecode,
 * files}; "load" {ms, bytecode, files}; "import" {ms}. bytecode: the packages whose bundle was used
 * so far; files: the URLs of every runtime file and bundle this worker used so far.
 */
"use strict";

let pyodide = null;
let bridge = null;
const loaded = new Set();
let queue = Promise.resolve();
let bytecode = null;            // what init offered, see the header
let runtimeURL = "";            // where the runtime files come from (init's indexURL)
let lockPackages = {};          // the lock file's packages (name -> {file_name, ...})
const applied = new Set();      // packages whose bytecode was handled (used or skipped)
const usedBytecode = new Set(); // packages whose bytecode was used
const usedFiles = new Set();    // URLs of the core files and bytecode bundles used
const SITE_PACKAGES = "/lib/python3.12/site-packages";

function progress(stage, detail = {}) {
  self.postMessage({ type: "progress", stage, detail });
}

function loadError(message) {
  return Object.assign(new Error(message), { kind: "load" });
}

async function sha256(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/* Download one file, reporting bytes as they arrive (counted across the whole download). */
async function download(url, counter) {
  let response;
  try { response = await fetch(url); } catch { throw loadError("Could not download the Python runtime from " + url + "."); }
  if (!response.ok) {
    const why = response.statusText ? ": " + response.statusText : "";
    throw loadError("Could not download the Python runtime from " + url + " (HTTP " + response.status + why + ").");
  }
  counter.expect(Number(response.headers.get("content-length") || 0));
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    counter.bytes += value.length;
    counter.report();
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return { buffer: out.buffer, type: response.headers.get("content-type") || "" };
}

/* Fetch the core files ourselves, check each against its pinned hash, then hand Pyodide the
 * checked bytes: scripts through blob: URLs, the rest through a fetch that answers from memory. */
async function verifiedCore(indexURL, hashes) {
  const names = ["pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];
  const counter = {
    bytes: 0, last: 0, total: 0, known: 0,
    expect(length) { if (length > 0) { this.total += length; this.known += 1; } },
    report() {
      if (this.bytes - this.last < 262144) return;
      this.last = this.bytes;
      progress("download", this.known === names.length ? { bytes: this.bytes, total: this.total } : { bytes: this.bytes });
    },
  };
  const files = await Promise.all(names.map((n) => download(indexURL + n, counter)));
  const checked = {};
  for (let i = 0; i < names.length; i++) {
    const got = await sha256(files[i].buffer);
    if (got !== hashes[names[i]]) {
      throw loadError("The Python runtime file " + names[i] + " does not match its pinned hash, so it was not used.");
    }
    checked[indexURL + names[i]] = files[i];
  }
  names.forEach((n) => usedFiles.add(indexURL + n));
  try { lockPackages = JSON.parse(new TextDecoder().decode(checked[indexURL + "pyodide-lock.json"].buffer)).packages; } catch { lockPackages = {}; }
  const realFetch = self.fetch.bind(self);
  self.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);  // Pyodide passes URL objects too
    const file = checked[url];
    if (!file) return realFetch(input, init);
    const type = url.endsWith(".wasm") ? "application/wasm" : file.type;
    return Promise.resolve(new Response(file.buffer.slice(0), { headers: { "content-type": type } }));
  };
  for (const n of ["pyodide.js", "pyodide.asm.js"]) {
    importScripts(URL.createObjectURL(new Blob([checked[indexURL + n].buffer], { type: "text/javascript" })));
  }
}

/* The bytes at ``url`` if they hash to ``expected``, else null (best effort: never throws). */
async function verifiedBytes(url, expected) {
  try {
    const response = await fetch(url);
    if (!response.ok) return null;
    const buffer = await response.arrayBuffer();
    return (await sha256(buffer)) === expected ? buffer : null;
  } catch {
    return null;
  }
}

/* What this worker has used so far, for replies: the packages whose bytecode was used, and the
 * URLs of the runtime files (core files, loaded packages) and bundles. The page hands the URLs
 * to the service worker, which keeps a verified copy of each (offline). */
function used() {
  const packages = pyodide ? Object.keys(pyodide.loadedPackages).filter((n) => lockPackages[n]) : [];
  return { bytecode: [...usedBytecode],
    files: [...usedFiles, ...packages.map((n) => runtimeURL + lockPackages[n].file_name)] };
}

/* Unpack the bytecode of every loaded package not handled yet. */
async function applyBytecode() {
  if (!bytecode) return [];
  const fresh = Object.keys(pyodide.loadedPackages).filter((n) => !applied.has(n));
  fresh.forEach((n) => applied.add(n));
  const names = fresh.filter((n) => bytecode.bundles[n]);
  const got = await Promise.all(names.map((n) => verifiedBytes(bytecode.bundles[n].url, bytecode.bundles[n].sha256)));
  names.forEach((name, i) => {
    const url = bytecode.bundles[name].url;
    if (!got[i]) { console.warn("Synthetic Data Lab: skipped " + url + " (missing or not the build's file)"); return; }
    pyodide.unpackArchive(got[i], "zip", { extractDir: SITE_PACKAGES });
    usedBytecode.add(name);
    usedFiles.add(url);
  });
}

async function loadPackages(names) {
  const wanted = names.filter((n) => !loaded.has(n));
  if (!wanted.length) return;
  progress("packages", { packages: wanted });
  const errors = [];
  await pyodide.loadPackage(wanted, {
    messageCallback: () => {},
    errorCallback: (message) => errors.push(message),
  });
  if (errors.length) throw loadError("Could not load " + wanted.join(", ") + ": " + errors.join("; "));
  wanted.forEach((n) => loaded.add(n));
  await applyBytecode();
  if (bridge) progress("ready"); // after start-up, a package load ends back at ready
}

/* A memory snapshot for warm starts. Pyodide 0.27 can save the interpreter's memory right
 * after start-up (loadPyodide's experimental _makeSnapshot / _loadSnapshot options; about
 * 20 MB, made in a few ms) and start from it later, skipping most of Python's own start-up.
 * The first start of a browser makes one and keeps it in the runtime's Cache Storage, keyed by
 * the core files' pinned hashes, with its sha256; later starts (new tabs, later visits, a
 * restart after Cancel) use it if it is intact, else start afresh (and make a new one).
 * A start from the snapshot is marked (an entry "<key>.trying") until it succeeds: if it
 * throws, hangs (the page's watchdog then restarts the worker: core/client.mjs) or kills the
 * worker, the next start finds the mark and discards the snapshot instead of trying it again.
 * Returns {py, snapshot: "used" | "made" | "off"}. */
async function startPython(options, where) {
  const store = where && self.caches ? await caches.open(where.cache).catch(() => null) : null;
  if (!store) return { py: await loadPyodide(options), snapshot: "off" };
  const trying = where.key + ".trying";
  const failedBefore = await store.match(trying).catch(() => null);
  const hit = failedBefore ? null : await store.match(where.key).catch(() => null);
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    if ((await sha256(bytes)) === hit.headers.get("x-sha256")) {
      try {
        await store.put(trying, new Response(""));
        progress("start", { snapshot: true });
        const py = await loadPyodide({ ...options, _loadSnapshot: bytes });
        await store.delete(trying);
        return { py, snapshot: "used" };
      } catch (err) {
        console.warn("Synthetic Data Lab: the saved Python snapshot did not load; starting afresh.", err);
      }
    }
  }
  await store.delete(where.key).catch(() => {});
  await store.delete(trying).catch(() => {});
  const py = await loadPyodide({ ...options, _makeSnapshot: true });
  try {
    const bytes = py.makeMemorySnapshot();
    const headers = { "content-type": "application/octet-stream", "x-sha256": await sha256(bytes) };
    store.put(where.key, new Response(bytes, { headers })).catch(() => {});
    return { py, snapshot: "made" };
  } catch {
    return { py, snapshot: "off" };
  }
}

async function init(msg) {
  const timings = {};
  let t = performance.now();
  const lap = (name) => { const now = performance.now(); timings[name] = Math.round(now - t); t = now; };
  progress("download", { bytes: 0 });
  if (msg.coreHashes) {
    await verifiedCore(msg.indexURL, msg.coreHashes);
  } else {
    try { importScripts(msg.indexURL + "pyodide.js"); } catch {
      throw loadError("Could not download the Python runtime from " + msg.indexURL + ".");
    }
  }
  lap("core");
  progress("start");
  bytecode = msg.bytecode || null;
  runtimeURL = msg.indexURL;
  const env = { MPLBACKEND: "Agg", HOME: "/home/pyodide" };
  const started = await startPython({ indexURL: msg.indexURL, env }, msg.snapshot);
  pyodide = started.py;
  lap("python");
  await loadPackages(["numpy"]);
  lap("numpy");
  progress("install");
  const response = await fetch(msg.packageURL).catch(() => null);
  if (!response || !response.ok) {
    const hint = response && response.status === 404 ? " The site may have been updated since this page was opened: reload the page." : "";
    throw loadError("Could not download synthlearn" + (response ? " (HTTP " + response.status + ")" : "") + "." + hint);
  }
  const archive = await response.arrayBuffer();
  progress("install", { bytes: archive.byteLength });
  pyodide.unpackArchive(archive, "zip", { extractDir: SITE_PACKAGES });
  bridge = pyodide.pyimport("synthlearn.app.bridge");
  lap("synthlearn");
  progress("ready");
  return { version: pyodide.version, python: bridge.python_version(), snapshot: started.snapshot, timings, ...used() };
}

/* Give every {svg: "<svg…"} object in a result a data: URL (in place of the text), so the page
 * only sets img.src. */
function addFigureSources(value) {
  if (Array.isArray(value)) { value.forEach(addFigureSources); return; }
  if (!value || typeof value !== "object") return;
  if (typeof value.svg === "string" && value.svg.startsWith("<svg") && !value.src) {
    const bytes = new TextEncoder().encode(value.svg);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    value.src = "data:image/svg+xml;base64," + btoa(binary);
    delete value.svg; // the page shows src only: half the bytes to copy across
  }
  for (const v of Object.values(value)) if (v && typeof v === "object") addFigureSources(v);
}

async function handle(msg) {
  if (msg.type === "init") return init(msg);
  if (msg.type === "load") {
    const t = performance.now();
    await loadPackages(msg.packages);
    return { ms: Math.round(performance.now() - t), ...used() };
  }
  if (msg.type === "import") {
    // warming up ahead of need: import modules (matplotlib's first import is seconds), compute nothing
    const t = performance.now();
    for (const name of msg.modules) if (/^(synthlearn|matplotlib)(\.\w+)*$/.test(name)) pyodide.pyimport(name);
    return { ms: Math.round(performance.now() - t) };
  }
  if (msg.type === "file") {
    // a user's file: written into the worker's in-memory file system, never sent anywhere
    pyodide.FS.mkdirTree("/tmp/uploads");
    pyodide.FS.writeFile("/tmp/uploads/" + msg.name, new Uint8Array(msg.data));
    return "/tmp/uploads/" + msg.name;
  }
  if (msg.type === "stream") return openStream(msg);
  if (msg.type === "call") {
    const reply = JSON.parse(bridge.call(msg.fn, msg.params));
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
    addFigureSources(reply.value);
    return reply.value;
  }
  throw new Error("unknown message type " + msg.type);
}

/* ------------------------------------------------------------- STREAMING (issue 16)
 * A stream is a Python generator (synthlearn.app.streaming). Each frame is its own task on the
 * sequential queue, so other calls (quizzes, demos) interleave with a running or paused
 * stream. After each frame the worker yields to its event loop (setTimeout 0) before queueing
 * the next one, so a stream-control message received meanwhile sets the flags first.
 * Pause parks the stream (no task queued); Resume queues the next frame; Stop closes the
 * generator. The stream's own request resolves with {frames, stopped} when it ends. */
const streams = new Map(); // request id -> {token, paused, parked, stopped, frames}
let streaming = null;      // the synthlearn.app.streaming module, imported on first use

function pyReply(json) {
  const reply = JSON.parse(json);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
  return reply.value;
}

const LATER = Symbol("reply later"); // the stream's request is answered by endStream, not by onmessage

function openStream(msg) {
  streaming = streaming || pyodide.pyimport("synthlearn.app.streaming");
  const token = pyReply(streaming.open(msg.fn, msg.params));
  streams.set(msg.id, { token, paused: false, parked: false, stopped: false, frames: 0 });
  setTimeout(() => pumpStream(msg.id), 0); // after this task: the queue must not wait for the whole stream
  return LATER;
}

function endStream(id, s, err) {
  streams.delete(id);
  if (!err) { self.postMessage({ id, ok: true, value: { frames: s.frames, stopped: s.stopped } }); return; }
  self.postMessage({ id, ok: false, error: { kind: err.kind || "bug", message: String(err.message || err), traceback: err.traceback || null } });
}

function pumpStream(id) {
  queue = queue.then(() => {
    const s = streams.get(id);
    if (!s) return;
    if (s.stopped) { streaming.close(s.token); endStream(id, s); return; }
    if (s.paused) { s.parked = true; self.postMessage({ type: "stream-state", stream: id, state: "paused", frames: s.frames }); return; }
    let frame;
    try { frame = pyReply(streaming.next_frame(s.token)); } catch (err) { endStream(id, s, err); return; }
    if (frame === null) { endStream(id, s); return; }
    s.frames += 1;
    self.postMessage({ type: "frame", stream: id, frame });
    setTimeout(() => pumpStream(id), 0); // let control messages in before the next frame
  });
}

function controlStream(msg) {
  const s = streams.get(msg.stream);
  if (!s) return; // already ended
  if (msg.action === "pause") s.paused = true;
  if (msg.action === "stop") s.stopped = true;
  if (msg.action === "resume") s.paused = false;
  if (s.parked && msg.action !== "pause") {
    s.parked = false;
    if (msg.action === "resume") self.postMessage({ type: "stream-state", stream: msg.stream, state: "running", frames: s.frames });
    pumpStream(msg.stream);
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "stream-control") { controlStream(msg); return; } // never waits behind the queue
  queue = queue.then(async () => {
    try {
      const value = await handle(msg);
      if (value !== LATER) self.postMessage({ id: msg.id, ok: true, value });
    } catch (err) {
      self.postMessage({
        id: msg.id,
        ok: false,
        error: { kind: err.kind || "bug", message: String(err.message || err), traceback: err.traceback || null },
      });
    }
  });
};
