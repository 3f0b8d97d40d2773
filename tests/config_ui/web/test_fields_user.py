"""Every node kind, rendered and edited through NiceGUI's simulated user."""

from __future__ import annotations

import pytest

from config_ui.web import rendered_fields

pytestmark = [pytest.mark.anyio, pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py")]


def yaml_text(web_project) -> str:
    return web_project.yaml.read_text()


@pytest.mark.parametrize(
    "demo",
    [
        pytest.param(name, marks=pytest.mark.web_demo(name))
        for name in ("02_spreads_depth", "03_custom_metric", "05_multi_pass")
    ],
)
async def test_every_rendered_field_has_a_view(user, tab, demo: str) -> None:
    """The page shows every path ``rendered_fields`` promises (sections, passes, Advanced)."""
    await user.open("/")
    ctrl = tab.ctrl
    fields = rendered_fields(ctrl.session)
    if demo == "02_spreads_depth":
        kinds = set(fields.values())
        assert kinds >= {
            "bool",
            "int",
            "str",
            "date",
            "enum",
            "multi",
            "list",
            "model",
            "model_list",
            "dict",
            "union",
        }
    for path, kind in fields.items():
        with user:
            assert ctrl.goto(path), path
        view = ctrl.views.get(path)
        assert view is not None, f"{path} ({kind}) not rendered"
        assert view.wrapper.props["data-path"] == path
        assert view.wrapper.props["data-kind"] == kind
        assert view.error_label.props["data-error-for"] == path


async def test_int_field_refuses_bad_text_at_the_field(user, tab, web_project) -> None:
    await user.open("/")
    path = "PASSES.0.time_bucket_seconds"
    tab.type(path, "abc", commit=False)
    await user.should_see(marker=f"error:{path}")
    assert tab.error(path) == "'abc' is not a whole number"
    tab.type(path, "-5")
    assert tab.error(path) == "must be > 0"
    assert not tab.ctrl.session.dirty  # refused values never reach the YAML
    tab.type(path, "120")
    await user.should_not_see(marker=f"error:{path}")
    assert tab.ctrl.session.value(path) == 120
    assert "time_bucket_seconds: 120" in tab.ctrl.session.document.text


async def test_str_field_shows_schema_errors_beside_it(user, tab) -> None:
    await user.open("/")
    tab.type("DATASETNAME", "bad name!")
    await user.should_see(marker="error:DATASETNAME")
    assert "DATASETNAME" not in tab.error("DATASETNAME") or tab.error("DATASETNAME")
    assert tab.ctrl.has_errors
    tab.type("DATASETNAME", "good_name")
    await user.should_not_see(marker="error:DATASETNAME")
    assert tab.ctrl.session.value("DATASETNAME") == "good_name"


async def test_date_field(user, tab) -> None:
    await user.open("/")
    tab.type("START_DATE", "2025-02-30", commit=False)
    await user.should_see("'2025-02-30' is not a date (YYYY-MM-DD)")
    tab.type("START_DATE", "2025-01-03")
    assert str(tab.ctrl.session.value("START_DATE")) == "2025-01-03"
    with user:
        picker = tab.ctrl.views["END_DATE"].picker
        picker.value = "2025-01-07"  # picking in the calendar applies at once
    assert str(tab.ctrl.session.value("END_DATE")) == "2025-01-07"
    assert tab.ctrl.views["END_DATE"].input.value == "2025-01-07"


async def test_bool_enum_and_multi_fields(user, tab) -> None:
    await user.open("/")
    user.find(marker="EXCLUDE_WEEKENDS").click()
    await tab.settle()
    assert tab.ctrl.session.value("EXCLUDE_WEEKENDS") is False
    tab.click("section:Advanced")
    await tab.pick("LOGGING_LEVEL", "DEBUG")
    assert "LOGGING_LEVEL: DEBUG" in tab.ctrl.session.document.text
    tab.click("section:Performance")
    await user.should_see(marker="field:BATCH_FREQ")
    await tab.pick("BATCH_FREQ", "W")
    assert tab.ctrl.session.value("BATCH_FREQ") == "W"
    await tab.pick("BATCH_FREQ", "__unset__")  # back to unset: the key leaves the YAML
    assert tab.ctrl.session.value("BATCH_FREQ") is None
    assert "BATCH_FREQ" not in tab.ctrl.session.document.text
    await tab.pick("TABLES_TO_LOAD", ["trades", "l2"])
    assert tab.ctrl.session.value("TABLES_TO_LOAD") == ["trades", "l2"]


@pytest.mark.web_demo("02_spreads_depth")
async def test_list_field_is_comma_separated(user, tab) -> None:
    await user.open("/")
    path = "PASSES.0.l2_analytics.volume_imbalance_levels"
    await user.should_see(marker=path)
    assert tab.ctrl.views[path].input.value == "1, 5"
    tab.type(path, "1, 3, x", commit=False)
    await user.should_see("every item must be a whole number")
    tab.type(path, "1, 3, 10")
    assert tab.ctrl.session.value(path) == [1, 3, 10]


async def test_model_list_add_duplicate_move_remove(user, tab) -> None:
    await user.open("/")
    tab.click("section:Automation")
    await user.should_see(marker="field:SCHEDULES.0")
    session = tab.ctrl.session
    tab.click("add:SCHEDULES")
    assert [s["name"] for s in session.value("SCHEDULES")] == ["nightly_xlon", "schedule_2"]
    tab.click("duplicate:SCHEDULES.0")
    assert [s["name"] for s in session.value("SCHEDULES")] == [
        "nightly_xlon",
        "nightly_xlon_copy",
        "schedule_2",
    ]
    tab.click("move-down:SCHEDULES.0")
    assert [s["name"] for s in session.value("SCHEDULES")] == [
        "nightly_xlon_copy",
        "nightly_xlon",
        "schedule_2",
    ]
    tab.click("move-up:SCHEDULES.2")
    assert [s["name"] for s in session.value("SCHEDULES")] == [
        "nightly_xlon_copy",
        "schedule_2",
        "nightly_xlon",
    ]
    tab.click("remove:SCHEDULES.0")
    assert [s["name"] for s in session.value("SCHEDULES")] == ["schedule_2", "nightly_xlon"]
    await user.should_see(marker="field:SCHEDULES.1.partitions.0.date")
    await user.should_not_see(marker="field:SCHEDULES.2")


@pytest.mark.web_demo("05_multi_pass")
async def test_dict_rows_add_change_remove(user, tab) -> None:
    await user.open("/")
    tab.click("pass-card:1")
    path = "PASSES.1.module_inputs"
    await user.should_see(marker=f"field:{path}")
    with user:
        view = tab.ctrl.views[path]
        assert view.new_key.options == ["reaggregate"]  # keys: this pass's modules
        assert view.new_value.props["_autocomplete"][:2] == [
            "bars_5m",
            "trades",
        ]  # earlier passes, tables
    await tab.pick(f"new-key:{path}", "reaggregate")
    tab.user.find(marker=f"new-value:{path}").type("bars_5m")
    tab.click(f"add:{path}")
    assert tab.ctrl.session.value(path) == {"reaggregate": "bars_5m"}
    await user.should_see(marker=f"field:{path}.reaggregate")
    tab.type(f"{path}.reaggregate", "trades")
    assert tab.ctrl.session.value(path) == {"reaggregate": "trades"}
    tab.click(f"reset:{path}.reaggregate")
    assert tab.ctrl.session.value(path) == {}
    agg = "PASSES.1.reaggregate_analytics.aggregations"
    tab.user.find(marker=f"new-key:{agg}").type("TradeTotalVolume")
    await tab.pick(f"new-value:{agg}", "max")
    tab.click(f"add:{agg}")
    assert tab.ctrl.session.value(agg) == {"TradeTotalVolume": "max"}
    await tab.pick(f"{agg}.TradeTotalVolume", "sum")
    assert tab.ctrl.session.value(agg) == {"TradeTotalVolume": "sum"}


async def test_union_switches_variant_and_back(user, tab) -> None:
    await user.open("/")
    tab.click("section:Outputs")
    await user.should_see(marker="field:OUTPUT_TARGET.compression")
    await tab.pick("OUTPUT_TARGET.compression", "lz4")
    await tab.pick("OUTPUT_TARGET", "csv")
    assert tab.ctrl.session.value("OUTPUT_TARGET")["type"] == "csv"
    await user.should_not_see(marker="field:OUTPUT_TARGET.compression")
    await tab.pick("OUTPUT_TARGET", "parquet")
    assert tab.ctrl.session.value("OUTPUT_TARGET")["compression"] == "lz4"  # restored
    with user:
        tab.ctrl.goto("PASSES.0.output")
    await user.should_see(marker="field:PASSES.0.output")
    await tab.pick("PASSES.0.output", "csv")
    assert tab.ctrl.session.value("PASSES.0.output")["type"] == "csv"
    await tab.pick("PASSES.0.output", "__unset__")
    assert tab.ctrl.session.value("PASSES.0.output") is None


async def test_unknown_keys_are_shown_and_kept(user, tab, web_project) -> None:
    text = yaml_text(web_project).replace(
        "  LOGGING_LEVEL: INFO", "  LOGGING_LEVEL: INFO\n  MY_NOTE: [a, 1]"
    )
    web_project.yaml.write_text(text)
    await user.open("/")
    tab.click("section:Advanced")
    await user.should_see(marker="field:MY_NOTE")
    await user.should_see("a, 1")
    tab.type("DATA_DIR", "/tmp/data")
    assert "MY_NOTE: [a, 1]" in tab.ctrl.session.document.text  # kept on edits
    tab.click("reset:MY_NOTE")
    assert "MY_NOTE" not in tab.ctrl.session.document.text


@pytest.mark.web_demo("03_custom_metric")
async def test_float_field_of_a_custom_module(user, tab) -> None:
    await user.open("/")
    path = "PASSES.0.large_trades_analytics.large_trade_threshold"
    await user.should_see(
        "Count and volume share of trades above a notional threshold"
    )  # in the picker
    await user.should_see(marker=path)
    assert tab.ctrl.views[path].input.value == "50000"
    tab.type(path, "-1")
    assert tab.error(path) == "must be > 0"
    tab.type(path, "1e4")
    await user.should_not_see(marker=f"error:{path}")
    assert tab.ctrl.session.value(path) == 10000.0
    assert "large_trade_threshold: 10000.0" in tab.ctrl.session.document.text
    await user.should_see(marker="column:LargeTradeShare")
