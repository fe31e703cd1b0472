/* Synthetic Data Lab: the page side of the Python runtime.
 *
 * One Web Worker runs Pyodide and synthlearn; it lives in this module, so it survives
 * Material's instant navigation. Widgets (demos, quizzes, progress) are bound on every
 * page change through document$. Widget state is on data-state:
 * static -> loading -> running -> done | error (demos); static -> ready -> answered (quizzes).
 */

const SITE = new URL("../../", import.meta.url);
const CONFIG = (() => {
  const el = document.getElementById("synthlab-config");
  try { return el ? JSON.parse(el.textContent) : {}; } catch { return {}; }
})();
const PYODIDE_URL = new URL(CONFIG.pyodide_url || "pyodide/", SITE).href;
const PACKAGE_URL = new URL(CONFIG.package_url || "", SITE).href;

/* ---------------------------------------------------------------- the worker client */
class Runtime {
  constructor() {
    this.worker = null;
    this.pending = new Map();
    this.nextId = 1;
    this.started = null;      // promise of init
    this.packages = new Map(); // name -> promise
    this.listeners = new Set();
    this.stage = "idle";
    this.streams = new Map(); // stream id -> listener (issue 16)
  }

  onProgress(fn) { this.listeners.add(fn); fn(this.stage); return () => this.listeners.delete(fn); }

  _emit(stage) { this.stage = stage; this.listeners.forEach((fn) => fn(stage)); }

  _send(message, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Copy a file's bytes into the worker (its memory only); resolves to the path Python sees.
   *  The buffer is copied, so the caller keeps its own for a later restart. */
  putFile(name, buffer) {
    const copy = buffer.slice(0);
    return this.start().then(() => this._send({ type: "file", name: String(name).replace(/[^\w.-]/g, "_"), data: copy }, [copy]));
  }

  start() {
    if (this.started) return this.started;
    const worker = new Worker(new URL("./worker.js", import.meta.url));
    this.worker = worker;
    worker.onmessage = (event) => {
      const msg = event.data;
      if (msg.type === "progress") { this._emit(msg.stage); return; }
      // streaming (issue 16): frames and pause acknowledgements go to the stream's listener
      if (msg.type === "frame" || msg.type === "stream-state") { this.streams.get(msg.stream)?.(msg); return; }
      const entry = this.pending.get(msg.id);
      if (!entry) return;
      this.pending.delete(msg.id);
      if (msg.ok) entry.resolve(msg.value);
      else entry.reject(Object.assign(new Error(msg.error.message), msg.error));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.restart({ kind: "died", message: "The Python worker stopped unexpectedly" +
        (event.message ? " (" + event.message + ")" : "") + ". It restarts on your next action." });
    };
    this.started = this._send({ type: "init", indexURL: PYODIDE_URL, packageURL: PACKAGE_URL });
    this.packages.set("numpy", this.started);
    this.started.catch(() => {});
    return this.started;
  }

  /** Load Pyodide packages (once each); resolves when all are importable. */
  ensure(names) {
    const start = this.start();
    return Promise.all(names.map((name) => {
      if (!this.packages.has(name)) {
        const p = start.then(() => this._send({ type: "load", packages: [name] }));
        p.catch(() => this.packages.delete(name));
        this.packages.set(name, p);
      }
      return this.packages.get(name);
    }));
  }

  call(fn, params) {
    return this.start().then(() => this._send({ type: "call", fn, params: JSON.stringify(params) }));
  }

  /** Streaming call (issue 16): run a generator demo, calling onMessage({type: "frame", frame})
   *  per frame and onMessage({type: "stream-state", state}) when a pause takes effect.
   *  Returns {done, control}: done resolves with {frames, stopped} when the stream ends;
   *  control("pause" | "resume" | "stop") acts between frames without killing the worker. */
  stream(fn, params, onMessage) {
    const id = this.nextId++;
    let worker = null;
    const done = this.start().then(() => new Promise((resolve, reject) => {
      worker = this.worker;
      this.streams.set(id, onMessage);
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: "stream", id, fn, params: JSON.stringify(params) });
    }));
    done.finally(() => this.streams.delete(id)).catch(() => {});
    const control = (action) => { if (worker && worker === this.worker) worker.postMessage({ type: "stream-control", stream: id, action }); };
    return { done, control };
  }

  /** Stop whatever runs (terminate the worker); the next call starts a fresh one. */
  restart(reason = { kind: "cancelled", message: "Cancelled." }) {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.started = null;
    this.packages.clear();
    const pending = [...this.pending.values()];
    this.pending.clear();
    pending.forEach(({ reject }) => reject(Object.assign(new Error(reason.message), reason)));
    this._emit(reason.kind === "cancelled" ? "Cancelled" : "Stopped");
  }
}

