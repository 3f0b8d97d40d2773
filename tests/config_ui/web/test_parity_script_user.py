"""Parity: one script of edits replayed in the terminal editor (Textual's Pilot) and in the web
editor (NiceGUI's simulated user), each through its own widgets and handlers. After every step
both hold the same YAML text and show the same errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from config_ui.tui import build_app
from config_ui.tui import messages as msg
from config_ui.tui.ids import field_id
from tests.e2e.support import copy_demos

pytestmark = [pytest.mark.anyio, pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py")]

DEMO = "05_multi_pass"


class Terminal:
    """The terminal editor driven through its widgets and its screen's handlers."""

    def __init__(self, app: Any, pilot: Any) -> None:
        self.app, self.pilot = app, pilot

    @property
    def screen(self) -> Any:
        return self.app.editor

    @property
    def session(self) -> Any:
        return self.app.session

    async def settle(self) -> None:
        for _ in range(3):
            await self.pilot.pause()

    async def type(self, path: str, text: str) -> None:
        assert await self.screen.goto(path)
        await self.settle()
        field = self.screen.query_one(f"#{field_id(path)}", Input)
        field.focus()
        field.value = text
        await self.pilot.press("enter")
        await self.settle()

    async def set(self, path: str, value: Any) -> None:
        await self.screen.on_value_entered(msg.ValueEntered(path, value))

    async def reset(self, path: str) -> None:
        await self.screen.on_reset_requested(msg.ResetRequested(path))

    async def unset(self, path: str) -> None:
        await self.screen.action_unset_field(path)

    async def variant(self, path: str, variant: str) -> None:
        await self.screen.on_variant_chosen(msg.VariantChosen(path, variant))

    async def add(self, path: str) -> None:
        await self.screen.on_item_added(msg.ItemAdded(path))

    async def duplicate(self, path: str, index: int) -> None:
        await self.screen.on_item_duplicated(msg.ItemDuplicated(path, index))

    async def move(self, path: str, index: int, to: int) -> None:
        await self.screen.on_item_moved(msg.ItemMoved(path, index, to))

    async def remove(self, path: str, index: int) -> None:
        await self.screen.on_item_removed(msg.ItemRemoved(path, index))

    async def add_entry(self, path: str, key: str, value: Any) -> None:
        await self.screen.on_entry_added(msg.EntryAdded(path, key, value))

    async def remove_entry(self, path: str, key: str) -> None:
        await self.screen.on_entry_removed(msg.EntryRemoved(path, key))

    async def undo(self) -> None:
        await self.pilot.press("ctrl+z")
        await self.settle()

    async def redo(self) -> None:
        await self.pilot.press("ctrl+y")
        await self.settle()

    async def save(self) -> None:
        await self.pilot.press("ctrl+s")
        await self.settle()

    def typed_errors(self) -> list[str]:
        return sorted({*self.session.draft_messages, *self.screen.rejected})


class Web:
    """The web editor driven through its fields and its controller's actions."""

    def __init__(self, tab: Any) -> None:
        self.tab, self.user = tab, tab.user

    @property
    def ctrl(self) -> Any:
        return self.tab.ctrl

    @property
    def session(self) -> Any:
        return self.ctrl.session

    def node(self, path: str) -> Any:
        return self.session.node_for(path)

    async def type(self, path: str, text: str) -> None:
        with self.user:
            assert self.ctrl.goto(path)
        self.tab.type(path, text)
        await self.tab.settle()

    async def _do(self, action: Callable[[], Any]) -> None:
        with self.user:
            action()
        await self.tab.settle()

    async def set(self, path: str, value: Any) -> None:
        await self._do(lambda: self.ctrl.set_value(self.node(path), value))

    async def reset(self, path: str) -> None:
        await self._do(lambda: self.ctrl.reset(self.node(path)))

    async def unset(self, path: str) -> None:
        await self.set(path, None)

    async def variant(self, path: str, variant: str) -> None:
        await self._do(lambda: self.ctrl.switch_variant(self.node(path), variant))

    async def add(self, path: str) -> None:
        await self._do(lambda: self.ctrl.add_item(self.node(path)))

    async def duplicate(self, path: str, index: int) -> None:
        await self._do(lambda: self.ctrl.duplicate_item(self.node(path), index))

    async def move(self, path: str, index: int, to: int) -> None:
        await self._do(lambda: self.ctrl.move_item(self.node(path), index, to))

    async def remove(self, path: str, index: int) -> None:
        await self._do(lambda: self.ctrl.remove_item(self.node(path), index))

    async def add_entry(self, path: str, key: str, value: Any) -> None:
        await self._do(lambda: self.ctrl.set_entry(self.node(path), key, value))

    async def remove_entry(self, path: str, key: str) -> None:
        await self.reset(f"{path}.{key}")  # a row's remove button is its reset

    async def undo(self) -> None:
        self.tab.click("undo")
        await self.tab.settle()

    async def redo(self) -> None:
        self.tab.click("redo")
        await self.tab.settle()

    async def save(self) -> None:
        self.tab.click("save")
        await self.user.should_see(marker="dialog:save")
        self.tab.click("confirm-save")
        await self.tab.settle()

    def typed_errors(self) -> list[str]:
        return sorted({*self.session.draft_messages, *self.ctrl.input_errors})


