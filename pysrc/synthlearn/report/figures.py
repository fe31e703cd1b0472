"""The report's figures: distributions of the worst-matching columns and a heatmap of the
association differences, drawn without pyplot and returned as SVG text."""

from __future__ import annotations

import numpy as np

from ..metrics import _checks
from ..metrics.fidelity import association_difference, quality, shared_histograms
from ..table import Table

FIGURE_COLUMNS = 8           # distribution overlays for at most this many columns (worst shapes first)
HEATMAP_LABELS = 40          # above this many columns the heatmap has no tick labels


def report_figures(real: Table, synthetic: Table) -> list[dict]:
    """The report's figures alone — the same as ``evaluate(..., figures=True).figures``.

    For pages that show the numbers first (``figures=False``) and draw the figures later
    without running the whole evaluation again. Each item: ``{key, title, alt, svg}``.
    """
    real, synthetic = _checks.align(real, ("synthetic", synthetic))
    return draw_figures(real, synthetic, quality(real, synthetic), association_difference(real, synthetic))


def draw_figures(real: Table, synthetic: Table, q, assoc: dict) -> list[dict]:
    """The figures from computed quality scores ``q`` and associations ``assoc``."""
    from ..plotting import FIG_FONT, PALETTE, figure_svg, fit_inside, new_figure

    out = []
    order = sorted(range(real.n_cols), key=lambda j: (q.columns[j]["score"] if np.isfinite(q.columns[j]["score"])
                                                      else 2.0, j))
    chosen = sorted(order[:FIGURE_COLUMNS])
    for j in chosen:
        rc, sc = real.columns[j], synthetic.columns[j]
        fig = new_figure(3.6, 2.6)
        fig.set_layout_engine("none")       # fixed margins: much faster than constrained layout
        bottom = 0.33 if rc.is_discrete else 0.14
        ax = fig.add_axes((0.15, bottom, 0.82, 0.85 - bottom - 0.02))
        r, s, labels = shared_histograms(rc, sc, bins=20)
        rp, sp = r / max(r.sum(), 1), s / max(s.sum(), 1)
        if rc.is_discrete:
            top = np.argsort(-(rp + sp), kind="stable")[:10]
            x = np.arange(top.size)
            ax.bar(x - 0.2, rp[top], width=0.4, color=PALETTE["real"], label="real")
            ax.bar(x + 0.2, sp[top], width=0.4, color=PALETTE["synthetic"], label="synthetic")
            ax.set_xticks(x, [_short(labels[i], 12) for i in top], rotation=45, ha="right", fontsize=FIG_FONT)
        else:
            nb = len(labels) - 1
            edges = np.arange(nb + 1)
            ax.stairs(rp[:nb], edges, color=PALETTE["real"], label="real", linewidth=1.6)
            ax.stairs(sp[:nb], edges, color=PALETTE["synthetic"], label="synthetic", linewidth=1.6, linestyle="--")
            both = np.concatenate([rc.values, sc.values])
            both = both[np.isfinite(both)]
            lo, hi = (rc.format_value(float(both.min())), rc.format_value(float(both.max()))) if both.size else ("", "")
            ax.set_xticks([0, nb], [lo, hi], fontsize=FIG_FONT)
        ax.set_ylabel("share", fontsize=FIG_FONT)
        ax.tick_params(labelsize=FIG_FONT)
        miss = f"missing {rp[-1]:.1%} / {sp[-1]:.1%}" if (rp[-1] or sp[-1]) else ""
        ax.set_title(f"{_short(rc.name, 24)}  (score {q.columns[j]['score']:.2f})\n{miss}".strip(), fontsize=FIG_FONT)
        ax.legend(fontsize=FIG_FONT, frameon=False)
        fit_inside(fig)  # long category labels and titles are not cut at the edges
        out.append({"key": f"column:{rc.name}", "title": f"Distribution of '{rc.name}': real vs synthetic",
                    "alt": f"Histogram of column {rc.name}, real and synthetic overlaid; shape score "
                           f"{q.columns[j]['score']:.2f}.", "svg": figure_svg(fig)})
    diff = np.nan_to_num(assoc["difference"], nan=0.0)
    n = diff.shape[0]
    size = min(max(3.5, 0.28 * n + 2.0), 9.0)
    fig = new_figure(size + 1.0, size)
    ax = fig.add_subplot()
    im = ax.imshow(diff, cmap="RdBu_r", vmin=-1.0, vmax=1.0)
    if n <= HEATMAP_LABELS:
        names = [_short(c, 18) for c in assoc["columns"]]
        ax.set_xticks(range(n), names, rotation=90, fontsize=FIG_FONT)
        ax.set_yticks(range(n), names, fontsize=FIG_FONT)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(im, ax=ax, shrink=0.8, label="synthetic − real")
    ax.set_title("Association difference\n(Pearson ρ for two numbers, Cramér's V otherwise)", fontsize=FIG_FONT)
    worst = np.unravel_index(np.argmax(np.abs(diff)), diff.shape)
    out.append({"key": "association_difference", "title": "Association difference, synthetic − real",
                "alt": f"Heatmap of association differences between {n} columns; largest "
                       f"{diff[worst]:+.2f} for {assoc['columns'][worst[0]]} and {assoc['columns'][worst[1]]}.",
                "svg": figure_svg(fig)})
    return out


def _short(text: str, n: int = 16) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"
