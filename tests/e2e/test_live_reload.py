"""A real ``basalt dagster dev`` (started by :func:`ensure_dagster_dev`, as an editor does) on a
free port, with its own DAGSTER_HOME, BASALT_HOME, output folder and a copy of the demos:

(a) a saved schedule cron reaches Dagster through live reload, and the status says reloaded;
(b) an invalid save is refused (status with the reason) and Dagster keeps the last good
    definitions, even after another demo's save reloads the location; a save that validates
    but does not build in the code location keeps that demo's last good definitions, the
    other demos load unchanged, and the status names the demo and the error;
(c) a run launched as the editors launch it (``config_ui.core.dagster_run_state``) succeeds and
    is in the run ledger; a date range is a backfill of its partitions, which completes.

The three tests share one server (it takes 8-10 s to start here). Each restores the files it
changed and waits for that reload before it ends. At the end every process is gone.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from basalt.atomic import write_text_atomic
from basalt.dagster.dev_handle import DevHandle, ensure_dagster_dev
from basalt.dagster.graphql import (
    DagsterWebserver,
)
from basalt.dagster.reload_status import ReloadStatus, read_status
from basalt.ledger import Ledger
from config_ui.core.dagster_launch import DagsterTarget
from config_ui.core.dagster_run_state import DagsterRunState, DagsterUpdate
from config_ui.core.session import EditorSession
from tests.e2e.dagster_support import (
    LOCATION,
    PARTITION,
    RUN_TIMEOUT,
    START_TIMEOUT,
    kill_all,
    wait_gone,
)
from tests.e2e.support import REPO, copy_demos, free_port, wait_until

RELOAD_TIMEOUT = 90  # a reload takes 2-3 s here; the machine is shared
SCHEDULE = "demo01_ohlcv_bars_nightly_xlon"
OLD_CRON = "0 2 * * *"
ASSET = ["demo01_ohlcv_bars", "bars_1m"]

ASSET_KEYS = "{ assetNodes { assetKey { path } } }"
ASSET_DESCRIPTIONS = "{ assetNodes { assetKey { path } description } }"
FRAGILE = "08_fragile"
# Raises only inside `dagster dev` (its code server), while the YAML asks for it: validation in
# `basalt dagster dev` passes, as it would for a check that validation misses.
FRAGILE_TAIL = """

import os as _os
from pathlib import Path as _Path

if _os.environ.get("DAGSTER_IS_DEV_CLI") and "break-the-build" in _Path(__file__).with_suffix(
    ".yaml"
).read_text():
    raise RuntimeError("this config does not build")
