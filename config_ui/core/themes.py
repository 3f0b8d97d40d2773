"""Colour themes shared by the terminal and the web editor.

One TOML file per theme in the repository's ``themes/`` folder (``$BASALT_THEMES_DIR``
overrides it). Each file holds ``name``, ``dark`` and ten ``#rrggbb`` colours::

    name = "basalt-dark"
    dark = true
    primary = "#2bb3a3"
    ...

This module never imports Textual or NiceGUI: :func:`to_textual_kwargs` gives the keyword
arguments of ``textual.theme.Theme`` and :func:`to_css_variables` the CSS custom properties
the web editor sets. The user's last choice is kept in ``<BASALT_HOME>/ui.json``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from basalt.atomic import write_text_atomic
from basalt.home import basalt_home

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = [
    "COLOUR_FIELDS",
    "DEFAULT_THEME",
    "ThemeError",
    "ThemeSpec",
    "contrast_ratio",
    "default_theme_name",
    "initial_theme_name",
    "load_theme",
    "load_themes",
    "relative_luminance",
    "remember_theme",
    "remembered_theme",
    "themes_dir",
    "to_css_variables",
    "to_textual_kwargs",
    "ui_state_path",
]

DEFAULT_THEME = "basalt-dark"

COLOUR_FIELDS: tuple[str, ...] = (
    "primary",
    "secondary",
    "accent",
    "background",
    "surface",
    "panel",
    "foreground",
    "success",
    "warning",
    "error",
)
"""The colour fields of a theme, in the order the theme files list them."""

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class ThemeError(ValueError):
    """A theme file that cannot be used; the message names the file, line and field."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        message: str,
        *,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.field = field
        self.line = line
        self.reason = message
        where = str(self.path) if line is None else f"{self.path}, line {line}"
        what = message if field is None else f"{field}: {message}"
        super().__init__(f"{where}: {what}")


@dataclass(frozen=True)
class ThemeSpec:
    """One theme as read from its file; colours are lower-case ``#rrggbb``."""

    name: str
    dark: bool
    primary: str
    secondary: str
    accent: str
    background: str
    surface: str
    panel: str
    foreground: str
    success: str
    warning: str
    error: str

    def __post_init__(self) -> None:
        for name in COLOUR_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, str) or not _COLOUR.fullmatch(value):
                raise ValueError(f"{name}: {value!r} is not a #rrggbb colour")

    def colours(self) -> dict[str, str]:
        """The ten colours by field name."""
        return {name: getattr(self, name) for name in COLOUR_FIELDS}


_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ThemeSpec))


# -- where things live ------------------------------------------------------------------


def themes_dir() -> Path:
    """``$BASALT_THEMES_DIR``, else the ``themes/`` folder at the root of the repository."""
    configured = os.environ.get("BASALT_THEMES_DIR")
    if configured:
        return Path(configured).expanduser()
    return Path(__file__).resolve().parents[2] / "themes"


def ui_state_path() -> Path:
    """``<BASALT_HOME>/ui.json``; ``BASALT_HOME`` defaults to ``.basalt/home`` here."""
    return basalt_home() / "ui.json"


def default_theme_name() -> str:
    """The theme used when the user has not chosen one: ``basalt-dark``."""
    return DEFAULT_THEME


# -- loading ----------------------------------------------------------------------------


def load_themes(directory: str | os.PathLike[str] | None = None) -> dict[str, ThemeSpec]:
    """Every ``*.toml`` theme in ``directory`` (default :func:`themes_dir`), by theme name.

    Raises :class:`ThemeError` for a missing folder, a bad file or two files with one name.
    """
    root = Path(directory) if directory is not None else themes_dir()
    if not root.is_dir():
        raise ThemeError(root, "themes folder not found")
    themes: dict[str, ThemeSpec] = {}
    sources: dict[str, Path] = {}
    for path in sorted(root.glob("*.toml")):
        spec = load_theme(path)
        if spec.name in themes:
            raise ThemeError(
                path,
                f"theme {spec.name!r} is already defined in {sources[spec.name]}",
                field="name",
                line=_line_of(path.read_text(encoding="utf-8"), "name"),
            )
        themes[spec.name] = spec
        sources[spec.name] = path
    return themes


