"""The schema: defaults, field docs, UI hints, module metadata and cross-field rules."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError

from basalt.config import AnalyticsConfig, PassConfig, module_registry, pass_columns
from basalt.config.modules.base import BUILTINS, ModuleScope
from basalt.config.modules.reaggregate import default_aggregation
from basalt.config.ui import SECTIONS, field_hints
from basalt.config.validation import validate_data


def errors_by_path(data: dict, modules: ModuleScope = BUILTINS) -> dict[str, str]:
    config, issues = validate_data(data, modules)
    assert config is None, "expected the config to be invalid"
    return {issue.path: issue.message for issue in issues}


def all_models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for field in model.model_fields.values():
            for arg in _types_in(field.annotation):
                visit(arg)

    visit(AnalyticsConfig)
    for cls in module_registry().values():
        visit(cls)
    return seen


def _types_in(annotation) -> list[type[BaseModel]]:
    from typing import get_args

    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in get_args(annotation):
        found.extend(_types_in(arg))
    return found


def test_every_field_of_every_model_has_a_description():
    missing = [
        f"{model.__name__}.{name}"
        for model in all_models()
        for name, field in model.model_fields.items()
        if not (field.description and len(field.description) > 8)
    ]
    assert missing == []


def test_every_top_level_field_has_a_known_section():
    sections = {
        name: field_hints(f).get("section") for name, f in AnalyticsConfig.model_fields.items()
    }
    assert all(s in SECTIONS for s in sections.values()), sections
    assert set(sections.values()) == set(SECTIONS)


def test_unquoted_yaml_dates_and_strings_are_both_dates():
    a = AnalyticsConfig(START_DATE=dt.date(2025, 1, 2), END_DATE="2025-01-03")
    assert a.START_DATE == dt.date(2025, 1, 2) and a.END_DATE == dt.date(2025, 1, 3)
    assert AnalyticsConfig(START_DATE="2025-01-02").end_date == dt.date(2025, 1, 2)


def test_end_date_before_start_date_names_end_date():
    errors = errors_by_path({"START_DATE": "2025-01-03", "END_DATE": "2025-01-02"})
    assert list(errors) == ["END_DATE"]
    assert "before START_DATE" in errors["END_DATE"]


def test_datetime_with_a_time_is_not_a_date():
    errors = errors_by_path({"START_DATE": dt.datetime(2025, 1, 2, 10, 30)})
    assert "not a date and time" in errors["START_DATE"]


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("mics=XLON", "did you mean 'mic'"),
        ("mic=", "needs a value"),
        ("mic=XLON+", "empty term"),
        ("", "empty"),
        ("all=1", "takes no value"),
    ],
)
def test_bad_universe_specs_are_refused_with_a_reason(spec, fragment):
    errors = errors_by_path({"START_DATE": "2025-01-02", "UNIVERSE": spec})
    assert fragment in errors["UNIVERSE"]


@pytest.mark.parametrize(
    "spec", ["mic=XLON", "index=SYN20", "mic=XLON+index=SYN20", "all", "opol=XPAR"]
)
def test_good_universe_specs_parse(spec):
    assert AnalyticsConfig(START_DATE="2025-01-02", UNIVERSE=spec).UNIVERSE == spec


def test_duplicate_pass_names_point_at_the_second_name():
    errors = errors_by_path(
        {"START_DATE": "2025-01-02", "PASSES": [{"name": "a"}, {"name": "b"}, {"name": "a"}]}
    )
    assert list(errors) == ["PASSES.2.name"]
    assert "PASSES.0.name" in errors["PASSES.2.name"]


def test_unknown_module_gets_a_suggestion_at_its_index():
    errors = errors_by_path(
        {"START_DATE": "2025-01-02", "PASSES": [{"name": "a", "modules": ["trade", "l2x"]}]}
    )
    assert "did you mean 'l2'" in errors["PASSES.0.modules.1"]


def test_module_input_must_be_an_earlier_pass():
    data = {
        "START_DATE": "2025-01-02",
        "PASSES": [
            {"name": "first", "modules": ["trade"]},
            {
                "name": "second",
                "modules": ["reaggregate"],
                "module_inputs": {"reaggregate": "third"},
            },
            {"name": "third", "modules": ["trade"]},
        ],
    }
    errors = errors_by_path(data)
    assert list(errors) == ["PASSES.1.module_inputs.reaggregate"]
    assert "not an earlier pass" in errors["PASSES.1.module_inputs.reaggregate"]
    assert "first" in errors["PASSES.1.module_inputs.reaggregate"]


def test_reaggregate_source_pass_cannot_be_itself():
    data = {
        "START_DATE": "2025-01-02",
        "PASSES": [
            {"name": "a"},
            {
                "name": "b",
                "modules": ["reaggregate"],
                "reaggregate_analytics": {"source_pass": "b"},
            },
        ],
    }
    errors = errors_by_path(data)
    assert "this pass" in errors["PASSES.1.reaggregate_analytics.source_pass"]


def test_reaggregate_in_first_pass_has_nothing_to_read():
    errors = errors_by_path(
        {"START_DATE": "2025-01-02", "PASSES": [{"name": "a", "modules": ["reaggregate"]}]}
    )
    assert "earlier pass" in errors["PASSES.0.modules"]


def test_raw_table_is_a_valid_module_input():
    cfg = AnalyticsConfig(
        START_DATE="2025-01-02",
        PASSES=[{"name": "a", "modules": ["trade"], "module_inputs": {"trade": "trades"}}],
    )
    assert cfg.PASSES[0].module_inputs == {"trade": "trades"}


def test_unknown_pass_key_is_refused_with_a_suggestion():
    errors = errors_by_path(
        {"START_DATE": "2025-01-02", "PASSES": [{"name": "a", "trade_analytic": {}}]}
    )
    assert "did you mean 'trade_analytics'" in errors["PASSES.0.trade_analytic"]


def test_output_union_errors_lose_the_union_tag():
    errors = errors_by_path(
        {"START_DATE": "2025-01-02", "OUTPUT_TARGET": {"type": "parquet", "compression": "zip"}}
    )
    assert list(errors) == ["OUTPUT_TARGET.compression"]


def test_unknown_path_template_placeholder_is_named():
    errors = errors_by_path(
        {"START_DATE": "2025-01-02", "OUTPUT_TARGET": {"path_template": "{out}/{pass}.parquet"}}
    )
    assert "{out}" in errors["OUTPUT_TARGET.path_template"]


@pytest.mark.parametrize(
    "schedule, path, fragment",
    [
        ({"name": "n", "cron": "0 2 * *"}, "SCHEDULES.0.cron", "expected 5"),
        ({"name": "n", "timezone": "Europe/Londn"}, "SCHEDULES.0.timezone", "unknown timezone"),
        ({"name": "bad name"}, "SCHEDULES.0.name", "letters, digits, `_` only"),
        ({"name": "n", "partitions": [{"date": "tomorrow"}]}, "SCHEDULES.0.partitions.0.date", ""),
        (
            {"name": "n", "partitions": [{"universe": "mic"}]},
            "SCHEDULES.0.partitions.0.universe",
            "needs a value",
        ),
    ],
)
def test_schedule_rules(schedule, path, fragment):
    errors = errors_by_path({"START_DATE": "2025-01-02", "SCHEDULES": [schedule]})
    assert path in errors and fragment in errors[path]


def test_x_or_list_of_x_accepts_both_and_reports_one_error():
    p = PassConfig(
        name="a", trade_analytics={"generic_metrics": [{"sides": "Buy", "measures": "VWAP"}]}
    )
    assert p.trade_analytics.generic_metrics[0].sides == "Buy"
    errors = errors_by_path(
        {
            "START_DATE": "2025-01-02",
            "PASSES": [{"name": "a", "trade_analytics": {"generic_metrics": [{"sides": "Bye"}]}}],
        }
    )
    assert list(errors) == ["PASSES.0.trade_analytics.generic_metrics.0.sides"]


def test_module_metadata_is_complete():
    registry = module_registry()
    assert set(registry) >= {"trade", "l2", "l3", "execution", "marketstate", "reaggregate"}
    for name, cls in registry.items():
        assert cls.module_name == name
        assert cls.tier in ("pre", "core", "post")
        assert cls.description
        assert set(cls.required_tables) <= {"trades", "l2", "l3", "marketstate", "reference"}


def test_output_columns_follow_the_config_without_data():
    passes = [
        PassConfig(
            name="bars",
            time_bucket_seconds=300,
            modules=["trade", "l3"],
            trade_analytics={
                "generic_metrics": [{"sides": ["Total", "Buy"], "measures": ["OHLC", "VWAP"]}]
            },
            l3_analytics={"actions": ["Insert"], "measures": ["Count"], "sides": ["Bid", "Ask"]},
        ),
        PassConfig(
            name="hourly",
            time_bucket_seconds=3600,
            modules=["reaggregate"],
            reaggregate_analytics={"group_by": "index", "index": "SYN20"},
        ),
    ]
    cols = pass_columns(passes)
    assert cols["bars"] == [
        "ListingId",
        "TimeBucket",
        "MIC",
        "Ticker",
        "TradeTotalOpen",
        "TradeTotalHigh",
        "TradeTotalLow",
        "TradeTotalClose",
        "TradeTotalVWAP",
        "TradeBuyOpen",
        "TradeBuyHigh",
        "TradeBuyLow",
        "TradeBuyClose",
        "TradeBuyVWAP",
        "L3InsertCountBid",
        "L3InsertCountAsk",
    ]
    assert cols["hourly"][:2] == ["Index", "TimeBucket"]
    assert cols["hourly"][2:] == cols["bars"][4:]


def test_l2_columns_count_levels_and_imbalances():
    p = PassConfig(
        name="a",
        modules=["l2"],
        l2_analytics={
            "levels": 3,
            "spreads": ["Bps"],
            "spread_aggregations": ["TWA"],
            "liquidity": ["CumQuantity"],
            "liquidity_sides": ["Ask"],
            "volume_imbalance_levels": [2],
            "mid_ohlc": False,
        },
    )
    assert pass_columns([p])["a"][4:] == [
        "SpreadBpsTWA",
        "AskCumQuantity1",
        "AskCumQuantity2",
        "AskCumQuantity3",
        "VolumeImbalance2",
    ]


@pytest.mark.parametrize(
    "column, agg",
    [
        ("TradeTotalVolume", "sum"),
        ("TradeBuyVWAP", "vwap"),
        ("TradeTotalOpen", "first"),
        ("MidClose", "last"),
        ("TradeSellHigh", "max"),
        ("MidLow", "min"),
        ("SpreadBps", "mean"),
        ("SecondsInContinuousTrading", "sum"),
        ("L3InsertCountBid", "sum"),
    ],
)
def test_default_reaggregation(column, agg):
    assert default_aggregation(column) == agg


def test_custom_module_registers_without_touching_the_library():
    """A module declared while a demo loads belongs to that demo's scope, not to the process."""
    from typing import ClassVar

    from basalt.config.modules.base import ModuleConfig, register_module

    scope = ModuleScope()
    with scope.declaring():

        @register_module
        class JumpConfig(ModuleConfig):
            module_name: ClassVar[str] = "jumps"
            description: ClassVar[str] = "Price jumps"
            required_tables: ClassVar[tuple[str, ...]] = ("trades",)
            threshold_bps: float = 10.0

            def output_columns(self, ctx):
                return ["JumpCount"]

    assert scope.get("jumps") is JumpConfig and "jumps" not in module_registry()
    data = {
        "START_DATE": "2025-01-02",
        "PASSES": [
            {"name": "a", "modules": ["trade", "jumps"], "jumps_analytics": {"threshold_bps": 25}}
        ],
    }
    cfg = AnalyticsConfig.model_validate(data, context=scope.context())
    assert cfg.module_scope is scope and cfg.PASSES[0].module_scope is scope
    assert cfg.PASSES[0].module_config("jumps").threshold_bps == 25
    assert cfg.pass_columns()["a"][-1] == "JumpCount"
    cfg.PASSES[0].time_bucket_seconds = 300  # an assignment keeps the scope
    assert cfg.PASSES[0].module_config("jumps").threshold_bps == 25
    bad = {
        "START_DATE": "2025-01-02",
        "PASSES": [{"name": "a", "modules": ["jumps"], "jumps_analytics": {"threshold_bps": "x"}}],
    }
    assert "PASSES.0.jumps_analytics.threshold_bps" in errors_by_path(bad, scope)
    elsewhere = errors_by_path(data)  # another demo (the built-ins only)
    assert elsewhere["PASSES.0.modules.1"].startswith("unknown module 'jumps'")


