"""Dialogs: the diff before saving, a conflict with the file on disk, discarding edits."""

from __future__ import annotations

import html
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from nicegui import ui

from config_ui.core.diff_lines import diff_line_kind
from config_ui.core.save_plan import plan_save
from config_ui.web.notices import notify
from config_ui.web.views import set_attr

if TYPE_CHECKING:
    from config_ui.web.controller import EditorController


# CSS class of each kind of diff line (the theme colours add, del and hunk).
DIFF_CLASSES = {"header": "hunk", "hunk": "hunk", "add": "add", "del": "del", "same": ""}


def diff_html(diff: str) -> str:
    """A unified diff as escaped, coloured lines."""
    rows = [
        f'<span class="{DIFF_CLASSES[diff_line_kind(line)]}">{html.escape(line)}</span>'
        for line in diff.splitlines()
    ]
    return '<pre class="basalt-diff">' + "\n".join(rows) + "</pre>"


def _action(button: ui.button, action: str) -> ui.button:
    set_attr(button, "data-action", action)
    return button.mark(action)


def save_dialog(ctrl: EditorController, *, overwrite: bool = False) -> None:
    """Show what a save would write and the config's errors (core's :func:`plan_save`). A
    config with errors is saved only by the explicit "Save with N errors" button; the primary
    button goes to the first error."""
    plan = plan_save(ctrl.session, ctrl.input_errors)
    ctrl.recount()  # the header now counts every error, as the dialog does
    if plan.refused:
        notify(plan.refused, type="warning" if ctrl.read_only else None)
        return
    with ui.dialog() as dialog, ui.card().classes("min-w-[40rem] max-w-[90vw]") as card:
        set_attr(card, "data-dialog", "save")
        card.mark("dialog:save")
        ui.label(plan.title).classes("text-lg basalt-label").mark("save-title")
        if plan.errors:
            with ui.column().classes("w-full gap-0") as listing:
                listing.mark("save-errors")
                set_attr(listing, "data-count", str(plan.error_count))
                for error in plan.errors:
                    ui.label(f"✖ {error.path or '<root>'}: {error.message}").classes(
                        "basalt-error"
                    ).mark("save-error")
        ui.html(diff_html(plan.diff), sanitize=False).classes("w-full")

        def run(action: Callable[[], None]) -> Callable[[], None]:
            def go() -> None:
                dialog.close()
                action()

            return go

        with ui.row().classes("w-full justify-end gap-2"):
            _action(ui.button("Cancel", on_click=dialog.close).props("flat"), "cancel-save")
            if plan.errors:
                first = plan.first_error or ""
                override = ui.button(
                    plan.override_label,
                    on_click=run(lambda: ctrl.save(overwrite=overwrite, allow_errors=True)),
                )
                _action(override.props("outline color=negative"), "save-with-errors")
                goto = ui.button(
                    "Go to first error",
                    icon="error_outline",
                    on_click=run(lambda: ctrl.goto(first)),
                )
                _action(goto, "goto-first-error")
            else:
                save = ui.button(
                    "Save", icon="save", on_click=run(lambda: ctrl.save(overwrite=overwrite))
                )
                _action(save, "confirm-save")
    dialog.on("hide", dialog.delete)
    dialog.open()


def diff_dialog(ctrl: EditorController) -> None:
    """The unsaved changes, without saving."""
    with ui.dialog() as dialog, ui.card().classes("min-w-[40rem] max-w-[90vw]") as card:
        set_attr(card, "data-dialog", "diff")
        card.mark("dialog:diff")
        ui.label(f"Unsaved changes to {ctrl.pair.yaml.name}").classes("text-lg basalt-label")
        diff = ctrl.session.diff()
        if diff:
            ui.html(diff_html(diff), sanitize=False).classes("w-full")
        else:
            ui.label("No unsaved changes.")
        with ui.row().classes("w-full justify-end"):
            _action(ui.button("Close", on_click=dialog.close).props("flat"), "close-diff")
    dialog.on("hide", dialog.delete)
    dialog.open()


