/* Small form builders for the Generator page (labels, selects, definitions, badges, files). */
import { h } from "../core/dom.mjs";

let uid = 0;
export const nextId = (prefix) => `${prefix}-${++uid}`;

export function field(labelText, control, help) {
  const id = control.id || (control.id = nextId("gen-f"));
  const helpEl = help ? h("p", { class: "sl-gen__help", id: id + "-help", text: help }) : null;
  if (helpEl) control.setAttribute("aria-describedby", helpEl.id);
  return h("div", { class: "sl-gen__field" }, h("label", { for: id, text: labelText }), control, helpEl);
}

export function select(id, options, value) {
  const el = h("select", { id });
  for (const [v, text] of options) el.append(h("option", { value: String(v), text }));
  if (value !== undefined && value !== null) el.value = String(value);
  return el;
}

/** A measure's name: hover or keyboard focus shows its one-line definition. */
export function term(text, definition) {
  const tipId = nextId("gen-tip");
  const t = h("span", { class: "sl-gen__term", tabindex: "0", "aria-describedby": tipId, text });
  const tip = h("span", { class: "sl-gen__tip", role: "tooltip", id: tipId, text: definition || "" });
  t.addEventListener("keydown", (e) => { if (e.key === "Escape") t.blur(); });
  return h("span", { class: "sl-gen__termwrap" }, t, tip);
}

export function statusBadge(status) {
  const label = { pass: "✓ pass", fail: "✗ fail", info: "· info" }[status] || status;
  return h("span", { class: "sl-gen__badge sl-gen__badge--" + status, "data-status": status, text: label });
}

/** Save text as a file made in the page (no server involved). */
export function saveFile(name, mime, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mime + ";charset=utf-8" }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
