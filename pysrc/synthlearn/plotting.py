"""Figures without pyplot: a bare ``Figure`` rendered to an SVG string.

Skipping pyplot saves its import cost in the browser and keeps figures free of global
state. Colours come from one small palette that reads in light and dark mode.
"""

from __future__ import annotations

import io

REAL = "#3f51b5"       # indigo: real data
SYNTHETIC = "#e8710a"  # orange: synthetic data
PALETTE = {"real": REAL, "synthetic": SYNTHETIC}
# Text size in points. A figure is shown about at its natural size on a phone (a 3.6 in figure
# is 346 CSS px wide), where 8 pt is 10.7 CSS px: the smallest size that reads on a phone.
FIG_FONT = 8


def new_figure(width: float = 6.4, height: float = 3.6, layout: str | None = "constrained"):
    """A matplotlib ``Figure`` with a canvas attached, no pyplot involved.

    ``layout=None`` skips the constrained-layout solver (about half the drawing time of a
    small figure); then set margins with ``fig.subplots_adjust``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout=layout)
    FigureCanvasAgg(fig)
    return fig


def figure_svg(fig) -> str:
    """The figure as an SVG document string (text as text, no metadata dates)."""
    import matplotlib

    buf = io.StringIO()
    # text stays <text> (not glyph outlines): smaller files and ~20% faster in the browser
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "synthlearn"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def fit_inside(fig, pad: float = 0.01) -> None:
    """Shrink the axes of a fixed-margin figure until every text (tick labels, titles,
    legends) lies inside the canvas, so nothing is cut off at an edge.

    For figures drawn with ``layout=None`` (fixed margins, for speed), whose long rotated
    category labels would otherwise run past the bottom or the sides. One extra layout pass.
    """
    for _ in range(3):  # moving an axis moves its rotated labels: settle in a few passes
        if not _fit_pass(fig, pad):
            return


def _fit_pass(fig, pad: float) -> bool:
    """One pass of :func:`fit_inside`; True if an axis was moved."""
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    moved = False
    for ax in fig.axes:
        tight = ax.get_tightbbox(renderer)
        if tight is None:
            continue
        pos = ax.get_position()
        w, h = box.width, box.height
        left = max(0.0, (box.x0 - tight.x0) / w + pad) if tight.x0 < box.x0 else 0.0
        right = max(0.0, (tight.x1 - box.x1) / w + pad) if tight.x1 > box.x1 else 0.0
        bottom = max(0.0, (box.y0 - tight.y0) / h + pad) if tight.y0 < box.y0 else 0.0
        top = max(0.0, (tight.y1 - box.y1) / h + pad) if tight.y1 > box.y1 else 0.0
        if left > pad or right > pad or bottom > pad or top > pad:
            moved = True
            ax.set_position((pos.x0 + left, pos.y0 + bottom, max(pos.width - left - right, 0.1),
                             max(pos.height - bottom - top, 0.1)))
    return moved
