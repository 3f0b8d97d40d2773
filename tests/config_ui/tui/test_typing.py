"""Typing at full speed loses no keystroke; text that does not parse stays as a draft."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from textual import events

from config_ui.tui import build_app

SIZE = (140, 45)


def field(app, path: str):
    return app.editor.query_one(f"#f-{path.replace('.', '-')}")


async def focus(app, pilot, path: str):
    assert await app.editor.goto(path)
    await pilot.pause()
    return field(app, path)


def burst(app, keys: list[str]) -> None:
    """Every key queued at once, as a terminal delivers a paste or ``tmux send-keys -l``."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


TEXT = "".join(random.Random(1).choice("abcdefghij") for _ in range(200))
NUMBER = "7" + "".join(random.Random(2).choice("0123456789") for _ in range(199))
LIST = "10, " + ", ".join(str(1 + i % 9) for i in range(66))  # 200 characters


LEVELS = "PASSES.0.l2_analytics.volume_imbalance_levels"


@pytest.mark.parametrize(
    ("path", "text", "stored", "clear"),
    [
        ("DATASETNAME", TEXT, TEXT, "ctrl+u"),
        ("PASSES.0.time_bucket_seconds", NUMBER, int(NUMBER), "select_all"),
        ("END_DATE", "2025-01-07", dt.date(2025, 1, 7), "ctrl+u"),
        (LEVELS, LIST, [int(i) for i in LIST.split(",")], "select_all"),
    ],
)
async def test_no_keystroke_is_lost(multi_pass, wait_for, path, text, stored, clear):
    app = build_app(multi_pass, watch=False)
    if path == LEVELS:  # shown once the pass uses the l2 module
        app.session.set("PASSES.0.modules", [*app.session.value("PASSES.0.modules"), "l2"])
    async with app.run_test(size=SIZE) as pilot:
        widget = await focus(app, pilot, path)
        if clear == "ctrl+u":
            await pilot.press("home", "ctrl+k")
        else:
            widget.select_all()
            await pilot.press("delete")
        assert widget.value == ""
        await pilot.pause(0.1)  # the cleared field's value is applied meanwhile
        chars = list(text) if len(text) >= 200 else list(text * 20)[:200]
        if path == "END_DATE":  # 200 keys: typed, erased, typed again
            chars = [*("2025-01-0" * 10), *["backspace"] * 90, *text]
        await pilot.press(*chars)
        assert widget.value == text
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.session.value(path) == stored)
        assert widget.value == text


async def test_no_keystroke_is_lost_in_a_burst(ohlcv, wait_for):
    """A field cleared, then 200 keys queued at once while the clear is being applied."""
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        widget = await focus(app, pilot, "UNIVERSE")
        await pilot.press("ctrl+u")
        await pilot.pause(0.08)
        text = "mic=XLON+index=SYN20" * 10
        burst(app, list(text))
        await wait_for(pilot, lambda: widget.value == text)
        await pilot.pause(0.3)
        assert widget.value == text
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.session.value("UNIVERSE") == text)


def error_line(app, path: str) -> str:
    return str(app.editor.query_one(f"#e-{path.replace('.', '-')}").render())


async def test_an_error_of_the_config_shows_as_you_type(multi_pass, wait_for):
    """A value that parses but breaks a rule shows its error on the keystroke, before it is
    applied; the document takes it after the pause."""
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        widget = await focus(app, pilot, "END_DATE")
        await pilot.press("end", *["backspace"] * 10, *"2000-01-01")
        assert widget.value == "2000-01-01"
        assert "is before START_DATE" in error_line(app, "END_DATE")
        assert app.session.value("END_DATE") != dt.date(2000, 1, 1)  # not applied yet
        await wait_for(pilot, lambda: app.session.value("END_DATE") == dt.date(2000, 1, 1))
        assert "is before START_DATE" in error_line(app, "END_DATE")
        await pilot.press(*["backspace"] * 10, *"2025-01-07")
        assert error_line(app, "END_DATE") == ""
        await wait_for(pilot, lambda: app.session.value("END_DATE") == dt.date(2025, 1, 7))
        assert error_line(app, "END_DATE") == ""


async def test_a_draft_survives_a_page_change(multi_pass, wait_for):
    """Text that does not parse stays, with its error, counted, and F8 finds it after the
    user goes to another page and back."""
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        widget = await focus(app, pilot, "END_DATE")
        await pilot.press("end", *["backspace"] * 10, *"2025-13-01")
        assert "not a date" in error_line(app, "END_DATE")
        await app.editor.open_page(("section", "Outputs"))
        await pilot.pause()
        assert not app.editor.query(f"#f-{'END_DATE'}")
        assert "1 error" in str(app.editor.query_one("StatusLine").render())
        await app.editor.open_page(("home",))
        await pilot.pause()
        widget = field(app, "END_DATE")
        assert widget.value == "2025-13-01"
        assert "'2025-13-01' is not a date" in error_line(app, "END_DATE")
        assert "1 error" in str(app.editor.query_one("StatusLine").render())
        await app.editor.open_page(("section", "Outputs"))
        await pilot.pause()
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.editor.focused_path() == "END_DATE")
        assert field(app, "END_DATE").value == "2025-13-01"
        assert app.session.value("END_DATE") == dt.date(2025, 1, 2)  # never written
