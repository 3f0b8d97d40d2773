"""``python -m basalt.dagster.materialize``: one partition from the command line."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from basalt.dagster.materialize import main
from tests.dagster.support import REPO, copy_demo


def test_materializes_one_partition_into_the_instance(tmp_path, monkeypatch, capsys, basalt_dirs):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert main(["--demo", "01", "--partition", "2025-01-02|mic=XLON"]) == 0
    out = capsys.readouterr().out
    assert "demo01_ohlcv_bars/bars_1m" in out and "rows" in out and "done: run" in out
    assert (basalt_dirs / "ohlcv_bars/bars_1m/mic=XLON/2025-01-02_2025-01-02.parquet").exists()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        key = dg.AssetKey(["demo01_ohlcv_bars", "bars_1m"])
        assert instance.get_materialized_partitions(key) == {"2025-01-02|mic=XLON"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--partition", "2025-01-04|mic=XLON"], "2025-01-04 is not a date partition"),
        (["--partition", "2024-12-31|mic=XLON"], "it starts on 2025-01-02"),
        (["--partition", "2025-01-02|mic=XNYS"], "universe 'mic=XNYS' is not a partition"),
        (["--partition", "2025-01-02|foo=XLON"], "unknown universe kind 'foo'"),
        (["--partition", "2025-01-02"], "expected DATE|UNIVERSE"),
        (["--date", "2025-01-02"], "give --partition DATE|UNIVERSE, or --date and --universe"),
    ],
)
def test_bad_partitions_exit_1_with_the_reason(args, message, capsys):
    assert main(["--demo", "01", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_unknown_or_broken_demo(tmp_path, capsys):
    assert main(["--demo", "42", "--partition", "2025-01-02|mic=XLON"]) == 1
    assert "--demo 42: no such demo" in capsys.readouterr().err
    assert main(["--demo", "demo/08_none.py", "--partition", "2025-01-02|mic=XLON"]) == 1
    assert "--demo demo/08_none.py: no such demo" in capsys.readouterr().err
    bad = copy_demo("01_ohlcv_bars", tmp_path)
    bad.with_suffix(".yaml").write_text(
        "USER_CONFIG:\n  UNIVERSE: mic=XLON\n  END_DATE: 2024-01-01\n"
    )
    args = ["--demo", str(bad), "--partition", "2025-01-02|mic=XLON"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "demo 01_ohlcv_bars does not load" in err
    assert (
        f"{bad.with_suffix('.yaml')}:3:3: END_DATE: END_DATE 2024-01-01 is before START_DATE" in err
    )
