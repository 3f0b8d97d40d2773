"""What each line of a unified diff is, for renderers to colour: ``header`` (``---``/``+++``),
``hunk`` (``@@``), ``add``, ``del`` or ``same``."""

from __future__ import annotations


def diff_line_kind(line: str) -> str:
    if line.startswith(("+++", "---")):
        return "header"
    if line.startswith("@@"):
        return "hunk"
    if line.startswith("+"):
        return "add"
    if line.startswith("-"):
        return "del"
    return "same"
