"""Eight processes writing the same ledger at once: every row is there afterwards."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from basalt.ledger.store import Ledger
from tests.ledger.writers import CHECKS, PASSES, day_of, demo_of, write_runs

WORKERS = 8
RUNS = 10


@pytest.mark.parametrize(
    "busy_timeout",
    [20.0, 0.02],
    ids=["writers-wait", "writers-spool"],  # the second spools most writes, then replays them
)
def test_eight_writers_lose_nothing(tmp_path, busy_timeout):
    path = tmp_path / "ledger.duckdb"
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [
            pool.submit(write_runs, str(path), worker, RUNS, busy_timeout)
            for worker in range(WORKERS)
        ]
        reports = [f.result(timeout=240) for f in futures]  # a worker that died raises here
    assert [r["failed"] for r in reports] == [[]] * WORKERS  # no write failed, none logged
    if busy_timeout < 1:
        assert sum(r["spooled"] for r in reports) > 0  # the case this parameter is for
    ledger = Ledger(path)  # applies whatever is still spooled
    runs = ledger.runs(limit=10_000)
    assert len(runs) == WORKERS * RUNS
    assert {r["status"] for r in runs} == {"success"}
    assert {r["run_id"] for r in runs} == {
        f"w{w:02d}-r{r:04d}" for w in range(WORKERS) for r in range(RUNS)
    }
    assets = ledger.assets()
    assert len(assets) == WORKERS * RUNS * len(PASSES)
    assert all(a["rows"] == 100 + int(a["run_id"][-4:]) for a in assets)
    checks = ledger.checks(limit=10_000)
    assert len(checks) == WORKERS * RUNS * len(CHECKS)
    assert all(c["metadata"]["run"] == int(c["run_id"][-4:]) for c in checks)
    marks = ledger.watermarks()
    assert len(marks) == WORKERS * len(PASSES)
    assert {m["demo"] for m in marks} == {demo_of(w) for w in range(WORKERS)}
    assert {m["latest_date"] for m in marks} == {day_of(RUNS - 1)}
    assert list(ledger.spool_dir.glob("*")) == []
