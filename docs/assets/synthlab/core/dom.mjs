/* DOM helpers shared by every widget: element builder, result rendering (the same structure
 * overrides/hooks/demoblocks.py writes at build time), and the error box. */

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child);
  return el;
}

/** Children without null/undefined (replaceChildren would write "null"). */
export function kids(...items) {
  return items.flat().filter((x) => x !== null && x !== undefined);
}

/** An SVG string as a data: URL (the worker usually did this already: figure.src). */
export function svgDataURL(svg) {
  const bytes = new TextEncoder().encode(svg);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return "data:image/svg+xml;base64," + btoa(binary);
}

export function figureSrc(figure) {
  return figure.src || svgDataURL(figure.svg);
}

export function renderTable(table) {
  const head = h("tr", {}, (table.columns || []).map((c) => h("th", { scope: "col", text: c })));
  const body = (table.rows || []).map((row) => h("tr", {}, row.map((cell) => {
    if (cell && typeof cell === "object") {
      const mark = cell.mark;
      return h("td", { class: mark ? "sl-cell sl-cell--" + mark : null, "data-mark": mark || null, text: cell.text ?? "" });
    }
    return h("td", { text: cell ?? "" });
  })));
  return h("div", { class: "sl-table-wrap", tabindex: "0" },
    h("table", { class: "sl-table" }, table.caption ? h("caption", { text: table.caption }) : null,
      h("thead", {}, head), h("tbody", {}, body)));
}

export function renderFigure(figure) {
  return h("figure", { class: "sl-figure" }, h("img", { src: figureSrc(figure), alt: figure.alt || "", decoding: "async" }));
}

/** Build the result DOM; the same structure demoblocks.render_result writes at build time. */
export function renderResult(result) {
  const out = [];
  if (result.summary) out.push(h("p", { class: "sl-result__summary", text: result.summary }));
  if (result.metrics && result.metrics.length) {
    out.push(h("dl", { class: "sl-metrics" }, result.metrics.map((m) =>
      h("div", { class: "sl-metric", "data-key": m.key, "data-value": JSON.stringify(m.value ?? null) },
        h("dt", { title: m.help || "", text: m.label }), h("dd", { text: m.text }),
        m.help ? h("dd", { class: "sl-metric__help", text: m.help }) : null))));
  }
  (result.tables || []).forEach((t) => out.push(renderTable(t)));
  (result.figures || []).forEach((f) => out.push(renderFigure(f)));
  (result.notes || []).forEach((n) => out.push(h("p", { class: "sl-result__note", text: n })));
  return out;
}

/** Resolve once every image in ``nodes`` is decoded, so swapping them in paints at once
 *  instead of decoding on the main thread during the next frame. */
export function decoded(nodes) {
  const imgs = nodes.flatMap((n) => (n.tagName === "IMG" ? [n] : [...n.querySelectorAll("img")]));
  return Promise.all(imgs.map((img) => img.decode().catch(() => {})));
}

export function errorBox(box, err) {
  box.replaceChildren();
  if (err.kind === "input") {
    box.append(h("p", { text: err.message }));
  } else if (err.kind === "load") {
    box.append(h("p", { text: err.message + " The text and the result shown still hold. Check your connection, then press Run to try again." }));
  } else if (err.kind === "died" || err.kind === "cancelled") {
    box.append(h("p", { text: err.message }));
  } else {
    box.append(h("p", { text: "Something went wrong inside synthlearn (a bug, not your input): " + err.message }));
    if (err.traceback) box.append(h("details", {}, h("summary", { text: "Traceback" }), h("pre", { text: err.traceback })));
  }
  box.hidden = false;
}
