"""Errors raised while reading, editing and writing YAML config documents."""

from __future__ import annotations

from pathlib import Path


class DocumentError(ValueError):
    """A problem with a config file that the user can fix.

    ``str()`` reads ``FILE:LINE:COL: message`` (line and column 1-based), or
    ``FILE: message`` when the problem has no position.
    """

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else "<string>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"

    def with_path(self, path: str | Path | None) -> DocumentError:
        """The same error, reported against ``path``."""
        return DocumentError(self.message, path, self.line, self.column)


class InternalEditError(RuntimeError):
    """An edit would not have produced the intended document.

    This is a bug in the editor, never the user's fault; the document is left
    exactly as it was before the edit.
    """
