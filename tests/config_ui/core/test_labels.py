"""Field labels read as words: schema titles first, else the name with its words apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from config_ui.core.form_builder import build_form, label_of

REPO_DEMO = Path(__file__).resolve().parents[3] / "demo" / "01_ohlcv_bars.py"


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("DATASETNAME", "Dataset name"),
        ("START_DATE", "Start date"),
        ("NUM_WORKERS", "Number of workers"),
        ("BATCH_FREQ", "Batch frequency"),
        ("OUTPUT_DIR", "Output directory"),
        ("mid_ohlc", "Mid OHLC"),
        ("l2_analytics", "L2 analytics"),
        ("time_bucket_seconds", "Time bucket seconds"),
        ("_leading__double_", "Leading double"),
    ],
)
def test_names_become_words(name, label):
    assert label_of(name) == label


def test_a_schema_title_wins_over_the_name():
    assert label_of("DATASETNAME", "Name of the dataset") == "Name of the dataset"


def test_the_form_uses_titles_and_words(session):
    assert session.node_for("DATASETNAME").label == "Dataset name"
    assert session.node_for("NUM_WORKERS").label == "Number of workers"
    assert session.node_for("PASSES.0.time_bucket_seconds").label == "Time bucket seconds"
    labels = [n.label for n in session.root.walk() if n.path]
    assert not [label for label in labels if "_" in label and " " not in label]


def test_a_field_title_reaches_the_node():
    class Titled(BaseModel):
        MAX_ROWS: int = Field(5, title="Rows per batch, at most")
        plain_name: str = "x"

    root = build_form(Titled, {}, lambda path: "default")
    assert [c.label for c in root.children] == ["Rows per batch, at most", "Plain name"]


def test_search_looks_in_descriptions_and_choices():
    from config_ui.core.session import EditorSession

    session = EditorSession.open(REPO_DEMO)
    found = [n.path for n in session.search("vwap")]
    assert "PASSES.0.trade_analytics.generic_metrics.0.measures" in found
    assert all(not n.is_container for n in session.search("vwap"))
    assert session.search("Dataset name")[0].path == "DATASETNAME"
