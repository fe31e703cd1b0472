"""The evaluation report: fidelity, detection, utility and privacy checks of a synthetic table.

* :mod:`.checks` — the registry: every check's name, definition, reading and target (data);
* :mod:`.families` — one builder per metric family, adding rows from the registry;
* :mod:`.evaluate` — :func:`evaluate`, the short orchestrator both front ends call;
* :mod:`.signals` — the privacy warnings shown first;
* :mod:`.model` — :class:`Report` and its JSON; :mod:`.render` — Markdown and HTML;
  :mod:`.figures` — the SVG figures.
"""

from .checks import CHECKS, DEFAULT_TARGETS, HEADLINE
from .evaluate import evaluate
from .figures import report_figures
from .model import Report

__all__ = ["CHECKS", "DEFAULT_TARGETS", "HEADLINE", "Report", "evaluate", "report_figures"]
