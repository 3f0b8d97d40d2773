"""Typing in the web editor: errors as you type, and drafts kept across sections."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py"),
    pytest.mark.web_demo("05_multi_pass"),
]


async def test_an_error_of_the_config_shows_as_you_type(user, tab) -> None:
    """A value that parses but breaks a rule shows its error before it is applied."""
    await user.open("/")
    tab.type("END_DATE", "2000-01-01", commit=False)
    assert "is before START_DATE" in tab.error("END_DATE")
    assert tab.ctrl.session.value("END_DATE") == dt.date(2025, 1, 2)  # not applied
    assert not tab.ctrl.session.dirty
    tab.type("END_DATE", "2025-01-07", commit=False)
    await user.should_not_see(marker="error:END_DATE")
    tab.type("END_DATE", "2000-01-01")
    assert tab.ctrl.session.value("END_DATE") == dt.date(2000, 1, 1)
    assert "is before START_DATE" in tab.error("END_DATE")


async def test_a_draft_survives_a_section_change(user, tab) -> None:
    """Text that does not parse stays, with its error, counted, and next-error finds it
    after the user goes to another section and back."""
    await user.open("/")
    ctrl = tab.ctrl
    tab.type("END_DATE", "2025-13-01", commit=False)
    assert "not a date" in tab.error("END_DATE")
    assert ctrl.error_text == "1 error"
    tab.click("section:Outputs")
    assert ctrl.section == "Outputs"
    assert "END_DATE" not in ctrl.views
    assert ctrl.error_text == "1 error"
    tab.click("section:Core")
    with user:
        assert ctrl.views["END_DATE"].input.value == "2025-13-01"
    assert "'2025-13-01' is not a date" in tab.error("END_DATE")
    assert ctrl.error_text == "1 error"
    tab.click("section:Outputs")
    tab.click("next-error")
    assert ctrl.section == "Core"
    assert ctrl.last_error == "END_DATE"
    with user:
        assert ctrl.views["END_DATE"].input.value == "2025-13-01"
    assert "'2025-13-01' is not a date" in tab.error("END_DATE")
    assert ctrl.session.value("END_DATE") == dt.date(2025, 1, 2)  # never written
