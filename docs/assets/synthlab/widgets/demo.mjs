/* A live demo (.sl-demo): controls -> synthlearn.demos.<fn>(**params) in the worker -> result.
 * State on data-state: static (build-time result) -> loading (Python starting) -> running
 * -> done | error. Counters: data-runs, data-errors; data-ms (last run's time);
 * data-numbers="1" once numbers arrived before the figure. The build-time result stays
 * until the reader changes a control or presses Run (nothing recomputes the defaults). */
import { runtime } from "../core/runtime-instance.mjs";
import { errorBox, renderResult, decoded } from "../core/dom.mjs";
import { followStages } from "../core/stages.mjs";
import { onIntent } from "../core/intent.mjs";
import { readParams } from "../core/form.mjs";

const SLOW_MS = 400;

function parts(el) {
  return {
    cfg: JSON.parse(el.dataset.config),
    form: el.querySelector(".sl-demo__controls"),
    output: el.querySelector(".sl-demo__output"),
    status: el.querySelector(".sl-demo__status"),
    errBox: el.querySelector(".sl-demo__error"),
    bar: el.querySelector(".sl-demo__progress"),
    cancel: el.querySelector(".sl-cancel"),
  };
}

/** Numbers first while matplotlib is not loaded yet: the old figure stays, marked stale. */
function numbersFirst(el, p, numbers) {
  const oldFigures = [...p.output.querySelectorAll(".sl-figure")];
  oldFigures.forEach((f) => f.classList.add("sl-figure--stale"));
  p.output.replaceChildren(...renderResult(numbers), ...oldFigures);
  el.dataset.numbers = "1";
  el.dataset.state = "running";
  p.status.textContent = "Numbers ready; drawing the figure…";
}

export function bindDemo(el) {
  if (el.dataset.bound) return;
  el.dataset.bound = "1";
  const p = parts(el);
  const { cfg, form, output, status } = p;
  const packages = cfg.figure ? [...cfg.packages, "matplotlib"] : cfg.packages;
  let busy = false, queued = false, timer = null, used = false;

  // The output is re-rendered on every slider step: announcing all of it each time drowns a
  // screen reader. The status line (role=status) announces a one-sentence summary instead.
  output.removeAttribute("aria-live");
  const setState = (state, text) => { el.dataset.state = state; if (text !== undefined) status.textContent = text; };
  followStages(el, p.bar, p.bar.querySelector(".sl-demo__stage"), () => el.dataset.state === "loading");
  const modules = [cfg.function.replace(/\.[^.]+$/, "")].concat(cfg.figure ? ["synthlearn.plotting", "matplotlib.figure",
    "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg"] : []);
  onIntent(el, () => runtime.warm(packages, modules));

  async function run() {
    if (busy) { queued = true; return; }
    busy = true; queued = false;
    const params = readParams(form);
    const loading = !runtime.ready;
    // A warm update takes well under a second: its status line and Cancel button appear only if
    // it is still running after SLOW_MS, so quick updates do not make the page jump (each change
    // of the demo's height makes the whole page lay out again) or flicker.
    setState(loading ? "loading" : "running");
    const slow = setTimeout(() => {
      status.textContent = loading ? "Loading Python in your browser…" : "Computing…";
      p.cancel.hidden = false;
    }, loading ? 0 : SLOW_MS);
    output.setAttribute("aria-busy", "true");
    let computeMs = 0; // Python's own work only: starting Python and loading packages are not "computing"
    const call = async (fn, args) => {
      const t = performance.now();
      try { return await runtime.call(fn, args); } finally { computeMs += performance.now() - t; }
    };
    try {
      await runtime.ensure(cfg.packages);
      if (cfg.figure && !runtime.loaded.has("matplotlib")) await numbersFirst(el, p, await call(cfg.function, { ...params, figure: false }));
      if (cfg.figure) await runtime.ensure(["matplotlib"]);
      const result = await call(cfg.function, cfg.figure ? { ...params, figure: true } : params);
      const nodes = renderResult(result);
      await decoded(nodes);
      p.errBox.hidden = true;
      output.replaceChildren(...nodes);
      const ms = Math.round(computeMs);
      el.dataset.ms = String(ms);
      el.dataset.runs = String(Number(el.dataset.runs || 0) + 1);
      setState("done", "Computed live in your browser in " + (ms / 1000).toFixed(2) + " s" +
        (loading ? " (after Python started)" : "") + ". " + (result.summary || ""));
    } catch (err) {
      errorBox(p.errBox, err);
      el.dataset.errors = String(Number(el.dataset.errors || 0) + 1);
      setState("error", err.kind === "input" ? "Fix the setting above; the last good result stays below." :
        "The last good result stays below.");
      if (err.kind === "load") runtime.restart({ kind: "load", message: err.message });
    } finally {
      clearTimeout(slow);
      busy = false;
      p.bar.hidden = true;
      p.cancel.hidden = true;
      output.setAttribute("aria-busy", "false");
      if (queued) run();
    }
  }

  const schedule = (delay) => {
    if (!used) { used = true; document.dispatchEvent(new CustomEvent("synthlab:used", { detail: el })); }
    clearTimeout(timer);
    timer = setTimeout(run, delay);
  };
  form.addEventListener("input", (event) => {
    const out = form.querySelector(`output[for="${event.target.id}"]`);
    if (out) out.textContent = event.target.value;
    // typing a number or dragging a slider is debounced (short: a warm update takes <100 ms);
    // a choice (select, checkbox) runs at once
    const type = event.target.dataset.type;
    schedule(type === "number" ? 250 : type === "range" ? 60 : 0);
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); run(); });
  p.cancel.addEventListener("click", () => {
    if (!busy) return;
    queued = false;
    runtime.restart({ kind: "cancelled", message: "Cancelled. Python restarts on your next change." });
  });
}