def load_theme(path: str | os.PathLike[str]) -> ThemeSpec:
    """Read one theme file; :class:`ThemeError` naming the file, line and field if it is bad."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ThemeError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ThemeError(path, "not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position else None
        reason = _TOML_POSITION.sub("", message).strip()
        if position:
            reason = f"{reason} (column {position.group(2)})"
        raise ThemeError(path, f"invalid TOML: {reason}", line=line) from None
    return _spec_from(path, text, data)


def _spec_from(path: Path, text: str, data: dict[str, Any]) -> ThemeSpec:
    def fail(field: str, message: str) -> ThemeError:
        return ThemeError(path, message, field=field, line=_line_of(text, field))

    for key in data:
        if key not in _FIELDS:
            raise fail(key, f"unknown field; a theme has {', '.join(_FIELDS)}")
    for key in _FIELDS:
        if key not in data:
            raise ThemeError(path, "missing field", field=key)
    values: dict[str, Any] = {}
    name = data["name"]
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise fail("name", f"{name!r} is not a theme name (letters, digits, '-', '_', '.')")
    values["name"] = name
    if not isinstance(data["dark"], bool):
        raise fail("dark", f"{data['dark']!r} is not true or false")
    values["dark"] = data["dark"]
    for key in COLOUR_FIELDS:
        value = data[key]
        if not isinstance(value, str) or not _COLOUR.fullmatch(value):
            raise fail(key, f'{value!r} is not a colour; expected #rrggbb, e.g. "#1e242b"')
        values[key] = value.lower()
    return ThemeSpec(**values)


def _line_of(text: str, key: str) -> int | None:
    """The line where ``key = ...`` is set, for error messages (None if not found)."""
    match = re.search(rf"""^[ \t]*["']?{re.escape(key)}["']?[ \t]*=""", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


# -- the user's choice ------------------------------------------------------------------


def remembered_theme() -> str | None:
    """The theme name last passed to :func:`remember_theme`; None if none or unreadable."""
    state = _read_ui_state()
    value = state.get("theme")
    return value if isinstance(value, str) and value else None


def remember_theme(name: str) -> None:
    """Store ``name`` as the user's theme in :func:`ui_state_path`, atomically.

    Other keys in the file are kept; a corrupt file is replaced. Raises ``OSError`` when the
    folder cannot be written.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"a theme name must be a non-empty string, not {name!r}")
    path = ui_state_path()
    state = _read_ui_state()
    state["theme"] = name
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(state, indent=2, sort_keys=True) + "\n")


def initial_theme_name(themes: Mapping[str, ThemeSpec]) -> str:
    """The theme an editor opens with: the remembered one if it still exists, else the default.

    Falls back to the first theme by name when the default is missing from ``themes``.
    """
    remembered = remembered_theme()
    if remembered is not None and remembered in themes:
        return remembered
    if DEFAULT_THEME in themes or not themes:
        return DEFAULT_THEME
    return sorted(themes)[0]


def _read_ui_state() -> dict[str, Any]:
    try:
        state = json.loads(ui_state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


# -- colour maths -----------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour (0 for black, 1 for white)."""
    if not _COLOUR.fullmatch(colour):
        raise ValueError(f"{colour!r} is not a #rrggbb colour")
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        linear = value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        channels.append(linear)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours, from 1.0 to 21.0 (order does not matter)."""
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# -- for the renderers ------------------------------------------------------------------


def to_textual_kwargs(spec: ThemeSpec) -> dict[str, Any]:
    """Keyword arguments for ``textual.theme.Theme(**kwargs)``."""
    return {"name": spec.name, **spec.colours(), "dark": spec.dark}


def to_css_variables(spec: ThemeSpec) -> dict[str, str]:
    """CSS custom properties for the web editor: ``{"--basalt-primary": "#2bb3a3", ...}``.

    ``--basalt-color-scheme`` is ``dark`` or ``light`` (for the CSS ``color-scheme`` property).
    """
    variables = {f"--basalt-{name}": value for name, value in spec.colours().items()}
    variables["--basalt-color-scheme"] = "dark" if spec.dark else "light"
    return variables
