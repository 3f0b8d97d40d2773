"""Removing the only pass asks first (core's question); Cancel keeps it, Remove removes it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.anyio, pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py")]


async def test_removing_the_only_pass_asks_then_removes(user, tab) -> None:
    await user.open("/")
    ctrl = tab.ctrl
    assert len(ctrl.session.value("PASSES")) == 1
    tab.click("remove:PASSES.0")
    await user.should_see(marker="dialog:confirm")
    await user.should_see("It is the only one")
    assert len(ctrl.session.value("PASSES")) == 1  # nothing removed while asking
    tab.click("confirm")
    assert ctrl.session.value("PASSES") == [] and ctrl.session.dirty
    tab.click("undo")
    assert len(ctrl.session.value("PASSES")) == 1


async def test_cancel_keeps_the_only_pass(user, tab) -> None:
    await user.open("/")
    ctrl = tab.ctrl
    tab.click("remove:PASSES.0")
    await user.should_see(marker="dialog:confirm")
    tab.click("cancel")
    with user:
        (dialog,) = [e for e in user.current_layout.descendants() if type(e).__name__ == "Dialog"]
        assert dialog.value is False
    assert len(ctrl.session.value("PASSES")) == 1 and not ctrl.session.dirty


async def test_removing_one_of_several_passes_does_not_ask(user, tab) -> None:
    await user.open("/")
    ctrl = tab.ctrl
    tab.click("add:PASSES")
    assert len(ctrl.session.value("PASSES")) == 2
    tab.click("remove:PASSES.1")
    assert len(ctrl.session.value("PASSES")) == 1
    await user.should_not_see(marker="dialog:confirm")  # never asked
