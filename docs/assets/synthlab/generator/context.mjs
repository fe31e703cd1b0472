/* The Generator page's one state object, and the small helpers every part of it uses.
 *
 * ctx.state   what the page knows: options from Python, the loaded table (schema, source,
 *             the reader's column choices), the saved settings, the last two results, busy.
 * ctx.view    the DOM elements the parts build (sections, status, error box, controls).
 * Root #synthlab-generator, state on data-state (the tests' interface):
 *   idle (static text) -> loading (Python starting / reading a table) -> ready
 *   -> running (data-stage: synthesizing | evaluating | drawing) -> done | error.
 * Counters: data-runs, data-errors, data-inspections, data-cancels, data-downloads;
 * data-first-preview-ms / data-report-ms / data-total-ms: time from Generate to each step.
 */
import { errorBox, kids } from "../core/dom.mjs";
import { readStore, writeStore, removeStore } from "../core/store.mjs";

export const FN = (name) => "synthlearn.app.studio." + name;
export const STORE = "synthlab-generator-v1";
export const HOLDOUT_CHOICES = [0.1, 0.2, 0.25, 0.3, 0.4, 0.5];

const validStore = (d) => d.v === 1 && ["params", "columns"].every((k) =>
  d[k] === undefined || (d[k] && typeof d[k] === "object" && !Array.isArray(d[k])));

export function createContext(root) {
  const { value, reset } = readStore(STORE, validStore);
  return {
    root,
    state: {
      options: null,       // synthlearn.app.studio.options(): datasets, methods, limits, defaults
      schema: null,        // the last good inspect() result
      columns: {},         // name -> {exclude, sensitive}
      kinds: {},           // the reader's kind overrides
      label: null,
      source: { data: null, file_name: null, buffer: null, worker: null, size: 0 },
      results: [],         // the last two complete results (compare view)
      current: null,       // the result on screen (may still be evaluating)
      inflight: null,      // the result the running Generate is building
      busy: false,
      runToken: 0,         // bumped by Cancel: a cancelled run's late replies are ignored
      store: value || {},
      storeReset: reset,
    },
    view: {},
  };
}

export function saveSettings(ctx, data) {
  ctx.state.store = data;
  writeStore(STORE, { ...data, v: 1 });
}

export function forgetSettings(ctx) {
  removeStore(STORE);
  ctx.state.store = {};
}

export function setState(ctx, s, text) {
  ctx.root.dataset.state = s;
  if (text !== undefined) ctx.view.status.textContent = text;
  if (s !== "loading" && s !== "running") ctx.view.progress.hidden = true;
}

export function bump(ctx, key) {
  ctx.root.dataset[key] = String(Number(ctx.root.dataset[key] || 0) + 1);
}

/** Show an error where the reader is looking: right after ``near`` (the control they used),
 *  else in the live area under the form. The box is role=alert, so it is announced. */
export function showError(ctx, err, near) {
  const box = ctx.view.errBox;
  const anchor = near || ctx.view.progress;
  if (anchor.nextElementSibling !== box) anchor.after(box);
  errorBox(box, err);
}

export function fail(ctx, err, keep, near) {
  showError(ctx, err, near);
  bump(ctx, "errors");
  setState(ctx, "error", keep || (ctx.state.results.length ? "The last good result stays below." : "Fix the input above and try again."));
}

export function clearError(ctx) {
  ctx.view.errBox.hidden = true;
  ctx.view.errBox.replaceChildren(...kids());
}
