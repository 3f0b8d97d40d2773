"""The run-status sensors write Dagster's end of a run to the ledger of the ``basalt_locations``
resource: evaluated with ``dg.build_run_status_sensor_context`` on runs of an ephemeral
instance (a real ``dagster dev`` in ``tests/e2e/test_dagster_dev.py``)."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from basalt.dagster.build import build_definitions
from basalt.dagster.demos import load_demos
from basalt.dagster.partitions import period_end
from basalt.dagster.resources import RESOURCE_KEY, BasaltLocations
from basalt.dagster.run_status import (
    CANCELED_SENSOR,
    FAILURE_SENSOR,
    build_run_status_sensors,
)
from basalt.ledger.store import Ledger
from tests.dagster.support import write_demo

TAGS = {
    "dagster/partition": "2025-01-06|mic=XLON",
    "dagster/partition/date": "2025-01-06",
    "dagster/partition/universe": "mic=XLON",
}


def demo_job(name: str) -> dg.JobDefinition:
    @dg.op
    def _step() -> None:
        pass

    @dg.job(name=name)
    def _job() -> None:
        _step()

    return _job


def context(instance, sensor, event, run, home):
    return dg.build_run_status_sensor_context(
        sensor_name=sensor.name,
        dagster_event=event,
        dagster_instance=instance,
        dagster_run=instance.get_run_by_id(run.run_id),
        resources={RESOURCE_KEY: BasaltLocations(home=str(home))},
    )


def test_the_failure_sensor_marks_the_run_failed_in_the_resources_ledger(instance, tmp_path):
    failure, _ = build_run_status_sensors([])
    run = instance.create_run_for_job(
        demo_job("demo01_ohlcv_bars_job"), tags=TAGS, status=dg.DagsterRunStatus.STARTED
    )
    event = instance.report_run_failed(run, "Execution of run failed. Steps failed: ['x'].")

    assert failure(context(instance, failure, event, run, tmp_path).for_run_failure()) is None

    [row] = Ledger(tmp_path / "ledger.duckdb").runs()
    assert (row["run_id"], row["trigger"], row["status"]) == (run.run_id, "dagster", "failed")
    assert row["error"] == "Dagster: Execution of run failed. Steps failed: ['x']."
    assert (row["demo"], row["universe"]) == ("01_ohlcv_bars", "mic=XLON")


def test_the_cancel_sensor_creates_the_row_of_a_run_cancelled_while_queued(instance, tmp_path):
    write_demo(tmp_path / "demos", "02_weekly", {"BATCH_FREQ": "W"})
    demos = load_demos(tmp_path / "demos")
    [demo] = demos
    assert demo.ok, demo.error
    _, canceled = build_run_status_sensors(demos)
    run = instance.create_run_for_job(
        demo_job(f"{demo.asset_name}_job"), tags=TAGS, status=dg.DagsterRunStatus.STARTING
    )
    event = instance.report_run_canceled(run)

    assert canceled(context(instance, canceled, event, run, tmp_path / "home")) is None

    row = Ledger(tmp_path / "home" / "ledger.duckdb").run(run.run_id)
    assert row["status"] == "cancelled"
    assert row["demo"] == "02_weekly"
    assert row["config_file"] == str(demo.config_file)
    # the dates of the demo's date partition that starts on the date key (a week when weekly)
    start = dt.date(2025, 1, 6)
    assert (row["start_date"], row["end_date"]) == (start, period_end(start, demo.date_freq))


def test_a_run_not_finished_yet_is_skipped(instance, tmp_path):
    failure, _ = build_run_status_sensors([])
    run = instance.create_run_for_job(demo_job("demo01_x_job"), status=dg.DagsterRunStatus.STARTED)
    # the failure event is read before the run's status is stored as failed
    event = dg.DagsterEvent(
        event_type_value=dg.DagsterEventType.PIPELINE_FAILURE.value,
        job_name=run.job_name,
        message="failed",
    )
    result = failure(context(instance, failure, event, run, tmp_path).for_run_failure())
    assert isinstance(result, dg.SkipReason)
    assert result.skip_message == f"run {run.run_id} is not finished in Dagster"
    assert not (tmp_path / "ledger.duckdb").exists()


def test_the_code_location_runs_both_sensors_by_default(tmp_path):
    write_demo(tmp_path, "01_one")
    repository = build_definitions(demo_dir=tmp_path).get_repository_def()
    for name in (FAILURE_SENSOR, CANCELED_SENSOR):
        sensor = repository.get_sensor_def(name)
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
        assert RESOURCE_KEY in sensor.required_resource_keys
