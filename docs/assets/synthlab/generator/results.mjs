/* Result, report, figures, downloads and the comparison of the last two runs. A result
 * names the table it was made from, and says so when another table is loaded now. */
import { runtime } from "../core/runtime-instance.mjs";
import { h, kids, renderTable, figureSrc, decoded } from "../core/dom.mjs";
import { FN, bump, showError } from "./context.mjs";
import { term, statusBadge, saveFile } from "./ui.mjs";
import { ensureSource } from "./data.mjs";

function downloads(ctx, result) {
  return h("div", { class: "sl-gen__downloads" },
    [["synthetic_csv", "Synthetic CSV"], ["report_html", "Report (HTML)"], ["report_json", "Report (JSON)"],
      ["config_yaml", "Run config (YAML)"]].map(([what, text]) => {
      const b = h("button", { type: "button", class: "md-button", "data-download": what, text });
      b.addEventListener("click", () => fetchDownload(ctx, result, what, b));
      return b;
    }));
}

function extras(syn) {
  const warn = syn.warnings.length ? h("div", { class: "sl-gen__warnings", role: "note" },
    h("ul", {}, syn.warnings.map((w) => h("li", { text: w })))) : null;
  const dp = syn.privacy ? h("div", { class: "sl-gen__dp" },
    h("h3", { text: "Differential privacy accounting" }), h("p", { text: syn.privacy.summary }),
    h("ul", {}, syn.privacy.steps.map((s) => h("li", { text: s }))),
    syn.privacy.warning ? h("p", { class: "sl-gen__warntext", text: syn.privacy.warning }) : null) : null;
  const cons = syn.constraints ? h("p", { class: "sl-gen__constraints", text: syn.constraints.message +
    ` Violations before rejection: ${(100 * syn.constraints.violation_rate_before).toFixed(1)} % of drawn rows; after: ` +
    `${(100 * syn.constraints.violation_rate_after).toFixed(1)} %.` }) : null;
  return [warn, cons, dp];
}

export function renderResult(ctx, result) {
  const { view } = ctx, syn = result.syn, parts = (view.parts = {});
  parts.timing = h("ul", { class: "sl-gen__timing" }, h("li", { text: syn.timing_text }));
  parts.report = h("div", { class: "sl-gen__report", "aria-busy": "true" }, h("p", { class: "sl-gen__pending", text: "Evaluating…" }));
  parts.figures = h("div", { class: "sl-gen__figures" });
  parts.origin = h("p", { class: "sl-gen__origin" });
  view.resultSection.replaceChildren(...kids(
    h("h2", { id: "gen-h-result", text: "Result" }),
    h("p", { class: "sl-gen__runtitle", text: result.title }),
    parts.origin,
    h("p", { class: "sl-gen__split", text: syn.split_text }),
    parts.timing, ...extras(syn),
    h("h3", { text: "Synthetic records beside real ones" }),
    h("div", { class: "sl-gen__previews" }, renderTable(syn.preview.real), renderTable(syn.preview.synthetic)),
    h("h3", { text: "Quality, utility and privacy" }), parts.report,
    parts.figures,
    h("h3", { text: "Downloads" }), downloads(ctx, result),
    h("p", { class: "sl-gen__help", text: "The run config reproduces these rows with the command line: " +
      "synthlearn synthesize --config <file>.yaml (same seed, same rows)." })));
  view.resultSection.hidden = false;
  view.resultSection.dataset.runId = syn.run_id;
  view.resultSection.dataset.data = result.data;
  labelResult(ctx);
}