def test_model_errors_stay_pydantic_validation_errors():
    with pytest.raises(ValidationError):
        AnalyticsConfig(START_DATE="2025-01-02", NUM_WORKERS=0)


def test_reaggregation_of_an_unknown_column_is_named():
    errors = errors_by_path(
        {
            "START_DATE": "2025-01-02",
            "PASSES": [
                {"name": "a", "modules": ["trade"]},
                {
                    "name": "b",
                    "modules": ["reaggregate"],
                    "reaggregate_analytics": {"aggregations": {"TradeTotalVolum": "sum"}},
                },
            ],
        }
    )
    message = errors["PASSES.1.reaggregate_analytics.aggregations.TradeTotalVolum"]
    assert "did you mean 'TradeTotalVolume'" in message


# --- what a demo's Dagster definitions need -------------------------------------------------


@pytest.mark.parametrize(
    "timezone, fragment",
    [
        ("Europe", "unknown timezone 'Europe'"),  # a folder of the zone database
        ("europe/london", "did you mean 'Europe/London'?"),
        ("utc", "did you mean 'UTC'?"),
        ("", "unknown timezone ''"),
        ("/etc/localtime", "unknown timezone"),
        ("../etc/passwd", "unknown timezone"),
        ("zone.tab", "unknown timezone"),
    ],
)
def test_timezones_zoneinfo_cannot_load_are_refused(timezone, fragment):
    errors = errors_by_path(
        {"START_DATE": "2025-01-02", "SCHEDULES": [{"name": "n", "timezone": timezone}]}
    )
    assert fragment in errors["SCHEDULES.0.timezone"]


