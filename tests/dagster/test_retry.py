"""Retries for transient errors only, and one concurrency pool per demo."""

from __future__ import annotations

import errno

import dagster as dg
import pytest

from basalt.dagster import assets as assets_module
from basalt.dagster import failures
from basalt.dagster.assets import build_demo_assets
from basalt.dagster.demos import load_demos
from basalt.dagster.partitions import PartitionRunError
from basalt.dagster.resources import BasaltLocations
from basalt.data.errors import DataError
from basalt.ledger.store import Ledger
from basalt.pipeline.runner import RunError
from tests.dagster.support import DEMO_DIR

KEY = "2025-01-02|mic=XLON"


@pytest.fixture(scope="module")
def demo():
    [demo] = load_demos(DEMO_DIR, only=["01"])
    return demo


def run_with(demo, monkeypatch, instance, home, *errors: Exception):
    """Materialize with ``run_partition`` raising ``errors`` in turn, then working."""
    monkeypatch.setattr(failures, "RETRY_POLICY", dg.RetryPolicy(max_retries=2, delay=0))
    real = assets_module.run_partition
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return real(*args, **kwargs)

    monkeypatch.setattr(assets_module, "run_partition", failing)
    result = dg.materialize(
        build_demo_assets(True, demos=[demo]),
        partition_key=KEY,
        instance=instance,
        resources={"basalt_locations": BasaltLocations(home=str(home))},
        raise_on_error=False,
    )
    retries = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    return result, len(calls), len(retries)


def test_a_transient_error_is_retried(demo, monkeypatch, instance, tmp_path):
    full = OSError(errno.ENOSPC, "No space left on device")
    cut = RunError("pass 'bars_1m' cannot write x.parquet: disk full")
    cut.__cause__ = OSError(errno.ENOSPC, "No space left on device")
    result, calls, retries = run_with(demo, monkeypatch, instance, tmp_path, full, cut)
    assert result.success and (calls, retries) == (3, 2)
    run = Ledger(tmp_path / "ledger.duckdb").run(result.run_id)
    assert run["status"] == "success" and run["error"] is None  # the attempts' row, finished once


@pytest.mark.parametrize(
    "error",
    [
        PartitionRunError("config for partition mic=XLON on 2025-01-02 is not valid: ..."),
        DataError("trades/date=2025-01-02/mic=XLON/data.parquet: unreadable"),
        RunError("universe 'mic=XLON' has no listings on 2025-01-02"),
        ValueError("a bug"),
        OSError(errno.ENOTDIR, "Not a directory"),  # a retry would not mend it
    ],
    ids=lambda e: type(e).__name__,
)
def test_other_errors_fail_at_once(demo, monkeypatch, instance, tmp_path, error):
    result, calls, retries = run_with(demo, monkeypatch, instance, tmp_path, error)
    assert not result.success and (calls, retries) == (1, 0)
    [failure] = result.get_step_failure_events()
    message = failure.step_failure_data.error.message
    assert "demo01_ohlcv_bars mic=XLON on 2025-01-02: " in message and str(error) in message
    run = Ledger(tmp_path / "ledger.duckdb").run(result.run_id)
    assert run["status"] == "failed" and str(error) in run["error"]


def test_a_demo_assets_share_one_pool(demo):
    [multi] = load_demos(DEMO_DIR, only=["05"])
    pools = {
        a.key.to_user_string(): a.op.pool for a in build_demo_assets(True, demos=[demo, multi])
    }
    assert pools == {
        "demo01_ohlcv_bars/bars_1m": "basalt/demo01_ohlcv_bars",
        "demo05_multi_pass/bars_5m": "basalt/demo05_multi_pass",
        "demo05_multi_pass/index_1h": "basalt/demo05_multi_pass",
    }
