/* Synthetic Data Lab: the page side of the Python runtime, and the public API of the site's JS.
 *
 * One Web Worker runs Pyodide and synthlearn (worker.js); the client lives in this module
 * graph, so it survives Material's instant navigation. Widgets are bound on every page
 * change through document$; Python starts on intent (core/intent.mjs), never at page load.
 *
 * Widget states (data-state), the tests' interface:
 *   demos      static -> loading -> running -> done | error        (widgets/demo.mjs)
 *   quizzes    static -> ready -> loading | grading -> answered     (widgets/quiz.mjs)
 *   generator  idle -> loading -> ready -> running -> done | error  (generator/index.mjs)
 *   training   static -> loading -> running <-> paused -> done | stopped | error  (stream.mjs)
 *   exercises  static -> loading -> ready -> running | checking -> done | error | timeout  (exercise.mjs)
 *   any widget "file" when the page was opened from disk (overrides/main.html).
 *
 * Public API for other modules (import from this file):
 *   runtime.call(fn, params) -> Promise<result>   call synthlearn.<fn>(**params) in the worker
 *   runtime.ensure(["scipy"]), runtime.warm([...]), runtime.putFile(name, buffer)
 *   runtime.restart(reason)                          stop (terminate) and start afresh on next call
 *   runtime.onProgress((stageId, detail) => …)       stage ids: core/client.mjs STAGE_IDS
 *   registerWidget(selector, bind)                   bind(el) for each match on every page
 *   onIntent(el, fn), followStages(…), stageText(…)  start on intent, progress words
 *   h, kids, renderResult, renderTable, renderFigure, errorBox, readStore/writeStore
 */
import { runtime } from "./core/runtime-instance.mjs";
import { CONFIG, IS_FILE } from "./core/config.mjs";
import { bindDemo } from "./widgets/demo.mjs";
import { bindQuiz } from "./widgets/quiz.mjs";
import { renderProgress, bindLesson } from "./widgets/progress.mjs";
import { registerServiceWorker } from "./core/offline.mjs";

export { runtime };
export { CONFIG, SITE, IS_FILE } from "./core/config.mjs";
export { h, kids, errorBox, renderResult, renderTable, renderFigure, svgDataURL, figureSrc, decoded } from "./core/dom.mjs";
export { readStore, writeStore, removeStore } from "./core/store.mjs";
export { stageText, followStages, formatBytes } from "./core/stages.mjs";
export { onIntent, saveData } from "./core/intent.mjs";
export { loadProgress } from "./widgets/progress.mjs";

const binders = [];
let started = false; // set once the first page is set up

/** Bind ``bind(el)`` to every element matching ``selector``, now and after each page change.
 *  ``bind`` must be idempotent per element (mark it, e.g. el.dataset.bound). */
export function registerWidget(selector, bind) {
  binders.push([selector, bind]);
  if (started) document.querySelectorAll(selector).forEach(bind);
}

registerWidget(".sl-demo", bindDemo);
registerWidget(".sl-quiz", bindQuiz);
registerWidget(".sl-progress", renderProgress);
registerWidget(".sl-lesson-end", bindLesson);
// training widgets (```synthlab-train, issue 16) live in their own module, loaded only when present
registerWidget(".sl-train", () => { import("./stream.mjs").then((m) => m.bindAll()); });
// code exercises (```synthlab-exercise), and their solved count under a course module's progress
// box, live in exercise.mjs: loaded only on a page with an exercise or with such a box
registerWidget(".sl-exercise", (el) => { import("./exercise.mjs").then((m) => m.bindExercise(el)); });
registerWidget(".sl-progress", (el) => {
  const exercises = Object.values(CONFIG.exercises || {}).filter((p) => p.module === el.dataset.module);
  if (exercises.some((p) => p.ids.length)) import("./exercise.mjs").then((m) => m.renderExerciseProgress(el));
});
// the Generator's code is loaded only on its page
registerWidget("#synthlab-generator", (el) => {
  import("./generator/index.mjs").then((m) => m.bindGenerator(el));
});

function setup() {
  if (IS_FILE) return; // the inline notice in main.html explains
  started = true;
  for (const [selector, bind] of binders) document.querySelectorAll(selector).forEach(bind);
}

registerServiceWorker();
if (window.document$) window.document$.subscribe(setup);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
else setup();
