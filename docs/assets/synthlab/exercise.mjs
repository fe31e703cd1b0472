/* Synthetic Data Lab: graded code exercises (```synthlab-exercise blocks).
 *
 * The learner's code runs in the shared Python worker through the runtime's "call" message:
 * synthlearn.grading.run (Run) and synthlearn.grading.check (Check), the same functions the
 * build used to validate the block. The editor (CodeMirror 6, vendored and hash-checked at
 * build time) is imported only on pages that hold an exercise. A run longer than the block's
 * time limit restarts the worker (terminating it is the only way to stop Python in a page).
 * State on data-state: static -> loading -> ready -> running | checking -> done | error | timeout.
 */
import { runtime } from "./core/runtime-instance.mjs";
import { CONFIG, SITE } from "./core/config.mjs";
import { h } from "./core/dom.mjs";
import { readStore, writeStore } from "./core/store.mjs";

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
  return readStore(STORE, (data) => Object.values(data).every(validEntry)).value || {};  // the one store
}

function saveEntry(id, entry) {
  const data = loadStore();
  data[id] = entry;
  writeStore(STORE, data);
}

/* ------------------------------------------------------------ progress (solved count) */
function moduleExercises(module) {
  return Object.values(CONFIG.exercises || {}).filter((p) => p.module === module).flatMap((p) => p.ids);
}

