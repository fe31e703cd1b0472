"""The report as data: :class:`Report` and its JSON form."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..errors import InputError
from ..validation import jsonable

__all__ = ["Report"]


@dataclass
class Report:
    """The result of :func:`evaluate`."""

    scores: dict
    rows: list[dict]
    baselines: dict
    figures: list[dict] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    # -- serialisation -----------------------------------------------------------------------
    def to_dict(self, *, figures: bool = True) -> dict:
        """Everything as JSON-able values (NaN becomes None); ``figures=False`` leaves the SVGs out."""
        return jsonable({"scores": self.scores, "rows": self.rows, "baselines": self.baselines,
                                 "figures": self.figures if figures else [], "details": self.details,
                                 "meta": self.meta})

    def to_json(self, *, figures: bool = True, indent: int | None = None) -> str:
        """The report as a JSON string (strict JSON: no NaN)."""
        return json.dumps(self.to_dict(figures=figures), indent=indent, allow_nan=False, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        """Rebuild a report from :meth:`to_dict` output."""
        try:
            return cls(scores=data["scores"], rows=data["rows"], baselines=data["baselines"],
                       figures=data.get("figures", []), details=data.get("details", {}), meta=data.get("meta", {}))
        except (KeyError, TypeError):
            raise InputError("This is not a synthlearn report: it lacks scores, rows or baselines.") from None

    @classmethod
    def from_json(cls, text: str) -> "Report":
        """Rebuild a report from :meth:`to_json` output."""
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(f"The report is not valid JSON ({exc.msg}, line {exc.lineno}).") from None

    def to_markdown(self) -> str:
        """Markdown: the privacy signals, the checks, the baselines and the definitions (no figures)."""
        from .render import to_markdown

        return to_markdown(self)

    def to_html(self, *, title: str = "Synthetic data evaluation") -> str:
        """One self-contained HTML page: signals, tables, definitions and figures (data-URI images)."""
        from .render import to_html

        return to_html(self, title=title)
