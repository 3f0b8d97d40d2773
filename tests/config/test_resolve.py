"""Resolution of a demo's config: Python, YAML, command line; precedence and origins."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from basalt.config.demo_source import DemoError, read_demo
from basalt.config.resolve import merge_layers, resolve
from basalt.config.validation import validate_resolved

PY = {
    "DATASETNAME": "py",
    "UNIVERSE": "mic=XLON",
    "PASSES": [{"name": "p1"}, {"name": "p2"}],
    "OUTPUT_TARGET": {"compression": "zstd", "compression_level": 3},
}
YAML = {"DATASETNAME": "yaml", "PASSES": [{"name": "y1"}], "OUTPUT_TARGET": {"compression": "gzip"}}


def test_yaml_overrides_python_by_default_mappings_merge_lists_replace():
    data, origins = merge_layers(PY, YAML)
    assert data["DATASETNAME"] == "yaml"
    assert data["UNIVERSE"] == "mic=XLON"
    assert data["PASSES"] == [{"name": "y1"}]
    assert data["OUTPUT_TARGET"] == {"compression": "gzip", "compression_level": 3}
    assert origins["DATASETNAME"] == "yaml"
    assert origins["UNIVERSE"] == "python"
    assert origins["PASSES"] == "yaml"
    assert origins["OUTPUT_TARGET.compression"] == "yaml"
    assert origins["OUTPUT_TARGET.compression_level"] == "python"


def test_python_overrides_when_the_demo_says_so():
    data, origins = merge_layers(PY, YAML, "python_overrides")
    assert data["DATASETNAME"] == "py" and origins["DATASETNAME"] == "python"
    assert data["PASSES"] == [{"name": "p1"}, {"name": "p2"}]
    assert data["OUTPUT_TARGET"]["compression"] == "zstd"


def test_cli_overrides_win_over_both():
    data, origins = merge_layers(
        PY, YAML, "python_overrides", {"DATASETNAME": "cli", "PASSES.0.name": "c"}
    )
    assert data["DATASETNAME"] == "cli" and origins["DATASETNAME"] == "cli"
    assert data["PASSES"][0]["name"] == "c" and origins["PASSES.0.name"] == "cli"


def test_inputs_are_not_mutated():
    before = repr(PY), repr(YAML)
    merge_layers(PY, YAML, overrides={"OUTPUT_TARGET.compression": "lz4"})
    assert (repr(PY), repr(YAML)) == before


def write_demo(tmp_path: Path, body: str, yaml: str | None) -> Path:
    py = tmp_path / "01_demo.py"
    py.write_text(textwrap.dedent(body))
    if yaml is not None:
        (tmp_path / "01_demo.yaml").write_text(textwrap.dedent(yaml))
    return py


DEMO = """
    USER_CONFIG = {
        "START_DATE": "2025-01-02",
        "UNIVERSE": "mic=XLON",
        "PASSES": [{"name": "bars", "time_bucket_seconds": 60}],
    }
    CONFIG_YAML_PRECEDENCE = "yaml_overrides"
    if __name__ == "__main__":
        raise SystemExit("the demo ran")
"""


def test_reading_a_demo_does_not_run_it_and_knows_key_lines(tmp_path):
    py = write_demo(tmp_path, DEMO, None)
    source = read_demo(py)
    assert source.user_config["UNIVERSE"] == "mic=XLON"
    assert source.precedence == "yaml_overrides"
    assert source.line_of("UNIVERSE") == 4
    assert source.line_of("PASSES.0.time_bucket_seconds") == 5
    assert source.line_of("PASSES.0.unknown") == 5


def test_a_non_literal_config_is_imported_without_running_main(tmp_path):
    body = """
        import datetime
        USER_CONFIG = {"START_DATE": datetime.date(2025, 1, 2)}
        if __name__ == "__main__":
            raise SystemExit("the demo ran")
    """
    source = read_demo(write_demo(tmp_path, body, None))
    assert source.user_config["START_DATE"] == dt.date(2025, 1, 2)


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("USER_CONFIG = {\n", "syntax error"),
        ("X = 1\n", "no USER_CONFIG"),
        ("USER_CONFIG = [1]\n", "must be a dict"),
        ("USER_CONFIG = {}\nCONFIG_YAML_PRECEDENCE = 'yaml_first'\n", "CONFIG_YAML_PRECEDENCE"),
        (
            "import nonexistent_mod\nUSER_CONFIG = {'a': nonexistent_mod.x}\n",
            "importing the demo failed",
        ),
    ],
)
def test_bad_demo_scripts_get_one_clear_message(tmp_path, body, fragment):
    py = write_demo(tmp_path, body, None)
    with pytest.raises(DemoError) as err:
        read_demo(py)
    assert str(err.value).startswith(str(py)) and fragment in str(err.value)


def test_resolve_pair_records_origins_and_locates_errors(tmp_path):
    py = write_demo(
        tmp_path,
        DEMO,
        """\
        USER_CONFIG:
          UNIVERSE: mic=XPAR   # the YAML wins
          PASSES:
            - name: bars
              time_bucket_seconds: -5
        """,
    )
    resolved = resolve(py)
    assert resolved.data["UNIVERSE"] == "mic=XPAR"
    assert resolved.origin("UNIVERSE") == "yaml"
    assert resolved.origin("START_DATE") == "python"
    assert resolved.origin("LOGGING_LEVEL") == "default"
    assert resolved.origin("PASSES.0.time_bucket_seconds") == "yaml"
    _, issues = validate_resolved(resolved)
    assert [(i.path, i.file.name, i.line, i.column) for i in issues] == [
        ("PASSES.0.time_bucket_seconds", "01_demo.yaml", 5, 7)
    ]


def test_errors_in_python_values_point_into_the_script(tmp_path):
    py = write_demo(
        tmp_path, DEMO.replace('"mic=XLON"', '"mics=XLON"'), "USER_CONFIG:\n  DATASETNAME: x\n"
    )
    _, issues = validate_resolved(resolve(py))
    assert [(i.path, i.file.name, i.line) for i in issues] == [("UNIVERSE", "01_demo.py", 4)]


def test_resolve_from_the_yaml_finds_the_script(tmp_path):
    write_demo(tmp_path, DEMO, "DATASETNAME: flat\n")
    resolved = resolve(tmp_path / "01_demo.yaml")
    assert resolved.data["DATASETNAME"] == "flat"
    assert resolved.data["START_DATE"] == "2025-01-02"
