/* Synthetic Data Lab: training widgets (```synthlab-train blocks, issue 16).
 *
 * A widget streams frames from a generator demo in the worker (runtime.stream) and draws
 * each one: the frame's numbers (renderResult) and its plots, drawn here as small SVGs (no
 * matplotlib per frame). Pause/Resume/Stop act between frames without killing the worker;
 * if a Stop does not take effect within STOP_GRACE_MS, the worker is terminated (fallback).
 * State on data-state: static -> loading -> running <-> paused -> done | stopped | error;
 * data-frames counts frames, data-step is the last frame's training step; each frame is also
 * dispatched on the widget as a "synthlab:frame" event (detail: the frame).
 */
import { runtime } from "./core/runtime-instance.mjs";
import { renderResult, h, errorBox } from "./core/dom.mjs";
import { readParams, echoValue } from "./core/form.mjs";

const STOP_GRACE_MS = 5000;
const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** One plot spec ({kind: scatter|lines, title, xlim, ylim, series}) as an inline SVG figure. */
export function renderPlot(plot) {
  const W = 300, H = 300, L = 38, R = 8, T = 22, B = 30;
  const pts = plot.series.flatMap((s) => s.points);
  const range = (lim, i) => {
    if (lim) return lim;
    const v = pts.map((p) => p[i]).filter(Number.isFinite);
    const lo = v.length ? Math.min(...v) : 0, hi = v.length ? Math.max(...v) : 1;
    return hi > lo ? [lo, hi + (hi - lo) * 0.05] : [lo - 1, hi + 1];
  };
  const [x0, x1] = range(plot.xlim, 0), [y0, y1] = range(plot.ylim, 1);
  const sx = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "sl-plot", role: "img", "aria-label": plot.title });
  root.append(svg("rect", { x: L, y: T, width: W - L - R, height: H - T - B, class: "sl-plot__frame" }));
  root.append(svg("text", { x: W / 2, y: 14, "text-anchor": "middle", class: "sl-plot__title" }, plot.title));
  const fmt = (v) => Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  root.append(svg("text", { x: L, y: H - B + 12, "text-anchor": "middle", class: "sl-plot__tick" }, fmt(x0)),
    svg("text", { x: W - R, y: H - B + 12, "text-anchor": "end", class: "sl-plot__tick" }, fmt(x1)),
    svg("text", { x: L - 3, y: H - B, "text-anchor": "end", class: "sl-plot__tick" }, fmt(y0)),
    svg("text", { x: L - 3, y: T + 8, "text-anchor": "end", class: "sl-plot__tick" }, fmt(y1)),
    svg("text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle", class: "sl-plot__tick" }, plot.xlabel || ""));
  plot.series.forEach((s, i) => {
    if (plot.kind === "scatter") {
      // one path of tiny squares per series: far cheaper to lay out than hundreds of circles
      const d = s.points.filter((p) => p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1)
        .map((p) => `M${sx(p[0]).toFixed(1)} ${sy(p[1]).toFixed(1)}h2v2h-2z`).join("");
      root.append(svg("path", { d, fill: s.color, "fill-opacity": "0.65" }));
    } else {
      const d = s.points.map((p, j) => (j ? "L" : "M") + sx(p[0]).toFixed(1) + " " + sy(p[1]).toFixed(1)).join("");
      root.append(svg("path", { d, fill: "none", stroke: s.color, "stroke-width": "1.5" }));
    }
    root.append(svg("rect", { x: L + 6, y: T + 6 + i * 13, width: 8, height: 8, fill: s.color }),
      svg("text", { x: L + 18, y: T + 14 + i * 13, class: "sl-plot__legend" }, s.label));
  });
  return h("figure", { class: "sl-train__plot" }, root);
}

function renderFrame(frame) {
  const { figures, ...numbers } = frame; // a build-time frame's matplotlib figure is not needed live
  return [...renderResult(numbers), h("div", { class: "sl-train__plots" }, (frame.plots || []).map(renderPlot))];
}