def conflict_dialog(
    ctrl: EditorController, diff: str, theirs: str | None, reason: str = "disk"
) -> None:
    """The file changed on disk while this tab has unsaved edits: the user chooses. Take
    theirs takes exactly ``theirs`` (the text on disk the diff was made from)."""
    name = ctrl.pair.yaml.name
    with (
        ui.dialog().props("persistent") as dialog,
        ui.card().classes("min-w-[40rem] max-w-[90vw]") as card,
    ):
        set_attr(card, "data-dialog", "conflict")
        card.mark("dialog:conflict")
        ui.label(f"{name} changed on disk").classes("text-lg basalt-label").mark("conflict-title")
        if reason == "save":
            ui.label(
                "Someone else (another tab, editor or program) wrote the file after you opened it. "
                "Nothing was saved."
            )
        else:
            ui.label("Someone else wrote the file while you have unsaved edits here.")
        ui.label("The file on disk (-) compared with your version (+):").classes("basalt-muted")
        ui.html(
            diff_html(diff) if diff else "<p>(their text could not be compared)</p>", sanitize=False
        ).mark("conflict-diff")

        def choose(handler: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                dialog.close()
                ctrl.conflict_open = False
                handler()

            return run

        with ui.row().classes("w-full justify-end gap-2"):
            _action(
                ui.button("Decide later", on_click=choose(lambda: None)).props("flat"),
                "decide-later",
            )
            _action(
                ui.button(
                    "Take theirs (discard my edits)",
                    on_click=choose(lambda: ctrl.take_theirs(theirs)),
                ).props("outline"),
                "take-theirs",
            )
            _action(
                ui.button("Keep mine (overwrite the file)", on_click=choose(ctrl.keep_mine)),
                "keep-mine",
            )
    dialog.on("hide", dialog.delete)
    ctrl.conflict_open = True
    dialog.open()


def confirm_dialog(
    title: str,
    message: str,
    confirm: str,
    on_confirm: Callable[[], None],
    on_cancel: Callable[[], None] | None = None,
) -> None:
    with ui.dialog() as dialog, ui.card() as card:
        set_attr(card, "data-dialog", "confirm")
        card.mark("dialog:confirm")
        ui.label(title).classes("text-lg basalt-label")
        ui.label(message)
        confirmed = False

        def run() -> None:
            nonlocal confirmed
            confirmed = True
            dialog.close()
            on_confirm()

        def closed() -> None:
            if not confirmed and on_cancel is not None:
                on_cancel()
            dialog.delete()

        with ui.row().classes("w-full justify-end gap-2"):
            _action(ui.button("Cancel", on_click=dialog.close).props("flat"), "cancel")
            _action(ui.button(confirm, on_click=run).props("color=negative"), "confirm")
    dialog.on("hide", closed)
    dialog.open()


def unsaved_run_dialog(
    ctrl: EditorController,
    on_save_and_run: Callable[[], Any],
    on_run_unsaved: Callable[[], Any] | None,
    where: str = "locally",
) -> None:
    """The config has unsaved edits and the user asked for a run: save first, run the
    edits as they are (local runs only: ``on_run_unsaved``), or go back."""
    name = ctrl.pair.yaml.name
    with ui.dialog() as dialog, ui.card().classes("min-w-[32rem] max-w-[90vw]") as card:
        set_attr(card, "data-dialog", "run-unsaved")
        card.mark("dialog:run-unsaved")
        ui.label(f"{name} has unsaved edits").classes("text-lg basalt-label")
        if on_run_unsaved is not None:
            ui.label(
                f"Save them and run {where}, or run the edits as they are without saving "
                f"{name} (the run ledger keeps the text that ran)."
            )
        else:
            ui.label(f"Dagster runs the saved {name}: save the edits to run them {where}.")

        def choose(handler: Callable[[], Any]) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                dialog.close()
                result = handler()
                if inspect.isawaitable(result):
                    await result

            return run

        with ui.row().classes("w-full justify-end gap-2"):
            _action(ui.button("Back", on_click=dialog.close).props("flat"), "run-back")
            if on_run_unsaved is not None:
                _action(
                    ui.button("Run unsaved edits", on_click=choose(on_run_unsaved)).props(
                        "outline"
                    ),
                    "run-unsaved",
                )
            save = _action(
                ui.button("Save and run", icon="save", on_click=choose(on_save_and_run)),
                "run-save",
            )
            if ctrl.read_only:
                save.disable()
    dialog.on("hide", dialog.delete)
    dialog.open()
