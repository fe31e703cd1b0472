"""The report as Markdown or as one self-contained HTML page.

Every piece of text from the data (column names, categories) is escaped with ``html.escape``;
figures are embedded as ``<img>`` data URIs so their SVG cannot run scripts, and the page
makes no external request.
"""

from __future__ import annotations

import base64
import html
from typing import Protocol

from .families import fmt as _fmt


class Report(Protocol):
    """What rendering reads of a :class:`~synthlearn.report.model.Report` (which calls these functions)."""

    scores: dict
    rows: list[dict]
    baselines: dict
    figures: list[dict]
    meta: dict

__all__ = ["BASELINE_NOTE", "baseline_table", "to_html", "to_markdown"]

_CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1f;background:#fff;line-height:1.45}
main{max-width:72rem;margin:auto;padding:1rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.num{font-variant-numeric:tabular-nums;text-align:right}
.badge{padding:0 .4rem;border-radius:.3rem;font-weight:600}
.badge.pass{background:#d4edda;color:#0b4d1c}.badge.fail{background:#f8d7da;color:#6e0f17}
.badge.info{background:#e2e3e5;color:#1b1b1f}
.signal{border-left:.3rem solid #b3261e;background:#fdecea;color:#1b1b1f;padding:.5rem .75rem;margin:1rem 0}
figure{display:inline-block;margin:.5rem}img{max-width:100%;height:auto;background:#fff}
@media (prefers-color-scheme:dark){body{background:#1b1b1f;color:#ececf1}th,td{border-color:#555}}
"""



_BASELINE_KEYS = (("column_shapes", "Column shapes"), ("pair_trends_strong", "Pair trends, strong pairs"),
                  ("pair_trends_all", "Pair trends, all pairs"), ("overall", "Overall (SDMetrics 0.32)"),
                  ("js_distance_mean", "Mean Jensen–Shannon distance"))
#: How to read the two reference tables (the same words on the page, in HTML and in Markdown).
BASELINE_NOTE = ("Two references, not a scale: independent columns (every real column shuffled on its own) keep "
                 "each column exactly and lose every relation, so they are the floor for pair trends only — their "
                 "column shapes are perfect by construction and their overall score can beat a synthesizer's. "
                 "The real holdout (fresh real rows) shows what sampling noise alone costs on every score.")


def _md(text: object) -> str:
    """Markdown table cell text: HTML-escaped, pipes and line breaks neutralised."""
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ")


def _sizes(meta: dict) -> str:
    s = meta.get("sizes", {})
    parts = [f"real {s.get('real')} rows", f"synthetic {s.get('synthetic')} rows"]
    if s.get("holdout") is not None:
        parts.append(f"holdout {s.get('holdout')} rows")
    t = meta.get("timings", {}).get("total")
    return ", ".join(parts) + (f"; evaluated in {t:.1f} s." if t is not None else ".")


def baseline_table(report: Report) -> tuple[list[str], list[list[str]]]:
    """The fidelity scores of the references and of the synthetic table: header and rows of text."""
    has_holdout = "real_holdout" in report.baselines
    cols = ["independent_marginals", "synthetic"] + (["real_holdout"] if has_holdout else [])
    head = ["score", "independent columns (no relations)", "synthetic"] + (
        ["real holdout (fresh real rows)"] if has_holdout else [])
    body = []
    for key, label in _BASELINE_KEYS:
        row = [label]
        for c in cols:
            src = report.scores["fidelity"] if c == "synthetic" else report.baselines[c]
            row.append(_fmt(src.get(key)))
        body.append(row)
    return head, body


def to_markdown(report: Report) -> str:
    """Markdown tables of the signals, checks and baselines (cell text escaped; no figures)."""
    out = ["# Synthetic data evaluation", "", _sizes(report.meta), ""]
    if report.meta.get("verdict"):
        out += [f"**{_md(report.meta['verdict']['text'])}**", ""]
    for s in report.meta.get("signals", []):
        out += [f"> **{_md(s['title'])}** {_md(s['text'])} {_md(s['action'])}", ""]
    out += ["| group | metric | score | target | status |", "|---|---|---|---|---|"]
    for r in report.rows:
        out.append("| " + " | ".join(_md(x) for x in (r["group"], r["metric"], _fmt(r["score"]),
                                                         r["target"] or "", r["status"])) + " |")
    head, body = baseline_table(report)
    out += ["", "## Baselines", "", _md(BASELINE_NOTE), "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in body]
    out += ["", "## Definitions", ""]
    for r in report.rows:
        out.append(f"- **{_md(r['metric'])}** — {_md(r['definition'])} {_md(r['text'])}")
    return "\n".join(out) + "\n"


def _html_rows(report: Report) -> list[str]:
    e = html.escape
    parts = ['<table><thead><tr><th scope="col">Group</th><th scope="col">Metric</th>'
             '<th scope="col">Score</th><th scope="col">Target</th><th scope="col">Status</th>'
             '<th scope="col">What it means</th></tr></thead><tbody>']
    for r in report.rows:
        parts.append(
            f'<tr class="{e(r["status"])}"><td>{e(r["group"])}</td><td>{e(r["metric"])}</td>'
            f'<td class="num">{e(_fmt(r["score"]))}</td><td>{e(r["target"] or "")}</td>'
            f'<td><span class="badge {e(r["status"])}">{e(r["status"])}</span></td>'
            f'<td><details><summary>{e(r["text"])}</summary><p>{e(r["definition"])}</p></details></td></tr>')
    parts.append("</tbody></table>")
    return parts


def _html_baselines(report: Report) -> str:
    e = html.escape
    head, body = baseline_table(report)
    out = [f"<p>{e(BASELINE_NOTE)}</p><table><thead><tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in head)
           + "</tr></thead><tbody>"]
    for row in body:
        cells = "".join(f'<td class="num">{e(c)}</td>' for c in row[1:])
        out.append(f"<tr><td>{e(row[0])}</td>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def to_html(report: Report, *, title: str = "Synthetic data evaluation") -> str:
    """One self-contained HTML page: signals, tables, definitions and figures (as data-URI images)."""
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", "<main>",
             f"<h1>{e(title)}</h1>", f"<p>{e(_sizes(report.meta))}</p>"]
    if report.meta.get("verdict"):
        v = report.meta["verdict"]
        parts.append(f'<p class="verdict"><span class="badge {e(v["status"])}">{e(v["status"])}</span> '
                     f'{e(v["text"])}</p>')
    for s in report.meta.get("signals", []):
        parts.append(f'<div class="signal" role="note"><strong>{e(s["title"])}</strong> {e(s["text"])} '
                     f'{e(s["action"])}</div>')
    parts += ["<h2>Checks</h2>", *_html_rows(report), "<h2>Baselines</h2>", _html_baselines(report)]
    if report.figures:
        parts.append("<h2>Figures</h2>")
        for f in report.figures:
            data = base64.b64encode(f["svg"].encode("utf-8")).decode("ascii")
            parts.append(f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{e(f["alt"])}">'
                         f'<figcaption>{e(f["title"])}</figcaption></figure>')
    parts.append("<h2>About this report</h2><ul>")
    parts += [f"<li>{e(note)}</li>" for note in report.meta.get("notes", [])]
    parts += ["</ul>", "</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
