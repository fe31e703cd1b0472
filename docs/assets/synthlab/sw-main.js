/* Synthetic Data Lab: the service worker's code (sw.js at the site root = the build's manifest,
 * self.SYNTHLAB, written by overrides/hooks/precache.py, followed by this file).
 *
 * - install: precache every file of this build into "synthlab-site-<version>", each checked
 *   against its sha256 in the manifest; one mismatch (a file from another build, a broken
 *   download) fails the install, so a cache never mixes two builds.
 * - The new build waits: the page offers "a new version is available — reload" and sends
 *   {type: "activate"}; only then does it take over (the page reloads, all from one build).
 * - activate: delete every other build's cache (and runtime caches of other versions).
 * - fetch: site files cache-first (pages by folder URL, "x/" -> "x/index.html"); the Python
 *   runtime cache-first from "synthlab-runtime-<pyodide version>", filled on first use and
 *   only with files whose sha256 matches the pinned one (a mismatch is answered with 502);
 *   the build's "lazy" files (pre-compiled bytecode, content-named) likewise, into the same
 *   cache, checked against the manifest's sha256.
 * Works under any sub-path: every URL is relative to this worker's own folder (its scope).
 */
"use strict";

const M = self.SYNTHLAB;
const SCOPE = new URL("./", self.location.href).href;
const SITE_CACHE = "synthlab-site-" + M.version;
const RUNTIME_CACHE = "synthlab-runtime-" + M.runtime.version;
const RUNTIME_URL = new URL(M.runtime.url, SCOPE).href;

async function sha256(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/* Fetch ``url`` and return a cacheable Response only if its bytes hash to ``expected``. */
async function verifiedFetch(url, expected, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(url + ": HTTP " + response.status);
  const body = await response.arrayBuffer();
  const got = await sha256(body);
  if (got !== expected) throw new Error(url + ": sha256 " + got + " is not the build's " + expected);
  return new Response(body, { status: 200, headers: response.headers });
}

async function precache() {
  const cache = await caches.open(SITE_CACHE);
  const entries = Object.entries(M.files);
  let next = 0;
  async function lane() {
    while (next < entries.length) {
      const [path, hash] = entries[next++];
      const url = SCOPE + path;
      if (await cache.match(url)) continue;
      await cache.put(url, await verifiedFetch(url, hash, { cache: "reload" }));
    }
  }
  await Promise.all([lane(), lane(), lane(), lane()]);
}

self.addEventListener("install", (event) => event.waitUntil(precache()));

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      const ours = name.startsWith("synthlab-site-") || name.startsWith("synthlab-runtime-");
      if (ours && name !== SITE_CACHE && name !== RUNTIME_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

const has = (object, key) => Object.prototype.hasOwnProperty.call(object || {}, key);

/* The runtime cache's copy a URL stands for, {key, expected, init}: a pinned runtime file or
 * one of the build's lazy files; else null. */
function pinned(url) {
  if (url.startsWith(RUNTIME_URL)) {
    const name = url.slice(RUNTIME_URL.length).split("?")[0];
    return has(M.runtime.sha256, name)
      ? { key: RUNTIME_URL + name, expected: M.runtime.sha256[name], init: { mode: "cors", credentials: "omit" } } : null;
  }
  const path = url.startsWith(SCOPE) ? decodeURIComponent(url.slice(SCOPE.length).split("?")[0]) : null;
  return path && has(M.lazy, path) ? { key: SCOPE + path, expected: M.lazy[path] } : null;
}

/* The page lists the URLs its Python worker used (possibly before this worker controlled the
 * page): keep a verified copy of each not cached yet. */
function keepRuntimeFiles({ urls = [] }) {
  return Promise.all(urls.map(pinned).filter(Boolean).map((copy) => fromRuntime(copy).catch(() => null)));
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "activate") self.skipWaiting();
  if (event.data && event.data.type === "cache-runtime") event.waitUntil(keepRuntimeFiles(event.data));
});

/* The manifest path a site request stands for, or null. */
function sitePath(url) {
  if (!url.startsWith(SCOPE)) return null;
  const path = decodeURIComponent(url.slice(SCOPE.length).split(/[?#]/)[0]);
  for (const candidate of [path, path + (path === "" || path.endsWith("/") ? "" : "/") + "index.html"]) {
    if (Object.prototype.hasOwnProperty.call(M.files, candidate)) return candidate;
  }
  return null;
}

async function fromSite(request, path) {
  const cached = await caches.match(SCOPE + path, { cacheName: SITE_CACHE });
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (err) {
    const notFound = request.mode === "navigate" && await caches.match(SCOPE + "404.html", { cacheName: SITE_CACHE });
    if (notFound) return notFound;
    throw err;
  }
}

/* Cache-first from the runtime cache; filled on first use, only with bytes hashing to ``expected``. */
async function fromRuntime({ key, expected, init }) {
  const cache = await caches.open(RUNTIME_CACHE);
  const cached = await cache.match(key);
  if (cached) return cached;
  let response;
  try {
    response = await verifiedFetch(key, expected, init);
  } catch (err) {
    if (err instanceof TypeError) throw err; // offline or blocked: the page reports a download error
    return new Response("This file failed verification and was not used: " + err.message,
      { status: 502, statusText: "the file failed verification (sha256) and was not used" });
  }
  await cache.put(key, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = request.url.split("#")[0];
  const copy = pinned(url);
  if (copy) { event.respondWith(fromRuntime(copy)); return; }
  if (url.startsWith(RUNTIME_URL)) return;  // not a pinned runtime file: the network, uncached
  const path = sitePath(url);
  if (path !== null) event.respondWith(fromSite(request, path));
});
