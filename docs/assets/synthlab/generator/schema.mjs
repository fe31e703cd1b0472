/* 2 · Columns: the detected schema; the reader changes kinds, excludes columns, marks
 * identifying ones and picks the label. */
import { h, kids, renderTable } from "../core/dom.mjs";
import { formatBytes } from "../core/stages.mjs";
import { setState, bump, fail, clearError } from "./context.mjs";
import { field, select, nextId } from "./ui.mjs";
import { ensureSource, inspectSource } from "./data.mjs";
import { persist } from "./settings.mjs";

const LABEL_KINDS = ["categorical", "boolean"];

function columnRow(ctx, c) {
  const cols = ctx.state.columns;
  const kind = select(nextId("gen-kind"), ctx.state.options.kinds.map((k) => [k, k]), c.kind);
  kind.setAttribute("aria-label", `Kind of ${c.name}`);
  kind.dataset.column = c.name;
  kind.addEventListener("change", () => changeKind(ctx, c.name, kind.value, c.kind, kind));
  const exclude = h("input", { type: "checkbox", "aria-label": `Exclude ${c.name}`, "data-column": c.name, class: "sl-gen__exclude" });
  exclude.checked = !!cols[c.name].exclude;
  const sensitive = h("input", { type: "checkbox", "aria-label": `${c.name} is sensitive (identifying)`, "data-column": c.name, class: "sl-gen__sensitive" });
  sensitive.checked = !!cols[c.name].sensitive;
  const issues = c.issues.length ? h("ul", { class: "sl-gen__issues" }, c.issues.map((m) => h("li", { text: m }))) : null;
  const tr = h("tr", { "data-column": c.name, class: cols[c.name].exclude ? "sl-gen__excluded" : null },
    h("th", { scope: "row" }, h("span", { class: "sl-gen__colname", text: c.name }), issues),
    h("td", {}, kind),
    h("td", { class: "sl-gen__num", text: c.missing_text }),
    h("td", { class: "sl-gen__num", text: c.n_distinct_text }),
    h("td", { class: "sl-gen__examples", text: c.examples.join(" · ") }),
    h("td", { class: "sl-gen__check" }, exclude),
    h("td", { class: "sl-gen__check" }, sensitive));
  exclude.addEventListener("change", () => {
    cols[c.name].exclude = exclude.checked;
    tr.classList.toggle("sl-gen__excluded", exclude.checked);
    refreshLabelChoices(ctx);
    persist(ctx);
  });
  sensitive.addEventListener("change", () => { cols[c.name].sensitive = sensitive.checked; persist(ctx); });
  return tr;
}

/** The label choices: categorical or boolean columns that can be labels and are not excluded. */
function labelChoices(ctx) {
  const cols = ctx.state.columns;
  return [["", "No label (skip the utility check)"]].concat(ctx.state.schema.columns
    .filter((c) => c.can_be_label && !(cols[c.name] && cols[c.name].exclude))   // identifiers never; 0/1 numbers too
    .map((c) => [c.name, c.name]));
}

/** Keep the label select in step with the Exclude boxes: an excluded column is no longer offered,
 *  and if it was the label, the run has no label until the reader picks another. */
function refreshLabelChoices(ctx) {
  const el = ctx.view.labelSelect;
  if (!el) return;
  const choices = labelChoices(ctx);
  if (ctx.state.label && !choices.some(([value]) => value === ctx.state.label)) ctx.state.label = null;
  el.replaceChildren(...choices.map(([value, text]) => h("option", { value, text })));
  el.value = ctx.state.label || "";
}

function sourceLine(ctx) {
  const schema = ctx.state.schema, src = schema.source;
  ctx.view.sourceInfo.replaceChildren(...kids(
    h("strong", { text: src.name }), " · " + schema.size_text,
    src.bundled ? ` · licence ${src.licence}. ${src.description}` :
      ` · ${formatBytes(ctx.state.source.size)}, read in this tab, not uploaded.`));
}

export function renderSchema(ctx) {
  const { state, view } = ctx;
  const schema = state.schema;
  sourceLine(ctx);
  const table = h("div", { class: "sl-table-wrap", tabindex: "0", role: "region", "aria-label": "Columns of the table" },
    h("table", { class: "sl-table sl-gen__schema" },
      h("caption", { text: "Detected schema: change a kind, exclude a column, mark identifying columns." }),
      h("thead", {}, h("tr", {}, ["Column", "Kind", "Missing", "Distinct", "Examples", "Exclude", "Sensitive"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, schema.columns.map((c) => columnRow(ctx, c)))));
  if (state.label && state.columns[state.label] && state.columns[state.label].exclude) state.label = null;
  const labelSelect = select("gen-label", labelChoices(ctx), state.label || "");
  view.labelSelect = labelSelect;
  labelSelect.addEventListener("change", () => { state.label = labelSelect.value || null; persist(ctx); });
  const warnings = schema.warnings.length ? h("div", { class: "sl-gen__warnings", role: "note" },
    h("p", { text: "Warnings about this table:" }), h("ul", {}, schema.warnings.map((w) => h("li", { text: w })))) : null;
  view.schemaSection.replaceChildren(...kids(
    h("h2", { id: "gen-h-columns", text: "2 · Columns" }),
    warnings,
    field("Label (the column a model predicts in the utility check)", labelSelect,
      "Only categorical or boolean columns can be labels: change a column's kind to categorical to offer it here."),
    table,
    h("p", { class: "sl-gen__help", text: "Sensitive: columns someone could combine to single out a person (age, sex, " +
      "postcode…). The report then checks how small the groups sharing their values are (k-anonymity)." }),
    h("details", { class: "sl-gen__rows" }, h("summary", { text: "First rows of the real table" }), renderTable(schema.preview))));
  view.schemaSection.hidden = false;
  view.settingsSection.hidden = false;
}

async function changeKind(ctx, name, kind, previous, control) {
  const state = ctx.state;
  if (state.busy) { control.value = previous; return; }
  state.busy = true;
  clearError(ctx);
  const kinds = { ...state.kinds, [name]: kind };
  setState(ctx, "loading", `Reading ${name} as ${kind}…`);
  try {
    await ensureSource(ctx);
    const schema = await inspectSource(state.source, kinds);
    state.kinds = kinds;
    state.schema = schema;
    if (state.label && !schema.columns.some((c) => c.name === state.label && LABEL_KINDS.includes(c.kind))) state.label = null;
    renderSchema(ctx);
    persist(ctx);
    bump(ctx, "inspections");
    setState(ctx, "ready", `${name} is now read as ${kind}.`);
    const again = ctx.view.schemaSection.querySelector(`select[data-column="${CSS.escape(name)}"]`);
    if (again) again.focus();
  } catch (err) {
    control.value = previous;
    fail(ctx, err, `${name} keeps its kind.`, control.closest(".sl-table-wrap"));
  } finally {
    state.busy = false;
  }
}
