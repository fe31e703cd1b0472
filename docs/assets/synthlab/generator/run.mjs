/* Generate: synthesize -> evaluate -> (figures), each step rendered as soon as it arrives;
 * Cancel stops Python (see runtime.restart for why it terminates the worker). */
import { runtime } from "../core/runtime-instance.mjs";
import { FN, setState, bump, fail, clearError, showError } from "./context.mjs";
import { readSettings } from "./settings.mjs";
import { ensureSource } from "./data.mjs";
import { renderResult, renderReport, renderFigures, renderCompare, showResult } from "./results.mjs";

function describeRun(ctx, s, syn) {
  const m = ctx.state.options.methods.find((x) => x.key === s.method);
  const eps = s.method === "dp_mst" ? `, ε = ${s.params.epsilon ?? 1}` : "";
  return `${m ? m.title : s.method}${eps} · ${syn.n.toLocaleString("en")} records · seed ${s.seed}`;
}

function setRunning(ctx, running) {
  const els = ctx.view.els;
  ctx.state.busy = running;
  els.cancel.hidden = !running;
  els.generate.disabled = running;
  if (!running) ctx.root.dataset.stage = "";
}

async function steps(ctx, token, settings, t0) {
  const { root, state, view } = ctx;
  const live = () => token === state.runToken;
  const figuresWanted = view.els.figures.checked;
  await runtime.ensure(["numpy", "scipy"]);
  await ensureSource(ctx);
  settings.data = state.source.data;
  const syn = await runtime.call(FN("synthesize"), { settings });
  if (!live()) return null;
  root.dataset.firstPreviewMs = String(Math.round(performance.now() - t0));
  const result = { syn, settings: syn.settings, title: describeRun(ctx, syn.settings, syn), report: null, figures: null,
    sourceName: state.schema.source.name, data: state.source.data };
  state.current = state.inflight = result;
  renderResult(ctx, result);
  root.dataset.stage = "evaluating";
  view.status.textContent = "Synthetic records ready. Evaluating them against the real training rows and the holdout…";
  result.report = await runtime.call(FN("evaluate_run"), { run_id: syn.run_id, settings: syn.settings });
  if (!live()) return null;
  root.dataset.reportMs = String(Math.round(performance.now() - t0));
  renderReport(ctx, result);
  state.results = state.results.concat([result]).slice(-2);
  renderCompare(ctx);
  if (figuresWanted) {
    root.dataset.stage = "drawing";
    view.status.textContent = "Scores ready. Drawing the figures…";
    await runtime.ensure(["matplotlib"]);
    result.figures = await runtime.call(FN("figures"), { run_id: syn.run_id, settings: syn.settings });
    if (!live()) return null;
    await renderFigures(ctx, result);
  }
  return result;
}

export async function generate(ctx) {
  const { root, state, view } = ctx;
  if (state.busy) { view.status.textContent = "Already working: wait, or press Cancel."; return; }
  if (!state.schema) return;
  const token = ++state.runToken;
  clearError(ctx);
  const settings = readSettings(ctx);
  state.inflight = null;
  const t0 = performance.now();
  setRunning(ctx, true);
  root.dataset.stage = "synthesizing";
  setState(ctx, "running", "Fitting the model on the training rows and drawing synthetic records…");
  try {
    const result = await steps(ctx, token, settings, t0);
    if (!result) return;
    root.dataset.totalMs = String(Math.round(performance.now() - t0));
    root.dataset.runId = result.syn.run_id;
    bump(ctx, "runs");
    setState(ctx, "done", `Done: ${result.title}. ${result.report.summary}`);
  } catch (err) {
    if (token !== state.runToken) return;
    const result = state.inflight;
    const complete = !!(result && result.report);
    if (complete && !state.results.includes(result)) state.results = state.results.concat([result]).slice(-2);
    fail(ctx, err, complete ? "The scores below are complete; the figures are missing." :
      state.results.length ? "The last good result stays below." : undefined, view.els.generate.parentElement);
    if (err.kind === "load") runtime.restart({ kind: "load", message: err.message });
    if (result && !complete && state.results.length) showResult(ctx, state.results[state.results.length - 1]);
  } finally {
    if (token === state.runToken) setRunning(ctx, false);
  }
}

/** Stop a run. Idle (nothing running), the button is hidden and a click does nothing. */
export function cancel(ctx) {
  const { state, view } = ctx;
  if (!state.busy || view.els.cancel.hidden) return;
  state.runToken++;
  const message = "Cancelled: Python was stopped and restarts on your next action. " +
    "Your settings and the last complete result are kept.";
  runtime.restart({ kind: "cancelled", message });
  setRunning(ctx, false);
  bump(ctx, "cancels");
  showError(ctx, { kind: "cancelled", message }, view.els.generate.parentElement);
  const last = state.results[state.results.length - 1];
  if (state.current && state.current !== last && last) showResult(ctx, last);
  setState(ctx, "error", "Cancelled.");
  view.els.generate.focus();
}
