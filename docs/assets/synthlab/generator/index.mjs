/* Synthetic Data Lab: the Generator page (loaded by runtime.mjs only when #synthlab-generator
 * is on the page). Pick a table (bundled, or the reader's own CSV: read here, handed to the
 * Python worker, never uploaded), adjust the schema, configure a method, generate, read the
 * report, download the results, compare the last two runs. All computing happens in the
 * worker (synthlearn.app.studio); these modules build the form and render JSON as text.
 *
 * Parts: context.mjs (the one state object, status and errors), data.mjs (1 · Data),
 * schema.mjs (2 · Columns), settings.mjs (3 · Settings), run.mjs (Generate, Cancel),
 * results.mjs (result, report, figures, downloads, compare), ui.mjs (form builders).
 */
import { runtime } from "../core/runtime-instance.mjs";
import { h, kids } from "../core/dom.mjs";
import { followStages } from "../core/stages.mjs";
import { onIntent, saveData } from "../core/intent.mjs";
import { FN, createContext, setState, fail } from "./context.mjs";
import { buildData, loadDataset } from "./data.mjs";
import { buildSettings, onSubmit } from "./settings.mjs";

function skeleton(ctx) {
  const v = ctx.view;
  v.status = h("p", { class: "sl-gen__status", role: "status", "aria-live": "polite" });
  v.progress = h("div", { class: "sl-gen__progress", hidden: true },
    h("progress", { max: "100", value: "0", "aria-label": "Progress" }), h("span", { class: "sl-gen__stage" }));
  v.errBox = h("div", { class: "sl-gen__error", role: "alert", hidden: true });
  v.notice = h("p", { class: "sl-gen__notice", hidden: !ctx.state.storeReset,
    text: "Your saved generator settings could not be read, so they were reset to the defaults." });
  const section = (id, hidden, extra = "") => h("section", { class: "sl-gen__section" + extra, "aria-labelledby": id, hidden });
  v.dataSection = section("gen-h-data", false);
  v.dataSection.setAttribute("role", "region");
  v.schemaSection = section("gen-h-columns", true);
  v.settingsSection = section("gen-h-settings", true);
  v.resultSection = section("gen-h-result", true, " sl-gen__result");
  v.compareSection = section("gen-h-compare", true);
  v.form = h("form", { class: "sl-gen__form", novalidate: true }, v.dataSection, v.schemaSection, v.settingsSection);
  const live = h("div", { class: "sl-gen__live" }, v.status, v.progress, v.errBox);
  ctx.root.replaceChildren(...kids(v.notice, v.form, live, v.resultSection, v.compareSection));
  onSubmit(ctx);
  followStages(ctx.root, v.progress, v.progress.querySelector(".sl-gen__stage"),
    () => ["loading", "running"].includes(ctx.root.dataset.state));
}

async function start(ctx) {
  skeleton(ctx);
  setState(ctx, "loading", "Starting Python in your browser (the first time takes a few seconds)…");
  try {
    await runtime.ensure(["numpy"]);
    ctx.state.options = await runtime.call(FN("options"), {});
    buildData(ctx);
    buildSettings(ctx);
    const names = ctx.state.options.datasets.map((d) => d.name);
    const first = names.includes(ctx.state.store.data) ? ctx.state.store.data : ctx.state.options.defaults.data;
    ctx.view.datasetSelect.value = first;
    await loadDataset(ctx, first);
    runtime.warm(["scipy"]); // for the first Generate
  } catch (err) {
    fail(ctx, err, "Python could not start in this page. Reload to try again.");
    if (err.kind === "load") runtime.restart({ kind: "load", message: err.message });
  }
}

/** The page is a live widget: it starts Python on intent (on screen and idle, or a touch).
 *  A reader who saves data gets a button instead of an automatic download. */
export function bindGenerator(root) {
  if (root.dataset.bound) return;
  root.dataset.bound = "1";
  const ctx = createContext(root);
  let begun = false;
  const begin = () => { if (!begun) { begun = true; start(ctx); } };
  if (saveData()) {
    const button = h("button", { type: "button", class: "md-button md-button--primary",
      text: "Start the generator (downloads Python, about 20 MB)" });
    button.addEventListener("click", begin);
    root.append(button);
  } else {
    onIntent(root, begin);
  }
}
