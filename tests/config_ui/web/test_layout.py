"""Where fields show, and how values read: no NiceGUI needed."""

from __future__ import annotations

import datetime as dt

import pytest

from config_ui.core.nodes import FieldNode
from config_ui.core.session import EditorSession
from config_ui.web import rendered_fields
from config_ui.web.formatting import default_text, display, input_text, origin_text, seconds_text
from config_ui.web.layout import locate, readable_path, section_of, top_nodes, view_signature

DEMOS = [
    "01_ohlcv_bars",
    "02_spreads_depth",
    "04_order_flow",
    "05_multi_pass",
    "06_market_state",
    "07_index_universe",
]


@pytest.mark.parametrize("name", DEMOS)
def test_rendered_fields_cover_every_visible_node(web_project, name: str) -> None:
    session = EditorSession.open(web_project.pair(name))
    fields = rendered_fields(session)
    assert fields["DATASETNAME"] == "str"
    assert fields["PASSES"] == "model_list"
    assert fields["PASSES.0"] == "model"
    assert fields["PASSES.0.modules"] == "multi"
    assert fields["OUTPUT_TARGET"] == "union"
    assert "" not in fields
    hidden = {n.path for n in session.root.walk() if not n.visible}
    assert not any(p == h or p.startswith(h + ".") for p in fields for h in hidden)
    for node in session.root.walk():
        if (
            node.path
            and node.visible
            and all(
                a.visible
                for a in session.root.walk()
                if node.path.startswith(a.path + ".") and a.path
            )
        ):
            assert node.path in fields, node.path


def test_module_settings_show_only_for_modules_in_use(web_project) -> None:
    session = EditorSession.open(web_project.pair("01_ohlcv_bars"))
    fields = rendered_fields(session)
    assert "PASSES.0.trade_analytics.generic_metrics.0.sides" in fields
    assert not any(p.startswith("PASSES.0.l2_analytics") for p in fields)
    session.set("PASSES.0.modules", ["trade", "l2"])
    assert rendered_fields(session)["PASSES.0.l2_analytics.levels"] == "int"


def test_sections_and_locations(web_project) -> None:
    session = EditorSession.open(web_project.pair("05_multi_pass"))
    root = session.root
    assert [n.path for n in top_nodes(root, "Performance")] == [
        "BATCH_FREQ",
        "NUM_WORKERS",
        "MAX_ROWS_PER_BATCH",
        "TABLES_TO_LOAD",
    ]
    assert section_of(root.find("SCHEDULES")) == "Automation"
    where = locate(root, "PASSES.1.time_bucket_anchor")
    assert (where.section, where.pass_index, where.open_advanced, where.exact) == (
        "Core",
        1,
        {"PASSES.1"},
        True,
    )
    hidden = locate(root, "PASSES.0.l2_analytics.levels")  # l2 is not a module of that pass
    assert hidden.target == "PASSES.0" and not hidden.exact
    assert locate(root, "NO_SUCH_KEY") is None
    assert (
        readable_path(root, "PASSES.1.time_bucket_seconds")
        == "Passes › index_1h › Time bucket seconds"
    )


def test_view_signature_changes_with_shape_not_values(web_project) -> None:
    session = EditorSession.open(web_project.pair("05_multi_pass"))
    before = view_signature(session.root, "Core", 0)
    session.set("PASSES.0.time_bucket_seconds", 120)
    assert view_signature(session.root, "Core", 0) == before
    session.set("PASSES.0.modules", ["trade", "l3"])
    assert view_signature(session.root, "Core", 0) != before
    assert view_signature(session.root, "Core", 1) != view_signature(session.root, "Core", 0)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "unset"),
        (True, "true"),
        (["Bid", "Ask"], "Bid, Ask"),
        ([1, 5], "1, 5"),
        ([], "(empty)"),
        (dt.date(2025, 1, 2), "2025-01-02"),
        (25000.0, "25000"),
        (0.25, "0.25"),
        ({"a": 1, "b": [1, 2], "c": {"d": None}}, "a: 1, b: [1, 2], c: {d: unset}"),
        ([{"sides": "Total"}], "{sides: Total}"),
    ],
)
def test_display_reads_like_yaml_not_python(value: object, text: str) -> None:
    assert display(value) == text


def test_input_text_origin_default_and_seconds() -> None:
    node = FieldNode(path="X", kind="list", label="X", value=[1, 5], default=None, origin="yaml")
    assert input_text(node) == "1, 5"
    assert origin_text(node) == "set in YAML"
    assert default_text(node) == "unset"
    assert input_text(FieldNode(path="Y", kind="date", label="Y", value=None)) == ""
    assert default_text(FieldNode(path="Z", kind="str", label="Z", has_default=False)) == "required"
    assert [seconds_text(s) for s in (45, 300, 3600, 90)] == ["45 s", "5 min", "1 h", "90 s"]
