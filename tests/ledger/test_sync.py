"""``basalt dagster sync``: outputs made outside Dagster reported to the Dagster instance as
run-less materializations of the partitions they cover; reported once."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from basalt.cli import main
from basalt.dagster.sync import cmd_sync
from basalt.ledger.store import Ledger
from tests.dagster.support import write_demo

REPO = Path(__file__).resolve().parents[2]
BARS = dg.AssetKey(["demo01_ohlcv_bars", "bars_1m"])
D = dt.date


@pytest.fixture
def dagster_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def sync(dry_run: bool = False, ledger: str | None = None) -> int:
    return cmd_sync(argparse.Namespace(ledger=ledger, dry_run=dry_run))


def materialized(key: dg.AssetKey) -> set[str]:
    with dg.DagsterInstance.get() as instance:
        return set(instance.get_materialized_partitions(key))


def latest_metadata(key: dg.AssetKey, partition: str) -> dict:
    with dg.DagsterInstance.get() as instance:
        [record] = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, asset_partitions=[partition]), limit=1
        ).records
    event = record.asset_materialization
    assert event is not None
    return {k: v.value for k, v in event.metadata.items()}


def test_a_cli_run_shows_as_materialized_after_sync(dagster_home, ledger, tmp_path, capsys):
    done = subprocess.run(
        [sys.executable, "-m", "basalt", "run", "demo/01_ohlcv_bars.py", "--date", "2025-01-03"]
        + ["--output-dir", str(tmp_path / "out")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    [out] = ledger.unsynced_assets()
    assert materialized(BARS) == set()
    assert sync() == 0
    assert capsys.readouterr().out.splitlines() == [
        "reported 1 materialization of 1 output; skipped 0"
    ]
    assert materialized(BARS) == {"2025-01-03|mic=XLON"}
    meta = latest_metadata(BARS, "2025-01-03|mic=XLON")
    assert meta["output_path"] == out["output_path"]
    assert meta["rows"] == meta["dagster/row_count"] == out["rows"] > 0
    assert meta["bytes"] == Path(out["output_path"]).stat().st_size
    assert (meta["basalt/run_id"], meta["basalt/trigger"]) == (out["run_id"], "cli")
    assert meta["config_sha256"] == ledger.run(out["run_id"])["config_sha256"]
    # a second sync has nothing left to report
    assert ledger.unsynced_assets() == []
    assert sync() == 0
    assert capsys.readouterr().out.splitlines() == [
        "reported 0 materializations of 0 outputs; skipped 0"
    ]


def record(
    ledger: Ledger,
    run_id: str,
    start: dt.date,
    end: dt.date,
    *,
    demo: str = "01_ohlcv_bars",
    pass_name: str = "bars_1m",
    universe: str = "mic=XLON",
    trigger: str = "cli",
) -> None:
    ledger.start_run(
        run_id=run_id,
        trigger=trigger,
        demo=demo,
        config_file=None,
        config_sha256="f" * 64,
        universe=universe,
        start_date=start,
        end_date=end,
    )
    ledger.record_assets(
        [
            {
                "run_id": run_id,
                "demo": demo,
                "pass_name": pass_name,
                "partition_key": f"{start}..{end}|{universe}",
                "universe": universe,
                "start_date": start,
                "end_date": end,
                "output_path": f"/out/{run_id}.parquet",
                "rows": 500,
                "bytes": 5000,
            }
        ]
    )
    ledger.finish_run(run_id, "success")


def test_only_partitions_the_demo_has_are_reported(dagster_home, ledger, capsys):
    # Thu 2 Jan is the demo's first partition: 1 Jan is not a partition
    record(ledger, "early", D(2025, 1, 1), D(2025, 1, 2))
    record(ledger, "sat", D(2025, 1, 11), D(2025, 1, 11))  # Saturday folds into Friday
    # a week's file of a daily demo (an older layout) is no one partition's output
    record(ledger, "week", D(2025, 1, 6), D(2025, 1, 12))
    record(ledger, "index", D(2025, 1, 7), D(2025, 1, 7), universe="index=SYN20")
    record(ledger, "pass", D(2025, 1, 7), D(2025, 1, 7), pass_name="nope")
    record(ledger, "gone", D(2025, 1, 7), D(2025, 1, 7), demo="09_gone")
    record(ledger, "dagster", D(2025, 1, 13), D(2025, 1, 13), trigger="dagster")
    assert sync(dry_run=True) == 0
    dry = capsys.readouterr().out.splitlines()
    assert dry[0] == "  demo01_ohlcv_bars/bars_1m  2025-01-02|mic=XLON  (500 rows, cli run early)"
    assert len(dry) == 2 + 1
    assert dry[-1].startswith("would report 2 materializations of 2 outputs; skipped 5: ")
    assert materialized(BARS) == set() and len(ledger.unsynced_assets()) == 6  # a dry run
    assert sync() == 0
    assert capsys.readouterr().out.splitlines() == [
        "reported 2 materializations of 2 outputs; skipped 5: "
        "days outside the date partitions of demo01_ohlcv_bars (1); "
        "demo 09_gone not found (1); "
        "files spanning several partitions of demo01_ohlcv_bars (an older layout; "
        "'basalt ledger doctor' lists them) (1); "
        "pass nope is not in demo 01_ohlcv_bars (1); "
        "universe index=SYN20 is not a partition of demo01_ohlcv_bars (1)"
    ]
    assert materialized(BARS) == {"2025-01-02|mic=XLON", "2025-01-10|mic=XLON"}
    meta = latest_metadata(BARS, "2025-01-10|mic=XLON")
    assert meta["output_dates"] == "2025-01-11" and meta["rows"] == meta["dagster/row_count"] == 500
    # what was skipped stays unsynced: the demo may declare it later
    unsynced = sorted(o["run_id"] for o in ledger.unsynced_assets())
    assert unsynced == ["gone", "index", "pass", "week"]
    assert sync() == 0
    assert capsys.readouterr().out.startswith("reported 0 materializations of 0 outputs; skipped 4")


def test_a_weekly_demo_gets_the_week_key(dagster_home, ledger, tmp_path, monkeypatch, capsys):
    write_demo(tmp_path / "demos", "01_weekly", {"BATCH_FREQ": "W"})
    monkeypatch.setenv("BASALT_DEMO_DIR", str(tmp_path / "demos"))
    record(ledger, "w1", D(2025, 1, 6), D(2025, 1, 10), demo="01_weekly")
    record(ledger, "w0", D(2025, 1, 2), D(2025, 1, 3), demo="01_weekly")  # a week begun earlier
    assert sync() == 0
    assert capsys.readouterr().out.startswith("reported 2 materializations of 2 outputs")
    key = dg.AssetKey(["demo01_weekly", "bars_1m"])
    assert materialized(key) == {"2024-12-30|mic=XLON", "2025-01-06|mic=XLON"}


def test_sync_needs_a_dagster_home(ledger, tmp_path, monkeypatch, capsys):
    record(ledger, "r1", D(2025, 1, 3), D(2025, 1, 3))
    monkeypatch.chdir(tmp_path)  # no .basalt/dagster here
    assert main(["dagster", "sync"]) == 1
    assert capsys.readouterr().err.startswith("error: DAGSTER_HOME is not set")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "missing"))
    assert main(["dagster", "sync"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: DAGSTER_HOME={tmp_path / 'missing'}: ")
    assert "is not a directory or does not exist" in err
    assert len(ledger.unsynced_assets()) == 1  # nothing marked


def test_sync_reads_the_ledger_it_is_given(dagster_home, tmp_path, capsys):
    other = Ledger(tmp_path / "elsewhere" / "ledger.duckdb")
    record(other, "r1", D(2025, 1, 3), D(2025, 1, 3))
    assert sync(ledger=str(other.path)) == 0
    assert capsys.readouterr().out.startswith("reported 1 materialization of 1 output")
    assert other.unsynced_assets() == [] and materialized(BARS) == {"2025-01-03|mic=XLON"}


def test_a_dynamic_universe_is_asked_of_the_instance(
    dagster_home, ledger, tmp_path, monkeypatch, capsys
):
    extra = (
        "from basalt.dagster.universes import ConfigUniverses\n\nUNIVERSES = [ConfigUniverses()]\n"
    )
    write_demo(tmp_path / "demos", "01_dynamic", extra=extra)
    monkeypatch.setenv("BASALT_DEMO_DIR", str(tmp_path / "demos"))
    with dg.DagsterInstance.get() as instance:  # what the universe sensor keeps in step
        instance.add_dynamic_partitions("demo01_dynamic_universe", ["mic=XLON"])
    record(ledger, "xlon", D(2025, 1, 3), D(2025, 1, 3), demo="01_dynamic")
    record(ledger, "xpar", D(2025, 1, 3), D(2025, 1, 3), demo="01_dynamic", universe="mic=XPAR")
    assert sync() == 0
    assert capsys.readouterr().out.splitlines() == [
        "reported 1 materialization of 1 output; skipped 1: "
        "universe mic=XPAR is not a partition of demo01_dynamic (1)"
    ]
    assert materialized(dg.AssetKey(["demo01_dynamic", "bars_1m"])) == {"2025-01-03|mic=XLON"}


def test_sync_defaults_to_the_instance_basalt_dagster_dev_keeps_here(
    ledger, tmp_path, monkeypatch, capsys
):
    record(ledger, "r1", D(2025, 1, 3), D(2025, 1, 3))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    home = tmp_path / ".basalt" / "dagster"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    assert main(["dagster", "sync"]) == 0
    assert capsys.readouterr().out.startswith("reported 1 materialization of 1 output")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        key = dg.AssetKey(["demo01_ohlcv_bars", "bars_1m"])
        assert instance.get_materialized_partitions(key) == {"2025-01-03|mic=XLON"}
