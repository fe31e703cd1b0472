/* Synthetic Data Lab: the Generator page.
 *
 * Pick a table (bundled, or the reader's own CSV: read here, handed to the Python worker,
 * never uploaded), adjust the schema, configure a method, generate, read the report,
 * download the results, compare the last two runs. All computing happens in the worker
 * (synthlearn.app.studio); this module only builds the form and renders JSON as text.
 *
 * Root element #synthlab-generator, state on data-state:
 *   idle (static page) -> loading (Python starting / reading a file) -> ready
 *   -> running (data-stage: synthesizing | evaluating | drawing) -> done | error.
 * Counters for tests: data-runs (finished runs), data-errors, data-inspections;
 * data-first-preview-ms / data-report-ms / data-total-ms: time from Generate to each step.
 */
import { runtime, renderTable, h, errorBox, svgDataURL } from "./runtime.mjs";

const FN = (name) => "synthlearn.app.studio." + name;
const STORE = "synthlab-generator-v1";
const HOLDOUT_CHOICES = [0.1, 0.2, 0.25, 0.3, 0.4, 0.5];
const STAGES = ["Downloading", "Starting", "Loading", "Installing", "Ready"];
let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

/* ------------------------------------------------------------------ saved settings */
function loadStore() {
  try {
    const raw = localStorage.getItem(STORE);
    if (!raw) return { store: {}, reset: false };
    const data = JSON.parse(raw);
    if (!data || typeof data !== "object" || Array.isArray(data) || data.v !== 1) throw new Error("bad shape");
    for (const key of ["params", "columns"]) {
      if (data[key] !== undefined && (typeof data[key] !== "object" || data[key] === null || Array.isArray(data[key]))) throw new Error("bad shape");
    }
    return { store: data, reset: false };
  } catch {
    try { localStorage.removeItem(STORE); } catch { /* storage unavailable */ }
    return { store: {}, reset: true };
  }
}

function saveStore(data) {
  try { localStorage.setItem(STORE, JSON.stringify({ ...data, v: 1 })); } catch { /* private mode: keep in memory */ }
}

/* ---------------------------------------------------------------------- helpers */
function field(labelText, control, help) {
  const id = control.id || (control.id = nextId("gen-f"));
  const helpEl = help ? h("p", { class: "sl-gen__help", id: id + "-help", text: help }) : null;
  if (helpEl) control.setAttribute("aria-describedby", helpEl.id);
  return h("div", { class: "sl-gen__field" }, h("label", { for: id, text: labelText }), control, helpEl);
}

function select(id, options, value) {
  const el = h("select", { id });
  for (const [v, text] of options) el.append(h("option", { value: String(v), text }));
  if (value !== undefined && value !== null) el.value = String(value);
  return el;
}

function term(text, definition) {
  /* a measure's name: hover or keyboard focus shows its one-line definition */
  const tipId = nextId("gen-tip");
  const t = h("span", { class: "sl-gen__term", tabindex: "0", "aria-describedby": tipId, text });
  const tip = h("span", { class: "sl-gen__tip", role: "tooltip", id: tipId, text: definition || "" });
  t.addEventListener("keydown", (e) => { if (e.key === "Escape") t.blur(); });
  return h("span", { class: "sl-gen__termwrap" }, t, tip);
}

function statusBadge(status) {
  const label = { pass: "✓ pass", fail: "✗ fail", info: "· info" }[status] || status;
  return h("span", { class: "sl-gen__badge sl-gen__badge--" + status, "data-status": status, text: label });
}

function download(name, mime, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mime + ";charset=utf-8" }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/* children without null/undefined (replaceChildren would write "null") */
function kids(...items) {
  return items.flat().filter((x) => x !== null && x !== undefined);
}

function formatBytes(n) {
  return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : n >= 1024 ? (n / 1024).toFixed(1) + " kB" : n + " bytes";
}

