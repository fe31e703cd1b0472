/* Offline after the first visit: registers the build's service worker (sw.js at the site
 * root, written by overrides/hooks/precache.py) and offers a reload when a new build is
 * waiting. The new build never takes over a page by itself, so one page never mixes files
 * of two builds; it activates when the reader presses Reload. */
import { CONFIG, SITE, IS_FILE } from "./config.mjs";
import { h } from "./dom.mjs";
import { runtime } from "./runtime-instance.mjs";
import { isStarting } from "./stages.mjs";

/* Python may have started before the service worker took control of the page (a reader who
 * acts at once): its files then came straight from the network. Ask the service worker to
 * keep a verified copy of every runtime file and bytecode bundle used so far, so the next visit
 * works offline too. It fetches each only if not cached yet (usually from the HTTP cache). */
function shareRuntimeFiles() {
  const sw = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (sw && runtime.files.length) sw.postMessage({ type: "cache-runtime", urls: runtime.files });
}

function offerReload(reg) {
  if (document.querySelector(".sl-update")) return;
  const button = h("button", { type: "button", class: "md-button md-button--primary", text: "Reload" });
  const bar = h("div", { class: "sl-update", role: "status" },
    h("span", { text: "A new version of this site is available. " }), button);
  button.addEventListener("click", () => {
    button.disabled = true;
    if (reg.waiting) reg.waiting.postMessage({ type: "activate" });
    else location.reload();
  });
  document.body.append(bar);
}

/** Register once the page has loaded and gone idle, and Python is not starting: the offline
 *  copy (the site's pages and assets, a few MB) never competes with the page the reader opened
 *  or with the runtime's download (what Python used first is handed over: shareRuntimeFiles). */
export function registerServiceWorker() {
  if (IS_FILE || !CONFIG.offline || !("serviceWorker" in navigator)) return;
  const whenPythonIsNotStarting = (fn) => {
    if (!isStarting(runtime.stage)) { fn(); return; }
    let done = false;
    const stop = runtime.onProgress((stage) => {
      if (done || isStarting(stage)) return;
      done = true;
      queueMicrotask(() => stop());
      fn();
    });
  };
  const idleRegister = () => whenPythonIsNotStarting(register);
  const later = () => (window.requestIdleCallback ? requestIdleCallback(idleRegister, { timeout: 5000 }) : setTimeout(idleRegister, 2000));
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later, { once: true });
}

function register() {
  const hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (hadController) location.reload(); // the reader asked for the new build
    else shareRuntimeFiles();              // the first install took control just now
  });
  document.addEventListener("synthlab:runtime-files", shareRuntimeFiles);
  shareRuntimeFiles();
  navigator.serviceWorker.register(new URL("sw.js", SITE).href, { scope: SITE.pathname }).then((reg) => {
    const check = () => { if (reg.waiting && navigator.serviceWorker.controller) offerReload(reg); };
    check();
    reg.addEventListener("updatefound", () => {
      const next = reg.installing;
      if (next) next.addEventListener("statechange", () => { if (next.state === "installed") check(); });
    });
    window.synthlab.serviceWorker = reg;
  }).catch(() => { /* no offline copy: the site still works online */ });
}
