/* Synthetic Data Lab: graded code exercises (```synthlab-exercise blocks).
 *
 * The learner's code runs in the shared Python worker through the runtime's "call" message:
 * synthlearn.grading.run (Run) and synthlearn.grading.check (Check), the same functions the
 * build used to validate the block. The editor (CodeMirror 6, vendored and hash-checked at
 * build time) is imported only on pages that hold an exercise. A run longer than the block's
 * time limit restarts the worker (terminating it is the only way to stop Python in a page).
 * State on data-state: static -> loading -> ready -> running | checking -> done | error | timeout.
 */
import { runtime, h } from "./runtime.mjs";

const SITE = new URL("../../", import.meta.url);
const CONFIG = (() => {
  const el = document.getElementById("synthlab-config");
  try { return el ? JSON.parse(el.textContent) : {}; } catch { return {}; }
})();
const STORE = "synthlab-exercises-v1";
let editorModule = null;

function loadEditor() {
  if (!editorModule) {
    editorModule = CONFIG.editor_url ? import(new URL(CONFIG.editor_url, SITE).href) : Promise.reject(new Error("no editor"));
    editorModule.catch(() => { editorModule = null; });
  }
  return editorModule;
}

/* ------------------------------------------------------------------------ storage */
function validEntry(e) {
  return e && typeof e === "object" && !Array.isArray(e) && typeof e.code === "string" &&
    Number.isInteger(e.attempts) && e.attempts >= 0 && Number.isInteger(e.hints) && e.hints >= 0 &&
    (e.status === "" || e.status === "solved" || e.status === "unsolved");
}

export function loadStore() {
  try {
    const raw = localStorage.getItem(STORE);
    if (!raw) return {};
    const data = JSON.parse(raw);
    if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error("bad shape");
    if (!Object.values(data).every(validEntry)) throw new Error("bad entry");
    return data;
  } catch {
    try { localStorage.removeItem(STORE); } catch { /* storage unavailable */ }
    return {};
  }
}

function saveEntry(id, entry) {
  const data = loadStore();
  data[id] = entry;
  try { localStorage.setItem(STORE, JSON.stringify(data)); } catch { /* private mode: memory only */ }
}

/* ------------------------------------------------------------ progress (solved count) */
function moduleExercises(module) {
  return Object.values(CONFIG.exercises || {}).filter((p) => p.module === module).flatMap((p) => p.ids);
}

function renderExerciseProgress() {
  const store = loadStore();
  document.querySelectorAll(".sl-progress").forEach((el) => {
    const ids = moduleExercises(el.dataset.module);
    if (!ids.length) return;
    let line = el.nextElementSibling;
    if (!line || !line.classList.contains("sl-exercise-progress")) {
      line = h("p", { class: "sl-exercise-progress", "data-module": el.dataset.module });
      el.after(line);
    }
    const solved = ids.filter((id) => store[id] && store[id].status === "solved").length;
    line.dataset.solved = String(solved);
    line.dataset.total = String(ids.length);
    line.textContent = `Exercises solved · ${solved} / ${ids.length}`;
  });
}

/* ---------------------------------------------------------------------- the widget */
function plainEditor(parent, { doc, label, onRun, onChange }) {
  // fallback if the editor bundle cannot load: a labelled textarea still works
  const area = h("textarea", { class: "sl-exercise__textarea", "aria-label": label, spellcheck: "false", rows: "12" });
  area.value = doc;
  area.addEventListener("input", () => onChange(area.value));
  area.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); onRun(); } });
  parent.append(area);
  return { getValue: () => area.value, setValue: (t) => { area.value = t; onChange(t); }, focus: () => area.focus(),
    goToLine: () => area.focus() };
}

