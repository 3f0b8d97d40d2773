"""Universes: the partitions each kind yields, and intersections at run time."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from basalt.config import AnalyticsConfig
from basalt.dagster.partitions import DatePartition, PartitionRun, run_partition
from basalt.dagster.universes import (
    CartProdUniverse,
    ConfigUniverses,
    CustomUniverse,
    IndexUniverse,
    MICUniverse,
    OPOLUniverse,
    build_universe_partitions,
    default_universes,
    is_dynamic,
)
from basalt.universes import UniverseSpecError

D2 = dt.date(2025, 1, 2)
WATCHLIST = ["VOD", "AZN", "SAP"]


def watchlist(date):
    from basalt.universes import get_universe

    return get_universe(date, "all").filter(pl.col("Ticker").is_in(WATCHLIST))


def specs(universe, config=None) -> list[str]:
    return [p.spec for p in build_universe_partitions([universe], config)]


def test_mic_universe_lists_reference_venues(tmp_path):
    store = tmp_path / "store"
    (store / "reference" / "date=2025-01-02" / "mic=XTST").mkdir(parents=True)
    assert specs(MICUniverse(data_dir=store)) == [
        "mic=XAMS",
        "mic=XETR",
        "mic=XLON",
        "mic=XPAR",
        "mic=XTST",
    ]
    assert specs(MICUniverse(data_dir=store, include_generated=False)) == ["mic=XTST"]
    assert specs(MICUniverse(whitelist=["XPAR", "XLON", "XNYS"], data_dir=store)) == [
        "mic=XPAR",
        "mic=XLON",
    ]
    assert specs(MICUniverse(blacklist=["XTST", "XAMS"], data_dir=store)) == [
        "mic=XETR",
        "mic=XLON",
        "mic=XPAR",
    ]
    assert [type(u) for u in default_universes()] == [MICUniverse]


def test_index_opol_custom_and_cartesian_keys():
    assert specs(IndexUniverse(["SYN20", "SYN10"])) == ["index=SYN20", "index=SYN10"]
    assert specs(OPOLUniverse(["XPAR"])) == ["opol=XPAR"]
    assert specs(CustomUniverse(watchlist)) == ["custom"]
    assert specs(CustomUniverse(watchlist, name="watchlist")) == ["custom=watchlist"]
    assert specs(CustomUniverse(watchlist, name="w", value="eu")) == ["custom=w:eu"]
    cart = CartProdUniverse(MICUniverse(whitelist=["XLON", "XETR"]), CustomUniverse(watchlist))
    parts = build_universe_partitions([cart])
    assert [p.spec for p in parts] == ["mic=XLON+custom", "mic=XETR+custom"]
    assert all(p.get_universe is watchlist for p in parts)


def test_partitions_are_deduplicated_and_checked():
    parts = build_universe_partitions(
        ["mic=XLON", MICUniverse(whitelist=["XLON", "XPAR"]), CustomUniverse(watchlist)]
    )
    assert [p.spec for p in parts] == ["mic=XLON", "mic=XPAR", "custom"]
    with pytest.raises(UniverseSpecError, match="unknown universe kind 'indx'"):
        build_universe_partitions([IndexUniverse(["SYN20"]), "indx=SYN20"])


def test_config_universes_follow_the_config():
    config = AnalyticsConfig.model_validate(
        {
            "START_DATE": "2025-01-02",
            "UNIVERSE": "mic=XLON+index=SYN10",
            "SCHEDULES": [
                {"name": "a", "partitions": [{"universe": "index=SYN20"}, {"date": "today"}]}
            ],
        }
    )
    assert specs(ConfigUniverses(), config) == ["mic=XLON+index=SYN10", "index=SYN20"]
    assert is_dynamic([MICUniverse(), ConfigUniverses()])
    assert not is_dynamic([MICUniverse(), ConfigUniverses(dynamic=False)])
    assert is_dynamic([CartProdUniverse(MICUniverse(dynamic=True), IndexUniverse(["SYN10"]))])


def test_cartesian_universe_intersects_frames_at_run_time(basalt_dirs):
    """``mic=XLON+custom``: the XLON listings of the watchlist (VOD, AZN), not SAP (XETR)."""
    [part] = build_universe_partitions(
        [CartProdUniverse(MICUniverse(whitelist=["XLON"]), CustomUniverse(watchlist))]
    )
    base = {
        "DATASETNAME": "cart",
        "START_DATE": "2025-01-02",
        "PASSES": [{"name": "bars", "modules": ["trade"], "time_bucket_seconds": 3600}],
    }
    results = run_partition(base, None, PartitionRun(part, DatePartition(D2)))
    [output] = results[0].outputs
    assert "mic=XLON+custom" in str(output.path)
    frame = pl.read_parquet(output.path)
    assert set(frame["Ticker"]) == {"VOD", "AZN"}
    assert set(frame["MIC"]) == {"XLON"}


# The lines proposed for demo/07_index_universe.py (see the Dagster section of the README).
DEMO07_IMPORT = (
    "from basalt.dagster.universes import (\n"
    "    CartProdUniverse,\n"
    "    ConfigUniverses,\n"
    "    CustomUniverse,\n"
    "    IndexUniverse,\n"
    "    MICUniverse,\n"
    ")\n"
)
DEMO07_UNIVERSES = """
# Dagster partitions: the universe dimension holds UNIVERSE and the schedules' universes from
# the YAML, then these. ConfigUniverses is dynamic: a universe added to the YAML becomes a
# partition without restarting Dagster (the basalt_universe_sensor adds it).
UNIVERSES = [
    ConfigUniverses(),
    MICUniverse(whitelist=["XLON", "XPAR"]),
    IndexUniverse(["SYN10", "SYN20"]),
    CartProdUniverse(
        MICUniverse(whitelist=["XLON"]), CustomUniverse(get_universe, name="watchlist")
    ),
]
"""


def test_universes_proposed_for_demo_07(tmp_path):
    from basalt.dagster.demos import load_demos
    from tests.dagster.support import copy_demo

    script = copy_demo("07_index_universe", tmp_path)
    text = script.read_text()
    docstring_end = text.index('"""', 3) + 3
    main_guard = text.index('\n\nif __name__ == "__main__":')
    script.write_text(
        text[:docstring_end]
        + "\n\n"
        + DEMO07_IMPORT
        + text[docstring_end:main_guard]
        + "\n"
        + DEMO07_UNIVERSES
        + text[main_guard:]
    )
    [demo] = load_demos(tmp_path)
    assert demo.ok and demo.dynamic
    assert demo.universe_keys == [
        "mic=XLON+index=SYN10",
        "mic=XLON",
        "mic=XPAR",
        "index=SYN10",
        "index=SYN20",
        "mic=XLON+custom=watchlist",
    ]
    assert demo.partition_for("mic=XLON+custom=watchlist").get_universe.__name__ == "get_universe"
