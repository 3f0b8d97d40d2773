"""The Run panel, the health view and the Dagster reload state through NiceGUI's simulated
user: unsaved edits ask first, an invalid config is refused with its first error, Run in
Dagster says when nothing answers, the header follows the reload status file, and the
health view lists a run made beforehand. Local runs here are real demo runs."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from pathlib import Path

import pytest
from nicegui import app, ui

from basalt.dagster.reload_status import ReloadStatus, write_status
from basalt.ledger import Ledger
from config_ui.core.local_run import LocalRun, RunRequest

pytestmark = [pytest.mark.anyio, pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


NOBODY_LISTENS = free_port()


@pytest.fixture(autouse=True)
def output_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Runs write under the test's tmp dir (the run subprocess inherits the variable)."""
    path = tmp_path / "output"
    monkeypatch.setenv("BASALT_OUTPUT_DIR", str(path))
    return path


def panel_of(user):  # noqa: ANN001, ANN201 (the tab's RunPanel)
    with user:
        return app.storage.client["run_panel"]


async def until(predicate, timeout: float = 60.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


def closed(user) -> None:  # noqa: ANN001
    """Every dialog is closed; let them go as the browser's ``hide`` event would."""
    with user:
        dialogs = user.find(kind=ui.dialog).elements
        assert dialogs and not any(d.value for d in dialogs)
    user.find(kind=ui.dialog).trigger("hide")


async def finished(panel, timeout: float = 60.0) -> str:  # noqa: ANN001
    await until(lambda: panel.status not in ("idle", "running", "cancelling"), timeout)
    return panel.status


async def test_unsaved_edits_ask_first_then_run_as_they_are(user, tab, web_project) -> None:
    await user.open("/")
    tab.type("DATASETNAME", "edited_bars")
    before = web_project.yaml.read_text()
    panel = panel_of(user)
    tab.click("open-run")
    tab.click("run-local")
    await user.should_see(marker="dialog:run-unsaved")
    await user.should_see("Run unsaved edits")
    tab.click("run-back")
    closed(user)
    assert panel.local is None

    tab.click("run-local")
    await user.should_see(marker="dialog:run-unsaved")
    tab.click("run-unsaved")
    await until(lambda: panel.local is not None)
    assert panel.local.request.unsaved_yaml == tab.ctrl.session.document.text
    assert panel.local.request.trigger == "web"
    assert await finished(panel) == "success", panel.local.lines
    assert web_project.yaml.read_text() == before  # nothing saved
    run = Ledger().run(panel.local.run_id)
    assert run["trigger"] == "web" and run["status"] == "success"
    assert Path(run["config_file"]).parent.name == "unsaved"
    assert all("edited_bars" in str(o.path) for o in panel.local.result.outputs)


async def test_save_and_run_saves_first(user, tab, web_project) -> None:
    await user.open("/")
    tab.type("DATASETNAME", "saved_bars")
    panel = panel_of(user)
    tab.click("open-run")
    tab.click("run-local")
    await user.should_see(marker="dialog:run-unsaved")
    tab.click("run-save")
    await until(lambda: panel.local is not None)
    assert "DATASETNAME: saved_bars" in web_project.yaml.read_text()
    assert not tab.ctrl.session.dirty
    assert panel.local.request.unsaved_yaml is None
    assert await finished(panel) == "success", panel.local.lines
    assert panel.outputs is not None  # the preview of the first output
    await until(lambda: panel.outputs.preview is not None, 15)
    assert panel.outputs.preview.chart.kind == "candlestick"


async def test_invalid_config_is_refused_with_its_first_error(user, tab) -> None:
    await user.open("/")
    tab.type("START_DATE", "2025-02-01")  # END_DATE (2025-01-03) is now before it
    tab.type("DATASETNAME", "bad name!")
    panel = panel_of(user)
    tab.click("open-run")
    for action in ("run-local", "run-dagster"):
        tab.click(action)
        await user.should_see("Not run: the config has an error at DATASETNAME")
        assert "DATASETNAME" in panel.refused and panel.refused_path == "DATASETNAME"
        await user.should_not_see(marker="dialog:run-unsaved")  # refused before asking
        assert panel.local is None
    tab.type("DATASETNAME", "fine")
    tab.click("run-local")
    await user.should_see("Not run: the config has an error at END_DATE")
    tab.click("run-refused-goto")
    assert tab.ctrl.focused == "END_DATE"


async def test_bad_run_dates_are_refused(user, tab) -> None:
    await user.open("/")
    panel = panel_of(user)
    tab.click("open-run")
    panel.form.end = "2025-01-40"
    tab.click("run-local")
    await user.should_see("Not run: End date: '2025-01-40' is not a date (YYYY-MM-DD)")
    panel.form.end = "2024-12-31"
    tab.click("run-local")
    await user.should_see("Not run: End date 2024-12-31 is before the start date 2025-01-02")
    assert panel.local is None


@pytest.mark.web_demo("01_ohlcv_bars", dagster_port=NOBODY_LISTENS)
async def test_run_in_dagster_says_when_no_webserver_answers(user, tab) -> None:
    await user.open("/")
    panel = panel_of(user)
    tab.click("open-run")
    tab.click("run-dagster")
    # The answer comes from the state's worker thread, drawn by the view's timer.
    await user.should_see(f"No Dagster webserver at http://127.0.0.1:{NOBODY_LISTENS}", retries=50)
    assert panel.dagster.message.props["data-dagster-state"] == "unavailable"
    assert panel.dagster.start_button.visible
    assert panel.dagster.launch is None


async def test_header_follows_the_dagster_reload_status(user, web_project) -> None:
    write_status(ReloadStatus("reloaded", port=3000, demo="01_ohlcv_bars", seconds=2.4))
    await user.open("/")
    with user:
        (label,) = user.find(marker="reload-state").elements
    assert label.text == "Dagster: reloaded in 2.4 s (01_ohlcv_bars)"
    assert label.props["data-reload-state"] == "reloaded" and label.visible
    assert "basalt-error" not in label.classes

    write_status(
        ReloadStatus("refused", port=3000, demo="01_ohlcv_bars", reason="demo/01.yaml:3: bad")
    )
    await until(lambda: label.props["data-reload-state"] == "refused", 5)
    assert label.text == "Dagster: refused (01_ohlcv_bars): demo/01.yaml:3: bad"
    assert "basalt-error" in label.classes

    write_status(ReloadStatus("idle", port=3999))  # another port's Dagster: not ours
    await until(lambda: label.props["data-reload-state"] == "none", 5)
    assert not label.visible


async def test_health_view_lists_a_run_made_beforehand(user, tab, web_project) -> None:
    made = LocalRun(
        RunRequest(
            web_project.demo,
            "mic=XLON",
            dt.date(2025, 1, 2),
            dt.date(2025, 1, 2),
            trigger="web",
        )
    ).start()
    result = await asyncio.get_running_loop().run_in_executor(None, made.wait, 60)
    assert result is not None and result.status == "success", made.lines
    await user.open("/")
    tab.click("open-health")
    await user.should_see(marker="health-runs", retries=100)
    with user:
        (table,) = user.find(marker="health-runs").elements
    (row,) = table.rows
    assert row["id"] == made.run_id
    assert (row["trigger"], row["demo"], row["universe"], row["status"]) == (
        "web",
        "01_ohlcv_bars",
        "mic=XLON",
        "success",
    )
    assert row["dates"] == "2025-01-02" and row["rows"] == f"{result.outputs[0].rows:,}"
    await user.should_see("01_ohlcv_bars: 1 of")
    await user.should_see("No failed checks.")
    with user:
        (summary,) = user.find(marker="coverage:01_ohlcv_bars").elements
    assert summary.text.startswith("01_ohlcv_bars: 1 of")
    tab.click("health-refresh")
    await user.should_see(marker="health-runs", retries=100)


async def test_the_run_follows_the_form_s_dates(user, tab, monkeypatch) -> None:
    """The Run panel shows END_DATE as the form has it (unsaved), and a run started after
    another edit uses that edit."""
    from config_ui.core.run_state import LocalRunState

    requests: list[RunRequest] = []

    def start(self, request: RunRequest) -> LocalRun:  # noqa: ANN001
        requests.append(request)
        raise OSError("not started in this test")

    monkeypatch.setattr(LocalRunState, "start", start)
    await user.open("/")
    panel = panel_of(user)
    tab.type("END_DATE", "2025-01-06")
    tab.click("open-run")
    assert panel.form.end == "2025-01-06"

    tab.type("END_DATE", "2025-01-07")  # the panel is open already
    assert panel.form.end == "2025-01-06"
    tab.click("run-local")
    await user.should_see(marker="dialog:run-unsaved")
    tab.click("run-unsaved")
    await until(lambda: bool(requests), 10)
    assert requests[0].end_date == dt.date(2025, 1, 7)
    assert panel.form.end == "2025-01-07"
