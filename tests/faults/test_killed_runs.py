"""Runs killed with SIGKILL at random points (CLI and Dagster), identical runs at once, and a
full disk: afterwards nothing is left ``running``, no ledger row is lost, no output was written
by two processes at once, and no partial file is left (see :mod:`tests.faults.harness`)."""

from __future__ import annotations

import datetime as dt
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults.harness import (
    DEMO,
    FIRST,
    LAST,
    REPO,
    FaultWorld,
    WriteWatcher,
    audit,
    run_and_kill,
)


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> tuple[Path, float]:
    """Market data generated once for the module, and how long a run of the range takes."""
    root = tmp_path_factory.mktemp("fault_data")
    world = FaultWorld(root / "warm")
    assert world.cli_run("warm-up", FIRST, LAST).wait(timeout=300) == 0
    start = time.monotonic()
    assert world.cli_run("timed", FIRST, LAST).wait(timeout=300) == 0
    return world.data_dir, time.monotonic() - start  # type: ignore[return-value]


@pytest.fixture
def world(tmp_path, warm) -> FaultWorld:
    return FaultWorld(tmp_path / "world", data_dir=warm[0])


def test_cli_runs_killed_at_random_points_leave_a_true_ledger(world, warm):
    rng = random.Random(13)
    seen, killed = run_and_kill(
        world, lambda i: world.cli_run(f"killed-{i}", FIRST, LAST), rng, 6, warm[1]
    )
    assert killed >= 3, "the runs ended before they could be killed: kill earlier"
    recovery = world.cli_run("recovery", FIRST, LAST)
    assert recovery.wait(timeout=240) == 0

    found = audit(world, seen_run_ids=seen, succeeded={"recovery"})
    assert found.figures() == {
        "runs_left_running": 0,
        "ledger_rows_lost": 0,
        "outputs_written_twice": 0,
        "partial_files_left": 0,
    }, str(found)
    statuses = {r["run_id"]: r["status"] for r in world.ledger().runs(limit=100)}
    assert statuses["recovery"] == "success"
    for run_id in seen - {"recovery"}:
        assert statuses[run_id] in ("lost", "success"), (run_id, statuses[run_id])


def test_dagster_runs_killed_at_random_points_leave_no_run_running(world):
    rng = random.Random(7)
    start = time.monotonic()
    assert world.dagster_run(LAST).wait(timeout=300) == 0
    seconds = time.monotonic() - start
    seen, killed = run_and_kill(
        world, lambda i: world.dagster_run(FIRST + dt.timedelta(days=i)), rng, 3, seconds
    )
    assert killed >= 1
    synced = world.basalt("dagster", "sync")
    assert synced.returncode == 0, synced.stderr
    # a run killed between writing a file and recording it leaves the file without a row:
    # the repair records it
    repaired = world.basalt("ledger", "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    found = audit(world, seen_run_ids=seen)
    assert found.left_running == [] and found.partial_files == [], str(found)
    assert found.written_twice == [] and found.rows_lost == [], str(found)


def test_identical_runs_at_once_never_write_one_output_together(world):
    with WriteWatcher(world.output_dir) as watcher:
        logs = [world.root / f"pair-{i}.log" for i in range(2)]
        pair = [world.cli_run(f"pair-{i}", FIRST, LAST, log=logs[i]) for i in range(2)]
        codes = [p.wait(timeout=300) for p in pair]
    assert codes == [0, 0], [log.read_text() for log in logs]
    assert watcher.writes >= 5, "the watcher saw no write"
    found = audit(world, succeeded={"pair-0", "pair-1"}, watcher=watcher)
    assert found.figures()["outputs_written_twice"] == 0, str(found)
    assert found.figures() == dict.fromkeys(found.figures(), 0), str(found)


def _small_files() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


def test_a_run_on_a_full_disk_fails_in_one_line_and_leaves_nothing_partial(world):
    done = subprocess.run(
        [sys.executable, "-m", "basalt", "run", DEMO, "--date", FIRST.isoformat()],
        cwd=REPO,
        env=world.env(BASALT_RUN_ID="full-disk"),
        capture_output=True,
        text=True,
        timeout=240,
        preexec_fn=_small_files,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "File too large" in errors[0], done.stderr

    repaired = world.basalt("ledger", "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    found = audit(world)
    assert found.figures() == dict.fromkeys(found.figures(), 0), str(found)
    run = world.ledger().run("full-disk")
    assert run is not None and run["status"] == "failed"
    assert "File too large" in run["error"]
