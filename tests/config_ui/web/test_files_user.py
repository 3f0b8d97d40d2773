"""Files and trust: two tabs on one file, changes on disk, YAML that does not parse, a
read-only file, refused paths, the token, and values shown as people read them."""

from __future__ import annotations

import re

import pytest
from nicegui import ui

from config_ui.web.controller import EditorController

pytestmark = [pytest.mark.anyio, pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py")]

WAIT = 40  # retries of 0.1 s for what the file watcher reports


async def test_two_tabs_each_own_session_second_save_asks(
    user, create_user, tab, tab_of, web_project
) -> None:
    second_user = create_user()
    await user.open("/")
    await second_user.open("/")
    first, second = tab, tab_of(second_user)
    assert first.ctrl is not second.ctrl and first.ctrl.session is not second.ctrl.session
    second.ctrl.stop_watching()  # this test is about the check made when saving
    second.type("UNIVERSE", "mic=XPAR")
    first.type("DATASETNAME", "from_first")
    first.click("save")
    first.click("confirm-save")
    on_disk = web_project.yaml.read_text()
    assert "from_first" in on_disk

    second.click("save")
    second.click("confirm-save")
    await second_user.should_see(marker="dialog:conflict")
    await second_user.should_see(
        "Someone else (another tab, editor or program) wrote the file after you opened it. "
        "Nothing was saved."
    )
    assert web_project.yaml.read_text() == on_disk  # not overwritten
    second.click("decide-later")
    assert web_project.yaml.read_text() == on_disk and second.ctrl.session.dirty
    second.click("save")
    second.click("confirm-save")
    second.click("keep-mine")  # only now, because the user asked
    assert "mic=XPAR" in web_project.yaml.read_text()
    assert "from_first" not in web_project.yaml.read_text()


async def test_second_tab_learns_of_the_first_save_at_once(
    user, create_user, tab, tab_of, web_project
) -> None:
    second_user = create_user()
    await user.open("/")
    await second_user.open("/")
    second = tab_of(second_user)
    second.type("UNIVERSE", "mic=XPAR")  # unsaved edits: it must ask
    tab.type("DATASETNAME", "from_first")
    tab.click("save")
    tab.click("confirm-save")
    await second_user.should_see(marker="dialog:conflict", retries=WAIT)
    second.click("take-theirs")
    assert second.ctrl.session.value("DATASETNAME") == "from_first"
    assert second.ctrl.session.value("UNIVERSE") == "mic=XLON"
    assert not second.ctrl.session.dirty


async def test_clean_tab_reloads_when_the_file_changes(user, tab, web_project) -> None:
    await user.open("/")
    text = web_project.yaml.read_text().replace(
        "DATASETNAME: ohlcv_bars", "DATASETNAME: edited_by_hand"
    )
    web_project.yaml.write_text(text)
    await user.should_see("01_ohlcv_bars.yaml changed on disk: reloaded", retries=WAIT)
    assert tab.ctrl.views["DATASETNAME"].input.value == "edited_by_hand"
    assert not tab.ctrl.session.dirty


async def test_dirty_tab_chooses_when_the_file_changes(user, tab, web_project) -> None:
    await user.open("/")
    tab.type("UNIVERSE", "mic=XPAR")
    text = web_project.yaml.read_text().replace(
        "DATASETNAME: ohlcv_bars", "DATASETNAME: edited_by_hand"
    )
    web_project.yaml.write_text(text)
    await user.should_see(marker="dialog:conflict", retries=WAIT)
    await user.should_see("Someone else wrote the file while you have unsaved edits here.")
    tab.click("keep-mine")
    saved = web_project.yaml.read_text()
    assert "mic=XPAR" in saved and "edited_by_hand" not in saved


async def test_yaml_that_does_not_parse_opens_an_error_view(user, web_project) -> None:
    good = web_project.yaml.read_text()
    web_project.yaml.write_text(good.replace("  UNIVERSE: mic=XLON", "  UNIVERSE: [mic=XLON"))
    await user.open("/")
    await user.should_see("01_ohlcv_bars.yaml is not valid YAML")
    with user:
        (message,) = user.find(marker="yaml-error").elements
    assert re.match(r"Line \d+, column \d+: ", message.text)
    assert message.props["data-error-line"].isdigit()
    await user.should_see(marker="demo:demo/05_multi_pass.py")
    web_project.yaml.write_text(good)  # fixed on disk: the editor opens by itself
    await user.should_see(marker="field:DATASETNAME", retries=WAIT)


async def test_read_only_file_opens_read_only(user, tab, web_project, monkeypatch) -> None:
    import config_ui.core.session as core_session

    monkeypatch.setattr(core_session, "_writable", lambda path: False)  # as root, chmod cannot
    await user.open("/")
    await user.should_see(marker="read-only")
    await user.should_see(
        "Read-only: 01_ohlcv_bars.yaml cannot be written. You can look, not change."
    )
    with user:
        assert not user.find(marker="save").elements.pop().enabled
        assert not user.find(marker="DATASETNAME").elements.pop().enabled
    assert not tab.ctrl.views["DATASETNAME"].reset_button.visible
    user.find(marker="DATASETNAME").type("zzz")  # a disabled input takes no typing
    assert not tab.ctrl.session.dirty
    await user.should_not_see(marker="add:PASSES")


async def test_refused_paths_get_a_refusal_page(user) -> None:
    for request, reason in (
        ("../../etc/passwd", "&#x27;..&#x27; is not allowed"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("pyproject.toml", "is not a demo of this project"),
    ):
        response = await user.http_client.get("/", params={"demo": request})
        assert response.status_code == 403
        assert reason in response.text and "Traceback" not in response.text
        assert 'href="/?demo=demo/01_ohlcv_bars.py"' in response.text


@pytest.mark.web_demo("01_ohlcv_bars", host="0.0.0.0", token="tok-1234567890abc")
async def test_token_required_off_loopback(user) -> None:
    refused = await user.http_client.get("/")
    assert refused.status_code == 403 and "Access token required" in refused.text
    assert (await user.http_client.get("/?token=nope")).status_code == 403
    await user.open("/?token=tok-1234567890abc")
    await user.should_see(marker="field:DATASETNAME")


REPR = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|datetime\.|\['|\{'|<[a-z_.]+ object at|FieldNode\(")


@pytest.mark.parametrize(
    "demo",
    [
        pytest.param(name, marks=pytest.mark.web_demo(name))
        for name in ("01_ohlcv_bars", "05_multi_pass")
    ],
)
async def test_everything_shown_reads_as_text_not_python(user, tab, demo: str) -> None:
    await user.open("/")
    ctrl: EditorController = tab.ctrl
    sections = ["Core", "Outputs", "Automation", "Performance", "Advanced"]
    checked = 0
    for section in sections:
        for index in range(len(ctrl.session.raw_passes()) if section == "Core" else 1):
            with user:
                ctrl.select_pass(index) if section == "Core" else ctrl.select_section(section)
                for element in user.current_layout.descendants():
                    texts = [getattr(element, "text", "")]
                    if isinstance(element, (ui.input, ui.select)):
                        texts.append(str(element.value) if isinstance(element, ui.input) else "")
                    if isinstance(element, ui.select):
                        options = (
                            element.options.values()
                            if isinstance(element.options, dict)
                            else element.options
                        )
                        texts += [str(o) for o in options]
                    for text in texts:
                        assert not REPR.search(text or ""), f"{section}: {text!r}"
                        checked += 1
    assert checked > 300
