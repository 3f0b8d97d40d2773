"""Code version per pass: what changes a pass's data changes its version (and its downstream
passes'), nothing else does; the config SHA still covers the whole files."""

from __future__ import annotations

import copy
from typing import Any

import dagster as dg

from basalt.config.analytics import AnalyticsConfig
from basalt.config.fingerprint import (
    DATA_SETTINGS,
    NOT_DATA_SETTINGS,
    config_sha256,
    pass_code_version,
)
from basalt.dagster.assets import build_demo_assets
from basalt.dagster.demos import load_demos
from tests.dagster.support import DEMO_DIR

BARS = {
    "name": "bars_5m",
    "time_bucket_seconds": 300,
    "modules": ["trade"],
    "trade_analytics": {"generic_metrics": [{"sides": "Total", "measures": ["Volume"]}]},
}
INDEX = {
    "name": "index_1h",
    "time_bucket_seconds": 3600,
    "modules": ["reaggregate"],
    "reaggregate_analytics": {"source_pass": "bars_5m", "group_by": "index", "index": "SYN20"},
}
SPREAD = {"name": "book_5m", "time_bucket_seconds": 300, "modules": ["l2"]}
BASE: dict[str, Any] = {
    "DATASETNAME": "versions",
    "START_DATE": "2025-01-02",
    "UNIVERSE": "index=SYN20",
    "PASSES": [BARS, INDEX, SPREAD],
    "SCHEDULES": [{"name": "nightly", "cron": "0 2 * * *", "timezone": "Europe/London"}],
    "LOGGING_LEVEL": "INFO",
}


def versions(**changes: Any) -> dict[str, str]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    config = AnalyticsConfig.model_validate(data)
    names = [p.name for p in config.PASSES]
    return {name: pass_code_version(config, name) for name in names} | {
        "*": pass_code_version(config)
    }


def with_pass(name: str, **changes: Any) -> list[dict[str, Any]]:
    return [{**p, **changes} if p["name"] == name else p for p in BASE["PASSES"]]


def test_schedules_logging_and_run_settings_keep_every_version():
    base = versions()
    assert len(set(base.values())) == 4
    assert versions(SCHEDULES=[{"name": "n", "cron": "30 5 * * 1-5"}]) == base
    assert versions(LOGGING_LEVEL="DEBUG") == base
    assert versions(NUM_WORKERS=3, MAX_ROWS_PER_BATCH=1000, BATCH_FREQ="W") == base
    assert versions(START_DATE="2025-02-03", END_DATE="2025-02-07", UNIVERSE="mic=XLON") == base
    assert versions(OUTPUT_DIR="/elsewhere", DATA_DIR="/data", SKIP_EXISTING_OUTPUT=True) == base


def test_a_pass_change_changes_it_and_its_downstream_only():
    base = versions()
    bars = versions(PASSES=with_pass("bars_5m", time_bucket_seconds=600))
    assert bars["bars_5m"] != base["bars_5m"] and bars["index_1h"] != base["index_1h"]
    assert bars["book_5m"] == base["book_5m"] and bars["*"] != base["*"]
    index = versions(PASSES=with_pass("index_1h", time_bucket_seconds=7200))
    assert index["index_1h"] != base["index_1h"]
    assert (index["bars_5m"], index["book_5m"]) == (base["bars_5m"], base["book_5m"])


def test_settings_that_change_the_data_change_every_version():
    base = versions()
    for change in ({"DATASETNAME": "other"}, {"GENERATE_MISSING_DATA": False}):
        changed = versions(**change)
        assert all(changed[name] != base[name] for name in base), change
    # every top-level setting is decided: it counts, or it is listed with the reason it does not
    assert set(DATA_SETTINGS) | set(NOT_DATA_SETTINGS) == set(AnalyticsConfig.model_fields)
    assert set(DATA_SETTINGS) == {
        "DATASETNAME",
        "EXCLUDE_WEEKENDS",
        "OUTPUT_TARGET",
        "TABLES_TO_LOAD",
        "GENERATE_MISSING_DATA",
    }


def test_assets_carry_their_pass_version_and_the_config_sha_covers_the_files():
    demos = {d.number: d for d in load_demos(DEMO_DIR, only=["05"])}
    demo = demos["05"]
    assert demo.config is not None
    split = {
        a.key: a.specs_by_key[a.key].code_version for a in build_demo_assets(True, demos=[demo])
    }
    assert split == {
        dg.AssetKey(["demo05_multi_pass", p]): pass_code_version(demo.config, p)
        for p in ("bars_5m", "index_1h")
    }
    [whole] = build_demo_assets(False, demos=[demo])
    assert whole.specs_by_key[whole.key].code_version == pass_code_version(demo.config)
    assert demo.config_sha256 == config_sha256(demo.config)  # what runs record