Editor = Terminal | Web
Step = tuple[str, Callable[[Editor], Awaitable[None]]]

SCRIPT: list[Step] = [
    ("type a name", lambda e: e.type("DATASETNAME", "parity")),
    ("type an invalid name", lambda e: e.type("DATASETNAME", "bad name!")),
    ("type text that does not parse", lambda e: e.type("PASSES.0.time_bucket_seconds", "soon")),
    ("fix the number", lambda e: e.type("PASSES.0.time_bucket_seconds", "120")),
    ("fix the name", lambda e: e.type("DATASETNAME", "parity_ok")),
    ("remove the script's dict row", lambda e: e.remove_entry("PASSES.1.module_inputs", "reag")),
    ("pick a logging level", lambda e: e.set("LOGGING_LEVEL", "WARNING")),
    ("reset the logging level", lambda e: e.reset("LOGGING_LEVEL")),
    ("pick a batch frequency", lambda e: e.set("BATCH_FREQ", "W")),
    ("unset the batch frequency", lambda e: e.unset("BATCH_FREQ")),
    ("add a pass", lambda e: e.add("PASSES")),
    ("duplicate the first pass", lambda e: e.duplicate("PASSES", 0)),
    ("move the last pass up", lambda e: e.move("PASSES", 3, 2)),
    ("remove a pass", lambda e: e.remove("PASSES", 2)),
    ("add module l2", lambda e: e.set("PASSES.0.modules", ["trade", "l2"])),
    ("remove module l2", lambda e: e.set("PASSES.0.modules", ["trade"])),
    ("switch the output to csv", lambda e: e.variant("OUTPUT_TARGET", "csv")),
    ("switch the output back", lambda e: e.variant("OUTPUT_TARGET", "parquet")),
    ("give a pass its own output", lambda e: e.variant("PASSES.0.output", "csv")),
    ("unset the pass output", lambda e: e.unset("PASSES.0.output")),
    ("add a schedule", lambda e: e.add("SCHEDULES")),
    ("add another schedule", lambda e: e.add("SCHEDULES")),
    ("move a schedule", lambda e: e.move("SCHEDULES", 1, 0)),
    ("remove a schedule", lambda e: e.remove("SCHEDULES", 0)),
    ("add a module input", lambda e: e.add_entry("PASSES.2.module_inputs", "reaggregate", "x")),
    ("remove the module input", lambda e: e.remove_entry("PASSES.2.module_inputs", "reaggregate")),
    ("undo", lambda e: e.undo()),
    ("undo again", lambda e: e.undo()),
    ("redo", lambda e: e.redo()),
    ("dates the wrong way round", lambda e: e.type("END_DATE", "2025-01-01")),
    ("reset the end date", lambda e: e.reset("END_DATE")),
    ("save", lambda e: e.save()),
    ("type after saving", lambda e: e.type("DATASETNAME", "after_save")),
    ("undo after saving", lambda e: e.undo()),
    ("save again", lambda e: e.save()),
]


def with_script_dict(script: Path) -> None:
    """Give the demo's second pass a key/value row that comes from the script."""
    text = script.read_text()
    anchor = '"modules": ["reaggregate"],'
    assert anchor in text
    script.write_text(
        text.replace(anchor, anchor + '\n            "module_inputs": {"reag": "bars_5m"},')
    )


def state(editor: Editor) -> tuple[str, list[tuple[str, str]], list[str]]:
    session = editor.session
    return session.document.text, session.visible_errors(), editor.typed_errors()


@pytest.mark.web_demo(DEMO)
async def test_one_script_gives_the_same_yaml_and_errors_in_both_editors(
    user, tab, web_project, tmp_path: Path
) -> None:
    with_script_dict(web_project.demo)
    copy_demos(tmp_path / "tui")
    terminal_script = tmp_path / "tui" / "demo" / f"{DEMO}.py"
    with_script_dict(terminal_script)
    assert len(SCRIPT) >= 30
    await user.open("/")
    web = Web(tab)
    app = build_app(terminal_script, watch=False, diff_before_save=False)
    async with app.run_test(size=(160, 50)) as pilot:
        terminal = Terminal(app, pilot)
        await terminal.settle()
        assert state(terminal) == state(web)
        for name, step in SCRIPT:
            await step(terminal)
            await step(web)
            await asyncio.sleep(0)
            tui_text, tui_errors, tui_typed = state(terminal)
            web_text, web_errors, web_typed = state(web)
            assert tui_text == web_text, f"YAML differs after step {name!r}"
            assert tui_errors == web_errors, f"errors differ after step {name!r}"
            assert tui_typed == web_typed, f"typed errors differ after step {name!r}"
            if name.startswith("save"):
                assert not terminal.session.dirty and not web.session.dirty, name
                saved = terminal_script.with_suffix(".yaml").read_bytes()
                assert saved == web_project.yaml.read_bytes(), name
        assert "reag:" not in terminal.session.document.text  # the script's row stays removed
        assert "BATCH_FREQ" not in terminal.session.document.text
