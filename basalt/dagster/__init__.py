"""Dagster integration: every demo as partitioned assets (date x universe), schedules from the
YAML, asset checks, and a sensor for dynamic universes.

Only this package imports ``dagster``, and only its Dagster-facing modules do: partitions and
universes (what a demo's ``UNIVERSES`` uses) import without it. The builders load lazily::

    from basalt.dagster import MICUniverse, build_demo_assets
"""

from __future__ import annotations

from basalt.dagster.partitions import (
    DatePartition,
    PartitionKeyError,
    PartitionRun,
    PartitionRunError,
    UniversePartition,
    build_partition_runs,
    parse_partition_key,
    parse_universe_spec,
    run_partition,
)
from basalt.dagster.universes import (
    CartProdUniverse,
    ConfigUniverses,
    CustomUniverse,
    IndexUniverse,
    MICUniverse,
    OPOLUniverse,
    build_universe_partitions,
    default_universes,
)
from basalt.lazy import lazy_attributes

# Names served from modules that import dagster, loaded on first use.
_LAZY = {
    "build_demo_assets": "basalt.dagster.assets",
    "freshness_policy": "basalt.dagster.freshness",
    "demo_partitions_def": "basalt.dagster.assets",
    "partition_key": "basalt.dagster.assets",
    "build_demo_schedules": "basalt.dagster.schedules",
    "build_demo_jobs": "basalt.dagster.schedules",
    "build_universe_sensor": "basalt.dagster.sensors",
    "build_definitions": "basalt.dagster.build",
    "build_location": "basalt.dagster.build",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = [
    "CartProdUniverse",
    "ConfigUniverses",
    "CustomUniverse",
    "DatePartition",
    "IndexUniverse",
    "MICUniverse",
    "OPOLUniverse",
    "PartitionKeyError",
    "PartitionRun",
    "PartitionRunError",
    "UniversePartition",
    "build_partition_runs",
    "build_universe_partitions",
    "default_universes",
    "parse_partition_key",
    "parse_universe_spec",
    "run_partition",
    *_LAZY,
]