/* ---------------------------------------------------------------------- the page */
function bindGenerator(root) {
  if (root.dataset.bound) return;
  root.dataset.bound = "1";

  const { store, reset } = loadStore();
  const state = {
    options: null,
    schema: null,        // the last good inspect() result
    columns: {},         // name -> {exclude, sensitive}
    kinds: {},           // the reader's kind overrides
    label: null,
    source: { data: null, file_name: null, buffer: null, worker: null, size: 0 },
    results: [],         // the last two complete results (compare view)
    current: null,
    busy: false,
    store,
  };

  /* ---- skeleton -------------------------------------------------------------- */
  const status = h("p", { class: "sl-gen__status", role: "status", "aria-live": "polite" });
  const progress = h("div", { class: "sl-gen__progress", hidden: true },
    h("progress", { max: "100", value: "0", "aria-label": "Progress" }), h("span", { class: "sl-gen__stage" }));
  const errBox = h("div", { class: "sl-gen__error", role: "alert", hidden: true });
  const notice = h("p", { class: "sl-gen__notice", hidden: !reset,
    text: "Your saved generator settings could not be read, so they were reset to the defaults." });
  const dataSection = h("section", { class: "sl-gen__section", role: "region", "aria-labelledby": "gen-h-data" });
  const schemaSection = h("section", { class: "sl-gen__section", "aria-labelledby": "gen-h-columns", hidden: true });
  const settingsSection = h("section", { class: "sl-gen__section", "aria-labelledby": "gen-h-settings", hidden: true });
  const resultSection = h("section", { class: "sl-gen__section sl-gen__result", "aria-labelledby": "gen-h-result", hidden: true });
  const compareSection = h("section", { class: "sl-gen__section", "aria-labelledby": "gen-h-compare", hidden: true });
  const form = h("form", { class: "sl-gen__form", novalidate: true });
  form.append(dataSection, schemaSection, settingsSection);
  const live = h("div", { class: "sl-gen__live" }, status, progress, errBox);
  root.replaceChildren(...kids(notice, form, live, resultSection, compareSection));

  form.addEventListener("submit", (e) => { e.preventDefault(); if (els.generate) generate(); });
  const setState = (s, text) => {
    root.dataset.state = s;
    if (text !== undefined) status.textContent = text;
    if (s !== "loading" && s !== "running") progress.hidden = true;
  };
  const bump = (key) => { root.dataset[key] = String(Number(root.dataset[key] || 0) + 1); };
  const fail = (err, keep) => {
    errorBox(errBox, err);
    bump("errors");
    setState("error", keep || (state.results.length ? "The last good result stays below." : "Fix the input above and try again."));
  };
  const clearError = () => { errBox.hidden = true; errBox.replaceChildren(...kids()); };

  let stopListening = null;
  stopListening = runtime.onProgress((stage) => {
    if (!document.contains(root)) { if (stopListening) stopListening(); return; }  // the page was left
    if (!["loading", "running"].includes(root.dataset.state)) return;
    if (stage === "Ready" || stage === "Cancelled" || stage === "Stopped") { progress.hidden = true; return; }
    const i = STAGES.findIndex((s) => stage.startsWith(s));
    progress.hidden = false;
    progress.querySelector("progress").value = Math.round(100 * Math.max(0, i + 1) / STAGES.length);
    progress.querySelector(".sl-gen__stage").textContent = stage + "…";
  });

  /* The reader's file lives in page memory; after a worker restart it is copied in again. */
  async function ensureSource() {
    await runtime.start();
    const src = state.source;
    if (src.buffer && src.worker !== runtime.worker) {
      src.data = await runtime.putFile(src.file_name, src.buffer);
      src.worker = runtime.worker;
    }
  }

  /* ---- 1 · data ---------------------------------------------------------------- */
  let datasetSelect, fileInput, sourceInfo;
  function buildData() {
    const opts = state.options;
    datasetSelect = select("gen-dataset", opts.datasets.map((d) => [d.name, `${d.title} (${d.rows.toLocaleString("en")} rows)`]));
    datasetSelect.prepend(h("option", { value: "", disabled: true, text: "— your own file is in use —" }));
    fileInput = h("input", { type: "file", id: "gen-file", accept: ".csv,.tsv,.txt,.gz,text/csv,text/plain" });
    const drop = h("div", { class: "sl-gen__drop" },
      h("label", { for: "gen-file", text: "Your own CSV file" }), fileInput,
      h("p", { class: "sl-gen__help", id: "gen-file-help",
        text: `…or drop it here. Up to ${formatBytes(opts.limits.max_file_bytes)}, ${opts.limits.max_rows.toLocaleString("en")} rows. ` +
          "The file is read by this page and handed to Python running in this tab: nothing is uploaded, no server sees it." }));
    fileInput.setAttribute("aria-describedby", "gen-file-help");
    sourceInfo = h("p", { class: "sl-gen__source", "aria-live": "polite" });
    dataSection.replaceChildren(...kids(
      h("h2", { id: "gen-h-data", text: "1 · Data" }),
      h("div", { class: "sl-gen__grid" }, field("Bundled real table", datasetSelect), drop),
      sourceInfo));
    datasetSelect.addEventListener("change", () => { if (datasetSelect.value) loadDataset(datasetSelect.value); });
    fileInput.addEventListener("change", () => { if (fileInput.files && fileInput.files[0]) loadFile(fileInput.files[0]); });
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("sl-gen__drop--over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("sl-gen__drop--over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("sl-gen__drop--over");
      const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (file) loadFile(file);
    });
  }

  async function inspectSource(src, kinds) {
    return runtime.call(FN("inspect"), { data: src.data, kinds, file_name: src.file_name });
  }

  function adopt(schema, src, saved) {
    /* a new table: fresh column choices (from saved settings for a bundled table) */
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
  }

  async function loadDataset(name, saved) {
    if (state.busy) return;
    state.busy = true;
    clearError();
    setState("loading", "Reading the table…");
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
      adopt(schema, { data: name, file_name: null, buffer: null, worker: null, size: 0 }, cols);
      if (fileInput) fileInput.value = "";
      renderSchema();
      persist();
      bump("inspections");
      setState("ready", `Loaded ${schema.source.name}: ${schema.size_text}.`);
    } catch (err) {
      if (state.schema) datasetSelect.value = state.schema.source.bundled ? state.schema.data : "";
      fail(err);
    } finally {
      state.busy = false;
    }
  }

  async function loadFile(file) {
    if (state.busy) { status.textContent = "Wait for the current step to finish, or press Cancel."; return; }
    clearError();
    const limit = state.options.limits.max_file_bytes;
    if (file.size > limit) {  // refuse before reading the file at all
      fileInput.value = "";
      fail({ kind: "input", message: `The file ${file.name} is ${formatBytes(file.size)}; this page reads files up to ` +
        `${formatBytes(limit)}. Use a sample of the rows (or a bundled table).` },
        state.schema ? `Still using ${state.schema.source.name}.` : undefined);
      return;
    }
    state.busy = true;
    setState("loading", `Reading ${file.name} in your browser…`);
    try {
      const buffer = await file.arrayBuffer();
      await runtime.ensure(["numpy"]);
      const data = await runtime.putFile(file.name, buffer);
      const src = { data, file_name: file.name, buffer, worker: runtime.worker, size: file.size };
      const schema = await inspectSource(src, {});
      adopt(schema, src, null);
      datasetSelect.value = "";
      renderSchema();
      bump("inspections");
      setState("ready", `Loaded your file ${file.name}: ${schema.size_text}. It stays in this tab.`);
    } catch (err) {
      fileInput.value = "";
      fail(err, state.schema ? `Still using ${state.schema.source.name}.` : undefined);
    } finally {
      state.busy = false;
    }
  }

  /* ---- 2 · columns --------------------------------------------------------------- */
  let labelSelect;
  function renderSchema() {
    const schema = state.schema;
    const src = schema.source;
    sourceInfo.replaceChildren(...kids(
      h("strong", { text: src.name }), " · " + schema.size_text,
      src.bundled ? ` · licence ${src.licence}. ${src.description}` :
        ` · ${formatBytes(state.source.size)}, read in this tab, not uploaded.`));
    const kinds = state.options.kinds;
    const rows = schema.columns.map((c) => {
      const kind = select(nextId("gen-kind"), kinds.map((k) => [k, k]), c.kind);
      kind.setAttribute("aria-label", `Kind of ${c.name}`);
      kind.dataset.column = c.name;
      kind.addEventListener("change", () => changeKind(c.name, kind.value, c.kind, kind));
      const exclude = h("input", { type: "checkbox", "aria-label": `Exclude ${c.name}`, "data-column": c.name, class: "sl-gen__exclude" });
      exclude.checked = !!state.columns[c.name].exclude;
      exclude.addEventListener("change", () => { state.columns[c.name].exclude = exclude.checked; tr.classList.toggle("sl-gen__excluded", exclude.checked); persist(); });
      const sensitive = h("input", { type: "checkbox", "aria-label": `${c.name} is sensitive (identifying)`, "data-column": c.name, class: "sl-gen__sensitive" });
      sensitive.checked = !!state.columns[c.name].sensitive;
      sensitive.addEventListener("change", () => { state.columns[c.name].sensitive = sensitive.checked; persist(); });
      const issues = c.issues.length ? h("ul", { class: "sl-gen__issues" }, c.issues.map((m) => h("li", { text: m }))) : null;
      const tr = h("tr", { "data-column": c.name, class: state.columns[c.name].exclude ? "sl-gen__excluded" : null },
        h("th", { scope: "row" }, h("span", { class: "sl-gen__colname", text: c.name }), issues),
        h("td", {}, kind),
        h("td", { class: "sl-gen__num", text: c.missing_text }),
        h("td", { class: "sl-gen__num", text: c.n_distinct_text }),
        h("td", { class: "sl-gen__examples", text: c.examples.join(" · ") }),
        h("td", { class: "sl-gen__check" }, exclude),
        h("td", { class: "sl-gen__check" }, sensitive));
      return tr;
    });
    const table = h("div", { class: "sl-table-wrap", tabindex: "0", role: "region", "aria-label": "Columns of the table" },
      h("table", { class: "sl-table sl-gen__schema" },
        h("caption", { text: "Detected schema: change a kind, exclude a column, mark identifying columns." }),
        h("thead", {}, h("tr", {}, ["Column", "Kind", "Missing", "Distinct", "Examples", "Exclude", "Sensitive"].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, rows)));
    const labelOptions = [["", "No label (skip the utility check)"]].concat(
      schema.columns.filter((c) => c.can_be_label).map((c) => [c.name, c.name]));  // identifiers never; 0/1 numbers too
    labelSelect = select("gen-label", labelOptions, state.label || "");
    labelSelect.addEventListener("change", () => { state.label = labelSelect.value || null; persist(); });
    const warnings = schema.warnings.length ? h("div", { class: "sl-gen__warnings", role: "note" },
      h("p", { text: "Warnings about this table:" }), h("ul", {}, schema.warnings.map((w) => h("li", { text: w })))) : null;
    schemaSection.replaceChildren(...kids(
      h("h2", { id: "gen-h-columns", text: "2 · Columns" }),
      warnings,
      field("Label (the column a model predicts in the utility check)", labelSelect,
        "Only categorical or boolean columns can be labels: change a column's kind to categorical to offer it here."),
      table,
      h("p", { class: "sl-gen__help", text: "Sensitive: columns someone could combine to single out a person (age, sex, " +
        "postcode…). The report then checks how small the groups sharing their values are (k-anonymity)." }),
      h("details", { class: "sl-gen__rows" }, h("summary", { text: "First rows of the real table" }), renderTable(schema.preview))));
    schemaSection.hidden = false;
    settingsSection.hidden = false;
  }

  async function changeKind(name, kind, previous, control) {
    if (state.busy) { control.value = previous; return; }
    state.busy = true;
    clearError();
    const kinds = { ...state.kinds, [name]: kind };
    setState("loading", `Reading ${name} as ${kind}…`);
    try {
      await ensureSource();
      const schema = await inspectSource(state.source, kinds);
      state.kinds = kinds;
      state.schema = schema;
      if (state.label && !schema.columns.some((c) => c.name === state.label && ["categorical", "boolean"].includes(c.kind))) state.label = null;
      renderSchema();
      persist();
      bump("inspections");
      setState("ready", `${name} is now read as ${kind}.`);
      const again = schemaSection.querySelector(`select[data-column="${CSS.escape(name)}"]`);
      if (again) again.focus();
    } catch (err) {
      control.value = previous;
      fail(err, `${name} keeps its kind.`);
    } finally {
      state.busy = false;
    }
  }

  /* ---- 3 · settings -------------------------------------------------------------- */
  const els = {};
  function buildSettings() {
    const opts = state.options;
    const saved = state.store;
    const methods = opts.methods;
    const lim = opts.limits;
    els.n = h("input", { type: "number", id: "gen-n", min: "1", max: String(lim.max_synthetic_rows), step: "1", inputmode: "numeric",
      value: String(Number.isInteger(saved.n) && saved.n >= 1 && saved.n <= lim.max_synthetic_rows ? saved.n : opts.defaults.n) });
    const methodKey = methods.some((m) => m.key === saved.method) ? saved.method : opts.defaults.method;
    els.method = select("gen-method", methods.map((m) => [m.key, m.title]), methodKey);
    els.methodText = h("p", { class: "sl-gen__help", id: "gen-method-help" });
    els.method.setAttribute("aria-describedby", "gen-method-help");
    const steps = opts.epsilon_steps;
    els.eps = h("input", { type: "range", id: "gen-epsilon", min: "0", max: String(steps.length - 1), step: "1" });
    els.epsOut = h("output", { for: "gen-epsilon", class: "sl-gen__epsvalue" });
    els.epsReading = h("p", { class: "sl-gen__reading", id: "gen-epsilon-reading", "aria-live": "polite" });
    els.eps.setAttribute("aria-describedby", "gen-epsilon-reading");
    const savedEps = ((saved.params || {}).dp_mst || {}).epsilon;
    const epsIndex = steps.findIndex((s) => s.value === (typeof savedEps === "number" ? savedEps : 1));
    els.eps.value = String(epsIndex >= 0 ? epsIndex : steps.findIndex((s) => s.value === 1));
    els.epsBox = h("div", { class: "sl-gen__eps" },
      h("label", { for: "gen-epsilon" }, "Privacy level ε ", els.epsOut), els.eps,
      h("div", { class: "sl-gen__epsends", "aria-hidden": "true" }, h("span", { text: "more private" }), h("span", { text: "more accurate" })),
      els.epsReading);
    els.params = h("div", { class: "sl-gen__grid" });
    els.advanced = h("details", { class: "sl-gen__advanced" }, h("summary", { text: "Advanced options of this method" }), els.params);
    els.seed = h("input", { type: "number", id: "gen-seed", min: "0", max: "4294967295", step: "1", inputmode: "numeric",
      value: String(Number.isInteger(saved.seed) && saved.seed >= 0 ? saved.seed : opts.defaults.seed) });
    els.holdout = select("gen-holdout", HOLDOUT_CHOICES.map((v) => [v, Math.round(v * 100) + " %"]),
      HOLDOUT_CHOICES.includes(saved.holdout_share) ? saved.holdout_share : opts.defaults.holdout_share);
    els.constraints = h("textarea", { id: "gen-constraints", rows: "3", spellcheck: "false",
      placeholder: "age >= 18\nhours_per_week <= 80" });
    els.constraints.value = typeof saved.constraints === "string" ? saved.constraints : "";
    els.figures = h("input", { type: "checkbox", id: "gen-figures" });
    els.figures.checked = saved.figures !== false;
    els.generate = h("button", { type: "submit", class: "md-button md-button--primary sl-gen__generate", text: "Generate" });
    els.cancel = h("button", { type: "button", class: "md-button sl-gen__cancel", hidden: true, text: "Cancel" });
    els.reset = h("button", { type: "button", class: "md-button sl-gen__reset", text: "Reset settings" });

    settingsSection.replaceChildren(...kids(
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

    els.method.addEventListener("change", () => { renderMethod(); persist(); });
    els.eps.addEventListener("input", () => { showEpsilon(); persist(); });
    settingsSection.addEventListener("change", persist);
    settingsSection.addEventListener("input", persist);
    els.cancel.addEventListener("click", cancel);
    els.reset.addEventListener("click", resetSettings);
    renderMethod();
  }

  function showEpsilon() {
    const step = state.options.epsilon_steps[Number(els.eps.value)];
    els.epsOut.textContent = "= " + step.text;
    els.eps.setAttribute("aria-valuetext", "epsilon " + step.text);
    els.epsReading.textContent = step.reading;
  }

  function renderMethod() {
    const m = state.options.methods.find((x) => x.key === els.method.value);
    els.methodText.textContent = m.description;
    const dp = m.key === "dp_mst";
    els.epsBox.hidden = !dp;
    if (dp) showEpsilon();
    const saved = ((state.store.params || {})[m.key]) || {};
    const specs = m.params.filter((p) => !(dp && p.name === "epsilon"));
    els.params.replaceChildren(...kids(...specs.map((p) => {
      const id = `gen-param-${m.key}-${p.name}`;
      let control;
      const value = saved[p.name];
      if (p.type === "choice") {
        control = select(id, p.choices.map((c) => [c, c]), value !== undefined && p.choices.includes(value) ? value : p.default);
      } else if (p.type === "bounds") {
        control = h("textarea", { id, rows: "2", spellcheck: "false", placeholder: "age: 17, 90" });
        control.value = typeof value === "string" ? value : "";
      } else {
        const attrs = { id, type: p.type === "float_or_choice" ? "text" : "number", step: p.type === "int" ? "1" : "any",
          placeholder: String(p.default) };
        if (p.type !== "float_or_choice") {
          if (p.min !== null && !p.min_exclusive) attrs.min = String(p.min);
          if (p.max !== null && !p.max_exclusive) attrs.max = String(p.max);
        }
        control = h("input", attrs);
        control.value = value !== undefined && value !== null ? String(value) : "";
      }
      control.dataset.param = p.name;
      return field(p.name.replace(/_/g, " "), control, p.help + (p.type === "bounds" ? " One 'column: low, high' per line." :
        p.type === "choice" ? "" : ` Empty: ${p.default}.`));
    })));
    els.advanced.hidden = specs.length === 0;
  }

  function readParams() {
    const params = {};
    for (const f of els.params.querySelectorAll("[data-param]")) {
      if (f.value.trim() !== "") params[f.dataset.param] = f.value;
    }
    if (els.method.value === "dp_mst") params.epsilon = state.options.epsilon_steps[Number(els.eps.value)].value;
    return params;
  }

  function readSettings() {
    const cols = state.columns;
    const names = state.schema.columns.map((c) => c.name);
    return {
      data: state.source.data,
      file_name: state.source.file_name,
      kinds: { ...state.kinds },
      exclude: names.filter((n) => cols[n] && cols[n].exclude),
      method: els.method.value,
      params: readParams(),
      n: els.n.value.trim(),
      seed: els.seed.value.trim(),
      holdout_share: Number(els.holdout.value),
      constraints: els.constraints.value.split("\n"),
      evaluation: { label: state.label || null, quasi_identifiers: names.filter((n) => cols[n] && cols[n].sensitive) },
    };
  }

  function persist() {
    if (!els.method || !state.schema) return;
    const store = state.store;
    const method = els.method.value;
    const params = { ...(store.params || {}) };
    const own = {};
    for (const f of els.params.querySelectorAll("[data-param]")) if (f.value.trim() !== "") own[f.dataset.param] = f.value;
    if (method === "dp_mst") own.epsilon = state.options.epsilon_steps[Number(els.eps.value)].value;
    params[method] = own;
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
    state.store = next;
    saveStore(next);
  }

  function resetSettings() {
    try { localStorage.removeItem(STORE); } catch { /* storage unavailable */ }
    state.store = {};
    notice.hidden = true;
    buildSettings();
    if (state.schema && state.schema.source.bundled) loadDataset(state.schema.data, {});
    status.textContent = "Settings reset to the defaults.";
  }

  /* ---- running ----------------------------------------------------------------- */
  let runToken = 0;

  function describeRun(s, syn) {
    const m = state.options.methods.find((x) => x.key === s.method);
    const eps = s.method === "dp_mst" ? `, ε = ${s.params.epsilon ?? 1}` : "";
    return `${m ? m.title : s.method}${eps} · ${syn.n.toLocaleString("en")} records · seed ${s.seed}`;
  }

  async function generate() {
    if (state.busy) { status.textContent = "Already working: wait, or press Cancel."; return; }
    if (!state.schema) return;
    const token = ++runToken;
    state.busy = true;
    clearError();
    const settings = readSettings();
    const t0 = performance.now();
    const figuresWanted = els.figures.checked;
    els.cancel.hidden = false;
    els.generate.disabled = true;
    root.dataset.stage = "synthesizing";
    setState("running", "Fitting the model on the training rows and drawing synthetic records…");
    let result = null;
    try {
      await runtime.ensure(["numpy", "scipy"]);
      await ensureSource();
      settings.data = state.source.data;
      const syn = await runtime.call(FN("synthesize"), { settings });
      if (token !== runToken) return;
      root.dataset.firstPreviewMs = String(Math.round(performance.now() - t0));
      result = { syn, settings: syn.settings, title: describeRun(syn.settings, syn), report: null, figures: null };
      state.current = result;
      renderResult(result);
      root.dataset.stage = "evaluating";
      status.textContent = "Synthetic records ready. Evaluating them against the real training rows and the holdout…";
      result.report = await runtime.call(FN("evaluate_run"), { run_id: syn.run_id, settings: syn.settings });
      if (token !== runToken) return;
      root.dataset.reportMs = String(Math.round(performance.now() - t0));
      renderReport(result);
      state.results = state.results.concat([result]).slice(-2);
      renderCompare();
      if (figuresWanted) {
        root.dataset.stage = "drawing";
        status.textContent = "Scores ready. Drawing the figures…";
        await runtime.ensure(["matplotlib"]);
        result.figures = await runtime.call(FN("figures"), { run_id: syn.run_id, settings: syn.settings });
        if (token !== runToken) return;
        renderFigures(result);
      }
      root.dataset.totalMs = String(Math.round(performance.now() - t0));
      root.dataset.runId = syn.run_id;
      bump("runs");
      setState("done", `Done: ${result.title}. ${result.report.summary}`);
    } catch (err) {
      if (token !== runToken) return;
      if (result && result.report && !state.results.includes(result)) state.results = state.results.concat([result]).slice(-2);
      fail(err, result && result.report ? "The scores below are complete; the figures are missing." :
        state.results.length ? "The last good result stays below." : undefined);
      if (err.kind === "load") runtime.restart({ kind: "load", message: err.message });
      if (result && !result.report && state.results.length) {
        renderResult(state.results[state.results.length - 1]);
        renderReport(state.results[state.results.length - 1]);
        if (state.results[state.results.length - 1].figures) renderFigures(state.results[state.results.length - 1]);
      }
    } finally {
      if (token === runToken) {
        state.busy = false;
        els.cancel.hidden = true;
        els.generate.disabled = false;
        root.dataset.stage = "";
      }
    }
  }

  function cancel() {
    runToken++;
    runtime.restart({ kind: "cancelled", message: "Cancelled: Python was stopped and restarts on your next action. " +
      "Your settings and the last complete result are kept." });
    state.busy = false;
    els.cancel.hidden = true;
    els.generate.disabled = false;
    root.dataset.stage = "";
    bump("cancels");
    errorBox(errBox, { kind: "cancelled", message: "Cancelled: Python was stopped and restarts on your next action. " +
      "Your settings and the last complete result are kept." });
    const last = state.results[state.results.length - 1];
    if (state.current && state.current !== last && last) {
      state.current = last;
      renderResult(last); renderReport(last);
      if (last.figures) renderFigures(last);
    }
    setState("error", "Cancelled.");
    els.generate.focus();
  }

  /* ---- results ----------------------------------------------------------------- */
  const parts = {};
  function renderResult(result) {
    const syn = result.syn;
    parts.timing = h("ul", { class: "sl-gen__timing" }, h("li", { text: syn.timing_text }));
    parts.report = h("div", { class: "sl-gen__report", "aria-busy": "true" }, h("p", { class: "sl-gen__pending", text: "Evaluating…" }));
    parts.figures = h("div", { class: "sl-gen__figures" });
    const warn = syn.warnings.length ? h("div", { class: "sl-gen__warnings", role: "note" },
      h("ul", {}, syn.warnings.map((w) => h("li", { text: w })))) : null;
    const dp = syn.privacy ? h("div", { class: "sl-gen__dp" },
      h("h3", { text: "Differential privacy accounting" }), h("p", { text: syn.privacy.summary }),
      h("ul", {}, syn.privacy.steps.map((s) => h("li", { text: s }))),
      syn.privacy.warning ? h("p", { class: "sl-gen__warntext", text: syn.privacy.warning }) : null) : null;
    const cons = syn.constraints ? h("p", { class: "sl-gen__constraints", text: syn.constraints.message +
      ` Violations before rejection: ${(100 * syn.constraints.violation_rate_before).toFixed(1)} % of drawn rows; after: ` +
      `${(100 * syn.constraints.violation_rate_after).toFixed(1)} %.` }) : null;
    parts.downloads = h("div", { class: "sl-gen__downloads" },
      [["synthetic_csv", "Synthetic CSV"], ["report_html", "Report (HTML)"], ["report_json", "Report (JSON)"],
        ["config_yaml", "Run config (YAML)"]].map(([what, text]) => {
        const b = h("button", { type: "button", class: "md-button", "data-download": what, text });
        b.addEventListener("click", () => fetchDownload(result, what, b));
        return b;
      }));
    resultSection.replaceChildren(...kids(
      h("h2", { id: "gen-h-result", text: "Result" }),
      h("p", { class: "sl-gen__runtitle", text: result.title }),
      h("p", { class: "sl-gen__split", text: syn.split_text }),
      parts.timing, warn, cons, dp,
      h("h3", { text: "Synthetic records beside real ones" }),
      h("div", { class: "sl-gen__previews" }, renderTable(syn.preview.real), renderTable(syn.preview.synthetic)),
      h("h3", { text: "Quality, utility and privacy" }), parts.report,
      parts.figures,
      h("h3", { text: "Downloads" }), parts.downloads,
      h("p", { class: "sl-gen__help", text: "The run config reproduces these rows with the command line: " +
        "synthlearn synthesize --config <file>.yaml (same seed, same rows)." })));
    resultSection.hidden = false;
    resultSection.dataset.runId = syn.run_id;
  }

  function checksTable(rows, caption, withAspect, withText) {
    const head = (withAspect ? ["Aspect"] : []).concat(["Measure", "Score", "Target", "Status"], withText ? ["Reading"] : []);
    return h("div", { class: "sl-table-wrap", tabindex: "0", role: "region", "aria-label": caption },
      h("table", { class: "sl-table sl-gen__checks" }, h("caption", { text: caption }),
        h("thead", {}, h("tr", {}, head.map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, rows.map((r) => h("tr", { "data-key": r.key, "data-score": JSON.stringify(r.score), "data-status": r.status },
          withAspect ? h("th", { scope: "row", text: r.aspect }) : null,
          h("td", {}, term(r.metric, r.definition)),
          h("td", { class: "sl-gen__num", "data-label": "Score", text: r.score_text }),
          h("td", { "data-label": "Target", text: r.target || "—" }),
          h("td", { "data-label": "Status" }, statusBadge(r.status)),
          withText ? h("td", { class: "sl-gen__reading-cell", text: r.text }) : null)))));
  }

  function renderReport(result) {
    const rep = result.report;
    if (!rep) return;
    parts.timing.replaceChildren(...kids(h("li", { text: result.syn.timing_text }), h("li", { text: rep.timing_text })));
    parts.report.replaceChildren(...kids(
      h("p", { class: "sl-gen__summary", text: rep.summary }),
      checksTable(rep.headline, "Headline checks (hover or focus a measure for its definition)", true, false),
      renderTable(rep.baselines),
      h("details", { class: "sl-gen__allchecks" }, h("summary", { text: `All ${rep.rows.length} checks, with how to read them` }),
        checksTable(rep.rows, "All checks", false, true)),
      h("details", {}, h("summary", { text: "About this report" }), h("ul", {}, rep.notes.map((n) => h("li", { text: n }))))));
    parts.report.setAttribute("aria-busy", "false");
  }

  function renderFigures(result) {
    const f = result.figures;
    if (!f) return;
    parts.timing.append(h("li", { text: `Figures: ${f.seconds.toFixed(2)} s, measured in Python.` }));
    parts.figures.replaceChildren(...kids(h("h3", { text: "Figures" }), h("div", { class: "sl-gen__figgrid" },
      f.figures.map((fig) => h("figure", { class: "sl-figure" + (fig.key === "association_difference" ? " sl-gen__fig--wide" : "") }, h("img", { src: svgDataURL(fig.svg), alt: fig.alt }),
        h("figcaption", { text: fig.title }))))));
  }

  async function fetchDownload(result, what, button) {
    if (state.busy) { status.textContent = "Wait for the current step to finish, or press Cancel."; return; }
    state.busy = true;
    button.disabled = true;
    const old = status.textContent;
    status.textContent = "Preparing the file…";
    try {
      await runtime.ensure(what === "report_html" ? ["numpy", "scipy", "matplotlib"] : ["numpy", "scipy"]);
      await ensureSource();
      const file = await runtime.call(FN("download"), { run_id: result.syn.run_id, what, settings: result.settings });
      download(file.filename, file.mime, file.text);
      bump("downloads");
      status.textContent = `Saved ${file.filename} (made in your browser).` + (file.note ? " " + file.note : "");
    } catch (err) {
      errorBox(errBox, err);
      bump("errors");
      status.textContent = old;
    } finally {
      state.busy = false;
      button.disabled = false;
    }
  }

  function renderCompare() {
    if (state.results.length < 2) { compareSection.hidden = true; return; }
    const [a, b] = state.results;
    const rows = [];
    const seen = new Set();
    for (const r of a.report.headline.concat(b.report.headline)) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      const ra = a.report.headline.find((x) => x.key === r.key), rb = b.report.headline.find((x) => x.key === r.key);
      const cell = (x) => h("td", { class: "sl-gen__num" }, x ? x.score_text + " " : "—", x ? statusBadge(x.status) : null);
      rows.push(h("tr", { "data-key": r.key }, h("th", { scope: "row" }, term(`${r.aspect}: ${r.metric}`, r.definition)), cell(ra), cell(rb),
        h("td", { text: r.target || "—" })));
    }
    const timeRow = (label, fa, fb) => h("tr", {}, h("th", { scope: "row", text: label }), h("td", { class: "sl-gen__num", text: fa }),
      h("td", { class: "sl-gen__num", text: fb }), h("td", { text: "" }));
    rows.push(timeRow("Fit + sample time (s)", a.syn.timings.fit_sample.toFixed(2), b.syn.timings.fit_sample.toFixed(2)));
    rows.push(timeRow("Evaluation time (s)", a.report.seconds.toFixed(2), b.report.seconds.toFixed(2)));
    compareSection.replaceChildren(...kids(
      h("h2", { id: "gen-h-compare", text: "Compare the last two runs" }),
      h("p", { class: "sl-gen__help", text: "Change one setting (ε, the method, the number of records) and generate again to see the trade-off move." }),
      h("div", { class: "sl-table-wrap", tabindex: "0", role: "region", "aria-label": "Comparison of the last two runs" },
        h("table", { class: "sl-table sl-gen__compare" }, h("caption", { text: "Headline scores side by side" }),
          h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Check" }), h("th", { scope: "col", text: "Previous: " + a.title }),
            h("th", { scope: "col", text: "Latest: " + b.title }), h("th", { scope: "col", text: "Target" }))),
          h("tbody", {}, rows)))));
    compareSection.hidden = false;
  }

  /* ---- start --------------------------------------------------------------------- */
  async function start() {
    setState("loading", "Starting Python in your browser (the first time takes a few seconds)…");
    try {
      await runtime.ensure(["numpy"]);
      state.options = await runtime.call(FN("options"), {});
      buildData();
      buildSettings();
      progress.hidden = true;
      const names = state.options.datasets.map((d) => d.name);
      const first = names.includes(state.store.data) ? state.store.data : state.options.defaults.data;
      datasetSelect.value = first;
      await loadDataset(first);
      runtime.ensure(["scipy"]).catch(() => {}); // warm up for the first Generate
    } catch (err) {
      progress.hidden = true;
      fail(err, "Python could not start in this page. Reload to try again.");
      if (err.kind === "load") runtime.restart({ kind: "load", message: err.message });
    }
  }
  start();
}

function setup() {
  if (location.protocol === "file:") return;
  document.querySelectorAll("#synthlab-generator").forEach(bindGenerator);
}

if (window.document$) window.document$.subscribe(setup);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
else setup();
