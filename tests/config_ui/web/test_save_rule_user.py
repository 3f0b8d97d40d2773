"""What you save is what runs: the save dialog lists the errors, its primary button does not
save them, "Save with N errors" does; a file broken on disk shows a banner, fixing it
reloads; take theirs takes exactly the text on disk."""

from __future__ import annotations

import asyncio
import re

import pytest

pytestmark = [pytest.mark.anyio, pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py")]

WAIT = 40  # retries of 0.1 s for what the file watcher reports


def broken(text: str) -> str:
    return text.replace("UNIVERSE: mic=XLON", "UNIVERSE: [mic=XLON")


async def test_save_lists_the_errors_and_saves_them_only_when_told(user, tab, web_project):
    original = web_project.yaml.read_text()
    await user.open("/")
    tab.type("END_DATE", "2024-12-01")
    tab.click("save")
    await user.should_see(marker="dialog:save")
    await user.should_see("END_DATE: END_DATE 2024-12-01 is before START_DATE 2025-01-02")
    with user:
        (listing,) = user.find(marker="save-errors").elements
        listed = len(user.find(marker="save-error").elements)
        (override,) = user.find(marker="save-with-errors").elements
    assert listing.props["data-count"] == "1" and listed == 1
    assert tab.ctrl.error_text == "1 error"  # the header counts what the dialog lists
    assert override.text == "Save with 1 error"
    assert "outline" in override.props  # not the primary button
    await user.should_not_see(marker="confirm-save")  # no plain Save to press by default
    tab.click("goto-first-error")  # the primary button: nothing is written
    assert web_project.yaml.read_text() == original
    assert tab.ctrl.focused == "END_DATE"
    tab.click("save")
    tab.click("save-with-errors")
    assert "2024-12-01" in web_project.yaml.read_text()
    assert not tab.ctrl.session.dirty


async def test_broken_yaml_on_disk_shows_a_banner_and_fixing_it_reloads(user, tab, web_project):
    original = web_project.yaml.read_text()
    await user.open("/")
    web_project.yaml.write_text(broken(original))
    await user.should_see(marker="disk-banner", retries=WAIT)
    with user:
        (text,) = user.find(marker="disk-banner-text").elements
    assert re.search(rf"{re.escape(str(web_project.yaml))}:\d+:\d+: ", text.text)
    await user.should_see(marker="banner-keep")
    await user.should_see(marker="banner-reload-when-fixed")
    fixed = original.replace("UNIVERSE: mic=XLON", "UNIVERSE: mic=XPAR")
    web_project.yaml.write_text(fixed)
    await user.should_not_see(marker="disk-banner", retries=WAIT)
    assert tab.ctrl.session.document.text == fixed
    assert tab.ctrl.session.value("UNIVERSE") == "mic=XPAR"


async def test_reload_when_fixed_drops_the_edits(user, tab, web_project):
    original = web_project.yaml.read_text()
    await user.open("/")
    tab.type("DATASETNAME", "mine")
    web_project.yaml.write_text(broken(original))
    await user.should_see(marker="banner-reload-when-fixed", retries=WAIT)
    tab.click("banner-reload-when-fixed")
    await user.should_see("reloads when the file is fixed")
    web_project.yaml.write_text(original)
    await user.should_not_see(marker="disk-banner", retries=WAIT)
    assert tab.ctrl.session.document.text == original and not tab.ctrl.session.dirty


async def test_take_theirs_takes_exactly_the_disk_text(user, tab, web_project):
    theirs = web_project.yaml.read_text().replace("mic=XLON", "mic=XPAR") + "# their note\n"
    await user.open("/")
    tab.type("DATASETNAME", "mine")
    web_project.yaml.write_text(theirs)
    await user.should_see(marker="dialog:conflict", retries=WAIT)
    await user.should_see(marker="conflict-diff")
    tab.click("take-theirs")
    await asyncio.sleep(0.05)
    assert tab.ctrl.session.document.text == theirs and not tab.ctrl.session.dirty
