"""The web editor in real headless Chromium: edit, validate, diff, save; two tabs on one file;
the token gate; refused paths. The ``web_pages`` fixture fails a test on JavaScript console errors."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

DEMO = "demo/01_ohlcv_bars.py"
YAML = "demo/01_ohlcv_bars.yaml"


def field(page, path: str):
    return page.locator(f'[data-path="{path}"] input').first


def error_of(page, path: str):
    return page.locator(f'[data-error-for="{path}"]')


def wait_interactive(page) -> None:
    field(page, "DATASETNAME").wait_for(state="visible", timeout=15000)
    page.wait_for_function("() => window.did_handshake === true", timeout=15000)


def save_through_dialog(page) -> str:
    page.bring_to_front()  # a background tab's animations are throttled
    page.locator('[data-action="save"]').click()
    dialog = page.locator('[data-dialog="save"]')
    dialog.wait_for(state="visible")
    diff = dialog.locator(".basalt-diff").inner_text()
    page.locator('[data-action="confirm-save"]').click()
    dialog.wait_for(state="hidden")
    return diff


def wait_for_file(path: Path, predicate, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    text = path.read_text()
    while time.monotonic() < deadline and not predicate(text):
        time.sleep(0.05)
        text = path.read_text()
    return text


def test_edit_error_then_save_changes_exactly_that_line(
    web_servers, web_pages, web_root: Path
) -> None:
    server = web_servers()
    before = (web_root / YAML).read_text()
    page = web_pages.new()
    page.goto(server.url())
    wait_interactive(page)

    end = field(page, "END_DATE")
    end.fill("2025-13-01")
    error_of(page, "END_DATE").wait_for(state="visible")
    assert "not a date" in error_of(page, "END_DATE").inner_text()
    end.fill("2025-01-06")
    error_of(page, "END_DATE").wait_for(state="hidden")
    end.press("Tab")  # leaving the field applies the value
    page.locator('[data-state="dirty"]', has_text="unsaved").wait_for()
    assert (web_root / YAML).read_text() == before  # nothing written before the save

    diff = save_through_dialog(page)
    assert "+  END_DATE: 2025-01-06" in diff
    after = wait_for_file(web_root / YAML, lambda t: t != before)
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [("  END_DATE: 2025-01-03", "  END_DATE: 2025-01-06")]
    page.locator('[data-state="dirty"]', has_text="saved").wait_for()


def test_goto_focuses_the_field_and_leaving_unsaved_asks(web_servers, web_pages) -> None:
    server = web_servers()
    page = web_pages.new()
    page.goto(server.url("/?goto=PASSES.0.time_bucket_seconds"))
    wait_interactive(page)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest("
        "'[data-path=\"PASSES.0.time_bucket_seconds\"]')"
    )
    field(page, "DATASETNAME").fill("renamed")
    field(page, "DATASETNAME").press("Enter")
    page.locator('[data-state="dirty"]', has_text="unsaved").wait_for()
    page.wait_for_function("() => window.basaltDirty === true")
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # stay on the page
    assert not page.is_closed()


def test_two_tabs_second_save_detects_the_first(web_servers, web_pages, web_root: Path) -> None:
    server = web_servers()
    first, second = web_pages.new(), web_pages.new()
    for page in (first, second):
        page.goto(server.url())
        wait_interactive(page)

    second.bring_to_front()
    field(second, "UNIVERSE").fill("mic=XPAR")
    field(second, "UNIVERSE").press("Enter")
    second.locator('[data-state="dirty"]', has_text="unsaved").wait_for()

    first.bring_to_front()
    field(first, "DATASETNAME").fill("from_first_tab")
    field(first, "DATASETNAME").press("Enter")
    save_through_dialog(first)
    on_disk = wait_for_file(web_root / YAML, lambda t: "from_first_tab" in t)

    # The second tab learns of it: at once through its file watcher, at the latest when it saves.
    second.bring_to_front()
    conflict = second.locator('[data-dialog="conflict"]')
    try:
        conflict.wait_for(state="visible", timeout=3000)
    except Exception:
        save_through_dialog(second)
        conflict.wait_for(state="visible")
    assert "changed on disk" in conflict.inner_text()
    assert (web_root / YAML).read_text() == on_disk  # nothing overwritten
    assert "mic=XPAR" not in on_disk

    second.locator('[data-action="take-theirs"]').click()
    conflict.wait_for(state="hidden")
    second.wait_for_function(
        "() => document.querySelector('[data-path=\"DATASETNAME\"] input').value === 'from_first_tab'"
    )
    assert (web_root / YAML).read_text() == on_disk


def test_save_conflict_keep_mine_overwrites_only_when_asked(
    web_servers, web_pages, web_root: Path
) -> None:
    server = web_servers()
    page = web_pages.new()
    page.goto(server.url())
    wait_interactive(page)
    field(page, "UNIVERSE").fill("mic=XPAR")
    field(page, "UNIVERSE").press("Enter")
    page.locator('[data-state="dirty"]', has_text="unsaved").wait_for()
    yaml = web_root / YAML
    yaml.write_text(yaml.read_text().replace("ohlcv_bars", "edited_elsewhere"))
    conflict = page.locator('[data-dialog="conflict"]')
    conflict.wait_for(state="visible", timeout=5000)
    assert "edited_elsewhere" in yaml.read_text()
    page.locator('[data-action="keep-mine"]').click()
    text = wait_for_file(yaml, lambda t: "mic=XPAR" in t)
    assert "edited_elsewhere" not in text


def test_token_required_on_a_non_loopback_host(web_servers, web_pages) -> None:
    server = web_servers(host="0.0.0.0", token="e2e-token-1234-abcd")
    assert server.address == f"http://127.0.0.1:{server.port}/?token=e2e-token-1234-abcd"
    web_pages.expect_console_errors("403")  # the refused page itself

    refused = web_pages.new()
    response = refused.goto(server.url(token=False))
    assert response is not None and response.status == 403
    assert "Access token required" in refused.content()

    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(server.url("/?token=wrong", token=False), timeout=5)
    assert raised.value.code == 403

    page = web_pages.new()
    response = page.goto(server.url())
    assert response is not None and response.status == 200
    wait_interactive(page)  # assets and the websocket pass with the cookie the token set
    field(page, "END_DATE").fill("nonsense")
    error_of(page, "END_DATE").wait_for(state="visible")
    # later requests need no token in the URL
    page.goto(server.url("/?demo=demo/02_spreads_depth.py", token=False))
    wait_interactive(page)


def test_paths_outside_the_demos_are_refused(web_servers, web_pages, web_root: Path) -> None:
    (web_root / "demo" / "09_escape.py").symlink_to("/etc/hostname")
    os.symlink("/etc", web_root / "demo" / "10_dir")
    server = web_servers()
    web_pages.expect_console_errors("403")
    page = web_pages.new()
    for request, reason in (
        ("../../etc/passwd", "'..' is not allowed"),
        ("demo/../pyproject.toml", "'..' is not allowed"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("demo/09_escape.py", "is a symbolic link"),
        ("demo/10_dir/hostname", "not a demo"),
        ("README.md", "not a demo"),
    ):
        response = page.goto(server.url(f"/?demo={request}"))
        assert response is not None and response.status == 403, request
        assert reason in page.inner_text("main"), request
    assert "Traceback" not in server.log()


def test_a_config_with_errors_is_saved_only_when_told(
    web_servers, web_pages, web_root: Path
) -> None:
    server = web_servers()
    before = (web_root / YAML).read_text()
    page = web_pages.new()
    page.goto(server.url())
    wait_interactive(page)

    end = field(page, "END_DATE")
    end.fill("2024-12-02")
    end.press("Tab")
    page.locator('[data-state="dirty"]', has_text="unsaved").wait_for()
    page.locator('[data-action="save"]').click()
    dialog = page.locator('[data-dialog="save"]')
    dialog.wait_for(state="visible")
    assert "END_DATE 2024-12-02 is before START_DATE" in dialog.inner_text()
    header = page.locator('[data-action="next-error"]').inner_text()
    assert "1 error" in header  # the header counts what the dialog lists
    assert dialog.locator('[data-action="confirm-save"]').count() == 0
    page.keyboard.press("Enter")  # nothing is saved by a key
    page.locator('[data-action="goto-first-error"]').click()  # the primary button
    dialog.wait_for(state="hidden")
    assert (web_root / YAML).read_text() == before

    page.locator('[data-action="save"]').click()
    dialog.wait_for(state="visible")
    override = page.locator('[data-action="save-with-errors"]')
    assert override.inner_text().strip().lower() == "save with 1 error"
    override.click()
    dialog.wait_for(state="hidden")
    after = wait_for_file(web_root / YAML, lambda t: t != before)
    assert "2024-12-02" in after