export const runtime = (window.synthlab = window.synthlab || {}).runtime || new Runtime();
window.synthlab.runtime = runtime;
export { h, errorBox, svgDataURL };

/* --------------------------------------------------------------------- rendering */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child);
  return el;
}

function svgDataURL(svg) {
  const bytes = new TextEncoder().encode(svg);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return "data:image/svg+xml;base64," + btoa(binary);
}

export function renderTable(table) {
  const head = h("tr", {}, (table.columns || []).map((c) => h("th", { scope: "col", text: c })));
  const body = (table.rows || []).map((row) => h("tr", {}, row.map((cell) => {
    if (cell && typeof cell === "object") {
      const mark = cell.mark;
      return h("td", { class: mark ? "sl-cell sl-cell--" + mark : null, "data-mark": mark || null, text: cell.text ?? "" });
    }
    return h("td", { text: cell ?? "" });
  })));
  return h("div", { class: "sl-table-wrap", tabindex: "0" },
    h("table", { class: "sl-table" }, table.caption ? h("caption", { text: table.caption }) : null,
      h("thead", {}, head), h("tbody", {}, body)));
}

export function renderFigure(figure) {
  return h("figure", { class: "sl-figure" }, h("img", { src: svgDataURL(figure.svg), alt: figure.alt || "", decoding: "async" }));
}

/** Build the result DOM; the same structure demoblocks.render_result writes at build time. */
export function renderResult(result) {
  const out = [];
  if (result.summary) out.push(h("p", { class: "sl-result__summary", text: result.summary }));
  if (result.metrics && result.metrics.length) {
    out.push(h("dl", { class: "sl-metrics" }, result.metrics.map((m) =>
      h("div", { class: "sl-metric", "data-key": m.key, "data-value": JSON.stringify(m.value ?? null) },
        h("dt", { title: m.help || "", text: m.label }), h("dd", { text: m.text }),
        m.help ? h("dd", { class: "sl-metric__help", text: m.help }) : null))));
  }
  (result.tables || []).forEach((t) => out.push(renderTable(t)));
  (result.figures || []).forEach((f) => out.push(renderFigure(f)));
  (result.notes || []).forEach((n) => out.push(h("p", { class: "sl-result__note", text: n })));
  return out;
}

function errorBox(box, err) {
  box.replaceChildren();
  if (err.kind === "input") {
    box.append(h("p", { text: err.message }));
  } else if (err.kind === "load") {
    box.append(h("p", { text: err.message + " The text and the result shown still hold. Check your connection, then press Run to try again." }));
  } else if (err.kind === "died" || err.kind === "cancelled") {
    box.append(h("p", { text: err.message }));
  } else {
    box.append(h("p", { text: "Something went wrong inside synthlearn (a bug, not your input): " + err.message }));
    if (err.traceback) box.append(h("details", {}, h("summary", { text: "Traceback" }), h("pre", { text: err.traceback })));
  }
  box.hidden = false;
}

