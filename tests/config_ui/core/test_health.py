"""The health view's model: runs, coverage per demo, failed checks, from the ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from basalt.ledger import Ledger
from config_ui.core.health import demo_scripts, load_health
from tests.helpers.ledger_rows import start_row

REPO = Path(__file__).resolve().parents[3]
D = dt.date


def record(ledger: Ledger, run_id: str, passes: list[str], universe: str, day: dt.date) -> None:
    start_row(ledger, run_id, demo="05_multi_pass", universe=universe, start=day)
    ledger.record_assets(
        [
            {
                "run_id": run_id,
                "demo": "05_multi_pass",
                "pass_name": p,
                "partition_key": f"{day}|{universe}",
                "universe": universe,
                "start_date": day,
                "end_date": day,
                "output_path": "x",
                "rows": 1,
                "bytes": 1,
            }
            for p in passes
        ]
    )
    ledger.finish_run(run_id, "success")


def test_coverage_marks_done_partial_missing_and_non_partitions(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.duckdb")
    record(ledger, "a", ["bars_5m", "index_1h"], "mic=XLON", D(2025, 1, 2))
    record(ledger, "b", ["bars_5m"], "mic=XLON", D(2025, 1, 3))
    record(ledger, "c", ["bars_5m", "index_1h"], "mic=XLON", D(2025, 1, 6))
    ledger.record_checks(
        [
            {
                "run_id": "c",
                "pass_name": "bars_5m",
                "partition_key": "k",
                "check_name": "not_empty",
                "passed": False,
                "severity": "ERROR",
            }
        ]
    )
    health = load_health([REPO / "demo" / "05_multi_pass.py"], ledger)
    assert health.error is None
    assert [r["run_id"] for r in health.runs] == ["c", "b", "a"]
    assert [c["check_name"] for c in health.failed_checks] == ["not_empty"]
    (coverage,) = health.coverage
    assert coverage.days[0] <= D(2025, 1, 2) and coverage.days[-1] == D(2025, 1, 6)
    assert coverage.state("mic=XLON", D(2025, 1, 2)) == "done"
    assert coverage.state("mic=XLON", D(2025, 1, 3)) == "partial"
    assert coverage.state("mic=XLON", D(2025, 1, 4)) == "none"  # Saturday
    assert coverage.state("mic=XLON", D(2025, 1, 6)) == "done"
    other = next(u for u in coverage.universes if u != "mic=XLON")
    assert coverage.state(other, D(2025, 1, 2)) == "missing"
    assert "materialized" in coverage.summary()


def test_every_demo_beside_the_open_one_is_covered(tmp_path: Path) -> None:
    scripts = demo_scripts(REPO / "demo")
    assert [p.name[:2] for p in scripts] == ["01", "02", "03", "04", "05", "06", "07"]
    health = load_health(scripts[:2], Ledger(tmp_path / "l.duckdb"))
    assert [c.demo for c in health.coverage] == ["01_ohlcv_bars", "02_spreads_depth"]
    assert all(c.missing == len(c.expected) > 0 for c in health.coverage)
