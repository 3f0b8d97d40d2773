"""One validation: ``validate_resolved`` reports errors exactly when Dagster refuses to build a
demo's definitions.

Each demo, and copies with a broken (or unusual but valid) YAML, is validated as ``basalt
config validate`` does, then built as the code location does: loaded from its files, then
:func:`build_demo_definitions` (which also takes the snapshot a code server takes). A second
test builds the broken values without the validation in front, to show Dagster itself refuses
them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from basalt.config.resolve import resolve
from basalt.config.schedules import ScheduleConfig
from basalt.config.validation import validate_resolved
from basalt.dagster.build import DemoBuildError, build_demo_definitions
from basalt.dagster.demos import Demo, load_demo
from basalt.dagster.partitions import UniversePartition
from tests.dagster.support import DEMO_DIR, copy_demo

DEMOS = sorted(p.stem for p in DEMO_DIR.glob("[0-9][0-9]_*.py"))


def schedule(**fields: Any) -> dict[str, Any]:
    return {"SCHEDULES": [{"name": "nightly", **fields}]}


def dates(start: str, end: str | None = None) -> dict[str, Any]:
    return {"START_DATE": start, "END_DATE": end or start}


def two_passes(second: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def passes(config: dict[str, Any]) -> dict[str, Any]:
        first = {"name": "bars_1m", "modules": ["trade"]}
        return {"PASSES": [first, {**first, "name": second}]}

    return passes


# name -> (what the YAML sets, whether validation must refuse it)
VARIANTS: dict[str, tuple[dict[str, Any] | Callable, bool]] = {
    # crons
    "cron_out_of_range": (schedule(cron="61 25 * * *"), True),
    "cron_minute_61": (schedule(cron="61 2 * * *"), True),
    "cron_garbage": (schedule(cron="foo bar baz qux quux"), True),
    "cron_seconds": (schedule(cron="0 0 2 * * *"), True),
    "cron_nearest_weekday": (schedule(cron="0 2 15W * *"), True),
    "cron_february_30": (schedule(cron="0 0 30 2 *"), True),
    "cron_macro": (schedule(cron="@daily"), False),
    "cron_names": (schedule(cron="30 6 * JAN-MAR MON-FRI"), False),
    "cron_steps": (schedule(cron="*/20 * L * *"), False),
    # timezones
    "timezone_misspelt": (schedule(timezone="Europe/Londn"), True),
    "timezone_folder": (schedule(timezone="Europe"), True),
    "timezone_new_york": (schedule(timezone="America/New_York"), False),
    # dates
    "start_year_1": (dates("0001-01-01"), True),
    "start_year_1_far_west": (
        {**dates("0001-01-01"), **schedule(timezone="Pacific/Pago_Pago")},
        True,
    ),
    "start_year_999": (dates("0999-12-31"), True),
    "start_year_9999": (dates("9999-12-31"), True),
    "end_before_start": (dates("2025-01-03", "2025-01-02"), True),
    "start_in_the_future": (dates("2100-01-04"), False),
    "start_long_ago": (dates("1001-01-01", "1001-01-02"), False),
    "weekly_partitions": ({"BATCH_FREQ": "W"}, False),
    "monthly_partitions": ({"BATCH_FREQ": "M"}, False),
    # universes
    "universe_tab": ({"UNIVERSE": "mic=XL\tON"}, True),
    "universe_unknown_kind": ({"UNIVERSE": "venue=XLON"}, True),
    "universe_path": ({"UNIVERSE": "custom=../x"}, True),
    "schedule_universe_without_value": (schedule(partitions=[{"universe": "index"}]), True),
    "universe_two_venues": ({"UNIVERSE": "mic=XLON,XPAR"}, False),  # not a key: left out
    "schedule_universe_index": (schedule(partitions=[{"universe": "index=SYN10"}]), False),
    # path templates
    "template_absolute": ({"OUTPUT_TARGET": {"path_template": "/tmp/{pass}.parquet"}}, True),
    "template_parent": (
        {"OUTPUT_TARGET": {"path_template": "{output_dir}/../{pass}.parquet"}},
        True,
    ),
    "template_unknown": ({"OUTPUT_TARGET": {"path_template": "{out}/{pass}.parquet"}}, True),
    "template_format": (
        {"OUTPUT_TARGET": {"path_template": "{output_dir}/{pass:>9}.parquet"}},
        True,
    ),
    "template_relative": (
        {"OUTPUT_TARGET": {"path_template": "out/{datasetname}/{pass}/{universe}.parquet"}},
        False,
    ),
    # names Dagster needs distinct
    "pass_names_one_asset": (two_passes("bars.1m"), True),
    "pass_names_distinct": (two_passes("bars_5m"), False),
    "schedule_names_twice": (
        {"SCHEDULES": [{"name": "nightly"}, {"name": "nightly", "cron": "0 3 * * *"}]},
        True,
    ),
    "schedule_names_twice_one_disabled": (
        {"SCHEDULES": [{"name": "nightly"}, {"name": "nightly", "enabled": False}]},
        False,
    ),
}


def write_variant(folder: Path, stem: str, change: dict[str, Any] | Callable) -> Path:
    """A copy of the demo whose YAML also sets ``change``."""
    script = copy_demo(stem, folder)
    yaml = YAML(typ="safe")
    data = yaml.load(script.with_suffix(".yaml").read_text()) or {}
    config = data.setdefault("USER_CONFIG", {})
    config.update(change(config) if callable(change) else change)
    with script.with_suffix(".yaml").open("w") as out:
        yaml.dump(data, out)
    return script


def validation_errors(script: Path) -> list[str]:
    """What ``basalt config validate`` prints for the demo."""
    _, issues = validate_resolved(resolve(script))
    return [issue.format() for issue in issues]


def dagster_refuses(script: Path) -> str | None:
    """Why the code location would not build the demo from its files, or ``None``."""
    demo = load_demo(script, last_good=False)
    if demo.error is not None:
        return demo.error
    try:
        build_demo_definitions(demo)
    except DemoBuildError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("stem", DEMOS)
def test_every_demo_validates_and_builds(stem, tmp_path):
    script = copy_demo(stem, tmp_path / "demo")
    assert validation_errors(script) == []
    assert dagster_refuses(script) is None


@pytest.mark.parametrize("stem", ["01_ohlcv_bars", "07_index_universe"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_validation_fails_exactly_when_dagster_refuses(stem, variant, tmp_path):
    change, broken = VARIANTS[variant]
    script = write_variant(tmp_path / "demo", stem, change)
    errors = validation_errors(script)
    refused = dagster_refuses(script)
    assert bool(errors) == broken, errors
    assert (refused is not None) == bool(errors), refused


def test_errors_name_the_field_in_the_yaml(tmp_path):
    script = write_variant(tmp_path / "demo", "01_ohlcv_bars", schedule(cron="61 25 * * *"))
    [error] = validation_errors(script)
    yaml = script.with_suffix(".yaml")
    assert error.startswith(f"{yaml}:")
    assert error.endswith(
        "SCHEDULES.0.cron: '61 25 * * *' is not a valid cron: minute must be 0-59"
    )


# --- the same values, built without the validation in front ---------------------------------


def unchecked_schedule(**fields: Any) -> ScheduleConfig:
    """A schedule entry as the YAML says, not validated."""
    values = {"name": "nightly", "enabled": True, "cron": "0 2 * * *", "timezone": "UTC"}
    return ScheduleConfig.model_construct(**{**values, **fields}, partitions=[])


def with_schedules(*schedules: ScheduleConfig, **fields: Any) -> Callable[[Demo], None]:
    def change(demo: Demo) -> None:
        update = {"SCHEDULES": list(schedules), **fields}
        demo.config = demo.config.model_copy(update=update)

    return change


def with_universe_key(key: str) -> Callable[[Demo], None]:
    def change(demo: Demo) -> None:
        demo.universe_partitions.insert(0, UniversePartition(*key.split("=", 1)))

    return change


def with_second_pass(name: str) -> Callable[[Demo], None]:
    def change(demo: Demo) -> None:
        first = demo.config.PASSES[0]
        second = first.model_copy(update={"name": name})
        demo.config = demo.config.model_copy(update={"PASSES": [first, second]})

    return change


REFUSED_BY_DAGSTER: dict[str, Callable[[Demo], None]] = {
    "cron_out_of_range": with_schedules(unchecked_schedule(cron="61 25 * * *")),
    "cron_garbage": with_schedules(unchecked_schedule(cron="foo bar baz qux quux")),
    "cron_nearest_weekday": with_schedules(unchecked_schedule(cron="0 2 15W * *")),
    "timezone_folder": with_schedules(unchecked_schedule(timezone="Europe")),
    "start_year_1_far_west": with_schedules(
        unchecked_schedule(timezone="Pacific/Pago_Pago"), START_DATE=dt.date(1, 1, 1)
    ),
    "universe_tab": with_universe_key("mic=XL\tON"),
    "pass_names_one_asset": with_second_pass("bars.1m"),
    "schedule_names_twice": with_schedules(unchecked_schedule(), unchecked_schedule()),
}


@pytest.mark.parametrize("variant", sorted(REFUSED_BY_DAGSTER))
def test_what_validation_refuses_dagster_refuses_too(variant, tmp_path):
    assert VARIANTS[variant][1], "a variant validation refuses"
    demo = load_demo(copy_demo("01_ohlcv_bars", tmp_path / "demo"), last_good=False)
    assert demo.ok, demo.error
    REFUSED_BY_DAGSTER[variant](demo)
    with pytest.raises(DemoBuildError, match="Dagster refuses it"):
        build_demo_definitions(demo)
