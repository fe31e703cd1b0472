/* Course progress (.sl-progress boxes and .sl-lesson-end markers), kept in the one store.
 * A lesson counts when its demo is used or it is read to its end; the checkpoint when every
 * quiz on it is answered. data-count on the box: lessons done. No Python involved. */
import { CONFIG, SITE } from "../core/config.mjs";
import { h } from "../core/dom.mjs";
import { readStore, writeStore } from "../core/store.mjs";

const STORE = "synthlab-progress-v1";
const valid = (data) => Object.values(data).every((l) => l && typeof l === "object" && !Array.isArray(l));

export function loadProgress() {
  return readStore(STORE, valid).value || {};
}

function markDone(module, lesson) {
  const data = loadProgress();
  data[module] = data[module] || {};
  if (data[module][lesson]) return;
  data[module][lesson] = true;
  writeStore(STORE, data);
  document.querySelectorAll(".sl-progress").forEach(renderProgress);
}

export function renderProgress(el) {
  const module = (CONFIG.modules || {})[el.dataset.module];
  if (!module) return;
  const done = loadProgress()[el.dataset.module] || {};
  const count = module.lessons.filter((l) => done[l.id]).length;
  el.dataset.count = String(count);
  const reset = h("button", { type: "button", class: "md-button sl-progress__reset", text: "Reset progress" });
  reset.addEventListener("click", () => {
    const data = loadProgress();
    delete data[el.dataset.module];
    writeStore(STORE, data);
    document.querySelectorAll(".sl-progress").forEach(renderProgress);
  });
  el.replaceChildren(
    h("p", { class: "sl-progress__count", text: `Progress · ${count} / ${module.lessons.length}` }),
    h("ol", { class: "sl-progress__list" }, module.lessons.map((l) => h("li", { "data-done": done[l.id] ? "true" : "false" },
      h("a", { href: new URL(l.url, SITE).href, text: l.title }), done[l.id] ? h("span", { class: "sl-progress__tick", text: " ✓ done" }) : null))),
    reset);
}

export function bindLesson(marker) {
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
