"""Every node kind edited through its widget; what does not parse is refused at the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Button, Input, Select, SelectionList, Switch

from config_ui.core.nodes import FieldNode
from config_ui.tui import build_app
from config_ui.tui.dialogs.save_diff import SaveDiffScreen
from config_ui.tui.fields.factory import FormContext
from config_ui.tui.fields.text_field import TextField
from config_ui.tui.messages import ValueEntered

SIZE = (140, 45)


async def focus_field(app, pilot, path: str):
    assert await app.editor.goto(path)
    await pilot.pause()
    return app.editor.query_one(f"#f-{path.replace('.', '-')}")


async def retype(pilot, field: Input, text: str, *, enter: bool = True) -> None:
    field.focus()
    field.value = ""
    await pilot.press(*text, *(["enter"] if enter else []))
    await pilot.pause()


async def test_int_field_commits_a_value_that_parses(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        field = await focus_field(app, pilot, "PASSES.0.time_bucket_seconds")
        await wait_for(pilot, lambda: app.focused is field)  # one pause is not enough when loaded
        await retype(pilot, field, "120")
        await wait_for(pilot, lambda: app.session.value("PASSES.0.time_bucket_seconds") == 120)
        assert "time_bucket_seconds: 120" in app.session.document.text


async def test_int_field_commits_after_a_pause_without_enter(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        field = await focus_field(app, pilot, "PASSES.0.time_bucket_seconds")
        await retype(pilot, field, "90", enter=False)
        await wait_for(pilot, lambda: app.session.value("PASSES.0.time_bucket_seconds") == 90)
        assert field.value == "90"


async def test_text_that_does_not_parse_is_refused_at_the_field(multi_pass, wait_for, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        field = await focus_field(app, pilot, "PASSES.0.time_bucket_seconds")
        error = app.editor.query_one("#e-PASSES-0-time_bucket_seconds")
        await retype(pilot, field, "12x")
        assert "'12x' is not a whole number" in text_of(error)
        assert error.display
        assert field.has_class("-rejected")
        assert app.session.value("PASSES.0.time_bucket_seconds") == 300
        assert not app.session.dirty
        assert "1 error" in text_of(app.editor.query_one("#status"))
        await retype(pilot, field, "-5")
        assert "must be > 0" in text_of(error)
        assert not app.session.dirty
        await retype(pilot, field, "60")
        await wait_for(pilot, lambda: app.session.value("PASSES.0.time_bucket_seconds") == 60)
        assert text_of(error) == ""
        assert not error.display
        assert "no errors" in text_of(app.editor.query_one("#status"))


async def test_str_field(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        field = await focus_field(app, pilot, "DATASETNAME")
        await retype(pilot, field, "hourly_totals")
        await wait_for(pilot, lambda: app.session.value("DATASETNAME") == "hourly_totals")
        assert "DATASETNAME: hourly_totals" in app.session.document.text


async def test_date_field_and_an_error_from_the_whole_config(multi_pass, wait_for, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        field = await focus_field(app, pilot, "END_DATE")
        error = app.editor.query_one("#e-END_DATE")
        await retype(pilot, field, "2025-13-01")
        assert "is not a date (YYYY-MM-DD)" in text_of(error)
        await retype(pilot, field, "2025-01-06")
        await wait_for(pilot, lambda: app.session.value("END_DATE") == dt.date(2025, 1, 6))
        await retype(pilot, field, "2024-12-31")
        await wait_for(pilot, lambda: app.session.value("END_DATE") == dt.date(2024, 12, 31))
        assert "before START_DATE" in text_of(error)
        assert "1 error" in text_of(app.editor.query_one("#status"))


async def test_bool_switch(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        switch = await focus_field(app, pilot, "EXCLUDE_WEEKENDS")
        assert isinstance(switch, Switch) and switch.value is True
        await pilot.click(switch)
        await wait_for(pilot, lambda: app.session.value("EXCLUDE_WEEKENDS") is False)
        assert "EXCLUDE_WEEKENDS: false" in app.session.document.text


async def test_enum_select(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        select = await focus_field(app, pilot, "LOGGING_LEVEL")
        assert isinstance(select, Select) and select.value == "INFO"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.session.value("LOGGING_LEVEL") == "WARNING")
        assert "LOGGING_LEVEL: WARNING" in app.session.document.text


async def test_optional_field_unset_then_reset(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        select = await focus_field(app, pilot, "BATCH_FREQ")
        select.value = "W"
        await wait_for(pilot, lambda: app.session.value("BATCH_FREQ") == "W")
        await app.editor.run_action("unset_field('BATCH_FREQ')")
        await wait_for(pilot, lambda: "BATCH_FREQ" not in app.session.document.text)
        assert select.value is Select.NULL  # unset is reset: the key left the YAML
        assert app.session.node_for("BATCH_FREQ").origin == "default"


async def test_multi_selection_list(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        widget = await focus_field(app, pilot, "TABLES_TO_LOAD")
        assert isinstance(widget, SelectionList)
        await wait_for(pilot, lambda: app.focused is widget)  # one pause is not enough when loaded
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.value("TABLES_TO_LOAD") == ["trades"])
        await pilot.press("down", "down", "space")
        await wait_for(pilot, lambda: app.session.value("TABLES_TO_LOAD") == ["trades", "l3"])
        await pilot.press("up", "up", "space")
        await wait_for(pilot, lambda: app.session.value("TABLES_TO_LOAD") == ["l3"])


async def test_list_of_numbers_after_enabling_a_module(multi_pass, wait_for, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await focus_field(app, pilot, "PASSES.0.modules")
        assert not app.editor.query("#f-PASSES-0-l2_analytics-volume_imbalance_levels")
        picker.highlighted = [o.value for o in picker._options].index("l2")
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.value("PASSES.0.modules") == ["trade", "l2"])
        await wait_for(
            pilot,
            lambda: bool(app.editor.query("#f-PASSES-0-l2_analytics-volume_imbalance_levels")),
        )
        field = app.editor.query_one("#f-PASSES-0-l2_analytics-volume_imbalance_levels", Input)
        assert field.value == "1, 5"
        await retype(pilot, field, "1, x")
        error = app.editor.query_one("#e-PASSES-0-l2_analytics-volume_imbalance_levels")
        assert "whole number" in text_of(error)
        await retype(pilot, field, "1, 3, 10")
        await wait_for(
            pilot,
            lambda: (
                app.session.value("PASSES.0.l2_analytics.volume_imbalance_levels") == [1, 3, 10]
            ),
        )


async def test_model_group_counts_errors_when_collapsed(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        group = await focus_field(app, pilot, "PASSES.1.reaggregate_analytics")
        assert not group.collapsed
        await app.editor.apply(
            lambda: app.session.set("PASSES.1.reaggregate_analytics.source_pass", "nope")
        )
        errors = app.session.node_for("PASSES.1.reaggregate_analytics").error_count()
        assert errors >= 1
        assert "error" not in group.title
        group.collapsed = True
        await pilot.pause()
        assert f"✖ {errors} error" in group.title
        assert app.editor.ctx.collapsed["PASSES.1.reaggregate_analytics"] is True


async def test_model_list_add_duplicate_move_remove(ohlcv, wait_for):
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await focus_field(app, pilot, "SCHEDULES")
        item = app.editor.query_one("#f-SCHEDULES-0")
        assert "nightly_xlon" in item.title
        await pilot.click("#add-SCHEDULES")
        await wait_for(pilot, lambda: len(app.session.value("SCHEDULES")) == 2)
        await wait_for(pilot, lambda: bool(app.editor.query("#f-SCHEDULES-1")))
        new = app.editor.query_one("#f-SCHEDULES-1")
        assert not new.collapsed and "schedule_2" in new.title

        def button(index: int, action: str) -> Button:
            item = app.editor.query_one(f"#f-SCHEDULES-{index}")
            return next(b for b in item.query(Button) if b.name == f"{action}:{index}")

        button(0, "duplicate").press()
        await wait_for(pilot, lambda: len(app.session.value("SCHEDULES")) == 3)
        names = lambda: [s["name"] for s in app.session.value("SCHEDULES")]  # noqa: E731
        assert names() == ["nightly_xlon", "nightly_xlon_copy", "schedule_2"]
        await pilot.pause()
        button(0, "down").press()
        await wait_for(
            pilot, lambda: names() == ["nightly_xlon_copy", "nightly_xlon", "schedule_2"]
        )
        await pilot.pause()
        button(2, "up").press()
        await wait_for(
            pilot, lambda: names() == ["nightly_xlon_copy", "schedule_2", "nightly_xlon"]
        )
        await pilot.pause()
        button(0, "remove").press()
        await wait_for(pilot, lambda: names() == ["schedule_2", "nightly_xlon"])
        await pilot.pause()
        assert "1. schedule_2" in app.editor.query_one("#f-SCHEDULES-0").title
        assert "2 items" in str(app.editor.query_one("#f-SCHEDULES .list-count").render())


async def test_dict_rows_add_edit_remove(multi_pass, wait_for, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        path = "PASSES.1.reaggregate_analytics.aggregations"
        await focus_field(app, pilot, path)
        key = app.editor.query_one("#k-PASSES-1-reaggregate_analytics-aggregations", Input)
        value = app.editor.query_one("#v-PASSES-1-reaggregate_analytics-aggregations", Input)
        key.value, value.value = "TradeTotalVolume", "avg"
        value.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "not one of" in text_of(
            app.editor.query_one("#e-PASSES-1-reaggregate_analytics-aggregations")
        )
        assert app.session.value(path) in ({}, None)
        value.value = "sum"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.value(path) == {"TradeTotalVolume": "sum"})
        row_id = "#f-PASSES-1-reaggregate_analytics-aggregations-TradeTotalVolume"
        await wait_for(pilot, lambda: bool(app.editor.query(row_id)))
        row = app.editor.query_one(row_id, Select)
        row.value = "max"
        await wait_for(pilot, lambda: app.session.value(path) == {"TradeTotalVolume": "max"})
        row.focus()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not app.session.value(path))
        await wait_for(pilot, lambda: not app.editor.query(row_id))


async def test_union_switch_a_b_a_restores_values(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        variant = await focus_field(app, pilot, "OUTPUT_TARGET")
        assert variant.value == "parquet"
        app.editor.query_one("#f-OUTPUT_TARGET-compression", Select).value = "gzip"
        await wait_for(pilot, lambda: app.session.value("OUTPUT_TARGET.compression") == "gzip")
        variant.value = "csv"
        await wait_for(pilot, lambda: bool(app.editor.query("#f-OUTPUT_TARGET-separator")))
        assert not app.editor.query("#f-OUTPUT_TARGET-compression")
        separator = app.editor.query_one("#f-OUTPUT_TARGET-separator", Input)
        await retype(pilot, separator, ";")
        await wait_for(pilot, lambda: app.session.value("OUTPUT_TARGET.separator") == ";")
        app.editor.query_one("#f-OUTPUT_TARGET", Select).value = "parquet"
        await wait_for(pilot, lambda: bool(app.editor.query("#f-OUTPUT_TARGET-compression")))
        assert app.session.value("OUTPUT_TARGET.compression") == "gzip"
        await wait_for(
            pilot,
            lambda: app.editor.query_one("#f-OUTPUT_TARGET-compression", Select).value == "gzip",
        )
        app.editor.query_one("#f-OUTPUT_TARGET", Select).value = "csv"
        await wait_for(pilot, lambda: bool(app.editor.query("#f-OUTPUT_TARGET-separator")))
        assert app.session.value("OUTPUT_TARGET.separator") == ";"
        assert app.editor.query_one("#f-OUTPUT_TARGET-separator", Input).value == ";"


async def test_unknown_key_is_shown_read_only_and_kept(multi_pass, wait_for, text_of):
    yaml_path = multi_pass.with_suffix(".yaml")
    yaml_path.write_text(yaml_path.read_text() + "  MY_NOTE: keep me  # ours\n")
    app = build_app(multi_pass, watch=False, diff_before_save=False)
    async with app.run_test(size=SIZE) as pilot:
        shown = await focus_field(app, pilot, "MY_NOTE")
        assert "keep me" in text_of(shown)
        assert "not in the schema, kept" in text_of(shown)
        assert not shown.can_focus
        field = await focus_field(app, pilot, "DATASETNAME")
        await retype(pilot, field, "renamed")
        await pilot.press("ctrl+s")  # an unknown key is an error: saving it is a choice
        await wait_for(pilot, lambda: isinstance(app.screen, SaveDiffScreen))
        await pilot.click("#save-with-errors")
        await wait_for(pilot, lambda: not app.session.dirty)
    assert "  MY_NOTE: keep me  # ours\n" in yaml_path.read_text()
    assert "DATASETNAME: renamed" in yaml_path.read_text()


async def test_origin_shown_and_reset_to_default(multi_pass, wait_for, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        field = await focus_field(app, pilot, "DATASETNAME")
        meta = field.parent.query_one(".field-meta")
        assert text_of(meta).startswith("yaml")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "DATASETNAME" not in app.session.document.text)
        assert app.session.node_for("DATASETNAME").origin == "python"
        assert text_of(meta).startswith("script")
        assert field.value == "multi_pass"


async def test_help_panel_describes_the_focused_field(multi_pass, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await focus_field(app, pilot, "PASSES.0.time_bucket_seconds")
        await pilot.pause()
        help_text = text_of(app.editor.query_one("#help-text"))
        node = app.session.node_for("PASSES.0.time_bucket_seconds")
        assert node.help[:30] in help_text
        assert "integer > 0" in help_text
        assert "Default  60" in help_text
        assert "Value from  script" in help_text


class FloatHarness(App):
    """The schema has no float field: host a float node's widget on its own."""

    def __init__(self, node: FieldNode) -> None:
        super().__init__()
        self.node = node
        self.entered: list[ValueEntered] = []

    def compose(self) -> ComposeResult:
        yield TextField(self.node, FormContext(session=None))  # type: ignore[arg-type]

    def on_value_entered(self, message: ValueEntered) -> None:
        self.entered.append(message)


async def test_float_field(wait_for, text_of):
    node = FieldNode(path="ratio", kind="float", label="Ratio", value=0.5, constraints={"gt": 0})
    app = FloatHarness(node)
    async with app.run_test() as pilot:
        field = app.query_one("#f-ratio", Input)
        await retype(pilot, field, "abc")
        assert "'abc' is not a number" in text_of(app.query_one("#e-ratio"))
        await retype(pilot, field, "0")
        assert "must be > 0" in text_of(app.query_one("#e-ratio"))
        await retype(pilot, field, "2.5")
        await wait_for(pilot, lambda: bool(app.entered))
        assert (app.entered[-1].path, app.entered[-1].value) == ("ratio", 2.5)


def test_copied_demo_is_outside_the_repository(multi_pass: Path):
    assert "demo" in multi_pass.parts and multi_pass.exists()
    assert not str(multi_pass).startswith(str(Path(__file__).resolve().parents[3] / "demo"))