/* ------------------------------------------------------------------------- demos */
const STAGES = ["Downloading the Python runtime", "Starting Python", "Loading numpy", "Installing synthlearn", "Ready"];

function readParams(form) {
  const params = {};
  for (const field of form.querySelectorAll("[data-type]")) {
    const type = field.dataset.type;
    if (type === "checkbox") params[field.name] = field.checked;
    else if (type === "select") params[field.name] = field.value;
    else params[field.name] = field.value === "" ? null : Number(field.value);
  }
  return params;
}

function bindDemo(el) {
  if (el.dataset.bound) return;
  el.dataset.bound = "1";
  const cfg = JSON.parse(el.dataset.config);
  const form = el.querySelector(".sl-demo__controls");
  const output = el.querySelector(".sl-demo__output");
  const status = el.querySelector(".sl-demo__status");
  const errBox = el.querySelector(".sl-demo__error");
  const bar = el.querySelector(".sl-demo__progress");
  const cancel = el.querySelector(".sl-cancel");
  let busy = false, queued = false, timer = null, used = false;
  // The output is re-rendered on every slider step: announcing all of it each time drowns a
  // screen reader. The status line (role=status) announces a one-sentence summary instead.
  output.removeAttribute("aria-live");

  const setState = (state, text) => { el.dataset.state = state; if (text !== undefined) status.textContent = text; };
  const showStage = (stage) => {
    if (el.dataset.state !== "loading") return;
    const i = STAGES.findIndex((s) => stage.startsWith(s.split(" ")[0]));
    bar.hidden = false;
    bar.querySelector("progress").value = Math.round(100 * Math.max(0, i + 1) / STAGES.length);
    bar.querySelector(".sl-demo__stage").textContent = stage + "…";
  };
  runtime.onProgress(showStage);

  async function run() {
    if (busy) { queued = true; return; }
    busy = true; queued = false;
    const params = readParams(form);
    const loading = !runtime.started || runtime.stage !== "Ready";
    setState(loading ? "loading" : "running", loading ? "Loading Python in your browser…" : "Computing…");
    output.setAttribute("aria-busy", "true");
    cancel.hidden = false;
    let computeMs = 0; // Python's own work only: starting Python and loading packages are not "computing"
    const call = async (fn, p) => {
      const t = performance.now();
      try { return await runtime.call(fn, p); } finally { computeMs += performance.now() - t; }
    };
    try {
      await runtime.ensure(cfg.packages);
      let figureDone = !cfg.figure;
      if (cfg.figure && !runtime.packages.has("matplotlib")) {
        // numbers first, figure once matplotlib has loaded
        const numbers = await call(cfg.function, { ...params, figure: false });
        const oldFigures = [...output.querySelectorAll(".sl-figure")];
        oldFigures.forEach((f) => f.classList.add("sl-figure--stale"));
        output.replaceChildren(...renderResult(numbers), ...oldFigures);
        el.dataset.numbers = "1";
        setState("running", "Numbers ready; drawing the figure…");
      }
      if (!figureDone) await runtime.ensure(["matplotlib"]);
      const result = await call(cfg.function, cfg.figure ? { ...params, figure: true } : params);
      errBox.hidden = true;
      output.replaceChildren(...renderResult(result));
      const ms = Math.round(computeMs);
      el.dataset.ms = String(ms);
      el.dataset.runs = String(Number(el.dataset.runs || 0) + 1);
      setState("done", "Computed live in your browser in " + (ms / 1000).toFixed(2) + " s" +
        (loading ? " (after Python started)" : "") + ". " + (result.summary || ""));
    } catch (err) {
      errorBox(errBox, err);
      el.dataset.errors = String(Number(el.dataset.errors || 0) + 1);
      setState("error", err.kind === "input" ? "Fix the setting above; the last good result stays below." :
        "The last good result stays below.");
      if (err.kind === "load") runtime.restart({ kind: "load", message: err.message });
    } finally {
      busy = false;
      bar.hidden = true;
      cancel.hidden = true;
      output.setAttribute("aria-busy", "false");
      if (queued) run();
    }
  }

  const schedule = (delay = 150) => {
    if (!used) { used = true; document.dispatchEvent(new CustomEvent("synthlab:used", { detail: el })); }
    clearTimeout(timer);
    timer = setTimeout(run, delay);
  };
  form.addEventListener("input", (event) => {
    const out = form.querySelector(`output[for="${event.target.id}"]`);
    if (out) out.textContent = event.target.value;
    // typing a number or dragging a slider is debounced; a choice (select, checkbox) runs at once
    if (event.target.dataset.type === "range" || event.target.dataset.type === "number") schedule();
    else schedule(0);
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); run(); });
  cancel.addEventListener("click", () => {
    queued = false;
    runtime.restart({ kind: "cancelled", message: "Cancelled. Python restarts on your next change." });
  });
  run(); // live result at the defaults, replacing the build-time one once Python is ready
}

