/* Synthetic Data Lab: the Python worker.
 * One Pyodide instance per worker; messages are handled one at a time, in order.
 * Page -> worker: {id, type: "init"|"load"|"call", ...}; worker -> page: {id, ok, value|error}
 * and progress messages {type: "progress", stage}.
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
  if (msg.type === "call") {
    const reply = JSON.parse(bridge.call(msg.fn, msg.params));
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
    return reply.value;
  }
  throw new Error("unknown message type " + msg.type);
}

self.onmessage = (event) => {
  const msg = event.data;
  queue = queue.then(async () => {
    try {
      const value = await handle(msg);
      self.postMessage({ id: msg.id, ok: true, value });
    } catch (err) {
      self.postMessage({
        id: msg.id,
        ok: false,
        error: { kind: err.kind || "bug", message: String(err.message || err), traceback: err.traceback || null },
      });
    }
  });
};
