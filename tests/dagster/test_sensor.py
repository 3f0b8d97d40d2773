"""The universe sensor: a universe added to the YAML becomes a partition, without a restart."""

from __future__ import annotations

import dagster as dg

from basalt.dagster.build import build_definitions
from basalt.dagster.sensors import SENSOR_NAME
from tests.dagster.support import write_demo

DYNAMIC = """
from basalt.dagster.universes import ConfigUniverses, MICUniverse

UNIVERSES = [ConfigUniverses(), MICUniverse(whitelist=["XLON"])]
"""


def tick(sensor: dg.SensorDefinition, instance: dg.DagsterInstance):
    """Evaluate the sensor and apply its partition requests, as the daemon does."""
    result = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
    return result


def test_new_universe_in_yaml_becomes_a_partition(tmp_path, instance, basalt_dirs):
    script = write_demo(
        tmp_path, "01_dynamic", yaml_text="USER_CONFIG:\n  UNIVERSE: mic=XLON\n", extra=DYNAMIC
    )
    yaml = script.with_suffix(".yaml")
    defs = build_definitions(demo_dir=tmp_path)
    repository = defs.get_repository_def()
    sensor = repository.get_sensor_def(SENSOR_NAME)
    name = "demo01_dynamic_universe"
    [demo_assets] = repository.assets_defs_by_key.values()
    universe_dim = demo_assets.partitions_def.get_partitions_def_for_dimension("universe")
    assert universe_dim == dg.DynamicPartitionsDefinition(name=name)
    assert instance.get_dynamic_partitions(name) == []

    first = tick(sensor, instance)
    assert [
        (r.partitions_def_name, r.partition_keys) for r in first.dynamic_partitions_requests
    ] == [(name, ["mic=XLON"])]
    assert tick(sensor, instance).skip_message == "universe partitions are up to date"

    yaml.write_text("USER_CONFIG:\n  UNIVERSE: mic=XLON+index=SYN10\n")
    tick(sensor, instance)
    assert instance.get_dynamic_partitions(name) == ["mic=XLON", "mic=XLON+index=SYN10"]

    # the same definitions (no reload) materialize the new partition
    result = dg.materialize(
        list(repository.assets_defs_by_key.values()),
        partition_key="2025-01-02|mic=XLON+index=SYN10",
        instance=instance,
    )
    [event] = result.get_asset_materialization_events()
    path = event.materialization.metadata["output_path"].value
    assert "/mic=XLON+index=SYN10/" in path

    # a YAML that no longer loads: keys stay, the sensor says why
    yaml.write_text("USER_CONFIG:\n  UNIVERSE: mac=XLON\n")
    skipped = tick(sensor, instance).skip_message
    assert f"{yaml}:2:3: UNIVERSE: unknown universe kind 'mac'" in skipped
    assert len(instance.get_dynamic_partitions(name)) == 2
