"""The web editor's keyboard shortcuts in headless Chromium: Ctrl+S shows the changes then
saves, Ctrl+Z and Ctrl+Shift+Z are the editor's undo and redo (also inside a field, where the
browser's own undo would leave the field and the diff out of step), ``?`` lists the keys."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_web_editor import field, wait_for_file, wait_interactive

YAML = "demo/01_ohlcv_bars.yaml"


def open_editor(web_servers, web_pages):
    server = web_servers()
    page = web_pages.new()
    page.goto(server.url())
    wait_interactive(page)
    return page


def dirty(page, text: str) -> None:
    page.locator('[data-state="dirty"]', has_text=text).wait_for()


def value_is(page, path: str, value: str) -> None:
    """Wait until the field at ``path`` shows ``value`` (updates arrive over the socket)."""
    page.wait_for_function(
        '([path, value]) => document.querySelector(`[data-path="${path}"] input`).value === value',
        arg=[path, value],
        timeout=5000,
    )


def diff_text(page) -> str:
    """What the Diff dialog shows (opened and closed again)."""
    page.locator('[data-action="diff"]').click()
    dialog = page.locator('[data-dialog="diff"]')
    dialog.wait_for(state="visible")
    text = dialog.inner_text()
    page.locator('[data-action="close-diff"]').click()
    dialog.wait_for(state="hidden")
    return text


def test_ctrl_s_shows_the_diff_then_a_second_ctrl_s_saves(
    web_servers, web_pages, web_root: Path
) -> None:
    page = open_editor(web_servers, web_pages)
    before = (web_root / YAML).read_text()
    name = field(page, "DATASETNAME")
    name.fill("keyboard_set")
    name.press("Control+s")  # still typing: the typed text is applied first
    dialog = page.locator('[data-dialog="save"]')
    dialog.wait_for(state="visible")
    assert "+  DATASETNAME: keyboard_set" in dialog.locator(".basalt-diff").inner_text()
    assert (web_root / YAML).read_text() == before  # the first Ctrl+S only shows
    page.keyboard.press("Control+s")
    dialog.wait_for(state="hidden")
    after = wait_for_file(web_root / YAML, lambda t: t != before)
    assert "DATASETNAME: keyboard_set" in after
    dirty(page, "saved")


def test_ctrl_z_in_a_field_undoes_the_typing_and_ctrl_shift_z_redoes_it(
    web_servers, web_pages
) -> None:
    page = open_editor(web_servers, web_pages)
    name = field(page, "DATASETNAME")
    original = name.input_value()
    name.fill("typed_here")
    name.press("Control+z")  # the editor's undo, not the browser's
    dirty(page, "saved")
    value_is(page, "DATASETNAME", original)
    assert "No unsaved changes" in diff_text(page)

    name.focus()
    name.press("Control+Shift+z")
    dirty(page, "unsaved")
    value_is(page, "DATASETNAME", "typed_here")
    assert "+  DATASETNAME: typed_here" in diff_text(page)


def test_ctrl_z_outside_fields_undoes_the_last_applied_edit(web_servers, web_pages) -> None:
    page = open_editor(web_servers, web_pages)
    end = field(page, "END_DATE")
    original = end.input_value()
    end.fill("2025-01-06")
    end.press("Tab")
    dirty(page, "unsaved")
    page.locator('[data-section-title="Core"]').click()  # nothing focused that takes text
    page.keyboard.press("Control+z")
    dirty(page, "saved")
    value_is(page, "END_DATE", original)
    page.keyboard.press("Control+y")
    dirty(page, "unsaved")
    value_is(page, "END_DATE", "2025-01-06")


def test_question_mark_lists_the_shortcuts_only_outside_text_fields(web_servers, web_pages) -> None:
    page = open_editor(web_servers, web_pages)
    name = field(page, "DATASETNAME")
    name.focus()
    page.keyboard.press("End")
    page.keyboard.type("?")
    assert name.input_value().endswith("?")  # typed into the field, no dialog
    assert page.locator('[data-dialog="shortcuts"]').count() == 0

    page.locator('[data-section-title="Core"]').click()
    page.keyboard.type("?")
    dialog = page.locator('[data-dialog="shortcuts"]')
    dialog.wait_for(state="visible")
    text = dialog.inner_text()
    for keys in ("Ctrl+S", "Ctrl+Z", "Ctrl+Shift+Z"):
        assert keys in text
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")


def palette(page):
    page.keyboard.press("Control+k")
    dialog = page.locator('[data-dialog="palette"]')
    dialog.wait_for(state="visible")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('[data-dialog=\"palette\"]')"
    )
    return dialog


def test_ctrl_k_goes_to_a_section_a_field_and_runs_commands(web_servers, web_pages) -> None:
    page = open_editor(web_servers, web_pages)
    page.locator('[data-section-title="Core"]').click()
    dialog = palette(page)
    page.keyboard.type("outp")
    first = dialog.locator("[data-palette-kind]").first
    page.wait_for_function(
        "() => document.querySelector('[data-palette-kind]')?.dataset.paletteTitle === 'Outputs'"
    )
    assert first.get_attribute("data-palette-kind") == "section"
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    page.locator('[data-section-title="Outputs"]').wait_for()

    dialog = palette(page)
    page.keyboard.type("end date")
    page.wait_for_function(
        "() => document.querySelector('[data-palette-kind]')?.dataset.paletteKind === 'field'"
    )
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    page.wait_for_function(
        "() => document.activeElement?.closest('[data-path]')?.dataset.path === 'END_DATE'"
    )

    page.locator('[data-section-title="Core"]').click()
    dialog = palette(page)
    page.keyboard.type("shortcuts")
    page.wait_for_function(
        "() => document.querySelector('[data-palette-kind]')?.dataset.paletteTitle"
        " === 'Keyboard shortcuts'"
    )
    page.keyboard.press("ArrowDown")  # one entry: the selection stays on it
    page.keyboard.press("Enter")
    page.locator('[data-dialog="shortcuts"]').wait_for(state="visible")
