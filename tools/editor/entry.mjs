/* The editor the exercise blocks use: CodeMirror 6 with Python, bundled into one ES module
 * (tools/editor: `npm ci && npm run build`, run by `make editor`). The page imports only
 * `createEditor`. Tab indents; Escape then Tab (or Ctrl-M / Shift-Alt-M) moves focus on,
 * as CodeMirror documents, so the keyboard is never trapped. Tokens get tok-* classes that
 * exercise.css colours with Material's code-highlight variables (AA in light and dark). */
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit, syntaxHighlighting } from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import { python } from "@codemirror/lang-python";

export function createEditor(parent, { doc = "", label = "Code editor", onRun = null, onChange = null, describedBy = null } = {}) {
  // tabindex: the editable area is in the tab order anyway (contenteditable); saying so lets
  // checkers see the scrolling region has focusable content
  const attrs = { "aria-label": label, tabindex: "0" };
  if (describedBy) attrs["aria-describedby"] = describedBy;
  const extensions = [
    basicSetup,
    python(),
    syntaxHighlighting(classHighlighter), // tok-* classes, coloured by the site's CSS (Material's code colours)
    indentUnit.of("    "),
    keymap.of([indentWithTab]),
    EditorView.contentAttributes.of(attrs),
    EditorView.updateListener.of((update) => { if (update.docChanged && onChange) onChange(update.state.doc.toString()); }),
  ];
  if (onRun) extensions.push(Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }])));
  const view = new EditorView({ parent, state: EditorState.create({ doc, extensions }) });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}
