/* Synthetic Data Lab: the Python worker.
 * One Pyodide instance per worker; messages are handled one at a time, in order.
 * Page -> worker: {id, type: "init"|"load"|"call", ...}; worker -> page: {id, ok, value|error}
 * and progress messages {type: "progress", stage}.
 * Streaming (issue 16): {id, type: "stream", fn, params} runs a generator demo frame by frame
 * (frames go out as {type: "frame", stream: id, frame}); {type: "stream-control", stream, action}
 * with action pause|resume|stop bypasses the queue. See the STREAMING section below.
 */
"use strict";

let pyodide = null;
let bridge = null;
const loaded = new Set();
let queue = Promise.resolve();

function progress(stage) {
  self.postMessage({ type: "progress", stage });
}

async function loadPackages(names) {
  const wanted = names.filter((n) => !loaded.has(n));
  if (!wanted.length) return;
  progress("Loading " + wanted.join(", "));
  const errors = [];
  await pyodide.loadPackage(wanted, {
    messageCallback: () => {},
    errorCallback: (message) => errors.push(message),
  });
  if (errors.length) {
    throw Object.assign(new Error("Could not load " + wanted.join(", ") + ": " + errors.join("; ")), { kind: "load" });
  }
  wanted.forEach((n) => loaded.add(n));
}

async function init(msg) {
  progress("Downloading the Python runtime");
  try {
    importScripts(msg.indexURL + "pyodide.js");
  } catch (err) {
    throw Object.assign(new Error("Could not download the Python runtime from " + msg.indexURL + "."), { kind: "load" });
  }
  progress("Starting Python");
  pyodide = await loadPyodide({ indexURL: msg.indexURL, env: { MPLBACKEND: "Agg", HOME: "/home/pyodide" } });
  await loadPackages(["numpy"]);
  progress("Installing synthlearn");
  const response = await fetch(msg.packageURL);
  if (!response.ok) {
    const hint = response.status === 404 ? " The site may have been updated since this page was opened: reload the page." : "";
    throw Object.assign(new Error("Could not download synthlearn (HTTP " + response.status + ")." + hint), { kind: "load" });
  }
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: "/lib/python3.12/site-packages" });
  bridge = pyodide.pyimport("synthlearn.app.bridge");
  progress("Ready");
  return { version: pyodide.version, python: bridge.python_version() };
}

async function handle(msg) {
  if (msg.type === "init") return init(msg);
  if (msg.type === "load") return loadPackages(msg.packages);
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