/* ----------------------------------------------------------------------- quizzes */
function bindQuiz(form) {
  if (form.dataset.bound) return;
  form.dataset.bound = "1";
  let question = JSON.parse(form.dataset.question);
  const feedback = form.querySelector(".sl-quiz__feedback");
  const explanation = form.querySelector(".sl-quiz__explanation");
  const newButton = form.querySelector(".sl-quiz__new");
  form.dataset.state = "ready";

  async function fresh() {
    form.dataset.state = "loading";
    feedback.textContent = "Making a question with fresh numbers…";
    try {
      await runtime.ensure(["numpy"]);
      const seed = Math.floor(Math.random() * 2 ** 31);
      question = { ...(await runtime.call(form.dataset.generator, { seed })), id: question.id, generator: question.generator };
      form.querySelector(".sl-quiz__question").textContent = question.question;
      const extra = form.querySelector(".sl-quiz__extra");
      extra.replaceChildren(...(question.tables || []).map(renderTable),
        ...(question.figures || []).map(renderFigure));
      form.querySelectorAll(".sl-quiz__option label").forEach((label, i) => { label.textContent = question.options[i]; });
      form.querySelectorAll("input[type=radio]").forEach((r) => { r.checked = false; });
      form.querySelector(".sl-quiz__explanation-text").textContent = question.explanation;
      explanation.hidden = true;
      feedback.textContent = "";
      form.dataset.state = "ready";
    } catch (err) {
      feedback.textContent = "Could not make a new question: " + err.message;
      form.dataset.state = "ready";
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector("input[type=radio]:checked");
    if (!picked) { feedback.textContent = "Choose an answer first."; return; }
    form.dataset.state = "grading";
    feedback.textContent = runtime.stage === "Ready" ? "Checking…" : "Checking (Python is starting in your browser)…";
    try {
      const verdict = await runtime.call("synthlearn.quiz.grade", { question, choice: Number(picked.value) });
      feedback.textContent = verdict.feedback;
      form.classList.toggle("sl-quiz--correct", verdict.correct);
      form.classList.toggle("sl-quiz--wrong", !verdict.correct);
      explanation.hidden = false;
      form.dataset.state = "answered";
      form.dataset.correct = String(verdict.correct);
      document.dispatchEvent(new CustomEvent("synthlab:answered", { detail: form }));
    } catch (err) {
      feedback.textContent = "Could not check the answer: " + err.message;
      form.dataset.state = "ready";
    }
  });
  if (newButton) {
    newButton.hidden = false;
    newButton.addEventListener("click", fresh);
    fresh();
  }
}

/* ---------------------------------------------------------------------- progress */
const STORE = "synthlab-progress-v1";

