"""The health screen (F6) from the run ledger, the Dagster reload state beside the status
line, and "Run in Dagster" when no webserver answers."""

from __future__ import annotations

import datetime as dt
import socket
import sys
import time
import types
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable

import config_ui.__main__ as cli
from basalt.dagster.reload_status import ReloadStatus, write_status
from config_ui.core.local_run import LocalRun, RunRequest
from config_ui.tui import build_app
from config_ui.tui.health_screen import HealthScreen
from config_ui.tui.run_screen import RunScreen
from config_ui.tui.widgets.coverage_grid import CELLS, CoverageGrid
from config_ui.tui.widgets.dagster_panel import DagsterPanel
from config_ui.tui.widgets.reload_status_line import ReloadStatusLine

SIZE = (140, 45)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BASALT_DATA_DIR", str(tmp_path_factory.getbasetemp() / "health-store"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def until(pilot, condition, timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not met within {timeout} s")
        await pilot.pause(0.1)


async def test_health_shows_an_earlier_run_and_its_coverage(ohlcv, tmp_path):
    request = RunRequest(
        ohlcv,
        universe="mic=XLON",
        start_date=dt.date(2025, 1, 2),
        end_date=dt.date(2025, 1, 2),
        output_dir=tmp_path / "out",
    )
    run = LocalRun(request).start()
    result = run.wait(60)
    assert result is not None and result.status == "success", run.lines

    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, HealthScreen), what="the screen")
        screen = app.screen
        await until(pilot, lambda: screen.health is not None, what="the ledger")
        runs = screen.query_one("#runs", DataTable)
        assert runs.row_count == 1
        row = runs.get_row_at(0)
        assert row[1:6] == ["tui", "01_ohlcv_bars", "mic=XLON", "2025-01-02", "success"]
        assert row[7] == f"{sum(o.rows for o in result.outputs):,}"

        await until(pilot, lambda: bool(screen.query(CoverageGrid)), what="the grid")
        grid = screen.query_one(CoverageGrid)
        assert grid.state("mic=XLON", dt.date(2025, 1, 2)) == "done"
        assert grid.state("mic=XLON", dt.date(2025, 1, 3)) == "missing"
        lines = str(grid.render()).splitlines()
        assert lines[0].startswith("01_ohlcv_bars: 1 of ")
        xlon = next(line for line in lines if line.startswith("mic=XLON"))
        done, missing = CELLS["done"][0], CELLS["missing"][0]
        assert xlon.split()[1:3] == [done, missing]
        assert screen.query_one("#checks", DataTable).row_count == 0

        # r reloads: a second run shows up without leaving the screen.
        again = LocalRun(request).start()
        assert again.wait(60).status == "success"
        await pilot.press("r")
        await until(pilot, lambda: runs.row_count == 2, what="the refresh")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.editor, what="the editor")


async def test_status_line_shows_the_dagster_reload_state(ohlcv):
    port = free_port()
    app = build_app(ohlcv, watch=False, dagster_port=port)
    async with app.run_test(size=SIZE) as pilot:
        line = app.editor.query_one(ReloadStatusLine)
        await pilot.pause(0.2)
        assert not line.display  # nothing written yet

        write_status(ReloadStatus("reloaded", port=port, demo="01_ohlcv_bars", seconds=2.4))
        expected = "Dagster: reloaded in 2.4 s (01_ohlcv_bars)"
        await until(pilot, lambda: line.text == expected, what="the reloaded state")
        assert line.display and not line.has_class("-error")
        assert str(line.render()) == expected

        reason = "demo/01_ohlcv_bars.yaml:12:3: PASSES.0.time_bucket_seconds: must be > 0"
        write_status(ReloadStatus("refused", port=port, demo="01_ohlcv_bars", reason=reason))
        await until(pilot, lambda: line.state == "refused", what="the refused state")
        assert line.text == f"Dagster: refused (01_ohlcv_bars): {reason}"
        assert line.has_class("-error")

        # Another port's dagster dev is not ours: the line hides.
        write_status(ReloadStatus("reloaded", port=port + 1, seconds=1.0))
        await until(pilot, lambda: not line.display, what="the line to hide")


async def test_run_in_dagster_without_a_webserver_offers_to_start_one(ohlcv):
    port = free_port()
    app = build_app(ohlcv, watch=False, dagster_port=port)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, RunScreen), what="the run screen")
        screen = app.screen
        await pilot.pause()
        panel = screen.query_one(DagsterPanel)
        start = screen.query_one("#start-dagster", Button)
        assert not panel.display and not start.display
        await pilot.click("#run-dagster")
        await until(pilot, lambda: panel.phase == "unavailable", what="the answer")
        assert panel.status.startswith(f"No Dagster webserver at http://127.0.0.1:{port}")
        assert str(screen.query_one("#dagster-status").render()) == panel.status
        assert panel.display and start.display and not start.disabled
        assert screen.run is None  # nothing ran locally
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Run…" in titles and "Health" in titles

        # F6 and F5 switch between the two; the run screen is the same one, status and all.
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, HealthScreen), what="the health screen")
        await pilot.press("f5")
        await until(pilot, lambda: app.screen is screen, what="the run screen again")
        assert panel.phase == "unavailable"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.editor, what="the editor")
        assert len(app.screen_stack) == 1


def test_dagster_options_reach_the_terminal_editor(multi_pass, monkeypatch):
    calls = []

    class FakeApp:
        return_code = 0

        def run(self) -> None:
            pass

    def fake_build_app(path: Path, **kwargs):
        calls.append(kwargs)
        return FakeApp()

    fake = types.ModuleType("config_ui.tui")
    fake.build_app = fake_build_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "config_ui.tui", fake)
    assert cli.main([str(multi_pass), "--dagster-host", "localhost", "--dagster-port", "3999"]) == 0
    assert calls[0]["dagster_host"] == "localhost"
    assert calls[0]["dagster_port"] == 3999
    assert cli.main([str(multi_pass)]) == 0
    assert (calls[1]["dagster_host"], calls[1]["dagster_port"]) == ("127.0.0.1", 3000)