"""


@dataclass
class Live:
    handle: DevHandle
    root: Path
    demo_dir: Path
    basalt_home: Path
    dagster_home: Path
    output: Path

    def client(self) -> DagsterWebserver:
        return self.handle.client(timeout=60)

    def yaml(self, stem: str) -> Path:
        return self.demo_dir / f"{stem}.yaml"

    def status_after(self, since: dt.datetime, state: str, demo: str) -> ReloadStatus:
        """Wait for the status file to say ``state`` for ``demo``, written after ``since``."""

        def probe() -> ReloadStatus | None:
            status = read_status(self.basalt_home, self.handle.port)
            fresh = status is not None and dt.datetime.fromisoformat(status.at) > since
            if fresh and status.state == state and status.demo == demo:
                return status
            return None

        return wait_until(probe, RELOAD_TIMEOUT, f"status {state} for {demo}\n{self.log()}")

    def log(self) -> str:
        return self.handle.log_tail(3000)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def cron_of(client: DagsterWebserver, name: str = SCHEDULE) -> str | None:
    return next((s["cron"] for s in client.schedules() if s["name"] == name), None)


def asset_keys(client: DagsterWebserver) -> set[str]:
    return {"/".join(n["assetKey"]["path"]) for n in client.query(ASSET_KEYS)["assetNodes"]}


def schedule_names(client: DagsterWebserver) -> set[str]:
    return {s["name"] for s in client.schedules()}


def descriptions(client: DagsterWebserver, group: str) -> list[str]:
    nodes = client.query(ASSET_DESCRIPTIONS)["assetNodes"]
    return [n["description"] or "" for n in nodes if n["assetKey"]["path"][0] == group]


def save(path: Path, text: str) -> None:
    """Save as the editors do: a temporary file renamed over the target."""
    write_text_atomic(path, text)


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("live_reload")
    demo_dir = copy_demos(root)
    basalt_home = root / "basalt_home"
    dagster_home = root / "dagster_home"
    output = root / "output"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "BASALT_HOME": str(basalt_home),
        "BASALT_DATA_DIR": str(root / "data"),
        "BASALT_OUTPUT_DIR": str(output),
        "BASALT_DEMO_DIR": str(demo_dir),
    }
    handle = ensure_dagster_dev(
        "127.0.0.1",
        free_port(),
        root / "basalt_dagster_dev.log",
        timeout=START_TIMEOUT,
        workspace=REPO / "workspace.yaml",
        demo_dir=demo_dir,
        cwd=REPO,
        env=env,
    )
    assert not handle.attached and handle.process is not None
    started = handle.status()
    assert started is not None and started.dagster_pid is not None
    groups = (handle.process.pid, started.dagster_pid)
    try:
        yield Live(handle, root, demo_dir, basalt_home, dagster_home, output)
    finally:
        handle.stop()
        leftover = wait_gone(dagster_home, *groups)
        kill_all(dagster_home, *groups)
        assert leftover == [], f"processes left running: {leftover}"
        assert handle.process.returncode == 0, handle.log_tail()
        final = read_status(basalt_home, handle.port)
        assert final is not None and final.state == "stopped"


def test_dagster_dev_starts_with_its_own_home_and_the_watched_demos(live: Live):
    status = live.handle.status()
    assert status is not None and status.state == "idle", live.log()
    assert (live.dagster_home / "dagster.yaml").read_text() == (REPO / "dagster.yaml").read_text()
    client = live.client()
    assert client.location_error(LOCATION) is None
    assert "/".join(ASSET) in asset_keys(client)
    assert cron_of(client) == OLD_CRON
    # The code location loaded the watched copy (its snapshots are in this BASALT_HOME).
    assert (live.basalt_home / "last_good" / "01_ohlcv_bars.json").is_file()


def test_a_saved_cron_reaches_dagster(live: Live):
    client = live.client()
    yaml = live.yaml("01_ohlcv_bars")
    original = yaml.read_text()
    assert cron_of(client) == OLD_CRON
    since = now()
    save(yaml, original.replace(f'cron: "{OLD_CRON}"', 'cron: "15 4 * * 1-5"'))
    try:
        wait_until(
            lambda: cron_of(client) == "15 4 * * 1-5", RELOAD_TIMEOUT, "the new cron in Dagster"
        )
        status = live.status_after(since, "reloaded", "01_ohlcv_bars")
        assert status.seconds is not None and 0 < status.seconds < RELOAD_TIMEOUT
        assert status.describe().startswith("Dagster: reloaded in ")
    finally:
        since = now()
        save(yaml, original)
        live.status_after(since, "reloaded", "01_ohlcv_bars")
    assert cron_of(client) == OLD_CRON


def test_an_invalid_save_is_refused_and_dagster_keeps_the_last_good(live: Live):
    client = live.client()
    yaml = live.yaml("01_ohlcv_bars")
    other = live.yaml("02_spreads_depth")
    original, other_original = yaml.read_text(), other.read_text()
    since = now()
    save(yaml, original.replace(f'cron: "{OLD_CRON}"', 'cron: "0 2 * *"'))
    try:
        status = live.status_after(since, "refused", "01_ohlcv_bars")
        assert f"{yaml}:15:7: SCHEDULES.0.cron: " in status.reason and "4 fields" in status.reason
        assert cron_of(client) == OLD_CRON
        assert "/".join(ASSET) in asset_keys(client)

        # Another demo's valid save reloads the whole location: demo 01 keeps its last good
        # definitions (from its snapshot; without one it would be left out).
        since = now()
        save(other, other_original + "# a comment saved by the test\n")
        live.status_after(since, "reloaded", "02_spreads_depth")
        assert client.location_error(LOCATION) is None
        assert cron_of(client) == OLD_CRON
        assert "/".join(ASSET) in asset_keys(client)
    finally:
        for path, text, stem in (
            (yaml, original, "01_ohlcv_bars"),
            (other, other_original, "02_spreads_depth"),
        ):
            since = now()
            save(path, text)
            live.status_after(since, "reloaded", stem)


def test_a_save_that_does_not_build_keeps_that_demo_last_good_and_the_others(live: Live):
    client = live.client()
    script = live.demo_dir / f"{FRAGILE}.py"
    yaml = script.with_suffix(".yaml")
    source = live.demo_dir / "02_spreads_depth"
    asset = f"demo{FRAGILE}/book_5m"

    def status_naming(state: str, loaded: bool) -> ReloadStatus:
        def probe() -> ReloadStatus | None:
            status = read_status(live.basalt_home, live.handle.port)
            if status is None or status.state != state or status.demo != FRAGILE:
                return None
            named = [e for e in status.load_errors if e.demo == FRAGILE]
            return status if bool(named) != loaded else None

        return wait_until(probe, RELOAD_TIMEOUT, f"status {state} for {FRAGILE}\n{live.log()}")

    save(yaml, source.with_suffix(".yaml").read_text())
    save(script, source.with_suffix(".py").read_text() + FRAGILE_TAIL)
    try:
        wait_until(lambda: asset in asset_keys(client), RELOAD_TIMEOUT, f"{asset} in Dagster")
        status_naming("reloaded", loaded=True)
        assert (live.basalt_home / "last_good" / f"{FRAGILE}.json").is_file()
        assets, schedules = asset_keys(client), schedule_names(client)
        assert SCHEDULE in schedules

        save(yaml, yaml.read_text() + "# break-the-build\n")  # validates; raises in Dagster
        status = status_naming("reloaded", loaded=False)
        text = status.describe()
        assert f"{FRAGILE}: running last good ({script}: importing the demo failed: " in text
        assert "RuntimeError: this config does not build)" in text
        assert client.location_error(LOCATION) is None
        assert asset_keys(client) == assets  # every demo's assets, the broken one's last good
        assert schedule_names(client) == schedules
        assert cron_of(client) == OLD_CRON
        [description] = descriptions(client, f"demo{FRAGILE}")
        assert description.startswith("⚠ Running the last good config of ")
        assert "RuntimeError: this config does not build" in description
        assert not any("⚠" in d for d in descriptions(client, ASSET[0]))
    finally:
        since = now()
        for path in (yaml, script):
            path.unlink(missing_ok=True)
        live.status_after(since, "reloaded", FRAGILE)
        wait_until(lambda: asset not in asset_keys(client), RELOAD_TIMEOUT, f"{asset} gone")


def follow(state: DagsterRunState, what: str) -> DagsterUpdate:
    """Poll ``state`` as an editor's timer does until its launch ends; the last update."""

    def finished() -> DagsterUpdate | None:
        update = state.poll()
        return update if update is not None and update.finished else None

    return wait_until(finished, RUN_TIMEOUT, what, interval=0.5)


