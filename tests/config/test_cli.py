"""``basalt config``: validate, get, set, show, schema, and bad input on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from basalt.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = """\
USER_CONFIG = {
    "START_DATE": "2025-01-02",
    "UNIVERSE": "mic=XLON",
    "PASSES": [{"name": "bars", "time_bucket_seconds": 60, "modules": ["trade"]}],
}
"""
YAML = """\
# Demo overrides
USER_CONFIG:
  DATASETNAME: demo   # shown in output paths
  END_DATE: 2025-01-03

  # One pass of five-minute bars
  PASSES:
    - name: bars
      time_bucket_seconds: 300  # five minutes
      modules: [trade]
"""


@pytest.fixture()
def demo(tmp_path: Path) -> Path:
    py = tmp_path / "01_demo.py"
    py.write_text(DEMO)
    (tmp_path / "01_demo.yaml").write_text(YAML)
    return py


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_valid_demo(capsys, demo):
    code, out, _ = run(capsys, "config", "validate", str(demo))
    assert code == 0 and "valid" in out


def test_validate_reports_file_line_col_path(capsys, demo):
    yaml = demo.with_suffix(".yaml")
    yaml.write_text(
        YAML.replace("END_DATE: 2025-01-03", "END_DATE: 2025-01-01").replace("300", "0")
    )
    code, out, err = run(capsys, "config", "validate", str(demo))
    assert code == 1
    lines = out.strip().splitlines()
    assert lines == [
        f"{yaml}:4:3: END_DATE: END_DATE 2025-01-01 is before START_DATE 2025-01-02",
        f"{yaml}:9:7: PASSES.0.time_bucket_seconds: must be greater than 0",
    ]
    assert "2 errors" in err


def test_validate_the_real_demo_01():
    result = subprocess.run(
        [sys.executable, "-m", "basalt", "config", "validate", "demo/01_ohlcv_bars.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_get_prints_resolved_value_and_default(capsys, demo):
    assert (
        run(capsys, "config", "get", str(demo), "PASSES.0.time_bucket_seconds")[1].strip() == "300"
    )
    assert run(capsys, "config", "get", str(demo), "LOGGING_LEVEL")[1].strip() == "INFO"
    assert run(capsys, "config", "get", str(demo), "PASSES.0.modules")[1].strip() == "[trade]"


def test_set_changes_exactly_one_line_and_keeps_the_comment(capsys, demo):
    yaml = demo.with_suffix(".yaml")
    code, out, _ = run(capsys, "config", "set", str(demo), "PASSES.0.time_bucket_seconds", "900")
    assert code == 0
    after = yaml.read_text()
    changed = [(a, b) for a, b in zip(YAML.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [
        (
            "      time_bucket_seconds: 300  # five minutes",
            "      time_bucket_seconds: 900  # five minutes",
        )
    ]


def test_set_new_key_goes_where_the_schema_puts_it(capsys, demo):
    yaml = demo.with_suffix(".yaml")
    assert run(capsys, "config", "set", str(demo), "UNIVERSE", "index=SYN20")[0] == 0
    lines = yaml.read_text().splitlines()
    assert lines.index("  UNIVERSE: index=SYN20") == lines.index("  END_DATE: 2025-01-03") + 1


def test_set_unchanged_value_leaves_file_untouched(capsys, demo):
    yaml = demo.with_suffix(".yaml")
    before = yaml.stat().st_mtime_ns
    code, out, _ = run(capsys, "config", "set", str(demo), "DATASETNAME", "demo")
    assert code == 0 and "unchanged" in out
    assert yaml.stat().st_mtime_ns == before and yaml.read_text() == YAML


def test_set_refuses_an_invalid_result_unless_forced(capsys, demo):
    yaml = demo.with_suffix(".yaml")
    code, out, err = run(capsys, "config", "set", str(demo), "PASSES.0.time_bucket_seconds", "-1")
    assert code == 1 and "not written" in err and "PASSES.0.time_bucket_seconds" in out
    assert yaml.read_text() == YAML
    code, _, _ = run(
        capsys, "config", "set", str(demo), "PASSES.0.time_bucket_seconds", "-1", "--force"
    )
    assert code == 1 and "time_bucket_seconds: -1  # five minutes" in yaml.read_text()


def test_set_unknown_path_is_refused_with_suggestion(capsys, demo):
    code, _, err = run(capsys, "config", "set", str(demo), "PASSES.0.time_bucket_secs", "5")
    assert code != 0 and "did you mean 'time_bucket_seconds'" in err
    assert demo.with_suffix(".yaml").read_text() == YAML


def test_set_wrong_type_is_refused_naming_the_path(capsys, demo):
    code, out, _ = run(capsys, "config", "set", str(demo), "NUM_WORKERS", "many")
    assert code == 1 and "NUM_WORKERS" in out
    assert demo.with_suffix(".yaml").read_text() == YAML


def test_set_creates_a_missing_yaml_with_the_wrapper(capsys, tmp_path):
    py = tmp_path / "02_new.py"
    py.write_text(DEMO)
    assert run(capsys, "config", "set", str(py), "DATASETNAME", "fresh")[0] == 0
    text = (tmp_path / "02_new.yaml").read_text()
    assert text.startswith("USER_CONFIG:") and "DATASETNAME: fresh" in text


def test_show_lists_values_with_origins(capsys, demo):
    code, out, _ = run(capsys, "config", "show", str(demo))
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines()}
    assert rows["DATASETNAME"].endswith("[yaml]")
    assert rows["UNIVERSE"].endswith("[python]")
    assert rows["LOGGING_LEVEL"].endswith("[default]")
    assert rows["PASSES.0.time_bucket_seconds"].split()[1] == "300"


def test_schema_export_matches_the_committed_file_and_carries_hints(capsys, tmp_path):
    target = tmp_path / "schema.json"
    assert run(capsys, "config", "schema", "-o", str(target))[0] == 0
    schema = json.loads(target.read_text())
    props = schema["$defs"]["AnalyticsConfig"]["properties"]
    assert props["START_DATE"]["x-section"] == "Core"
    assert schema["$defs"]["ParquetOutput"]["properties"]["compression_level"]["x-depends-on"] == {
        "compression": ["zstd", "gzip"]
    }
    committed = REPO / "demo" / "analytics-config.schema.json"
    assert committed.read_text() == target.read_text(), "run `make schema`"


BAD_YAML = {
    "tabs": "USER_CONFIG:\n\tDATASETNAME: x\n",
    "bad_indent": "USER_CONFIG:\n  DATASETNAME: x\n    UNIVERSE: all\n",
    "duplicate_keys": "USER_CONFIG:\n  DATASETNAME: x\n  DATASETNAME: y\n",
    "unclosed_quote": "USER_CONFIG:\n  DATASETNAME: 'x\n",
    "root_list": "- a\n- b\n",
    "root_scalar": "just text\n",
    "python_tag": "USER_CONFIG:\n  DATASETNAME: !!python/object/apply:os.system ['echo hi']\n",
}


@pytest.mark.parametrize("name", sorted(BAD_YAML))
def test_bad_yaml_gives_one_clear_line_and_nonzero_exit(capsys, demo, name):
    yaml = demo.with_suffix(".yaml")
    yaml.write_text(BAD_YAML[name])
    before = yaml.read_bytes()
    for argv in (
        ["validate", str(demo)],
        ["set", str(demo), "DATASETNAME", "z"],
        ["show", str(demo)],
    ):
        code, out, err = run(capsys, "config", *argv)
        assert code != 0
        assert str(yaml) in err and "Traceback" not in err + out
        assert err.count("\n") == 1, err
        assert yaml.read_bytes() == before


def test_binary_garbage_and_missing_file(capsys, demo):
    yaml = demo.with_suffix(".yaml")
    yaml.write_bytes(b"\x00\xff\xfe\x89PNG garbage")
    code, _, err = run(capsys, "config", "validate", str(demo))
    assert code == 1 and str(yaml) in err and "UTF-8" in err
    code, _, err = run(capsys, "config", "validate", str(demo.parent / "missing.py"))
    assert code == 1 and "file not found" in err


def test_empty_yaml_is_an_empty_override(capsys, demo):
    demo.with_suffix(".yaml").write_text("")
    code, out, _ = run(capsys, "config", "validate", str(demo))
    assert code == 0


def test_empty_yaml_without_a_script_names_missing_fields(capsys, tmp_path):
    yaml = tmp_path / "lonely.yaml"
    yaml.write_text("")
    code, out, _ = run(capsys, "config", "validate", str(yaml))
    assert code == 1 and f"{yaml}:1:1: START_DATE: required, but not set" in out


def _make_unwritable(path: Path, monkeypatch) -> None:
    path.chmod(0o555 if path.is_dir() else 0o444)
    probe = path / ".probe" if path.is_dir() else path
    try:
        with open(probe, "a"):
            pass
    except PermissionError:
        return
    if probe != path:
        probe.unlink()
    # Running as root: permissions do not stop writes, so make the rename fail as they would.
    real_replace = os.replace

    def refuse(src, dst, *a, **k):
        if Path(dst).resolve().parent == (path if path.is_dir() else path.parent).resolve():
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", refuse)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_file_or_folder_is_refused_and_left_alone(capsys, demo, monkeypatch, what):
    yaml = demo.with_suffix(".yaml")
    target = yaml if what == "file" else demo.parent
    _make_unwritable(target, monkeypatch)
    try:
        code, out, err = run(capsys, "config", "set", str(demo), "DATASETNAME", "other")
        assert code != 0 and str(yaml) in err and "ermission" in err
        assert yaml.read_text() == YAML
        assert sorted(p.name for p in demo.parent.iterdir()) == ["01_demo.py", "01_demo.yaml"]
    finally:
        target.chmod(0o755 if target.is_dir() else 0o644)


def test_command_line_errors_have_no_traceback(tmp_path):
    py = tmp_path / "01_demo.py"
    py.write_text(DEMO)
    (tmp_path / "01_demo.yaml").write_text(BAD_YAML["duplicate_keys"])
    result = subprocess.run(
        [sys.executable, "-m", "basalt", "config", "validate", str(py)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / '01_demo.yaml'}:3:" in result.stderr


def test_output_piped_into_head_ends_quietly():
    result = subprocess.run(
        f"{sys.executable} -m basalt config show demo/01_ohlcv_bars.py | head -1",
        shell=True,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.startswith("DATASETNAME")
    assert "Traceback" not in result.stderr


def test_config_commands_load_only_their_own_area() -> None:
    """``basalt config ...`` must stay quick: it never loads the store or the engine (Polars)."""
    code = (
        "import sys\n"
        "from basalt.cli import main\n"
        "assert main(['config', 'validate', 'demo/01_ohlcv_bars.py']) == 0\n"
        "print(sorted(m for m in ('polars', 'basalt.data.store', 'basalt.pipeline.runner', "
        "'duckdb', 'dagster') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
