/* 1 · Data: a bundled table or the reader's own CSV (read in the page, copied into the worker,
 * never uploaded). A rejected file's message appears next to the file chooser. */
import { runtime } from "../core/runtime-instance.mjs";
import { h, kids } from "../core/dom.mjs";
import { formatBytes } from "../core/stages.mjs";
import { FN, setState, bump, fail, clearError } from "./context.mjs";
import { field, select } from "./ui.mjs";
import { renderSchema } from "./schema.mjs";
import { persist } from "./settings.mjs";
import { labelResult } from "./results.mjs";

/** The reader's file lives in page memory; after a worker restart it is copied in again. */
export async function ensureSource(ctx) {
  await runtime.start();
  const src = ctx.state.source;
  if (src.buffer && src.worker !== runtime.worker) {
    src.data = await runtime.putFile(src.file_name, src.buffer);
    src.worker = runtime.worker;
  }
}

export function inspectSource(src, kinds) {
  return runtime.call(FN("inspect"), { data: src.data, kinds, file_name: src.file_name });
}

function dropZone(ctx, opts) {
  const v = ctx.view;
  v.fileInput = h("input", { type: "file", id: "gen-file", accept: ".csv,.tsv,.txt,.gz,text/csv,text/plain",
    "aria-describedby": "gen-file-help" });
  v.drop = h("div", { class: "sl-gen__drop" },
    h("label", { for: "gen-file", text: "Your own CSV file" }), v.fileInput,
    h("p", { class: "sl-gen__help", id: "gen-file-help",
      text: `…or drop it here. Up to ${formatBytes(opts.limits.max_file_bytes)}, ${opts.limits.max_rows.toLocaleString("en")} rows. ` +
        "The file is read by this page and handed to Python running in this tab: nothing is uploaded, no server sees it." }));
  v.fileInput.addEventListener("change", () => { if (v.fileInput.files && v.fileInput.files[0]) loadFile(ctx, v.fileInput.files[0]); });
  v.drop.addEventListener("dragover", (e) => { e.preventDefault(); v.drop.classList.add("sl-gen__drop--over"); });
  v.drop.addEventListener("dragleave", () => v.drop.classList.remove("sl-gen__drop--over"));
  v.drop.addEventListener("drop", (e) => {
    e.preventDefault();
    v.drop.classList.remove("sl-gen__drop--over");
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (file) loadFile(ctx, file);
  });
  return v.drop;
}

export function buildData(ctx) {
  const opts = ctx.state.options, v = ctx.view;
  v.datasetSelect = select("gen-dataset", opts.datasets.map((d) => [d.name, `${d.title} (${d.rows.toLocaleString("en")} rows)`]));
  v.datasetSelect.prepend(h("option", { value: "", disabled: true, text: "— your own file is in use —" }));
  v.sourceInfo = h("p", { class: "sl-gen__source", "aria-live": "polite" });
  v.dataSection.replaceChildren(...kids(
    h("h2", { id: "gen-h-data", text: "1 · Data" }),
    h("div", { class: "sl-gen__grid" }, field("Bundled real table", v.datasetSelect), dropZone(ctx, opts)),
    v.sourceInfo));
  v.datasetSelect.addEventListener("change", () => { if (v.datasetSelect.value) loadDataset(ctx, v.datasetSelect.value); });
}

/** A new table: fresh column choices (from saved settings for a bundled table). */
function adopt(ctx, schema, src, saved) {
  const state = ctx.state;
  state.source = src;
  state.kinds = { ...(saved && saved.kinds || {}) };
  state.columns = {};
  const names = new Set(schema.columns.map((c) => c.name));
  for (const c of schema.columns) {
    state.columns[c.name] = {
      exclude: saved && Array.isArray(saved.exclude) ? saved.exclude.includes(c.name) : c.suggest_exclude,
      sensitive: !!(saved && Array.isArray(saved.sensitive) && saved.sensitive.includes(c.name)),
    };
  }
  for (const k of Object.keys(state.kinds)) if (!names.has(k)) delete state.kinds[k];
  state.label = saved && "label" in saved && (saved.label === null || names.has(saved.label)) ? saved.label : schema.label;
  state.schema = schema;
  renderSchema(ctx);
  labelResult(ctx);
}

export async function loadDataset(ctx, name, saved) {
  const state = ctx.state;
  if (state.busy) return;
  state.busy = true;
  clearError(ctx);
  setState(ctx, "loading", "Reading the table…");
  try {
    await runtime.ensure(["numpy"]);
    const cols = saved || (state.store.columns || {})[name];
    let schema;
    try {
      schema = await runtime.call(FN("inspect"), { data: name, kinds: (cols && cols.kinds) || {} });
    } catch (err) {
      if (err.kind !== "input" || !cols) throw err;
      schema = await runtime.call(FN("inspect"), { data: name, kinds: {} }); // saved kinds no longer fit: drop them
    }
    adopt(ctx, schema, { data: name, file_name: null, buffer: null, worker: null, size: 0 }, cols);
    if (ctx.view.fileInput) ctx.view.fileInput.value = "";
    persist(ctx);
    bump(ctx, "inspections");
    setState(ctx, "ready", `Loaded ${schema.source.name}: ${schema.size_text}.`);
  } catch (err) {
    if (state.schema) ctx.view.datasetSelect.value = state.schema.source.bundled ? state.schema.data : "";
    fail(ctx, err, undefined, ctx.view.datasetSelect.closest(".sl-gen__grid"));
  } finally {
    state.busy = false;
  }
}

function refuseFile(ctx, err) {
  ctx.view.fileInput.value = "";
  const still = ctx.state.schema ? `Still using ${ctx.state.schema.source.name}.` : undefined;
  fail(ctx, { ...err, message: err.message + (still ? " " + still : "") }, still, ctx.view.drop);
}

export async function loadFile(ctx, file) {
  const state = ctx.state;
  if (state.busy) { ctx.view.status.textContent = "Wait for the current step to finish, or press Cancel."; return; }
  clearError(ctx);
  const limit = state.options.limits.max_file_bytes;
  if (file.size > limit) {  // refuse before reading the file at all
    refuseFile(ctx, { kind: "input", message: `The file ${file.name} is ${formatBytes(file.size)}; this page reads files up to ` +
      `${formatBytes(limit)}. Use a sample of the rows (or a bundled table).` });
    return;
  }
  state.busy = true;
  setState(ctx, "loading", `Reading ${file.name} in your browser…`);
  try {
    const buffer = await file.arrayBuffer();
    await runtime.ensure(["numpy"]);
    const data = await runtime.putFile(file.name, buffer);
    const src = { data, file_name: file.name, buffer, worker: runtime.worker, size: file.size };
    const schema = await inspectSource(src, {});
    adopt(ctx, schema, src, null);
    ctx.view.datasetSelect.value = "";
    bump(ctx, "inspections");
    setState(ctx, "ready", `Loaded your file ${file.name}: ${schema.size_text}. It stays in this tab.`);
  } catch (err) {
    refuseFile(ctx, err);
  } finally {
    state.busy = false;
  }
}
