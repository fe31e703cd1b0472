/* 3 · Settings: records, method (with its advanced options and ε), seed, holdout,
 * constraints, figures; saved in the store as the reader changes them. */
import { h, kids } from "../core/dom.mjs";
import { HOLDOUT_CHOICES, saveSettings, forgetSettings } from "./context.mjs";
import { field, select } from "./ui.mjs";
import { generate, cancel } from "./run.mjs";
import { loadDataset } from "./data.mjs";

function epsilonBox(ctx, saved) {
  const els = ctx.view.els, steps = ctx.state.options.epsilon_steps;
  els.eps = h("input", { type: "range", id: "gen-epsilon", min: "0", max: String(steps.length - 1), step: "1",
    "aria-describedby": "gen-epsilon-reading" });
  els.epsOut = h("output", { for: "gen-epsilon", class: "sl-gen__epsvalue" });
  els.epsReading = h("p", { class: "sl-gen__reading", id: "gen-epsilon-reading", "aria-live": "polite" });
  const savedEps = ((saved.params || {}).dp_mst || {}).epsilon;
  const epsIndex = steps.findIndex((s) => s.value === (typeof savedEps === "number" ? savedEps : 1));
  els.eps.value = String(epsIndex >= 0 ? epsIndex : steps.findIndex((s) => s.value === 1));
  els.epsBox = h("div", { class: "sl-gen__eps" },
    h("label", { for: "gen-epsilon" }, "Privacy level ε ", els.epsOut), els.eps,
    h("div", { class: "sl-gen__epsends", "aria-hidden": "true" }, h("span", { text: "more private" }), h("span", { text: "more accurate" })),
    els.epsReading);
  els.eps.addEventListener("input", () => { showEpsilon(ctx); persist(ctx); });
}

function makeControls(ctx) {
  const opts = ctx.state.options, saved = ctx.state.store, lim = opts.limits, els = ctx.view.els;
  els.n = h("input", { type: "number", id: "gen-n", min: "1", max: String(lim.max_synthetic_rows), step: "1", inputmode: "numeric",
    value: String(Number.isInteger(saved.n) && saved.n >= 1 && saved.n <= lim.max_synthetic_rows ? saved.n : opts.defaults.n) });
  const methodKey = opts.methods.some((m) => m.key === saved.method) ? saved.method : opts.defaults.method;
  els.method = select("gen-method", opts.methods.map((m) => [m.key, m.title]), methodKey);
  els.methodText = h("p", { class: "sl-gen__help", id: "gen-method-help" });
  els.method.setAttribute("aria-describedby", "gen-method-help");
  epsilonBox(ctx, saved);
  els.params = h("div", { class: "sl-gen__grid" });
  els.advanced = h("details", { class: "sl-gen__advanced" }, h("summary", { text: "Advanced options of this method" }), els.params);
  els.seed = h("input", { type: "number", id: "gen-seed", min: "0", max: "4294967295", step: "1", inputmode: "numeric",
    value: String(Number.isInteger(saved.seed) && saved.seed >= 0 ? saved.seed : opts.defaults.seed) });
  els.holdout = select("gen-holdout", HOLDOUT_CHOICES.map((v) => [v, Math.round(v * 100) + " %"]),
    HOLDOUT_CHOICES.includes(saved.holdout_share) ? saved.holdout_share : opts.defaults.holdout_share);
  els.constraints = h("textarea", { id: "gen-constraints", rows: "3", spellcheck: "false", placeholder: "age >= 18\nhours_per_week <= 80" });
  els.constraints.value = typeof saved.constraints === "string" ? saved.constraints : "";
  els.figures = h("input", { type: "checkbox", id: "gen-figures" });
  els.figures.checked = saved.figures !== false;
  els.generate = h("button", { type: "submit", class: "md-button md-button--primary sl-gen__generate", text: "Generate" });
  els.cancel = h("button", { type: "button", class: "md-button sl-gen__cancel", hidden: true, text: "Cancel" });
  els.reset = h("button", { type: "button", class: "md-button sl-gen__reset", text: "Reset settings" });
}

export function buildSettings(ctx) {
  const v = ctx.view;
  v.els = {};
  makeControls(ctx);
  const els = v.els, lim = ctx.state.options.limits;
  v.settingsSection.replaceChildren(...kids(
    h("h2", { id: "gen-h-settings", text: "3 · Settings" }),
    h("div", { class: "sl-gen__grid" },
      field("Number of synthetic records", els.n, `From 1 to ${lim.max_synthetic_rows.toLocaleString("en")}.`),
      h("div", { class: "sl-gen__field" }, h("label", { for: "gen-method", text: "Method" }), els.method, els.methodText),
      field("Seed", els.seed, "Same seed, same settings: the same synthetic rows."),
      field("Real rows kept aside (holdout)", els.holdout,
        "Drawn at random with the seed; the model never sees them. Privacy and utility checks compare with them.")),
    els.epsBox,
    els.advanced,
    field("Constraints (optional, one per line)", els.constraints,
      "Comparisons every synthetic row must satisfy, such as age >= 18 or start <= end. Rows that break one are drawn again."),
    h("div", { class: "sl-gen__checkrow" }, els.figures, h("label", { for: "gen-figures", text: "Draw figures (distributions and correlation difference)" })),
    h("div", { class: "sl-gen__actions" }, els.generate, els.cancel, els.reset)));
  els.method.addEventListener("change", () => { renderMethod(ctx); persist(ctx); });
  v.settingsSection.addEventListener("change", () => persist(ctx));
  v.settingsSection.addEventListener("input", () => persist(ctx));
  els.cancel.addEventListener("click", () => cancel(ctx));
  els.reset.addEventListener("click", () => resetSettings(ctx));
  renderMethod(ctx);
}

