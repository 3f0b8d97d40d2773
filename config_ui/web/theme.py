"""Themes from ``themes/*.toml`` (the terminal editor's files) as CSS variables, switched at
run time without reloading the page."""

from __future__ import annotations

import json
import logging

from nicegui import ui

from config_ui.core.themes import (
    ThemeError,
    ThemeSpec,
    initial_theme_name,
    load_themes,
    remember_theme,
    to_css_variables,
)

log = logging.getLogger(__name__)

# The page's own styles; colours only through the theme's variables.
EDITOR_CSS = """
:root { color-scheme: var(--basalt-color-scheme); }
body, .q-page, .nicegui-content { background: var(--basalt-background); color: var(--basalt-foreground); }
.q-header { background: var(--basalt-panel) !important; color: var(--basalt-foreground) !important; }
.q-drawer { background: var(--basalt-surface) !important; color: var(--basalt-foreground); }
.q-card, .q-menu, .q-dialog .q-card { background: var(--basalt-surface); color: var(--basalt-foreground); }
.q-field__native, .q-field__input, .q-select__dropdown-icon, .q-field__label, .q-item,
.q-checkbox__label, .q-toggle__label, .q-expansion-item { color: var(--basalt-foreground) !important; }
.basalt-muted { opacity: .72; font-size: .8rem; }
.basalt-field { width: 100%; gap: 2px; padding: 4px 0; }
.basalt-field.basalt-flash { outline: 2px solid var(--basalt-accent); border-radius: 4px; }
.basalt-label { font-weight: 600; }
.basalt-help { opacity: .75; font-size: .8rem; }
.basalt-error { color: var(--basalt-error); font-size: .82rem; font-weight: 600; }
.basalt-ok { color: var(--basalt-success); font-weight: 600; }
.basalt-warn { color: var(--basalt-warning); font-weight: 600; }
.basalt-origin { font-size: .7rem; padding: 0 6px; border-radius: 8px; border: 1px solid var(--basalt-secondary); }
.basalt-origin-yaml { border-color: var(--basalt-primary); color: var(--basalt-primary); }
.basalt-type { font-size: .72rem; opacity: .6; }
.basalt-group { width: 100%; border-left: 3px solid var(--basalt-panel); padding-left: 12px; gap: 4px; }
.basalt-item { width: 100%; background: var(--basalt-panel); padding: 8px 12px; border-radius: 6px; }
.basalt-card-selected { outline: 2px solid var(--basalt-primary); }
.basalt-unknown { font-family: monospace; background: var(--basalt-panel); padding: 2px 6px; border-radius: 4px;
                  border-left: 3px solid var(--basalt-warning); }
.basalt-diff { font-family: monospace; font-size: .8rem; white-space: pre; overflow: auto; max-height: 60vh;
               background: var(--basalt-background); padding: 8px; border-radius: 4px; margin: 0; }
.basalt-diff .add { color: var(--basalt-success); } .basalt-diff .del { color: var(--basalt-error); }
.basalt-diff .hunk { color: var(--basalt-secondary); }
.basalt-banner { width: 100%; padding: 8px 12px; border-radius: 6px; border-left: 4px solid var(--basalt-warning);
                 background: var(--basalt-panel); }
.basalt-header > * { flex-shrink: 0; }
.basalt-header .basalt-filter { flex: 0 1 14rem; min-width: 7rem; }
.basalt-header .basalt-demo-picker { width: 15rem; }
.basalt-header [data-action="reload-state"] { flex-shrink: 1; min-width: 0; }
@media (max-width: 1279px) {
  .basalt-header .basalt-title { display: none; }
  .basalt-header .basalt-demo-picker { width: 12rem; }
  .basalt-header .basalt-narrow-icon .q-btn__content > .block { font-size: 0; }
  .basalt-header .basalt-narrow-icon .q-btn__content > .q-icon { margin-right: 0; }
}
.basalt-field:is([data-kind="date"], [data-kind="int"], [data-kind="float"]) > .q-field { max-width: 14rem; }
.basalt-field[data-kind="enum"] > .q-field, .basalt-field[data-kind="bool"] > .q-field { max-width: 20rem; }
.basalt-form-host { container-type: inline-size; }
@container (min-width: 800px) {
  .nicegui-column.basalt-form { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr));
                                column-gap: 32px; align-items: start; }
  .basalt-form > * { grid-column: 1 / -1; }
  .basalt-form > .basalt-field:is([data-kind="date"], [data-kind="int"], [data-kind="float"],
                                  [data-kind="enum"], [data-kind="bool"]) { grid-column: auto; }
}
.basalt-run-log .q-scrollarea__content { white-space: pre-wrap; overflow-wrap: anywhere; }
.basalt-resize-handle { position: fixed; left: -3px; top: 0; bottom: 0; width: 7px; cursor: col-resize; z-index: 10; }
.basalt-resize-handle:hover { background: var(--basalt-primary); opacity: .5; }
.basalt-resize-guide { position: fixed; top: 0; bottom: 0; width: 2px; background: var(--basalt-primary);
                       z-index: 9000; pointer-events: none; }
.basalt-palette-row:hover { background: var(--basalt-panel); }
.basalt-palette-selected { background: var(--basalt-panel); outline: 1px solid var(--basalt-primary); }
.basalt-kbd { font-family: monospace; font-size: .78rem; padding: 1px 6px; border-radius: 4px;
              border: 1px solid var(--basalt-secondary); background: var(--basalt-panel); white-space: nowrap; }
.basalt-nav-active { background: var(--basalt-panel); border-left: 3px solid var(--basalt-primary); }
"""