/** The "Exercises solved" line under one course progress box (.sl-progress). */
export function renderExerciseProgress(el) {
  const ids = moduleExercises(el.dataset.module);
  if (!ids.length) return;
  let line = el.nextElementSibling;
  if (!line || !line.classList.contains("sl-exercise-progress")) {
    line = h("p", { class: "sl-exercise-progress", "data-module": el.dataset.module });
    el.after(line);
  }
  const store = loadStore();
  const solved = ids.filter((id) => store[id] && store[id].status === "solved").length;
  line.dataset.solved = String(solved);
  line.dataset.total = String(ids.length);
  line.textContent = `Exercises solved · ${solved} / ${ids.length}`;
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

function showError(box, err, editor) {
  const items = [];
  if (err.message) items.push(h("p", { class: "sl-exercise__error", text: err.message }));
  if (err.traceback && err.traceback !== err.message) items.push(h("pre", { class: "sl-exercise__traceback", text: err.traceback }));
  if (err.line) {
    const go = h("button", { type: "button", class: "md-button sl-exercise__goto", text: `Go to line ${err.line}` });
    go.addEventListener("click", () => editor.goToLine(err.line));
    items.push(go);
  }
  box.append(...items);
}

async function mountEditor(host, options) {
  try {
    const mod = await loadEditor();
    // a task of its own: evaluating the editor bundle and creating the first view are each
    // about 100 ms here, and together they would be one long main-thread task
    await new Promise((resolve) => setTimeout(resolve, 0));
    const editor = mod.createEditor(host, options);
    editor.goToLine = (n) => {
      const doc = editor.view.state.doc;
      const line = doc.line(Math.min(Math.max(1, n), doc.lines));
      editor.view.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
      editor.view.focus();
    };
    return editor;
  } catch {
    return plainEditor(host, options);
  }
}

/** One exercise widget: editor, Run, Check, hints, solution, saved state. */
class Exercise {
  constructor(el) {
    this.el = el;
    this.spec = JSON.parse(el.dataset.spec);
    const q = (name) => el.querySelector(".sl-exercise__" + name);
    this.parts = { status: q("status"), output: q("output"), results: q("results"), hints: q("hints"), solution: q("solution") };
    this.buttons = { run: q("run"), check: q("check"), hint: q("hint"), reset: q("reset"), download: q("download"),
      show: q("show-solution") };
    this.hintItems = [...el.querySelectorAll(".sl-exercise__hint-text")];
    const stored = loadStore()[this.spec.id];
    this.entry = stored ? { ...stored } : { code: this.spec.starter, attempts: 0, hints: 0, status: "" };
    this.saveTimer = null;
  }

  save() { saveEntry(this.spec.id, this.entry); }

  setState(state, text) {
    this.el.dataset.state = state;
    if (text !== undefined) this.parts.status.textContent = text;
  }

  async start() {
    this.setState("loading", "Loading the editor…");
    this.el.querySelector(".sl-exercise__static").hidden = true;
    this.el.querySelector(".sl-exercise__live").hidden = false;
    const host = this.el.querySelector(".sl-exercise__editor");
    this.editor = await mountEditor(host, {
      doc: this.entry.code, label: host.dataset.label, describedBy: `exercise-${this.spec.id}-keys`,
      onRun: () => this.run(),
      onChange: (text) => {
        this.entry.code = text;
        clearTimeout(this.saveTimer);
        this.saveTimer = setTimeout(() => this.save(), 250);
      },
    });
    this.el.editor = this.editor;
    const b = this.buttons;
    b.run.addEventListener("click", () => this.run());
    b.check.addEventListener("click", () => this.check());
    b.hint.addEventListener("click", () => this.nextHint());
    b.reset.addEventListener("click", () => this.reset());
    b.download.addEventListener("click", () => this.download());
    b.show.setAttribute("aria-expanded", "false");
    b.show.addEventListener("click", () => this.toggleSolution());
    this.showHints();
    this.unlockSolution();
    this.setState("ready", this.attemptsText());
  }

  showHints() {
    const { hintItems, entry, buttons } = this;
    hintItems.forEach((li, i) => { li.hidden = i >= entry.hints; });
    this.parts.hints.hidden = entry.hints === 0;
    const left = hintItems.length - entry.hints;
    buttons.hint.hidden = hintItems.length === 0;
    buttons.hint.disabled = left <= 0;
    buttons.hint.textContent = left > 0 ? `Show a hint (${entry.hints + 1} of ${hintItems.length})` : "No more hints";
  }

  nextHint() {
    this.entry.hints = Math.min(this.hintItems.length, this.entry.hints + 1);
    this.save();
    this.showHints();
    const shown = this.hintItems[this.entry.hints - 1];
    shown.setAttribute("tabindex", "-1");
    shown.focus();
  }

  /** The solution: after success or after the attempt limit. */
  unlockSolution() {
    const open = this.entry.status === "solved" || this.entry.attempts >= this.spec.attempts;
    this.buttons.show.hidden = !open;
    this.el.dataset.solutionAvailable = String(open);
  }

  toggleSolution() {
    const { solution } = this.parts;
    solution.hidden = !solution.hidden;
    this.buttons.show.setAttribute("aria-expanded", String(!solution.hidden));
    this.buttons.show.textContent = solution.hidden ? "Show the solution" : "Hide the solution";
  }

  attemptsText() {
    const { entry, spec } = this;
    if (entry.status === "solved") return "Solved ✓ — all checks pass.";
    if (!entry.attempts) return "";
    return `Attempts: ${entry.attempts} of ${spec.attempts}` +
      (entry.attempts >= spec.attempts ? " — the solution is available; you can keep trying." : ".");
  }

  async call(fn, params) {
    await runtime.ensure(this.spec.packages);
    // the worker runs one message at a time: wait until what is queued before us (a demo) is done,
    // so the time limit counts only the learner's code
    await runtime.call("synthlearn.grading.ping", {});
    return withTimeLimit(runtime.call(fn, params), this.spec.time_limit);
  }

  busy(on) {
    const b = this.buttons;
    [b.run, b.check, b.reset, b.download].forEach((button) => { button.disabled = on; });
  }

  startText(what) {
    return runtime.ready ? what + "…" : what + " (Python is starting in your browser)…";
  }

  async run() {
    if (["running", "checking"].includes(this.el.dataset.state)) return;
    const { output, results } = this.parts;
    this.busy(true);
    results.hidden = true;
    this.setState("running", this.startText("Running your code"));
    try {
      const report = await this.call("synthlearn.grading.run", { code: this.editor.getValue(), setup: this.spec.setup });
      output.replaceChildren();
      const label = (text) => h("p", { class: "sl-exercise__label", text });
      if (report.stdout) output.append(label("Printed:"), h("pre", { class: "sl-exercise__stdout", text: report.stdout }));
      if (report.value !== null) output.append(label("Value of the last line:"), h("pre", { class: "sl-exercise__value", text: report.value }));
      if (report.error) showError(output, report.error, this.editor);
      if (!output.childElementCount) output.append(h("p", { text: "Your code ran; it printed nothing and its last line has no value." }));
      this.setState(report.ok ? "done" : "error",
        report.ok ? `Ran in ${report.seconds.toFixed(2)} s. Press Check to grade it.` : "Your code stopped with an error.");
    } catch (err) {
      output.replaceChildren(h("p", { class: "sl-exercise__error", text: err.message }));
      this.setState(err.kind === "timeout" ? "timeout" : "error", err.kind === "timeout" ? "Stopped: time limit." : "Could not run the code.");
    } finally {
      output.hidden = false;
      this.busy(false);
    }
  }

  async check() {
    if (["running", "checking"].includes(this.el.dataset.state)) return;
    this.busy(true);
    this.parts.output.hidden = true;
    delete this.el.dataset.verdict;
    const started = performance.now();
    this.setState("checking", this.startText("Checking"));
    try {
      const verdict = await this.call("synthlearn.grading.check",
        { code: this.editor.getValue(), checks: this.spec.checks, setup: this.spec.setup });
      this.el.dataset.ms = String(Math.round(performance.now() - started));
      this.showVerdict(verdict);
    } catch (err) {
      this.parts.results.replaceChildren(h("li", { class: "sl-exercise__result", "data-passed": "false", text: err.message }));
      this.parts.results.hidden = false;
      this.el.dataset.verdict = err.kind === "timeout" ? "timeout" : "error";
      this.setState(err.kind === "timeout" ? "timeout" : "error", err.kind === "timeout" ? "Stopped: time limit." : "Could not check the code.");
    } finally {
      this.busy(false);
    }
  }

  showVerdict(verdict) {
    const { results } = this.parts;
    results.replaceChildren();
    if (verdict.error) {
      const li = h("li", { class: "sl-exercise__result", "data-passed": "false" }, h("p", { text: "Your code did not run, so no check could:" }));
      showError(li, verdict.error, this.editor);
      results.append(li);
    }
    for (const r of verdict.results) {
      const li = h("li", { class: "sl-exercise__result", "data-passed": String(r.passed) },
        h("strong", { text: (r.passed ? "✓ Passed: " : "✗ Failed: ") + r.name }),
        r.passed ? null : h("span", { text: " — " + r.message }));
      if (!r.passed && r.traceback) showError(li, { message: "", traceback: r.traceback, line: r.line }, this.editor);
      results.append(li);
    }
    results.hidden = false;
    this.record(verdict.passed);
    const passed = verdict.results.filter((r) => r.passed).length;
    this.setState("done", (verdict.passed ? "All checks pass. " : `${passed} of ${verdict.results.length} checks pass. `) + this.attemptsText());
  }

  /** Count the attempt, save, and on a first success tell the lesson's progress. */
  record(passed) {
    const { entry } = this;
    const first = passed && entry.status !== "solved";
    if (entry.status !== "solved") entry.attempts += 1;
    if (passed) entry.status = "solved";
    else if (entry.status !== "solved") entry.status = "unsolved";
    this.el.dataset.verdict = passed ? "passed" : "failed";
    this.save();
    if (first) {
      document.dispatchEvent(new CustomEvent("synthlab:used", { detail: this.el }));
      document.dispatchEvent(new CustomEvent("synthlab:solved", { detail: this.el }));
      document.querySelectorAll(".sl-progress").forEach(renderExerciseProgress);
    }
    this.unlockSolution();
  }

  reset() {
    this.editor.setValue(this.spec.starter);
    this.entry.code = this.spec.starter;
    this.save();
    this.parts.status.textContent = "The starter code is back. " + this.attemptsText();
  }

  download() {
    const url = URL.createObjectURL(new Blob([this.editor.getValue()], { type: "text/x-python" }));
    const a = h("a", { href: url, download: `${this.spec.id}.py` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

export function bindExercise(el) {
  if (el.dataset.bound) return;
  el.dataset.bound = "1";
  new Exercise(el).start();
}