@pytest.mark.parametrize("timezone", ["UTC", "Europe/London", "America/New_York", "Etc/GMT+5"])
def test_iana_timezones_are_accepted(timezone):
    config, issues = validate_data(
        {"START_DATE": "2025-01-02", "SCHEDULES": [{"name": "n", "timezone": timezone}]}
    )
    assert issues == [] and config is not None


@pytest.mark.parametrize(
    "dates, path",
    [
        ({"START_DATE": "0001-01-01"}, "START_DATE"),
        ({"START_DATE": "0999-12-31"}, "START_DATE"),
        ({"START_DATE": "9999-12-31"}, "START_DATE"),
        ({"START_DATE": "2025-01-02", "END_DATE": "9999-12-31"}, "END_DATE"),
    ],
)
def test_dates_outside_dagsters_partitions_are_refused(dates, path):
    errors = errors_by_path(dates)
    assert "is out of range: dates run from 1001-01-01 to 9998-12-31" in errors[path]


def test_dates_inside_the_range_are_accepted():
    config, issues = validate_data({"START_DATE": "1001-01-01", "END_DATE": "9998-12-31"})
    assert issues == [] and config is not None


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("mic=XL\tON", "contains '\\t'"),
        ("mic=XLON\n", "contains '\\n'"),
        ("custom=a/../../b", "a universe names a folder of the output path"),
        ("mic=XLON\\XPAR", "contains '\\\\'"),
    ],
)
def test_universes_that_cannot_be_keys_or_folders_are_refused(spec, fragment):
    errors = errors_by_path({"START_DATE": "2025-01-02", "UNIVERSE": spec})
    assert fragment in errors["UNIVERSE"]
    errors = errors_by_path(
        {
            "START_DATE": "2025-01-02",
            "SCHEDULES": [{"name": "n", "partitions": [{"universe": spec}]}],
        }
    )
    assert fragment in errors["SCHEDULES.0.partitions.0.universe"]


