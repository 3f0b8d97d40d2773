"""The universe sensor: keeps the dynamic universe dimension of each demo in step with the
universes its files name now (a universe added to the YAML needs no restart).

Keys are only added: a universe removed from the YAML keeps its partitions and their history.
"""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from basalt.dagster.assets import universe_partitions_def_name
from basalt.dagster.demos import Demo, current_universe_keys

SENSOR_NAME = "basalt_universe_sensor"


def universe_partition_requests(
    demos: Sequence[Demo], instance: dg.DagsterInstance
) -> tuple[list[dg.AddDynamicPartitionsRequest], list[str]]:
    """Requests adding each dynamic demo's missing universe keys, and notes on demos whose files
    do not load now (their keys are left as they are)."""
    requests = []
    notes = []
    for demo in demos:
        if not (demo.ok and demo.dynamic):
            continue
        try:
            keys, error = current_universe_keys(demo)
        except Exception as exc:  # one demo's script must not stop the others' keys
            keys, error = [], f"{demo.py_path}: {type(exc).__name__}: {exc}"
        if error is not None:
            notes.append(f"{demo.stem}: {error}")
            continue
        name = universe_partitions_def_name(demo)
        existing = set(instance.get_dynamic_partitions(name))
        missing = [k for k in keys if k not in existing]
        if missing:
            requests.append(dg.AddDynamicPartitionsRequest(name, missing))
    return requests, notes


def build_universe_sensor(
    demos: Sequence[Demo], minimum_interval_seconds: int = 30
) -> dg.SensorDefinition:
    dynamic = [d.asset_name for d in demos if d.ok and d.dynamic]

    @dg.sensor(
        name=SENSOR_NAME,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Adds the universes the demos' files name to their dynamic universe "
        f"dimension ({', '.join(dynamic) or 'no demo declares one'}).",
    )
    def _sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        requests, notes = universe_partition_requests(demos, context.instance)
        for note in notes:
            context.log.warning(note)
        if not requests:
            return dg.SkipReason("; ".join(notes) or "universe partitions are up to date")
        for request in requests:
            context.log.info(f"adding {request.partition_keys} to {request.partitions_def_name}")
        return dg.SensorResult(dynamic_partitions_requests=requests)

    return _sensor
