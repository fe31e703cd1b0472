// Render a demo result with the browser runtime's own renderResult (docs/assets/synthlab/core/dom.mjs)
// under a minimal DOM, and print the markup. Used by tests/unit/test_markup.py to compare the
// browser's rendering with the build's (overrides/partials/synthlab/result.html).
// Usage: node render_result.mjs RUNTIME_URL < result.json
const VOID = new Set(["img", "input", "br", "hr", "meta", "link"]);
const escapeText = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const escapeAttr = (s) => escapeText(s).replace(/"/g, "&quot;");

class Element {
  constructor(tag) { this.tagName = tag; this.attributes = new Map(); this.children = []; this.text = null; }
  set className(v) { this.attributes.set("class", v); }
  set textContent(v) { this.text = String(v); this.children = []; }
  setAttribute(k, v) { this.attributes.set(k, String(v)); }
  append(...kids) { for (const k of kids) this.children.push(typeof k === "string" ? { outerHTML: escapeText(k) } : k); }
  get outerHTML() {
    const attrs = [...this.attributes].map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join("");
    if (VOID.has(this.tagName)) return `<${this.tagName}${attrs}>`;
    const inner = this.text !== null ? escapeText(this.text) : this.children.map((c) => c.outerHTML).join("");
    return `<${this.tagName}${attrs}>${inner}</${this.tagName}>`;
  }
}

globalThis.window = globalThis;
globalThis.location = { protocol: "file:", href: "file:///" };
globalThis.document = {
  readyState: "complete",
  getElementById: () => null,
  querySelectorAll: () => [],
  addEventListener: () => {},
  createElement: (tag) => new Element(tag),
};

const { renderResult } = await import(process.argv[2]);
let input = "";
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(renderResult(JSON.parse(input)).map((el) => el.outerHTML).join(""));