export function loadProgress() {
  try {
    const raw = localStorage.getItem(STORE);
    if (!raw) return {};
    const data = JSON.parse(raw);
    if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error("bad shape");
    for (const lessons of Object.values(data)) {
      if (!lessons || typeof lessons !== "object" || Array.isArray(lessons)) throw new Error("bad shape");
    }
    return data;
  } catch {
    try { localStorage.removeItem(STORE); } catch { /* storage unavailable */ }
    return {};
  }
}

function saveProgress(data) {
  try { localStorage.setItem(STORE, JSON.stringify(data)); } catch { /* private mode: keep in memory */ }
}

function markDone(module, lesson) {
  const data = loadProgress();
  data[module] = data[module] || {};
  if (data[module][lesson]) return;
  data[module][lesson] = true;
  saveProgress(data);
  document.querySelectorAll(".sl-progress").forEach(renderProgress);
}

function renderProgress(el) {
  const module = (CONFIG.modules || {})[el.dataset.module];
  if (!module) return;
  const done = loadProgress()[el.dataset.module] || {};
  const count = module.lessons.filter((l) => done[l.id]).length;
  el.dataset.count = String(count);
  const reset = h("button", { type: "button", class: "md-button sl-progress__reset", text: "Reset progress" });
  reset.addEventListener("click", () => {
    const data = loadProgress();
    delete data[el.dataset.module];
    saveProgress(data);
    document.querySelectorAll(".sl-progress").forEach(renderProgress);
  });
  el.replaceChildren(
    h("p", { class: "sl-progress__count", text: `Progress · ${count} / ${module.lessons.length}` }),
    h("ol", { class: "sl-progress__list" }, module.lessons.map((l) => h("li", { "data-done": done[l.id] ? "true" : "false" },
      h("a", { href: new URL(l.url, SITE).href, text: l.title }), done[l.id] ? h("span", { class: "sl-progress__tick", text: " ✓ done" }) : null))),
    reset);
}

function bindLesson(marker) {
  if (marker.dataset.bound) return;
  marker.dataset.bound = "1";
  const { module, lesson } = marker.dataset;
  const quizzes = [...document.querySelectorAll(".sl-quiz")];
  if (marker.dataset.kind === "checkpoint") {
    const check = () => {
      if (document.contains(marker) && quizzes.length && quizzes.every((q) => q.dataset.state === "answered")) markDone(module, lesson);
    };
    document.addEventListener("synthlab:answered", check);
    return;
  }
  document.addEventListener("synthlab:used", () => { if (document.contains(marker)) markDone(module, lesson); });
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) { markDone(module, lesson); observer.disconnect(); }
  });
  observer.observe(marker);
}

/* A lesson also counts when a quiz about it is answered, wherever the quiz is (the checkpoint
   asks about every lesson): the quiz's page, and the lesson its "Review the lesson" link names. */
document.addEventListener("synthlab:answered", (event) => {
  const marker = document.querySelector(".sl-lesson-end[data-kind=lesson]");
  if (marker) markDone(marker.dataset.module, marker.dataset.lesson);
  const link = event.detail && event.detail.querySelector(".sl-quiz__lesson");
  if (!link) return;
  for (const [key, module] of Object.entries(CONFIG.modules || {})) {
    for (const l of module.lessons) if (new URL(l.url, SITE).href === link.href) markDone(key, l.id);
  }
});

/* ------------------------------------------------------------------------ wiring */
function setup() {
  if (location.protocol === "file:") return; // the inline notice in main.html explains
  document.querySelectorAll(".sl-demo").forEach(bindDemo);
  // training widgets (```synthlab-train, issue 16) live in their own module, loaded only when present
  if (document.querySelector(".sl-train")) import("./stream.mjs").then((m) => m.bindAll());
  document.querySelectorAll(".sl-quiz").forEach(bindQuiz);
  document.querySelectorAll(".sl-progress").forEach(renderProgress);
  document.querySelectorAll(".sl-lesson-end").forEach(bindLesson);
}

if (window.document$) window.document$.subscribe(setup);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
else setup();
