"""``basalt dagster dev`` without starting Dagster: the user mistakes it reports (one line,
exit 2, nothing started) and how it publishes its states."""

from __future__ import annotations

import socket

from basalt.cli import main
from basalt.dagster.dev import StatusPublisher, prepare_dagster_home
from basalt.dagster.live_reload import ReloadEvent
from basalt.dagster.reload_status import read_status
from tests.dagster.support import REPO


def test_a_busy_port_is_a_one_line_error(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(
            ["dagster", "dev", "--port", str(port), "--workspace", str(REPO / "workspace.yaml")]
        )
    err = capsys.readouterr().err
    assert code == 2
    assert f"error: port {port} on 127.0.0.1 is already in use" in err
    assert "Traceback" not in err
    assert read_status() is None  # nothing started, nothing published


def test_a_missing_workspace_or_demo_folder_is_named(tmp_path, capsys):
    assert main(["dagster", "dev", "--workspace", str(tmp_path / "nope.yaml")]) == 2
    assert f"workspace file {tmp_path / 'nope.yaml'} does not exist" in capsys.readouterr().err
    args = ["--workspace", str(REPO / "workspace.yaml"), "--demo-dir", str(tmp_path / "none")]
    assert main(["dagster", "dev", *args]) == 2
    assert f"demo folder {tmp_path / 'none'} does not exist" in capsys.readouterr().err


def test_dagster_home_gets_the_instance_settings_once(tmp_path):
    home = prepare_dagster_home({"DAGSTER_HOME": str(tmp_path / "dh")}, REPO / "workspace.yaml")
    assert home == (tmp_path / "dh").resolve()
    assert (home / "dagster.yaml").read_text() == (REPO / "dagster.yaml").read_text()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n# mine\n")
    prepare_dagster_home({"DAGSTER_HOME": str(home)}, REPO / "workspace.yaml")
    assert (home / "dagster.yaml").read_text().endswith("# mine\n")  # an existing one is kept


def test_the_publisher_writes_each_state_and_nothing_after_stopped():
    publisher = StatusPublisher("127.0.0.1", 4321)
    publisher.dagster_pid = 999
    publisher(ReloadEvent("reloaded", ("01_ohlcv_bars",), None, 2.5))
    status = read_status(port=4321)
    assert (status.state, status.demo, status.seconds, status.dagster_pid) == (
        "reloaded",
        "01_ohlcv_bars",
        2.5,
        999,
    )
    assert status.describe() == "Dagster: reloaded in 2.5 s (01_ohlcv_bars)"
    publisher(ReloadEvent("refused", ("01_ohlcv_bars", "02_x"), "a.yaml:3:1: X: bad"))
    status = read_status(port=4321)
    assert (status.state, status.demo, status.reason) == (
        "refused",
        "01_ohlcv_bars, 02_x",
        "a.yaml:3:1: X: bad",
    )
    publisher.publish("stopped")
    publisher.close()
    publisher(ReloadEvent("failed", (), "connection refused"))  # a reload ending late
    assert read_status(port=4321).state == "stopped"
    assert read_status(port=1) is None
