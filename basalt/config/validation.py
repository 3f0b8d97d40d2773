"""Validation that speaks in paths and lines.

Every Pydantic error, model-level rules included, becomes a :class:`ConfigIssue` with its
dotted path (union tags removed), a message in the user's words (see
:func:`basalt.config.errors.user_message`), and, when the path is set in a file, the
file, line and column: the YAML when the value came from there, else the demo script.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from basalt.config.analytics import AnalyticsConfig
from basalt.config.errors import user_message
from basalt.config.modules.base import BUILTINS, ModuleScope
from basalt.config.resolve import ResolvedConfig
from basalt.config.schema_paths import clean_loc


@dataclass(frozen=True)
class ConfigIssue:
    """One validation error at a dotted path, optionally located in a file."""

    path: str
    message: str
    file: Path | None = None
    line: int | None = None
    column: int | None = None

    def format(self) -> str:
        """``FILE:LINE:COL: PATH: message`` (as much of the location as is known)."""
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}:{self.column or 1}"
            where += ": "
        return f"{where}{self.path or '<root>'}: {self.message}"


def issues_from_error(exc: ValidationError, model: type = AnalyticsConfig) -> list[ConfigIssue]:
    """Pydantic errors as issues: one per path, union arms merged, in the order reported."""
    issues: dict[str, ConfigIssue] = {}
    for error in exc.errors(include_url=False):
        path = ".".join(str(p) for p in clean_loc(model, error["loc"]))
        if path not in issues:
            issues[path] = ConfigIssue(path, user_message(error))
    return list(issues.values())


def validate_data(
    data: dict[str, Any], modules: ModuleScope = BUILTINS
) -> tuple[AnalyticsConfig | None, list[ConfigIssue]]:
    """Validate plain config data with ``modules`` (a demo's); return the model or the issues
    (never both)."""
    try:
        return AnalyticsConfig.model_validate(data, context=modules.context()), []
    except ValidationError as exc:
        return None, issues_from_error(exc)


def locate(issue: ConfigIssue, resolved: ResolvedConfig) -> ConfigIssue:
    """Add the file, line and column where ``issue.path`` (or its nearest ancestor) is set."""
    document, source = resolved.document, resolved.python
    origin = resolved.origin(issue.path) if issue.path else "default"
    if origin == "cli":  # an option of the command line or the run form, not a file's line
        return ConfigIssue(issue.path, f"{issue.message} (set for this run, not in a file)")
    if document is not None and origin in ("yaml", "default"):
        found = document.nearest_location(issue.path) if issue.path else None
        if found is not None or source is None or origin == "yaml":
            line, column = (found[1], found[2]) if found else (1, 1)
            return ConfigIssue(issue.path, issue.message, document.path, line, column)
    if source is not None:
        return ConfigIssue(issue.path, issue.message, source.path, source.line_of(issue.path), 1)
    return issue


def validate_resolved(resolved: ResolvedConfig) -> tuple[AnalyticsConfig | None, list[ConfigIssue]]:
    """Validate a resolved demo config; issues carry file, line and column."""
    config, issues = validate_data(resolved.data, resolved.modules)
    return config, [locate(issue, resolved) for issue in issues]