@pytest.mark.parametrize(
    "template, fragment",
    [
        ("/data/{pass}.parquet", "path template is absolute"),
        ("~/out/{pass}.parquet", "path template is absolute"),
        ("C:/out/{pass}.parquet", "path template is absolute"),
        ("{output_dir}/../{pass}.parquet", "'..' in the path template"),
        ("{output_dir}\\..\\{pass}.parquet", "'..' in the path template"),
        ("{output_dir}/{pass!r}.parquet", "placeholder {pass!r} takes no conversion or format"),
        ("{output_dir}/{start_date:%Y}/{pass}", "placeholder {start_date:%Y} takes no"),
        ("{output_dir}/{pass}\x00.parquet", "contains '\\x00'"),
        ("{output_dir}/{pass}.{", "malformed path template"),
    ],
)
def test_path_templates_the_writer_cannot_use_are_refused(template, fragment):
    for target in ({"path_template": template}, {"type": "csv", "path_template": template}):
        errors = errors_by_path({"START_DATE": "2025-01-02", "OUTPUT_TARGET": target})
        assert fragment in errors["OUTPUT_TARGET.path_template"]
    errors = errors_by_path(
        {
            "START_DATE": "2025-01-02",
            "PASSES": [{"name": "a", "output": {"path_template": template}}],
        }
    )
    assert fragment in errors["PASSES.0.output.path_template"]


