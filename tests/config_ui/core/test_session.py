"""The form model and the editing session: node kinds, operations, errors, undo, save, disk."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest

from basalt.config import AnalyticsConfig, DocumentError
from config_ui.core.field_input import InputError, parse_input
from config_ui.core.form_builder import build_form
from config_ui.core.session import EditorSession, InvalidConfig, ReadOnlyError, SaveConflict

REPO = Path(__file__).resolve().parents[3]


def kinds(session: EditorSession) -> dict[str, str]:
    return {n.path: n.kind for n in session.root.walk() if n.path}


def test_every_kind_appears_in_the_form(session):
    found = kinds(session)
    assert found["EXCLUDE_WEEKENDS"] == "bool"
    assert found["NUM_WORKERS"] == "int"
    assert found["DATASETNAME"] == "str"
    assert found["START_DATE"] == "date"
    assert found["BATCH_FREQ"] == "enum" and found["LOGGING_LEVEL"] == "enum"  # Literal and Enum
    assert found["TABLES_TO_LOAD"] == "multi"
    assert found["PASSES.0.trade_analytics.generic_metrics.0.sides"] == "multi"  # X | list[X]
    assert found["PASSES.0.l2_analytics.volume_imbalance_levels"] == "list"
    assert found["PASSES.0.trade_analytics"] == "model"
    assert found["PASSES"] == "model_list"
    assert found["PASSES.0.module_inputs"] == "dict"
    assert found["OUTPUT_TARGET"] == "union"
    node = session.node_for("BATCH_FREQ")
    assert node.nullable and node.choices == ["D", "W", "2W", "M", "A"]
    bounds = session.node_for("PASSES.0.l2_analytics.levels")
    assert bounds.constraints == {"ge": 1, "le": 10} and bounds.type_text == "integer >= 1 <= 10"


def test_values_origins_and_summaries(session):
    assert session.node_for("DATASETNAME").origin == "yaml"
    assert session.node_for("PASSES").origin == "python"
    assert session.node_for("EXCLUDE_WEEKENDS").origin == "default"
    assert session.node_for("START_DATE").value == dt.date(2025, 1, 2)
    assert session.node_for("PASSES.0").summary.startswith("bars_1m")
    assert session.node_for("PASSES.0.trade_analytics.generic_metrics.0.sides").value == ["Total"]


def test_depends_on_hides_and_shows(session):
    assert session.node_for("PASSES.0.trade_analytics").visible
    assert not session.node_for("PASSES.0.l2_analytics").visible
    session.set("PASSES.0.modules", ["trade", "l2"])
    assert session.node_for("PASSES.0.l2_analytics").visible


def test_valid_file_shows_no_errors_and_touched_fields_do(session):
    assert session.visible_errors() == []
    session.set("END_DATE", dt.date(2024, 1, 1))
    session.set("NUM_WORKERS", 0)
    assert [p for p, _ in session.visible_errors()] == ["END_DATE", "NUM_WORKERS"]
    session.set("NUM_WORKERS", 2)
    assert [p for p, _ in session.visible_errors()] == ["END_DATE"]


def test_untouched_errors_wait_for_a_save_attempt(session):
    session.document.set("NUM_WORKERS", 0)  # behind the session's back: nobody touched it
    session.refresh()
    assert session.issues and session.visible_errors() == []
    with pytest.raises(InvalidConfig):
        session.save()
    assert session.visible_errors()[0][0] == "NUM_WORKERS"


def test_errors_land_on_the_nearest_container(session):
    session.set("PASSES.0.modules", ["trade", "trade"])
    assert ("PASSES.0.modules", "module 'trade' is listed twice") in session.visible_errors()
    collapsed = session.node_for("PASSES.0")
    assert collapsed.error_count() == 1 and session.node_for("PASSES").error_count() == 1


def test_set_reset_and_exact_line_change(session, demo):
    before = demo.with_suffix(".yaml").read_text()
    session.set("UNIVERSE", "index=SYN20")
    session.save()
    after = demo.with_suffix(".yaml").read_text()
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [
        (
            "  UNIVERSE: mic=XLON       # try index=SYN20 or mic=XLON+index=SYN20",
            "  UNIVERSE: index=SYN20       # try index=SYN20 or mic=XLON+index=SYN20",
        )
    ]
    session.reset("LOGGING_LEVEL")
    assert "LOGGING_LEVEL" not in session.document.text
    assert session.node_for("LOGGING_LEVEL").origin == "default"


def test_optional_can_be_unset(session):
    session.set("BATCH_FREQ", "W")
    assert session.node_for("BATCH_FREQ").value == "W"
    session.set("BATCH_FREQ", None)  # unset: the key leaves the YAML
    assert session.node_for("BATCH_FREQ").value is None
    assert "BATCH_FREQ" not in session.document.text
    session.set_null("BATCH_FREQ")  # the explicit None choice writes null
    assert "BATCH_FREQ: null" in session.document.text


def test_list_of_models_edits(session):
    session.add_item("PASSES")
    session.duplicate_item("PASSES", 0)
    names = [p["name"] for p in session.value("PASSES")]
    assert names == ["bars_1m", "bars_1m_copy", "pass_2"]
    session.move_item("PASSES", 2, 0)
    session.remove_item("PASSES", 1)
    assert [p["name"] for p in session.value("PASSES")] == ["pass_2", "bars_1m_copy"]
    assert session.config is not None  # still valid


def test_dict_rows(session):
    session.set("PASSES.0.modules", ["trade", "l2"])
    session.set_entry("PASSES.0.module_inputs", "trade", "trades")
    assert session.node_for("PASSES.0.module_inputs.trade").value == "trades"
    session.remove_entry("PASSES.0.module_inputs", "trade")
    assert session.node_for("PASSES.0.module_inputs").children == []


def test_union_switch_restores_and_saves_only_the_active_variant(session):
    session.set("OUTPUT_TARGET.compression", "gzip")
    session.switch_variant("OUTPUT_TARGET", "csv")
    session.set("OUTPUT_TARGET.separator", ";")
    assert session.document.get("OUTPUT_TARGET") == {"type": "csv", "separator": ";"}
    session.switch_variant("OUTPUT_TARGET", "parquet")
    assert session.document.get("OUTPUT_TARGET") == {"compression": "gzip"}
    session.switch_variant("OUTPUT_TARGET", "csv")
    assert session.document.get("OUTPUT_TARGET")["separator"] == ";"


def test_undo_redo(session):
    original = session.document.text
    session.set("DATASETNAME", "one")
    session.set("DATASETNAME", "two")
    assert session.undo() and session.node_for("DATASETNAME").value == "one"
    assert session.undo() and session.document.text == original and not session.dirty
    assert session.redo() and session.node_for("DATASETNAME").value == "one"
    session.set("DATASETNAME", "three")
    assert not session.redo()  # a new edit clears the redo history


def test_diff_before_save(session):
    session.set("END_DATE", dt.date(2025, 1, 10))
    diff = session.diff()
    assert "-  END_DATE: 2025-01-03" in diff and "+  END_DATE: 2025-01-10" in diff


def test_save_conflict_and_external_changes(session, demo):
    yaml = demo.with_suffix(".yaml")
    yaml.write_text(yaml.read_text().replace("ohlcv_bars", "theirs"))
    change = session.on_disk_change(yaml.read_text())
    assert change.reloaded and session.node_for("DATASETNAME").value == "theirs"
    session.set("DATASETNAME", "mine")
    time.sleep(0.01)
    yaml.write_text(yaml.read_text().replace("theirs", "again"))
    change = session.on_disk_change(yaml.read_text())
    assert (
        change.conflict
        and "-  DATASETNAME: again" in change.diff
        and "+  DATASETNAME: mine" in change.diff
    )
    with pytest.raises(SaveConflict):
        session.save()
    assert "again" in yaml.read_text()
    session.save(overwrite=True)
    assert "DATASETNAME: mine" in yaml.read_text()


def test_unknown_keys_are_shown_and_kept(demo):
    yaml = demo.with_suffix(".yaml")
    yaml.write_text(
        yaml.read_text().replace(
            "  LOGGING_LEVEL: INFO", "  LOGGING_LEVEL: INFO\n  MY_NOTE: keep me"
        )
    )
    session = EditorSession.open(demo)
    node = session.node_for("MY_NOTE")
    assert node.kind == "unknown" and node.value == "keep me"
    assert session.visible_errors() == [("MY_NOTE", "unknown key (not in the schema)")]
    session.set("DATASETNAME", "x")
    session.save(allow_errors=True)  # an unknown key is an error: saved only when told
    assert "MY_NOTE: keep me" in yaml.read_text()


def test_missing_yaml_is_created_with_the_wrapper(tmp_path):
    shutil.copy(REPO / "demo" / "01_ohlcv_bars.py", tmp_path)
    session = EditorSession.open(tmp_path / "01_ohlcv_bars.py")
    text = (tmp_path / "01_ohlcv_bars.yaml").read_text()
    assert "USER_CONFIG:" in text and text.startswith("# Overrides")
    session.set("DATASETNAME", "fresh")
    session.save()
    assert "  DATASETNAME: fresh" in (tmp_path / "01_ohlcv_bars.yaml").read_text()


def test_bad_yaml_raises_with_line(demo):
    demo.with_suffix(".yaml").write_text("USER_CONFIG:\n  A: 1\n  A: 2\n")
    with pytest.raises(DocumentError) as err:
        EditorSession.open(demo)
    assert err.value.line == 3


def test_read_only_session_refuses_edits(session, monkeypatch):
    session.read_only = True
    with pytest.raises(ReadOnlyError):
        session.set("DATASETNAME", "x")


def test_search_and_next_error(session):
    assert "PASSES.0.time_bucket_seconds" in [n.path for n in session.search("bucket length")]
    session.set("NUM_WORKERS", 0)
    session.set("DATASETNAME", "")
    first = session.next_error()
    assert first == "DATASETNAME"
    assert session.next_error(first) == "NUM_WORKERS"
    assert session.next_error("NUM_WORKERS") == "DATASETNAME"


def test_pass_helpers(session):
    session.add_item(
        "PASSES", {"name": "hourly", "time_bucket_seconds": 3600, "modules": ["reaggregate"]}
    )
    cards = session.pass_cards()
    assert [(c.name, c.column_count) for c in cards] == [("bars_1m", 15), ("hourly", 15)]
    assert session.pass_columns(1)[4:6] == ["TradeTotalOpen", "TradeTotalHigh"]
    assert session.module_input_choices(1)[:2] == ["bars_1m", "trades"]


@pytest.mark.parametrize(
    "path, text, expected",
    [
        ("NUM_WORKERS", "4", 4),
        ("EXCLUDE_WEEKENDS", "no", False),
        ("START_DATE", "2025-02-03", dt.date(2025, 2, 3)),
        ("BATCH_FREQ", "unset", None),
        ("TABLES_TO_LOAD", "trades, l2", ["trades", "l2"]),
        ("PASSES.0.l2_analytics.volume_imbalance_levels", "1, 3", [1, 3]),
    ],
)
def test_parse_input_accepts(session, path, text, expected):
    assert parse_input(session.node_for(path), text) == expected


@pytest.mark.parametrize(
    "path, text, message",
    [
        ("NUM_WORKERS", "four", "not a whole number"),
        ("PASSES.0.l2_analytics.levels", "11", "<= 10"),
        ("START_DATE", "2025-13-01", "not a date"),
        ("BATCH_FREQ", "Q", "not one of"),
        ("TABLES_TO_LOAD", "trades, l9", "'l9' is not one of"),
    ],
)
def test_parse_input_refuses_at_the_field(session, path, text, message):
    with pytest.raises(InputError, match=message):
        parse_input(session.node_for(path), text)


def test_build_form_for_ten_passes_every_module():
    passes = [
        {"name": f"p{i}", "modules": ["trade", "l2", "l3", "execution", "marketstate"]}
        for i in range(10)
    ]
    root = build_form(
        AnalyticsConfig, {"START_DATE": "2025-01-02", "PASSES": passes}, lambda p: "yaml"
    )
    assert len(root.find("PASSES").children) == 10
    assert root.find("PASSES.9.l3_analytics.actions").kind == "multi"


def test_custom_module_demo_opens(tmp_path):
    for suffix in (".py", ".yaml"):
        shutil.copy(REPO / "demo" / f"03_custom_metric{suffix}", tmp_path)
    session = EditorSession.open(tmp_path / "03_custom_metric.py")
    node = session.node_for("PASSES.0.large_trades_analytics")
    assert node.kind == "model" and node.help
    assert session.node_for("PASSES.0.large_trades_analytics.large_trade_threshold").value == 50000


def test_demo_03_module_stays_in_demo_03(tmp_path):
    """One process opens demo 03 (which declares ``large_trades``), then demo 01: demo 01
    neither offers nor accepts it, and demo 03 keeps it."""
    from basalt.config.json_schema import demo_yaml_schema
    from basalt.config.modules.base import module_registry
    from basalt.config.validation import validate_resolved

    schema = demo_yaml_schema()
    for stem in ("01_ohlcv_bars", "03_custom_metric"):
        for suffix in (".py", ".yaml"):
            shutil.copy(REPO / "demo" / f"{stem}{suffix}", tmp_path)
    custom = EditorSession.open(tmp_path / "03_custom_metric.py")
    assert not custom.issues
    assert "large_trades" in custom.node_for("PASSES.0.modules").choices
    assert custom.column_docs(["LargeTradeCount"])["LargeTradeCount"].startswith("Number of")

    plain = EditorSession.open(tmp_path / "01_ohlcv_bars.py")
    assert "large_trades" not in plain.node_for("PASSES.0.modules").choices
    assert "large_trades" not in {m.name for g in plain.modules_by_tier().values() for m in g}
    assert "large_trades" not in module_registry()
    assert plain.node_for("PASSES.0.large_trades_analytics").path == "PASSES.0"  # no such group
    assert plain.column_docs(["LargeTradeCount"]) == {"LargeTradeCount": ""}
    assert demo_yaml_schema() == schema
    plain.set("PASSES.0.modules", ["trade", "large_trades"])
    _, issues = validate_resolved(plain.resolved)
    assert [(i.path, i.message.split(" (")[0]) for i in issues] == [
        ("PASSES.0.modules.1", "unknown module 'large_trades'")
    ]
    assert plain.pass_columns(0) == []  # the pass does not validate

    custom.refresh()  # demo 03 is unchanged by the other
    assert not custom.issues and "LargeTradeShare" in custom.pass_columns(0)


def test_unparsable_change_on_disk_keeps_the_session(session, demo):
    change = session.on_disk_change("USER_CONFIG:\n  A: 1\n  A: 2\n")
    assert (
        change.error
        and not change.reloaded
        and session.node_for("DATASETNAME").value == "ohlcv_bars"
    )


def test_a_cross_field_error_shows_when_either_field_is_edited(session):
    session.set("START_DATE", dt.date(2025, 2, 1))  # END_DATE (2025-01-03) is now before it
    assert [p for p, _ in session.visible_errors()] == ["END_DATE"]


def test_item_summaries_show_no_python_reprs(session):
    session.add_item("SCHEDULES", {"name": "later", "partitions": [{"date": "today"}]})
    summary = session.node_for("SCHEDULES.1").summary
    assert summary.startswith("later") and "{" not in summary and "'" not in summary


def test_check_finds_a_value_s_errors_without_applying_it(session):
    """``check``: the errors a field would have with a value; nothing changes."""
    text, start = session.document.text, session.value("START_DATE")
    before = start - dt.timedelta(days=1)
    assert session.check("END_DATE", before) == [f"END_DATE {before} is before START_DATE {start}"]
    assert session.check("END_DATE", start + dt.timedelta(days=3)) == []
    assert session.check("DATASETNAME", "") != []
    assert session.check("END_DATE", None) == []  # unset: START_DATE applies
    assert session.document.text == text
    assert not session.undo_stack and not session.dirty and not session.touched
    assert session.value("END_DATE") != before
