"""Recording one run in the ledger as it goes: start, each batch's outputs, the end.

A ledger problem never fails a run: it is logged as a warning and the run goes on (a busy
ledger is handled inside :class:`~basalt.ledger.store.Ledger` by spooling).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from basalt.ledger.liveness import HEARTBEAT_INTERVAL, Heartbeat, process_identity
from basalt.ledger.store import Ledger, new_run_id

log = logging.getLogger("basalt.ledger")

RUN_ID_ENV = "BASALT_RUN_ID"
TRIGGER_ENV = "BASALT_TRIGGER"


def demo_name(config_file: str | Path | None) -> str | None:
    """``demo/01_ohlcv_bars.yaml`` -> ``01_ohlcv_bars`` (a demo is named by its file stem)."""
    return Path(config_file).stem if config_file else None


def _whole_period(start: dt.date, end: dt.date) -> bool:
    """``start..end`` is one day, one week (Monday to Sunday) or one month."""
    if start == end:
        return True
    if start.weekday() == 0 and end - start == dt.timedelta(days=6):
        return True
    next_month = (end + dt.timedelta(days=1)).day == 1
    return start.day == 1 and (start.year, start.month) == (end.year, end.month) and next_month


def batch_partition_key(start: dt.date, end: dt.date, universe: str | None) -> str:
    """Dagster's key for a partition's output: ``2025-01-02|mic=XLON`` for a day, the first day
    for a week or a month (``2025-01-06|mic=XLON``); ``2025-01-06..2025-01-10|...`` for any
    other range (a file of an older layout). No universe (a run without one, a file whose path
    template names none) is written ``None``."""
    days = start.isoformat() if _whole_period(start, end) else f"{start}..{end}"
    return f"{days}|{universe}"


class RunRecorder:
    """The ledger rows of one run. ``trigger`` and ``run_id`` default to ``$BASALT_TRIGGER``
    (else ``cli``) and ``$BASALT_RUN_ID`` (else a new id): an editor that starts a run in a
    subprocess names it, so it can find the run's rows. From :meth:`start` to :meth:`finish`
    the run's row gets a heartbeat at each batch and every ``heartbeat_interval`` seconds."""

    def __init__(
        self,
        *,
        config_file: str | Path | None,
        config_sha256: str | None,
        universe: str | None,
        start_date: dt.date | None,
        end_date: dt.date | None,
        trigger: str | None = None,
        run_id: str | None = None,
        demo: str | None = None,
        ledger: Ledger | None = None,
        heartbeat_interval: float = HEARTBEAT_INTERVAL,
        overrides: Mapping[str, Any] | None = None,
    ):
        self.ledger = ledger or Ledger()
        self.run_id = run_id or os.environ.get(RUN_ID_ENV) or new_run_id()
        self.trigger = trigger or os.environ.get(TRIGGER_ENV) or "cli"
        self.demo = demo or demo_name(config_file)
        # absolute, so the rows mean the same from any working directory
        self.config_file = Path(config_file).absolute() if config_file else None
        self.config_sha256 = config_sha256
        self.universe = universe
        self.start_date = start_date
        self.end_date = end_date
        self.heartbeat = Heartbeat(self.ledger, self.run_id, heartbeat_interval)
        self.overrides = dict(overrides) if overrides else None
        self.skipped: list[dict[str, Any]] = []

    def _safely(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except Exception as exc:  # the ledger must never fail the run it records
            log.warning("run ledger %s: cannot record %s: %s", self.ledger.path, what, exc)

    def start(self) -> None:
        self._safely(
            "the run's start",
            self.ledger.start_run,
            run_id=self.run_id,
            trigger=self.trigger,
            demo=self.demo,
            config_file=self.config_file,
            config_sha256=self.config_sha256,
            universe=self.universe,
            start_date=self.start_date,
            end_date=self.end_date,
            process=process_identity(),
            overrides=self.overrides,
        )
        self.heartbeat.start()

    def outputs(
        self, outputs: Iterable[Any], start: dt.date, end: dt.date, partition_key: str | None = None
    ) -> None:
        """Outputs (``PassOutput``-like: pass_name, path, rows, bytes) covering start..end."""
        key = partition_key or batch_partition_key(start, end, self.universe)
        rows = [
            {
                "run_id": self.run_id,
                "demo": self.demo,
                "pass_name": o.pass_name,
                "partition_key": key,
                "universe": self.universe,
                "start_date": start,
                "end_date": end,
                "output_path": str(Path(o.path).absolute()),
                "rows": o.rows if o.rows >= 0 else None,
                "bytes": o.bytes,
            }
            for o in outputs
        ]
        self._safely("outputs", self.ledger.record_assets, rows)
        self.heartbeat.beat()

    def batch_done(self, result: Any) -> None:
        """A ``BatchResult`` of the pipeline: each output under its partition (its own dates
        when it has them, else the batch's). Outputs left to another run writing them are
        recorded in the run's ``skipped`` list, not as outputs of this run."""
        by_dates: dict[tuple[dt.date, dt.date], list[Any]] = {}
        left: list[Any] = []
        for o in result.outputs:
            if getattr(o, "running_elsewhere", False):
                left.append(o)
                continue
            start = getattr(o, "start", None) or result.batch.start
            end = getattr(o, "end", None) or result.batch.end
            by_dates.setdefault((start, end), []).append(o)
        for (start, end), outputs in by_dates.items():
            self.outputs(outputs, start, end)
        if left:
            self.skipped += [
                {
                    "pass_name": o.pass_name,
                    "partition_key": batch_partition_key(o.start, o.end, self.universe),
                    "output_path": str(Path(o.path).absolute()),
                    "reason": o.reason,
                }
                for o in left
            ]
            self._safely("skipped outputs", self.ledger.record_skipped, self.run_id, self.skipped)
        if not by_dates:
            self.heartbeat.beat()

    def checks(self, checks: list[dict[str, Any]]) -> None:
        rows = [{"run_id": self.run_id, **c} for c in checks]
        self._safely("checks", self.ledger.record_checks, rows)

    def finish(self, status: str, error: str | None = None) -> None:
        self.heartbeat.stop()
        self._safely("the run's end", self.ledger.finish_run, self.run_id, status, error)