function bindTrain(el) {
  if (el.dataset.bound) return;
  el.dataset.bound = "1";
  const cfg = JSON.parse(el.dataset.config);
  const form = el.querySelector(".sl-train__controls");
  const output = el.querySelector(".sl-train__output");
  const status = el.querySelector(".sl-train__status");
  const errBox = el.querySelector(".sl-train__error");
  const bar = el.querySelector(".sl-train__progress");
  const [pause, resume, stop] = ["pause", "resume", "stop"].map((b) => el.querySelector(".sl-train__" + b));
  let active = null; // {control, done}
  let drawing = 0;    // a pending requestAnimationFrame

  const setState = (state, text) => {
    el.dataset.state = state;
    if (text !== undefined) status.textContent = text;
    const live = state === "running" || state === "paused" || state === "loading";
    pause.disabled = state !== "running";
    pause.hidden = state === "paused";
    resume.hidden = state !== "paused";
    resume.disabled = state !== "paused";
    stop.disabled = !live;
    output.setAttribute("aria-busy", String(state === "running" || state === "loading"));
  };
  setState("static");
  el.dataset.frames = "0";

  async function start() {
    if (active) { active.control("stop"); await active.done.catch(() => {}); }
    const params = { ...readParams(form), figure: false };
    el.dataset.frames = "0";
    errBox.hidden = true;
    setState("loading", runtime.ready ? "Starting…" : "Loading Python in your browser…");
    const started = performance.now();
    let last = null;
    const onMessage = (msg) => {
      if (msg.type === "stream-state") {
        if (msg.state === "paused") setState("paused", `Paused at step ${el.dataset.step}. Resume continues from here.`);
        return;
      }
      if (!document.contains(el)) { active?.control("stop"); return; } // the reader navigated away
      last = msg.frame;
      if (!el.dataset.firstMs) el.dataset.firstMs = String(Math.round(performance.now() - started));
      el.dataset.frames = String(Number(el.dataset.frames) + 1);
      el.dataset.step = String(last.step);
      bar.max = last.total; bar.value = last.step; bar.hidden = false;
      // draw at most once per animation frame: if frames come faster, only the newest is drawn
      if (!drawing) drawing = requestAnimationFrame(() => { drawing = 0; output.replaceChildren(...renderFrame(last)); });
      el.dispatchEvent(new CustomEvent("synthlab:frame", { detail: last })); // for tests and benchmarks
      if (el.dataset.state === "loading") setState("running");
      if (el.dataset.state === "running") status.textContent = last.phase === "reverse" ? "Sampling: reverse process…" : `Training: step ${last.step} of ${last.total}…`;
    };
    await runtime.ensure(cfg.packages || ["numpy"]).catch(() => {});
    const stream = runtime.stream(cfg.function, params, onMessage);
    active = stream;
    try {
      const end = await stream.done;
      const s = ((performance.now() - started) / 1000).toFixed(1);
      el.dataset.ms = String(Math.round(performance.now() - started));
      el.dataset.runs = String(Number(el.dataset.runs || 0) + 1);
      if (end.stopped) setState("stopped", `Stopped at step ${el.dataset.step || 0} after ${s} s. Press Train to start again.`);
      else setState("done", `Trained live in your browser: ${end.frames} frames in ${s} s.`);
    } catch (err) {
      errorBox(errBox, err);
      setState("error", err.kind === "input" ? "Fix the setting above and train again." : "Training did not finish.");
    } finally {
      if (active === stream) active = null;
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); start(); });
  form.addEventListener("input", (event) => echoValue(form, event));
  pause.addEventListener("click", () => { if (active) { pause.disabled = true; active.control("pause"); } });
  resume.addEventListener("click", () => { if (active) { active.control("resume"); setState("running", "Training…"); } });
  stop.addEventListener("click", () => {
    if (!active) return;
    const current = active;
    current.control("stop");
    stop.disabled = true;
    status.textContent = "Stopping after the current frame…";
    const timer = setTimeout(() => { // fallback: a frame that never ends -> restart the worker
      if (active === current) runtime.restart({ kind: "cancelled", message: "Stopped by restarting Python." });
    }, STOP_GRACE_MS);
    current.done.finally(() => clearTimeout(timer)).catch(() => {});
  });
}

export function bindAll() {
  document.querySelectorAll(".sl-train").forEach(bindTrain);
}
