"""Live reload and run ledger: from saving a demo's YAML to Dagster showing the change, and
the ledger's write throughput with 8 writers.

    .venv/bin/python bench/live_bench.py [N]

Starts ``basalt dagster dev`` on a free port (its own DAGSTER_HOME and BASALT_HOME, the demos
copied to a temporary folder), then N times (default 5) saves demo 01's YAML with a new
schedule cron, as the editors save (a temporary file renamed over it), and measures the time
until the new cron is visible through GraphQL (polled every 50 ms). For each save it prints
that time and the reload alone as the status file reports it (the rest is the debounce, the
validation and the polling); then the medians, and it stops everything. Then the ledger part
(``bench/ledger_bench.py`` with 8 writers). Nothing is asserted.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from basalt.atomic import write_text_atomic
from basalt.dagster.dev_handle import ensure_dagster_dev
from basalt.dagster.graphql import DagsterWebserver
from basalt.dagster.reload_status import ReloadStatus, read_status

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.e2e.support import copy_demos, free_port, wait_until  # noqa: E402

SCHEDULE = "demo01_ohlcv_bars_nightly_xlon"
OLD_CRON = "0 2 * * *"
TIMEOUT = 120.0
POLL = 0.05


def cron_of(client: DagsterWebserver) -> str | None:
    return next((s["cron"] for s in client.schedules() if s["name"] == SCHEDULE), None)


def reloaded_after(home: Path, port: int, since: dt.datetime) -> ReloadStatus | None:
    """The status file's ``reloaded`` state, if written after ``since``."""
    status = read_status(home, port)
    if status is None or status.state != "reloaded":
        return None
    return status if dt.datetime.fromisoformat(status.at) > since else None


def wait_for(probe, what: str):
    return wait_until(probe, TIMEOUT, what, interval=POLL)


def main() -> None:
    saves = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="live_reload_bench_") as tmp:
        root = Path(tmp)
        demo_dir = copy_demos(root)
        home = root / "basalt_home"
        env = {
            **os.environ,
            "DAGSTER_HOME": str(root / "dagster_home"),
            "BASALT_HOME": str(home),
            "BASALT_DATA_DIR": str(root / "data"),
            "BASALT_OUTPUT_DIR": str(root / "output"),
            "BASALT_DEMO_DIR": str(demo_dir),
        }
        port = free_port()
        began = time.perf_counter()
        handle = ensure_dagster_dev(
            "127.0.0.1",
            port,
            root / "dev.log",
            workspace=REPO / "workspace.yaml",
            demo_dir=demo_dir,
            cwd=REPO,
            env=env,
        )
        print(
            f"basalt dagster dev answering on {handle.url} after {time.perf_counter() - began:.1f} s"
        )
        try:
            client = handle.client()
            yaml = demo_dir / "01_ohlcv_bars.yaml"
            original = yaml.read_text()
            visible, reloads = [], []
            for i in range(1, saves + 1):
                cron = f"{i} 4 * * *"
                since = dt.datetime.now(dt.timezone.utc)
                start = time.perf_counter()
                write_text_atomic(yaml, original.replace(f'cron: "{OLD_CRON}"', f'cron: "{cron}"'))
                wait_for(lambda cron=cron: cron_of(client) == cron, f"cron {cron} in Dagster")
                seconds = time.perf_counter() - start
                status = wait_for(
                    lambda since=since: reloaded_after(home, port, since), "the reloaded status"
                )
                visible.append(seconds)
                reloads.append(status.seconds or 0.0)
                print(
                    f"save {i}: cron visible after {seconds:.2f} s "
                    f"(reload {status.seconds:.2f} s, the rest debounce + validation + polling)"
                )
            print(
                f"median over {saves} saves: visible after {statistics.median(visible):.2f} s, "
                f"reload {statistics.median(reloads):.2f} s"
            )
        finally:
            began = time.perf_counter()
            handle.stop()
            print(f"stopped in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
    print()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ledger_bench

    ledger_bench.main(["--workers", "8", "--runs", "25"])
