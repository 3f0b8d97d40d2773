"""The run-ledger rows of one Dagster step: the run (trigger ``dagster``, the Dagster run id,
the demo, its config and partition), the outputs of the passes the asset owns, its check results
and how the step ended.

A Dagster run of several assets writes one ledger run: each step starts it (the ledger widens the
run's dates and universes) and finishes it (failed and cancelled stay, whatever a later step
says). A step that fails with retries allowed and attempts left records no end: its next
attempt goes on with the same row. Recording never fails a step: a ledger problem is logged as a warning and the step goes
on (a busy ledger spools the write, see :mod:`basalt.ledger.store`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal

import dagster as dg

from basalt.dagster.demos import Demo
from basalt.dagster.partitions import PartitionRun
from basalt.ledger.recorder import RunRecorder

log = logging.getLogger("basalt.dagster")

TRIGGER = "dagster"
CANCELLED = "cancelled by Dagster (run terminated)"


def plain_value(value: Any) -> Any:
    """A metadata value as plain JSON data: Dagster's ``MetadataValue`` unwrapped, containers
    walked, dates as ISO text, anything else (a table schema, a path object) as its text."""
    if isinstance(value, dg.MetadataValue):
        value = value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain_value(v) for v in value]
    return str(value)


def plain_metadata(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check or materialization metadata as a JSON-able dict."""
    return {str(k): plain_value(v) for k, v in (metadata or {}).items()}


def check_row(
    pass_name: str, check_name: str, result: dg.AssetCheckResult, partition_key: str
) -> dict[str, Any]:
    """One ``meta.asset_checks`` row (without the run id) from a Dagster check result."""
    return {
        "pass_name": pass_name,
        "partition_key": partition_key,
        "check_name": check_name,
        "passed": bool(result.passed),
        "severity": result.severity.value,
        "metadata": plain_metadata(result.metadata),
    }


def error_text(exc: BaseException) -> str:
    """What a failed step says: a ``dg.Failure``'s description, else the exception's type and
    message."""
    if isinstance(exc, dg.Failure) and exc.description:
        return exc.description
    return f"{type(exc).__name__}: {exc}"


class StepLedger:
    """Use as a context manager around a step: the step's end is recorded as it leaves
    (success; failed with the error; cancelled when the run is terminated; nothing while
    Dagster will retry it: a ``Failure`` allowing retries with fewer than ``retries`` attempts
    made), exceptions go on."""

    def __init__(self, context: Any, demo: Demo, retries: int = 0):
        self.context = context
        self.demo = demo
        self.retries = retries
        self.recorder: RunRecorder | None = None

    @property
    def run_id(self) -> str:
        return self.context.run.run_id

    def _safely(self, what: str, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:  # the ledger must never fail the step it records
            log.warning(
                "run ledger: cannot record %s of Dagster run %s: %s", what, self.run_id, exc
            )

    def start(self, config_sha256: str | None, partition: PartitionRun | None) -> None:
        """The run's row: demo, config, and the partition's universe and dates (if any)."""
        self._safely("the start", self._start, config_sha256, partition)

    def _start(self, config_sha256: str | None, partition: PartitionRun | None) -> None:
        dates = partition.dates if partition is not None else None
        self.recorder = RunRecorder(
            config_file=self.demo.config_file,
            config_sha256=config_sha256,
            universe=partition.universe.spec if partition is not None else None,
            start_date=dates.start_date if dates is not None else None,
            end_date=dates.end_date if dates is not None else None,
            trigger=TRIGGER,
            run_id=self.run_id,
            demo=self.demo.stem,
        )
        self.recorder.start()

    def _started(self) -> RunRecorder:
        if self.recorder is None:  # the step failed before it knew its partition
            self._start(None, None)
        assert self.recorder is not None
        return self.recorder

    def outputs(
        self,
        results: Sequence[Any],
        passes: Collection[str],
        partition: PartitionRun,
        partition_key: str,
    ) -> None:
        """Outputs of ``passes`` in the partition's ``BatchResult``s: under the Dagster key and
        the partition's dates when the partition ran as one batch (always, for the demos'
        partitions); else one row per batch, keyed by its dates, so no output hides another."""
        self._safely("the outputs", self._outputs, results, passes, partition, partition_key)

    def _outputs(
        self,
        results: Sequence[Any],
        passes: Collection[str],
        partition: PartitionRun,
        partition_key: str,
    ) -> None:
        recorder = self._started()
        if len(results) == 1:
            owned = [o for o in results[0].outputs if o.pass_name in passes]
            dates = partition.dates
            recorder.outputs(owned, dates.start_date, dates.last_date, partition_key)
            return
        for result in results:
            owned = [o for o in result.outputs if o.pass_name in passes]
            recorder.outputs(owned, result.batch.start, result.batch.end)

    def checks(
        self, results: Sequence[tuple[str, str, dg.AssetCheckResult]], partition_key: str
    ) -> None:
        """``(pass name, check name, result)`` of each check, in one write."""
        self._safely("the checks", self._checks, results, partition_key)

    def _checks(
        self, results: Sequence[tuple[str, str, dg.AssetCheckResult]], partition_key: str
    ) -> None:
        if results:
            rows = [check_row(p, name, r, partition_key) for p, name, r in results]
            self._started().checks(rows)

    def finish(self, status: str, error: str | None = None) -> None:
        self._safely("the end", lambda: self._started().finish(status, error))

    def will_retry(self, exc: BaseException) -> bool:
        """Whether Dagster runs the step again after ``exc``."""
        if not (isinstance(exc, dg.Failure) and exc.allow_retries):
            return False
        try:
            attempt = int(self.context.retry_number)
        except Exception:  # a context without retries (a direct invocation)
            return False
        return attempt < self.retries

    def pause(self, exc: BaseException) -> None:
        """Stop beating until the next attempt starts the row again."""
        log.warning("Dagster run %s: %s; the step will be retried", self.run_id, error_text(exc))
        if self.recorder is not None:
            self._safely("the pause", self.recorder.heartbeat.stop)

    def __enter__(self) -> StepLedger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        if exc is None:
            self.finish("success")
        elif isinstance(exc, (KeyboardInterrupt, dg.DagsterExecutionInterruptedError)):
            self.finish("cancelled", CANCELLED)
        elif self.will_retry(exc):
            self.pause(exc)
        else:
            self.finish("failed", error_text(exc))
        return False