function showEpsilon(ctx) {
  const els = ctx.view.els;
  const step = ctx.state.options.epsilon_steps[Number(els.eps.value)];
  els.epsOut.textContent = "= " + step.text;
  els.eps.setAttribute("aria-valuetext", "epsilon " + step.text);
  els.epsReading.textContent = step.reading;
}

function paramControl(p, id, value) {
  if (p.type === "choice") {
    return select(id, p.choices.map((c) => [c, c]), value !== undefined && p.choices.includes(value) ? value : p.default);
  }
  if (p.type === "bounds") {
    const area = h("textarea", { id, rows: "2", spellcheck: "false", placeholder: "age: 17, 90" });
    area.value = typeof value === "string" ? value : "";
    return area;
  }
  const attrs = { id, type: p.type === "float_or_choice" ? "text" : "number", step: p.type === "int" ? "1" : "any",
    placeholder: String(p.default) };
  if (p.type !== "float_or_choice") {
    if (p.min !== null && !p.min_exclusive) attrs.min = String(p.min);
    if (p.max !== null && !p.max_exclusive) attrs.max = String(p.max);
  }
  const input = h("input", attrs);
  input.value = value !== undefined && value !== null ? String(value) : "";
  return input;
}

/** The chosen method's description, ε slider (DP only) and advanced options; a method
 *  without options has no "Advanced options" at all (hidden, not an empty box). */
function renderMethod(ctx) {
  const els = ctx.view.els;
  const m = ctx.state.options.methods.find((x) => x.key === els.method.value);
  els.methodText.textContent = m.description;
  const dp = m.key === "dp_mst";
  els.epsBox.hidden = !dp;
  if (dp) showEpsilon(ctx);
  const saved = ((ctx.state.store.params || {})[m.key]) || {};
  const specs = m.params.filter((p) => !(dp && p.name === "epsilon"));
  els.params.replaceChildren(...specs.map((p) => {
    const control = paramControl(p, `gen-param-${m.key}-${p.name}`, saved[p.name]);
    control.dataset.param = p.name;
    return field(p.name.replace(/_/g, " "), control, p.help + (p.type === "bounds" ? " One 'column: low, high' per line." :
      p.type === "choice" ? "" : ` Empty: ${p.default}.`));
  }));
  els.advanced.hidden = specs.length === 0;
  if (!specs.length) els.advanced.open = false;
}

function readParams(ctx) {
  const els = ctx.view.els, params = {};
  for (const f of els.params.querySelectorAll("[data-param]")) if (f.value.trim() !== "") params[f.dataset.param] = f.value;
  if (els.method.value === "dp_mst") params.epsilon = ctx.state.options.epsilon_steps[Number(els.eps.value)].value;
  return params;
}

export function readSettings(ctx) {
  const { state } = ctx, els = ctx.view.els, cols = state.columns;
  const names = state.schema.columns.map((c) => c.name);
  return {
    data: state.source.data,
    file_name: state.source.file_name,
    kinds: { ...state.kinds },
    exclude: names.filter((n) => cols[n] && cols[n].exclude),
    method: els.method.value,
    params: readParams(ctx),
    n: els.n.value.trim(),
    seed: els.seed.value.trim(),
    holdout_share: Number(els.holdout.value),
    constraints: els.constraints.value.split("\n"),
    evaluation: { label: state.label || null, quasi_identifiers: names.filter((n) => cols[n] && cols[n].sensitive) },
  };
}

export function persist(ctx) {
  const { state } = ctx, els = ctx.view.els;
  if (!els || !els.method || !state.schema) return;
  const store = state.store, method = els.method.value;
  const params = { ...(store.params || {}), [method]: readParams(ctx) };
  const n = Number(els.n.value), seed = Number(els.seed.value);
  const next = { ...store, method, params, holdout_share: Number(els.holdout.value), constraints: els.constraints.value,
    figures: els.figures.checked };
  if (Number.isInteger(n)) next.n = n;
  if (Number.isInteger(seed)) next.seed = seed;
  if (state.schema.source.bundled) {
    const names = state.schema.columns.map((c) => c.name);
    next.data = state.schema.data;
    next.columns = { ...(store.columns || {}), [state.schema.data]: {
      kinds: { ...state.kinds }, exclude: names.filter((x) => state.columns[x].exclude),
      sensitive: names.filter((x) => state.columns[x].sensitive), label: state.label } };
  }
  saveSettings(ctx, next);
}

function resetSettings(ctx) {
  forgetSettings(ctx);
  ctx.view.notice.hidden = true;
  buildSettings(ctx);
  if (ctx.state.schema && ctx.state.schema.source.bundled) loadDataset(ctx, ctx.state.schema.data, {});
  ctx.view.status.textContent = "Settings reset to the defaults.";
}

export function onSubmit(ctx) {
  ctx.view.form.addEventListener("submit", (e) => { e.preventDefault(); if (ctx.view.els && ctx.view.els.generate) generate(ctx); });
}