# Set both the editor's variables and Quasar's brand colours (on <body>, where Quasar puts them).
_APPLY_JS = """
(vars, brand) => {
  for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
  for (const [k, v] of Object.entries(brand)) document.body.style.setProperty('--q-' + k, v);
}
"""


def _brand(spec: ThemeSpec) -> dict[str, str]:
    return {
        "primary": spec.primary,
        "secondary": spec.secondary,
        "accent": spec.accent,
        "positive": spec.success,
        "negative": spec.error,
        "warning": spec.warning,
        "info": spec.secondary,
        "dark": spec.surface,
        "dark-page": spec.background,
    }


class ThemeControl:
    """The themes of one tab: the current one, switching, light/dark."""

    def __init__(self, requested: str | None = None) -> None:
        try:
            self.themes = load_themes()
        except ThemeError as exc:
            log.warning("themes: %s; using built-in colours", exc)
            self.themes = {}
        if requested and requested in self.themes:
            self.name = requested
        else:
            self.name = initial_theme_name(self.themes)
        if self.name not in self.themes and self.themes:
            self.name = sorted(self.themes)[0]
        self.dark_mode: ui.dark_mode | None = None

    @property
    def spec(self) -> ThemeSpec | None:
        return self.themes.get(self.name)

    def install(self) -> None:
        """Put the current theme on the page being built (before any element shows)."""
        spec = self.spec
        css = EDITOR_CSS
        if spec is not None:
            variables = ";".join(f"{k}:{v}" for k, v in to_css_variables(spec).items())
            css = f":root{{{variables}}}\n{css}"
            brand = _brand(spec)
            ui.colors(**{k.replace("-", "_"): v for k, v in brand.items()})
        ui.add_css(css)
        self.dark_mode = ui.dark_mode(spec.dark if spec is not None else True)

    def options(self) -> dict[str, str]:
        return {
            name: f"{name} ({'dark' if spec.dark else 'light'})"
            for name, spec in sorted(self.themes.items())
        }

    def switch(self, name: str) -> None:
        """Apply theme ``name`` now and remember it for the next start (both editors)."""
        spec = self.themes.get(name)
        if spec is None:
            return
        self.name = name
        ui.run_javascript(
            f"({_APPLY_JS})({json.dumps(to_css_variables(spec))}, {json.dumps(_brand(spec))})"
        )
        if self.dark_mode is not None:
            self.dark_mode.set_value(spec.dark)
        try:
            remember_theme(name)
        except OSError as exc:
            log.warning("cannot remember the theme: %s", exc)

    def opposite(self) -> str | None:
        """A theme of the other brightness (for the light/dark toggle)."""
        spec = self.spec
        want_dark = not spec.dark if spec is not None else False
        candidates = sorted(n for n, s in self.themes.items() if s.dark == want_dark)
        preferred = [n for n in candidates if "contrast" not in n]
        found = preferred or candidates
        return found[0] if found else None