def test_a_run_launched_from_the_editor_succeeds_and_is_in_the_ledger(live: Live):
    """The editors' launch (``config_ui.core.dagster_run_state``): one day is one partition
    run, followed to its end."""
    session = EditorSession.open(live.demo_dir / "01_ohlcv_bars.py")
    target = DagsterTarget("127.0.0.1", live.handle.port)
    assert target.available()
    day = dt.date(2025, 1, 2)
    state = DagsterRunState(target, poll_seconds=1.0)
    assert state.launch(session.script, session.config, "mic=XLON", day, day)
    last = follow(state, "the run to finish")
    launch = last.launch
    assert (launch.kind, launch.partition_keys) == ("run", [PARTITION])
    assert last.url == launch.url == f"{live.handle.url}/runs/{launch.id}"
    assert state.states[:4] == ["idle", "checking", "launching", "queued"]
    assert last.state == "success", f"run {launch.id} ended {last.message}\n{live.log()}"
    output = live.output / "ohlcv_bars/bars_1m/mic=XLON/2025-01-02_2025-01-02.parquet"
    assert output.is_file()
    # Dagster assets record their runs in the ledger (trigger "dagster", Dagster's run id).
    ledger = Ledger(live.basalt_home / "ledger.duckdb")
    row = wait_until(lambda: ledger.run(launch.id), 30, f"run {launch.id} in the ledger")
    assert (row["trigger"], row["status"], row["demo"]) == ("dagster", "success", "01_ohlcv_bars")
    assets = ledger.assets(run_id=launch.id)
    assert [(a["pass_name"], a["partition_key"]) for a in assets] == [("bars_1m", PARTITION)]
    assert Path(assets[0]["output_path"]) == output


def test_a_range_launched_from_the_editor_is_a_backfill_that_completes(live: Live):
    session = EditorSession.open(live.demo_dir / "01_ohlcv_bars.py")
    target = DagsterTarget("127.0.0.1", live.handle.port)
    start, end = dt.date(2025, 1, 3), dt.date(2025, 1, 6)  # Friday to Monday
    state = DagsterRunState(target, poll_seconds=1.0)
    assert state.launch(session.script, session.config, "mic=XLON", start, end)
    last = follow(state, "the backfill to finish")
    launch = last.launch
    assert launch.kind == "backfill"
    assert launch.partition_keys == ["2025-01-03|mic=XLON", "2025-01-06|mic=XLON"]
    assert last.state == "completed", f"backfill {launch.id}: {last.message}\n{live.log()}"
    assert (last.status, last.progress) == ("COMPLETED_SUCCESS", (2, 2))
    for day in ("2025-01-03", "2025-01-06"):
        assert (live.output / f"ohlcv_bars/bars_1m/mic=XLON/{day}_{day}.parquet").is_file()
