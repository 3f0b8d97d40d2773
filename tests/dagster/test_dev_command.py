"""``basalt dagster dev`` without starting Dagster: the user mistakes it reports (one line,
exit 2, nothing started) and how it publishes its states."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

from basalt.cli import main
from basalt.dagster.demos import default_demo_dir
from basalt.dagster.dev import StatusPublisher, dagster_dev_command, prepare_dagster_home
from basalt.dagster.folders import (
    CHECKOUT,
    DEMO_DIR_ENV,
    FROM_CHECKOUT,
    FROM_CWD,
    FROM_ENV,
    FROM_FLAG,
    Chosen,
    choose_demo_dir,
    choose_workspace,
)
from basalt.dagster.live_reload import ReloadEvent
from basalt.dagster.reload_status import read_status
from tests.dagster.support import REPO, copy_demo


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


def project_copy(root: Path) -> Path:
    """A folder like another checkout: ``demo/`` with one demo and a ``workspace.yaml``."""
    copy_demo("01_ohlcv_bars", root / "demo")
    shutil.copy(REPO / "workspace.yaml", root / "workspace.yaml")
    return root


def test_the_working_directorys_demo_folder_and_workspace_are_used_and_named(
    tmp_path, monkeypatch, capsys
):
    project_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    with socket.socket() as busy:  # stops the command before it starts Dagster
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["dagster", "dev", "--port", str(busy.getsockname()[1])]) == 2
    err = capsys.readouterr().err
    assert f"demos: {tmp_path / 'demo'} (working directory)" in err
    assert f"workspace: {tmp_path / 'workspace.yaml'} (working directory)" in err


def test_the_demo_folder_rule(tmp_path):
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    assert choose_demo_dir(env={}, cwd=empty) == Chosen(CHECKOUT / "demo", FROM_CHECKOUT)
    assert choose_workspace(cwd=empty) == Chosen(CHECKOUT / "workspace.yaml", FROM_CHECKOUT)
    project_copy(tmp_path)
    assert choose_demo_dir(env={}, cwd=tmp_path) == Chosen(tmp_path / "demo", FROM_CWD)
    assert choose_workspace(cwd=tmp_path) == Chosen(tmp_path / "workspace.yaml", FROM_CWD)
    env = {DEMO_DIR_ENV: "mine"}
    assert choose_demo_dir(env=env, cwd=tmp_path) == Chosen(tmp_path / "mine", FROM_ENV)
    assert choose_demo_dir("/x/demos", env, tmp_path) == Chosen(Path("/x/demos"), FROM_FLAG)


def test_default_demo_dir_follows_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv(DEMO_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_demo_dir() == CHECKOUT / "demo"
    project_copy(tmp_path)
    assert default_demo_dir() == tmp_path / "demo"


def test_dg_dev_is_what_starts(tmp_path):
    command = dagster_dev_command(tmp_path / "workspace.yaml", "127.0.0.1", 3999)
    assert command == [sys.executable, "-m", "dagster_dg_cli.cli", "dev"] + [
        "-w",
        str(tmp_path / "workspace.yaml"),
        "-h",
        "127.0.0.1",
        "-p",
        "3999",
    ]