function withTimeLimit(promise, seconds) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const reason = { kind: "timeout", message: `Your code ran for more than ${seconds} s and was stopped. ` +
        "Is there a loop that never ends? Python was restarted to stop it (your code is kept); " +
        "the next Run or Check starts it again, which takes a few seconds." };
      runtime.restart(reason);
      reject(Object.assign(new Error(reason.message), reason));
    }, seconds * 1000);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function bindExercise(el) {
  if (el.dataset.bound) return;
  el.dataset.bound = "1";
  const spec = JSON.parse(el.dataset.spec);
  const q = (sel) => el.querySelector(sel);
  const [status, output, results, hintList, solution] =
    [".sl-exercise__status", ".sl-exercise__output", ".sl-exercise__results", ".sl-exercise__hints", ".sl-exercise__solution"].map(q);
  const buttons = { run: q(".sl-exercise__run"), check: q(".sl-exercise__check"), hint: q(".sl-exercise__hint"),
    reset: q(".sl-exercise__reset"), download: q(".sl-exercise__download"), show: q(".sl-exercise__show-solution") };
  const stored = loadStore()[spec.id];
  const entry = stored ? { ...stored } : { code: spec.starter, attempts: 0, hints: 0, status: "" };
  let saveTimer = null;
  const save = () => saveEntry(spec.id, entry);
  const setState = (state, text) => { el.dataset.state = state; if (text !== undefined) status.textContent = text; };

  setState("loading", "Loading the editor…");
  q(".sl-exercise__static").hidden = true;
  q(".sl-exercise__live").hidden = false;
  const host = q(".sl-exercise__editor");
  const options = {
    doc: entry.code, label: host.dataset.label, describedBy: `exercise-${spec.id}-keys`,
    onRun: () => run(),
    onChange: (text) => { entry.code = text; clearTimeout(saveTimer); saveTimer = setTimeout(save, 250); },
  };
  let editor;
  try {
    const mod = await loadEditor();
    editor = mod.createEditor(host, options);
    editor.goToLine = (n) => {
      const doc = editor.view.state.doc;
      const line = doc.line(Math.min(Math.max(1, n), doc.lines));
      editor.view.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
      editor.view.focus();
    };
  } catch {
    editor = plainEditor(host, options);
  }
  el.editor = editor;

  /* hints, one at a time */
  const hintItems = [...el.querySelectorAll(".sl-exercise__hint-text")];
  const showHints = () => {
    hintItems.forEach((li, i) => { li.hidden = i >= entry.hints; });
    hintList.hidden = entry.hints === 0;
    const left = hintItems.length - entry.hints;
    buttons.hint.hidden = hintItems.length === 0;
    buttons.hint.disabled = left <= 0;
    buttons.hint.textContent = left > 0 ? `Show a hint (${entry.hints + 1} of ${hintItems.length})` : "No more hints";
  };
  buttons.hint.addEventListener("click", () => {
    entry.hints = Math.min(hintItems.length, entry.hints + 1);
    save();
    showHints();
    hintItems[entry.hints - 1].setAttribute("tabindex", "-1");
    hintItems[entry.hints - 1].focus();
  });

  /* the solution: after success or after the attempt limit */
  const unlockSolution = () => {
    const open = entry.status === "solved" || entry.attempts >= spec.attempts;
    buttons.show.hidden = !open;
    el.dataset.solutionAvailable = String(open);
  };
  buttons.show.setAttribute("aria-expanded", "false");
  buttons.show.addEventListener("click", () => {
    solution.hidden = !solution.hidden;
    buttons.show.setAttribute("aria-expanded", String(!solution.hidden));
    buttons.show.textContent = solution.hidden ? "Show the solution" : "Hide the solution";
  });

  const describeAttempts = () => entry.status === "solved" ? "Solved ✓ — all checks pass." :
    entry.attempts ? `Attempts: ${entry.attempts} of ${spec.attempts}` +
      (entry.attempts >= spec.attempts ? " — the solution is available; you can keep trying." : ".") : "";

  const showError = (box, err) => {
    const items = [h("p", { class: "sl-exercise__error", text: err.message })];
    if (err.traceback && err.traceback !== err.message) items.push(h("pre", { class: "sl-exercise__traceback", text: err.traceback }));
    if (err.line) {
      const go = h("button", { type: "button", class: "md-button sl-exercise__goto", text: `Go to line ${err.line}` });
      go.addEventListener("click", () => editor.goToLine(err.line));
      items.push(go);
    }
    box.append(...items);
  };

  async function call(fn, params) {
    await runtime.ensure(spec.packages);
    // the worker runs one message at a time: wait until what is queued before us (a demo) is done,
    // so the time limit counts only the learner's code
    await runtime.call("synthlearn.grading.ping", {});
    return withTimeLimit(runtime.call(fn, params), spec.time_limit);
  }

  const busy = (on) => Object.values(buttons).forEach((b) => { if (b !== buttons.show && b !== buttons.hint) b.disabled = on; });

  async function run() {
    if (el.dataset.state === "running" || el.dataset.state === "checking") return;
    busy(true);
    results.hidden = true;
    setState("running", runtime.stage === "Ready" ? "Running your code…" : "Running your code (Python is starting in your browser)…");
    try {
      const report = await call("synthlearn.grading.run", { code: editor.getValue(), setup: spec.setup });
      output.replaceChildren();
      if (report.stdout) output.append(h("p", { class: "sl-exercise__label", text: "Printed:" }), h("pre", { class: "sl-exercise__stdout", text: report.stdout }));
      if (report.value !== null) output.append(h("p", { class: "sl-exercise__label", text: "Value of the last line:" }), h("pre", { class: "sl-exercise__value", text: report.value }));
      if (report.error) showError(output, report.error);
      if (!output.childElementCount) output.append(h("p", { text: "Your code ran; it printed nothing and its last line has no value." }));
      output.hidden = false;
      setState(report.ok ? "done" : "error", report.ok ? `Ran in ${report.seconds.toFixed(2)} s. Press Check to grade it.` : "Your code stopped with an error.");
    } catch (err) {
      output.replaceChildren(h("p", { class: "sl-exercise__error", text: err.message }));
      output.hidden = false;
      setState(err.kind === "timeout" ? "timeout" : "error", err.kind === "timeout" ? "Stopped: time limit." : "Could not run the code.");
    } finally { busy(false); }
  }

  async function check() {
    if (el.dataset.state === "running" || el.dataset.state === "checking") return;
    busy(true);
    output.hidden = true;
    delete el.dataset.verdict;
    const started = performance.now();
    setState("checking", runtime.stage === "Ready" ? "Checking…" : "Checking (Python is starting in your browser)…");
    try {
      const verdict = await call("synthlearn.grading.check", { code: editor.getValue(), checks: spec.checks, setup: spec.setup });
      if (entry.status !== "solved") entry.attempts += 1;
      results.replaceChildren();
      if (verdict.error) {
        const li = h("li", { class: "sl-exercise__result", "data-passed": "false" });
        li.append(h("p", { text: "Your code did not run, so no check could: " }));
        showError(li, verdict.error);
        results.append(li);
      }
      for (const r of verdict.results) {
        const li = h("li", { class: "sl-exercise__result", "data-passed": String(r.passed) },
          h("strong", { text: (r.passed ? "✓ Passed: " : "✗ Failed: ") + r.name }),
          r.passed ? null : h("span", { text: " — " + r.message }));
        if (!r.passed && r.traceback) showError(li, { message: "", traceback: r.traceback, line: r.line });
        results.append(li);
      }
      results.hidden = false;
      const ms = Math.round(performance.now() - started);
      el.dataset.ms = String(ms);
      el.dataset.verdict = verdict.passed ? "passed" : "failed";
      const passedCount = verdict.results.filter((r) => r.passed).length;
      if (verdict.passed) {
        const first = entry.status !== "solved";
        entry.status = "solved";
        save();
        if (first) {
          document.dispatchEvent(new CustomEvent("synthlab:used", { detail: el }));
          document.dispatchEvent(new CustomEvent("synthlab:solved", { detail: el }));
          renderExerciseProgress();
        }
      } else {
        if (entry.status !== "solved") entry.status = "unsolved";
        save();
      }
      unlockSolution();
      setState("done", (verdict.passed ? "All checks pass. " : `${passedCount} of ${verdict.results.length} checks pass. `) + describeAttempts());
    } catch (err) {
      results.replaceChildren(h("li", { class: "sl-exercise__result", "data-passed": "false", text: err.message }));
      results.hidden = false;
      el.dataset.verdict = err.kind === "timeout" ? "timeout" : "error";
      setState(err.kind === "timeout" ? "timeout" : "error", err.kind === "timeout" ? "Stopped: time limit." : "Could not check the code.");
    } finally { busy(false); }
  }

  buttons.run.addEventListener("click", run);
  buttons.check.addEventListener("click", check);
  buttons.reset.addEventListener("click", () => {
    editor.setValue(spec.starter);
    entry.code = spec.starter;
    save();
    setState(el.dataset.state === "loading" ? "ready" : el.dataset.state, "The starter code is back. " + describeAttempts());
  });
  buttons.download.addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([editor.getValue()], { type: "text/x-python" }));
    const a = h("a", { href: url, download: `${spec.id}.py` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  showHints();
  unlockSolution();
  setState("ready", describeAttempts());
}

function setup() {
  if (location.protocol === "file:") return;
  const exercises = document.querySelectorAll(".sl-exercise");
  exercises.forEach(bindExercise);
  renderExerciseProgress();
  if (exercises.length) loadEditor().catch(() => {});
}

if (window.document$) window.document$.subscribe(setup);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
else setup();
