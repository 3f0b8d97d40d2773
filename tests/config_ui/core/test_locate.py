"""One answer for both editors: what unset means, removing a script's dict row, where a path
lives, and which error comes next."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config_ui.core.field_input import InputError
from config_ui.core.locate import locate, next_error
from config_ui.core.session import EditorSession

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture()
def multi_pass(tmp_path: Path) -> EditorSession:
    for suffix in (".py", ".yaml"):
        shutil.copy(REPO / "demo" / f"05_multi_pass{suffix}", tmp_path)
    script = tmp_path / "05_multi_pass.py"
    text = script.read_text().replace(
        '"modules": ["reaggregate"],',
        '"modules": ["reaggregate"],\n            "module_inputs": {"reaggregate": "bars_5m"},',
    )
    script.write_text(text)
    return EditorSession.open(script)


def test_unset_drops_the_key_and_null_is_explicit(multi_pass):
    session = multi_pass
    session.set("BATCH_FREQ", "W")
    session.set("BATCH_FREQ", None)
    assert "BATCH_FREQ" not in session.document.text
    session.set_null("BATCH_FREQ")
    assert "BATCH_FREQ: null" in session.document.text
    with pytest.raises(InputError):
        session.set_null("DATASETNAME")


def test_a_script_dict_row_can_be_removed(multi_pass):
    session = multi_pass
    path = "PASSES.1.module_inputs"
    assert session.value(path) == {"reaggregate": "bars_5m"}
    assert session.node_for(f"{path}.reaggregate").origin == "python"
    session.reset(f"{path}.reaggregate")
    assert session.value(path) == {}
    assert "module_inputs: {}" in session.document.text
    assert session.undo() and session.value(path) == {"reaggregate": "bars_5m"}
    session.remove_entry(path, "reaggregate")
    assert session.value(path) == {}


def test_locate_and_next_error(multi_pass):
    session = multi_pass
    root = session.root
    where = locate(root, "PASSES.1.time_bucket_seconds")
    assert where is not None and where.pass_index == 1 and where.section == "Core"
    assert locate(root, "OUTPUT_TARGET.compression").section == "Outputs"
    assert locate(root, "NO_SUCH_FIELD") is None
    errors = ["PASSES.0.time_bucket_seconds", "DATASETNAME"]
    assert next_error(root, errors) == "DATASETNAME"
    assert next_error(root, errors, "DATASETNAME") == "PASSES.0.time_bucket_seconds"
    assert next_error(root, errors, "PASSES.0.time_bucket_seconds") == "DATASETNAME"
    assert next_error(root, errors, "START_DATE") == "PASSES.0.time_bucket_seconds"
    assert next_error(root, []) is None
