"""UI hints carried in ``json_schema_extra`` so the JSON Schema export and both editors see them.

``section`` places a top-level field in the editor's navigation; ``depends_on`` shows a field
only while a sibling field holds one of the given values (for a list-valued sibling: while the
list contains one of them); ``help`` is longer help shown in the editor's help panel.
"""

from __future__ import annotations

from typing import Any, Literal

Section = Literal["Core", "Outputs", "Automation", "Performance", "Advanced"]
SECTIONS: tuple[str, ...] = ("Core", "Outputs", "Automation", "Performance", "Advanced")


def ui(
    *,
    section: Section | None = None,
    depends_on: dict[str, list[Any]] | None = None,
    help: str | None = None,
    widget: str | None = None,
) -> dict[str, Any]:
    """Build the ``json_schema_extra`` dict for a field; keys are prefixed ``x-`` in the schema."""
    hints: dict[str, Any] = {}
    if section is not None:
        hints["x-section"] = section
    if depends_on is not None:
        hints["x-depends-on"] = depends_on
    if help is not None:
        hints["x-help"] = help
    if widget is not None:
        hints["x-widget"] = widget
    return hints


def field_hints(field_info: Any) -> dict[str, Any]:
    """Return the UI hints of a Pydantic ``FieldInfo`` without the ``x-`` prefix."""
    extra = field_info.json_schema_extra
    if not isinstance(extra, dict):
        return {}
    return {key[2:]: value for key, value in extra.items() if key.startswith("x-")}
