"""The run ledger follows Dagster's own run status (``basalt.dagster.reconcile``): runs created
in an ephemeral instance, ended with ``report_run_failed`` / ``report_run_canceled`` as Dagster
does, against a real ledger file."""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys

import dagster as dg
import pytest

from basalt.dagster.reconcile import (
    demo_asset_names,
    reconcile_ledger,
    record_run_end,
    run_end,
)
from basalt.dagster.sync import cmd_sync
from basalt.ledger import liveness
from basalt.ledger.store import Ledger

KILLED = "Run execution process for {run_id} was terminated by signal 9 (SIGKILL)."
OUTSIDE = "This run has been marked as failed from outside the execution context."
PARTITION_TAGS = {
    "dagster/partition": "2025-01-02|mic=XLON",
    "dagster/partition/date": "2025-01-02",
    "dagster/partition/universe": "mic=XLON",
}


@dg.op
def _noop() -> None:
    pass


@dg.job(name="demo01_ohlcv_bars_job")
def demo_job() -> None:
    _noop()


@pytest.fixture
def ledger(tmp_path) -> Ledger:
    return Ledger(tmp_path / "ledger.duckdb")


def dagster_run(instance: dg.DagsterInstance, status=dg.DagsterRunStatus.STARTED) -> dg.DagsterRun:
    return instance.create_run_for_job(demo_job, tags=PARTITION_TAGS, status=status)


class DagsterApiServer:
    """Stands for Dagster's code server, which names itself in the events it reports."""


def kill(instance: dg.DagsterInstance, run: dg.DagsterRun) -> None:
    """What Dagster's code server does when a run's process dies: an engine event, a failure."""
    instance.report_engine_event(KILLED.format(run_id=run.run_id), run, cls=DagsterApiServer)
    instance.report_run_failed(run)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def start_row(ledger: Ledger, run_id: str, pid: int, started: int | None = None) -> None:
    ledger.start_run(
        run_id=run_id,
        trigger="dagster",
        demo="01_ohlcv_bars",
        config_file=None,
        config_sha256="abc",
        universe="mic=XLON",
        start_date=dt.date(2025, 1, 2),
        end_date=dt.date(2025, 1, 2),
        process={"host": liveness.this_host(), "pid": pid, "pid_started": started},
    )


def test_a_killed_run_taken_for_lost_gets_dagsters_failure_and_reason(instance, ledger):
    run = dagster_run(instance)
    start_row(ledger, run.run_id, dead_pid())
    lost = ledger.run(run.run_id)  # liveness, before Dagster says anything
    assert lost["status"] == "lost"
    assert lost["error"].endswith(
        "Dagster's status follows from its run-status sensor or 'basalt dagster sync'"
    )
    kill(instance, run)

    done = reconcile_ledger(instance, ledger)

    row = ledger.run(run.run_id)
    assert row["status"] == "failed"
    assert row["error"] == f"Dagster: {KILLED.format(run_id=run.run_id)} {OUTSIDE}"
    assert row["config_sha256"] == "abc"  # what the step recorded stays
    assert [end.run_id for end in done.ended] == [run.run_id]
    assert done.summary() == "ledger: 1 Dagster run given their final status (1 failed)"
    # a second pass finds nothing open
    assert reconcile_ledger(instance, ledger).open_rows == 0


def test_runs_still_going_or_unknown_to_dagster_are_left_as_they_are(instance, ledger):
    going = dagster_run(instance)
    me = liveness.process_identity()
    start_row(ledger, going.run_id, me["pid"], me["pid_started"])
    start_row(ledger, "not-in-this-instance", dead_pid())

    done = reconcile_ledger(instance, ledger)

    assert done.ended == [] and (done.still_running, done.unknown) == (1, 1)
    assert done.summary() == (
        "ledger: 0 Dagster runs given their final status; 1 still running in Dagster; "
        "1 not in this Dagster instance"
    )
    assert ledger.run(going.run_id)["status"] == "running"
    assert ledger.run("not-in-this-instance")["status"] == "lost"


def test_a_dry_run_writes_nothing(instance, ledger):
    run = dagster_run(instance)
    start_row(ledger, run.run_id, dead_pid())
    instance.report_run_canceled(run)
    done = reconcile_ledger(instance, ledger, dry_run=True)
    assert done.summary(dry_run=True) == (
        "ledger: 1 Dagster run would give their final status (1 cancelled)"
    )
    assert ledger.run(run.run_id)["status"] == "lost"


def test_a_run_cancelled_before_its_step_gets_a_row_from_its_tags(instance, ledger):
    run = dagster_run(instance, dg.DagsterRunStatus.STARTING)
    instance.report_run_canceled(run)
    assert ledger.run(run.run_id) is None

    end = run_end(instance, run.run_id)
    assert end is not None
    record_run_end(ledger, end)

    row = ledger.run(run.run_id)
    assert {k: row[k] for k in ("trigger", "demo", "universe", "start_date", "end_date")} == {
        "trigger": "dagster",
        "demo": "01_ohlcv_bars",
        "universe": "mic=XLON",
        "start_date": dt.date(2025, 1, 2),
        "end_date": dt.date(2025, 1, 2),
    }
    assert row["status"] == "cancelled"
    assert row["error"] == (
        "Dagster: This run has been marked as canceled from outside the execution context."
    )
    assert row["finished_at"] >= row["started_at"]


def test_a_step_that_recorded_its_failure_keeps_its_error(instance, ledger):
    run = dagster_run(instance)
    start_row(ledger, run.run_id, dead_pid())
    ledger.finish_run(run.run_id, "failed", "ValueError: no listings")
    kill(instance, run)
    record_run_end(ledger, run_end(instance, run.run_id))
    row = ledger.run(run.run_id)
    assert (row["status"], row["error"]) == ("failed", "ValueError: no listings")


def test_a_run_still_going_has_no_end(instance):
    run = dagster_run(instance)
    assert run_end(instance, run.run_id) is None
    assert run_end(instance, "no-such-run") is None


def test_the_demo_comes_from_the_asset_selection_else_the_job():
    by_job = dg.DagsterRun(job_name="demo05_multi_pass_job", run_id="a")
    assert demo_asset_names(by_job) == ["demo05_multi_pass"]
    by_assets = dg.DagsterRun(
        job_name="__ASSET_JOB",
        run_id="b",
        asset_selection=frozenset(
            {dg.AssetKey(["demo07_x", "bars"]), dg.AssetKey(["demo02_y", "spreads"])}
        ),
    )
    assert demo_asset_names(by_assets) == ["demo02_y", "demo07_x"]
    assert demo_asset_names(dg.DagsterRun(job_name="other", run_id="c")) == []


def test_basalt_dagster_sync_reconciles_and_says_so(tmp_path, monkeypatch, capsys):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    ledger = Ledger(tmp_path / "ledger.duckdb")
    with dg.DagsterInstance.get() as instance:
        run = dagster_run(instance)
        start_row(ledger, run.run_id, dead_pid())
        kill(instance, run)

    assert cmd_sync(argparse.Namespace(ledger=str(ledger.path), dry_run=False)) == 0

    assert capsys.readouterr().out.splitlines() == [
        "reported 0 materializations of 0 outputs; skipped 0",
        "ledger: 1 Dagster run given their final status (1 failed)",
    ]
    assert ledger.run(run.run_id)["status"] == "failed"