/** Say which table the result on screen was made from; flag it when another table is loaded. */
export function labelResult(ctx) {
  const { view, state } = ctx, result = state.current;
  if (!result || !view.parts || !view.parts.origin) return;
  const stale = !!state.schema && result.data !== state.source.data;
  view.resultSection.dataset.stale = String(stale);
  view.parts.origin.classList.toggle("sl-gen__origin--stale", stale);
  view.parts.origin.textContent = stale
    ? `Made from ${result.sourceName}, not from the table loaded now (${state.schema.source.name}). Press Generate for a result from it.`
    : `Made from ${result.sourceName}.`;
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

export function renderReport(ctx, result) {
  const rep = result.report, parts = ctx.view.parts;
  if (!rep) return;
  parts.timing.replaceChildren(...kids(h("li", { text: result.syn.timing_text }), h("li", { text: rep.timing_text })));
  parts.report.replaceChildren(...kids(
    // privacy signals first (report.signals), then the verdict (a failing headline check fails it)
    ...(rep.signals || []).map((s) => h("div", { class: "sl-gen__signal", role: "note" },
      h("strong", { text: s.title }), " " + s.text + " " + s.action)),
    h("p", { class: "sl-gen__summary", "data-verdict": rep.verdict ? rep.verdict.status : null, text: rep.summary }),
    checksTable(rep.headline, "Headline checks (hover or focus a measure for its definition)", true, false),
    renderTable(rep.baselines),
    rep.baselines.note ? h("p", { class: "sl-gen__baseline-note", text: rep.baselines.note }) : null,
    h("details", { class: "sl-gen__allchecks" }, h("summary", { text: `All ${rep.rows.length} checks, with how to read them` }),
      checksTable(rep.rows, "All checks", false, true)),
    h("details", {}, h("summary", { text: "About this report" }), h("ul", {}, rep.notes.map((n) => h("li", { text: n }))))));
  parts.report.setAttribute("aria-busy", "false");
}

export async function renderFigures(ctx, result) {
  const f = result.figures, parts = ctx.view.parts;
  if (!f) return;
  const grid = h("div", { class: "sl-gen__figgrid" },
    f.figures.map((fig) => h("figure", { class: "sl-figure" + (fig.key === "association_difference" ? " sl-gen__fig--wide" : "") },
      h("img", { src: figureSrc(fig), alt: fig.alt, decoding: "async" }), h("figcaption", { text: fig.title }))));
  await decoded([grid]);
  parts.timing.append(h("li", { text: `Figures: ${f.seconds.toFixed(2)} s, measured in Python.` }));
  parts.figures.replaceChildren(h("h3", { text: "Figures" }), grid);
}

/** Put a kept result back on screen (after a cancelled or failed run). */
export function showResult(ctx, result) {
  ctx.state.current = result;
  renderResult(ctx, result);
  renderReport(ctx, result);
  if (result.figures) renderFigures(ctx, result);
}

async function fetchDownload(ctx, result, what, button) {
  const { state, view } = ctx;
  if (state.busy) { view.status.textContent = "Wait for the current step to finish, or press Cancel."; return; }
  state.busy = true;
  button.disabled = true;
  const old = view.status.textContent;
  view.status.textContent = "Preparing the file…";
  try {
    await runtime.ensure(what === "report_html" ? ["numpy", "scipy", "matplotlib"] : ["numpy", "scipy"]);
    await ensureSource(ctx);
    const file = await runtime.call(FN("download"), { run_id: result.syn.run_id, what, settings: result.settings });
    saveFile(file.filename, file.mime, file.text);
    bump(ctx, "downloads");
    view.status.textContent = `Saved ${file.filename} (made in your browser).` + (file.note ? " " + file.note : "");
  } catch (err) {
    showError(ctx, err, button.parentElement);
    bump(ctx, "errors");
    view.status.textContent = old;
  } finally {
    state.busy = false;
    button.disabled = false;
  }
}

function compareRows(a, b) {
  const rows = [], seen = new Set();
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
  return rows;
}

export function renderCompare(ctx) {
  const { state, view } = ctx;
  if (state.results.length < 2) { view.compareSection.hidden = true; return; }
  const [a, b] = state.results;
  view.compareSection.replaceChildren(
    h("h2", { id: "gen-h-compare", text: "Compare the last two runs" }),
    h("p", { class: "sl-gen__help", text: "Change one setting (ε, the method, the number of records) and generate again to see the trade-off move." }),
    h("div", { class: "sl-table-wrap", tabindex: "0", role: "region", "aria-label": "Comparison of the last two runs" },
      h("table", { class: "sl-table sl-gen__compare" }, h("caption", { text: "Headline scores side by side" }),
        h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Check" }), h("th", { scope: "col", text: "Previous: " + a.title }),
          h("th", { scope: "col", text: "Latest: " + b.title }), h("th", { scope: "col", text: "Target" }))),
        h("tbody", {}, compareRows(a, b)))));
  view.compareSection.hidden = false;
}
