"""The evaluation report: fidelity, detection, utility and privacy checks of a synthetic table.

:func:`evaluate` is the one entry point; it returns a :class:`Report` that renders itself as
JSON, Markdown or one self-contained HTML page.
"""

from .evaluate import DEFAULT_TARGETS, Report, evaluate, report_figures

__all__ = ["DEFAULT_TARGETS", "Report", "evaluate", "report_figures"]
