"""Errors a user can act on.

``InputError`` is raised for anything the *user* got wrong (a bad file, an absurd
parameter). Its message is one clear sentence and is shown as-is in the browser;
any other exception is a bug and is shown with a short traceback.
"""

from __future__ import annotations


class InputError(ValueError):
    """A problem with the user's data or parameters, explained in one sentence."""

    def __init__(self, message: str, *, column: str | None = None, row: int | None = None,
                 key: str | None = None):
        super().__init__(message)
        self.column = column
        self.row = row
        #: the setting or config key the mistake concerns ("n", "evaluation.label"), if any
        self.key = key

    def to_dict(self) -> dict:
        """The error as JSON for the browser: kind, message, the column and row it concerns, and its
        setting key when it has one."""
        out = {"kind": "input", "message": str(self), "column": self.column, "row": self.row}
        if self.key is not None:
            out["key"] = self.key
        return out