@pytest.mark.parametrize(
    "template",
    ["{output_dir}/{datasetname}/{pass}.parquet", "out/{pass}/{universe}..{end_date}.csv"],
)
def test_relative_path_templates_are_accepted(template):
    config, issues = validate_data(
        {"START_DATE": "2025-01-02", "OUTPUT_TARGET": {"path_template": template}}
    )
    assert issues == [] and config is not None


@pytest.mark.parametrize("name", [".", ".."])
def test_dataset_names_that_are_special_folders_are_refused(name):
    assert (
        "special folder"
        in errors_by_path({"START_DATE": "2025-01-02", "DATASETNAME": name})["DATASETNAME"]
    )


def test_pass_names_that_are_the_same_dagster_asset_point_at_the_second():
    errors = errors_by_path(
        {"START_DATE": "2025-01-02", "PASSES": [{"name": "bars_1m"}, {"name": "bars.1m"}]}
    )
    assert errors == {
        "PASSES.1.name": "pass names 'bars_1m' (PASSES.0.name) and 'bars.1m' are both the "
        "Dagster asset 'bars_1m'; rename one"
    }


def test_enabled_schedules_need_distinct_names():
    errors = errors_by_path(
        {"START_DATE": "2025-01-02", "SCHEDULES": [{"name": "nightly"}, {"name": "nightly"}]}
    )
    assert errors == {
        "SCHEDULES.1.name": "schedule name 'nightly' is already used by SCHEDULES.0.name"
    }
    config, issues = validate_data(
        {
            "START_DATE": "2025-01-02",
            "SCHEDULES": [{"name": "nightly"}, {"name": "nightly", "enabled": False}],
        }
    )
    assert issues == [] and config is not None
