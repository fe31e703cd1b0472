"""Errors a user can act on.

``InputError`` is raised for anything the *user* got wrong (a bad file, an absurd
parameter). Its message is one clear sentence and is shown as-is in the browser;
any other exception is a bug and is shown with a short traceback.
"""

from __future__ import annotations


class InputError(ValueError):
    """A problem with the user's data or parameters, explained in one sentence."""

    def __init__(self, message: str, *, column: str | None = None, row: int | None = None):
        super().__init__(message)
        self.column = column
        self.row = row

    def to_dict(self) -> dict:
        return {"kind": "input", "message": str(self), "column": self.column, "row": self.row}
