/* The worker reports stage ids with a detail; this is the one place that words them. */
import { runtime } from "./runtime-instance.mjs";

const ORDER = ["download", "start", "packages", "install", "ready"];

export function formatBytes(n) {
  return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : n >= 1024 ? (n / 1024).toFixed(1) + " kB" : n + " bytes";
}

/** Words for a stage id and its detail, e.g. "Downloading the Python runtime (3.1 of 9.8 MB)". */
export function stageText(stage, detail = {}) {
  const bytes = detail.bytes ? (detail.total ? ` (${formatBytes(detail.bytes)} of ${formatBytes(detail.total)})`
    : ` (${formatBytes(detail.bytes)})`) : "";
  switch (stage) {
    case "download": return "Downloading the Python runtime" + bytes;
    case "start": return "Starting Python";
    case "packages": return "Loading " + (detail.packages || []).join(", ") + bytes;
    case "install": return "Installing synthlearn" + bytes;
    case "ready": return "Ready";
    case "cancelled": return "Cancelled";
    case "stopped": return "Stopped";
    default: return "";
  }
}

/** True while Python is on its way up (downloading, starting, loading, installing). */
export function isStarting(stage) {
  return ORDER.includes(stage) && stage !== "ready";
}

/** Share of the start-up done (0..1): stages in order, bytes within the download. */
export function stageShare(stage, detail = {}) {
  const i = ORDER.indexOf(stage);
  if (i < 0) return 0;
  const within = detail.bytes && detail.total ? Math.min(1, detail.bytes / detail.total) : 0;
  return (i + within) / (ORDER.length - 1);
}

/** Keep a progress box (a <progress> and a text element inside ``box``) in step with the
 *  worker while ``active()`` says the widget waits for Python; stops when ``el`` leaves the page. */
export function followStages(el, box, textEl, active) {
  const bar = box.querySelector("progress");
  const stop = runtime.onProgress((stage, detail) => {
    if (!document.contains(el)) { queueMicrotask(() => stop && stop()); return; }
    if (!active() || !isStarting(stage)) { box.hidden = true; return; }
    box.hidden = false;
    bar.value = Math.round(100 * stageShare(stage, detail));
    textEl.textContent = stageText(stage, detail) + "…";
  });
  return stop;
}
