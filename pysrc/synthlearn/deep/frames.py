"""Frames: the JSON dictionaries a training demo yields, and their static figure.

A frame is a demo result (``summary``, ``metrics``) plus ``step``, ``total``, ``phase``,
``done`` and ``plots``: small plot specifications the browser draws itself (``stream.mjs``),
so a frame costs no matplotlib time. At build time the last frame's plots are drawn once
with matplotlib (``plots_figure``) so the page reads without JavaScript.
"""

from __future__ import annotations

import numpy as np

GREY = "#757575"
GREEN = "#2e7d32"
PLOT_KEYS = {"kind", "title", "xlabel", "ylabel", "xlim", "ylim", "series"}


def points(x: np.ndarray, decimals: int = 4) -> list[list[float]]:
    """Rows of a 2-column array as ``[[x, y], ...]`` rounded for a small JSON."""
    return np.round(np.asarray(x, dtype=float)[:, :2], decimals).tolist()


def scatter(title: str, series: list[dict], lim: tuple[float, float] = (-3.0, 3.0), xlabel: str = "x1",
            ylabel: str = "x2") -> dict:
    return {"kind": "scatter", "title": title, "xlabel": xlabel, "ylabel": ylabel, "xlim": list(lim),
            "ylim": list(lim), "series": series}


def series(label: str, color: str, pts: np.ndarray | list) -> dict:
    return {"label": label, "color": color, "points": pts if isinstance(pts, list) else points(pts)}


def curves(title: str, history: dict[str, list[float]], colors: dict[str, str], labels: dict[str, str],
           max_points: int = 150) -> dict:
    """A line plot of training curves, thinned to at most ``max_points`` per curve."""
    out = []
    for key, color in colors.items():
        values = np.asarray(history.get(key, []), dtype=float)
        if not len(values):
            continue
        idx = np.unique(np.linspace(0, len(values) - 1, min(max_points, len(values))).astype(int))
        # a running mean over ~1% of the steps keeps the curve readable
        w = max(1, len(values) // 100)
        # (divided by the window's actual size, so the ends do not dip towards zero)
        smooth = (np.convolve(values, np.ones(w), mode="same") / np.convolve(np.ones(len(values)), np.ones(w), mode="same")
                  if w > 1 else values)
        pts = np.column_stack([idx + 1, smooth[idx]])
        out.append({"label": labels[key], "color": color, "points": np.round(pts, 5).tolist()})
    return {"kind": "lines", "title": title, "xlabel": "training step", "ylabel": "", "series": out}


def plots_figure(plots: list[dict], alt: str) -> dict:
    """All plots of a frame side by side as one matplotlib SVG figure (build time)."""
    from ..plotting import figure_svg, new_figure

    fig = new_figure(3.3 * len(plots), 3.3, layout=None)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.9, wspace=0.3)
    for i, plot in enumerate(plots):
        ax = fig.add_subplot(1, len(plots), i + 1)
        for s in plot["series"]:
            p = np.asarray(s["points"], dtype=float).reshape(-1, 2)
            if plot["kind"] == "scatter":
                ax.scatter(p[:, 0], p[:, 1], s=4, color=s["color"], alpha=0.6, label=s["label"], linewidths=0)
            else:
                ax.plot(p[:, 0], p[:, 1], color=s["color"], label=s["label"], linewidth=1.5)
        if plot["kind"] == "scatter":
            ax.set_xlim(*plot["xlim"])
            ax.set_ylim(*plot["ylim"])
            ax.set_aspect("equal")
        ax.set_title(plot["title"], fontsize=10)
        ax.set_xlabel(plot.get("xlabel", ""))
        ax.legend(frameon=False, fontsize=7, loc="upper right", markerscale=2)
        ax.spines[["top", "right"]].set_visible(False)
    return {"alt": alt, "svg": figure_svg(fig)}
