"""Run-status sensors: the run ledger learns how each Dagster run of the code location ended,
even when no step could record it.

- ``basalt_ledger_run_failure`` (a run failure sensor): the run's ledger row becomes ``failed``
  with Dagster's reason (a killed run worker: "Run execution process for ... was terminated by
  signal 9 (SIGKILL). This run has been marked as failed ...").
- ``basalt_ledger_run_canceled`` (a run-status sensor on ``CANCELED``): ``cancelled``.

A run that died before its step (a launch that failed, a run cancelled while queued) has no
row yet: one is created from its tags (``dagster/partition/date``, ``dagster/partition/universe``)
and its asset selection or job (the demo). A row a step already marked ``failed`` or
``cancelled`` keeps its own error. Both monitor every job of the code location and run by
default. The ledger is the one of the ``basalt_locations`` resource's ``home`` (by default
``$BASALT_HOME`` of the code server's environment); a ledger that cannot take the write spools
it (:meth:`basalt.ledger.store.Ledger.write`).
"""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from basalt.dagster.demos import Demo
from basalt.dagster.reconcile import demos_by_asset, record_run_end, run_end
from basalt.dagster.resources import BasaltLocations
from basalt.ledger.store import Ledger

FAILURE_SENSOR = "basalt_ledger_run_failure"
CANCELED_SENSOR = "basalt_ledger_run_canceled"
INTERVAL_SECONDS = 10


def record_from_sensor(
    context: dg.RunStatusSensorContext, demos: Sequence[Demo], where: BasaltLocations
) -> dg.SkipReason | None:
    """Write the end of the run that triggered ``context`` to the ledger of ``where``, with
    Dagster's reason (:func:`basalt.dagster.reconcile.dagster_reason`)."""
    run = context.dagster_run
    end = run_end(context.instance, run.run_id, demos_by_asset(demos))
    if end is None:  # the event came before the run's status was stored: nothing final yet
        return dg.SkipReason(f"run {run.run_id} is not finished in Dagster")
    with where.using():
        ledger = Ledger()
    record_run_end(ledger, end)
    context.log.info(
        f"run ledger: run {run.run_id} ({end.demo or run.job_name}) recorded {end.status}: "
        f"{end.reason or 'no reason given'}"
    )
    return None


def build_run_status_sensors(
    demos: Sequence[Demo], minimum_interval_seconds: int = INTERVAL_SECONDS
) -> list[dg.SensorDefinition]:
    """The failure and cancellation sensors for the demos of the code location; ``demos`` name
    each run's demo, its config file and date frequency."""
    demos = list(demos)

    @dg.run_failure_sensor(
        name=FAILURE_SENSOR,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Marks the run ledger's row of a failed run failed, with Dagster's reason "
        "(and creates the row when the run failed before its step).",
    )
    def _failure(
        context: dg.RunFailureSensorContext, basalt_locations: BasaltLocations
    ) -> dg.SkipReason | None:
        return record_from_sensor(context, demos, basalt_locations)

    @dg.run_status_sensor(
        run_status=dg.DagsterRunStatus.CANCELED,
        name=CANCELED_SENSOR,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Marks the run ledger's row of a cancelled run cancelled (and creates the "
        "row when the run was cancelled before its step).",
    )
    def _canceled(
        context: dg.RunStatusSensorContext, basalt_locations: BasaltLocations
    ) -> dg.SkipReason | None:
        return record_from_sensor(context, demos, basalt_locations)

    return [_failure, _canceled]
