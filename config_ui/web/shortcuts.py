"""Keyboard shortcuts: one document-level ``keydown`` listener that stops the browser's own
action (its save-page, its per-field undo) and forwards the chosen action to Python.

Undo and redo are the editor's (the session's), also inside a text field: text typed but not
yet applied is applied first, so undo takes back exactly that typing and the field and the
diff agree. ``?`` lists the shortcuts when no text field has focus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nicegui import ui

from config_ui.web import dialogs
from config_ui.web.views import set_attr

if TYPE_CHECKING:
    from config_ui.web.controller import EditorController

EVENT = "basalt_shortcut"

# (keys, what they do): the list the ``?`` dialog shows.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+K", "Command palette: go to a field, section or pass; run; theme"),
    ("Ctrl+S", "Show the changes, then save (Ctrl+S again saves)"),
    ("Ctrl+Z", "Undo the last edit (also inside a field)"),
    ("Ctrl+Shift+Z, Ctrl+Y", "Redo"),
    ("Enter, Tab", "Apply the value typed in a field"),
    ("Escape", "Close a dialog"),
    ("?", "This list (when no text field has focus)"),
)

# Capture phase: the editor decides before Quasar's widgets and before the browser.
LISTENER_JS = """
<script>
(() => {
  const typing = (el) => !!el && (el.isContentEditable ||
    (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button'].includes(el.type)) ||
    el.tagName === 'TEXTAREA' || el.tagName === 'SELECT');
  const actionOf = (e) => {
    const key = (e.key || '').toLowerCase();
    const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
    if (mod && key === 's') return 'save';
    if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (mod && key === 'y' && !e.shiftKey) return 'redo';
    if (mod && key === 'k') return 'palette';
    if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) return 'help';
    return null;
  };
  document.addEventListener('keydown', (e) => {
    const action = actionOf(e);
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.repeat) return;
    const confirm = document.querySelector('.q-dialog [data-action="confirm-save"]');
    if (action === 'save' && confirm) { confirm.click(); return; }
    if (document.querySelector('.q-dialog')) return;
    const active = document.activeElement;
    const field = typing(active) ? active.closest('[data-path]') : null;
    emitEvent('EVENT_NAME', {
      action: action,
      path: field ? field.dataset.path : null,
      text: field ? active.value : null,
    });
  }, true);
})();
</script>
""".replace("EVENT_NAME", EVENT)


def install(ctrl: EditorController, palette: Callable[[], None] | None = None) -> None:
    """Listen for the shortcuts on the page being built; ``ctrl`` carries them out and
    ``palette`` opens the command palette."""
    ui.add_head_html(LISTENER_JS)
    ui.on(EVENT, lambda e: handle(ctrl, e.args or {}, palette))


def handle(
    ctrl: EditorController, args: dict[str, Any], palette: Callable[[], None] | None = None
) -> None:
    """Carry out one shortcut: ``args`` holds ``action`` and the focused field's ``path`` and
    ``text`` (None when no field of the form has focus)."""
    actions: dict[str, Callable[[], None]] = {
        "save": lambda: dialogs.save_dialog(ctrl),
        "undo": ctrl.undo,
        "redo": ctrl.redo,
        "help": shortcuts_dialog,
    }
    if palette is not None:
        actions["palette"] = palette
    action = actions.get(str(args.get("action")))
    if action is None:
        return
    path, text = args.get("path"), args.get("text")
    if isinstance(path, str) and isinstance(text, str):
        ctrl.apply_typed(path, text)
    action()


def shortcuts_dialog() -> None:
    """The keyboard shortcuts, one per row."""
    with ui.dialog() as dialog, ui.card().classes("min-w-[28rem]") as card:
        set_attr(card, "data-dialog", "shortcuts")
        card.mark("dialog:shortcuts")
        ui.label("Keyboard shortcuts").classes("text-lg basalt-label")
        with ui.grid(columns="auto 1fr").classes("gap-x-6 gap-y-1 items-center"):
            for keys, what in SHORTCUTS:
                ui.html(
                    " ".join(f'<kbd class="basalt-kbd">{k}</kbd>' for k in keys.split(", ")),
                    sanitize=False,
                )
                ui.label(what)
        with ui.row().classes("w-full justify-end"):
            close = ui.button("Close", on_click=dialog.close).props("flat")
            set_attr(close, "data-action", "close-shortcuts")
    dialog.on("hide", dialog.delete)
    dialog.open()
