"""Running a config: passes in order over date batches and listing batches.

A date batch is the unit of work: all its passes run together (a later pass may read an
earlier one), and each pass's output is cut into the batch's partitions (days, or weeks or
months when ``BATCH_FREQ`` is W or M), each written once, atomically, to its own file: the
same files whatever the batch size, from the command line or from Dagster. A batch holds the
lock of every file it writes (:mod:`basalt.pipeline.locks`) while it computes, so two runs
never write one output at once. Days on which none of the universe's venues has a session are
left out (:mod:`basalt.pipeline.trading_days`); a run with no such day raises
:class:`NoSession`. Date batches run in a ``spawn`` process pool of ``NUM_WORKERS`` when there
are several and they are big enough to pay for it; a small run stays in-process. Memory is
bounded by one date batch per worker: outputs go to disk as soon as a batch is done.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import polars as pl

from basalt import locations
from basalt.analytics.key_runs import repeats_keys
from basalt.config.analytics import AnalyticsConfig
from basalt.data import calendars
from basalt.data.errors import DataError
from basalt.data.store import MarketDataStore
from basalt.pipeline import locks
from basalt.pipeline.batches import (
    DateBatch,
    Period,
    choose_freq,
    date_batches,
    listing_batches,
    partition_freq,
    whole_periods,
)
from basalt.pipeline.compute import (
    KEYS,
    compute_pass,
    in_listing_time_order,
    session_frame,
    tables_for,
)
from basalt.pipeline.layout import older_files
from basalt.pipeline.outputs import (
    partition_outputs,
    read_output,
    target_of,
    write_output,
)
from basalt.pipeline.split import TIME_COLUMN, SplitError, split_by_partition
from basalt.pipeline.trading_days import WEEKEND, session_days, summary
from basalt.universes import get_universe

log = logging.getLogger("basalt.pipeline")
# Below this many source rows a run stays in one process: spawning workers costs more.
IN_PROCESS_ROWS = 3_000_000
EXISTS = "exists"


class RunError(RuntimeError):
    """A run that cannot proceed; the message names the pass, dates and listings when known."""


class NoSession(RunError):
    """No day of the run has a session on any venue of its universe (a weekend, a holiday).
    ``reason``: ``no session: holiday (XLON)``."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass
class PassOutput:
    """One pass's file for one partition (``start``..``end``). ``skipped``: not written by this
    run, because it exists (``SKIP_EXISTING_OUTPUT``) or another run is writing it; ``reason``
    says which."""

    pass_name: str
    path: Path
    rows: int
    bytes: int
    skipped: bool = False
    start: dt.date | None = None
    end: dt.date | None = None
    reason: str | None = None

    @property
    def running_elsewhere(self) -> bool:
        """Skipped because another run holds its lock."""
        return self.skipped and self.reason is not None and self.reason != EXISTS


@dataclass
class BatchResult:
    batch: DateBatch
    outputs: list[PassOutput] = field(default_factory=list)
    source_rows: int = 0


@dataclass
class RunPlan:
    """What a run will do, computed without touching market data beyond the reference.

    ``start``..``end`` is the range run (the config's, widened to whole partitions);
    ``closed`` the days left out with the reason."""

    config: AnalyticsConfig
    batches: list[DateBatch]
    freq: str
    workers: int
    partition_freq: str = "D"
    start: dt.date | None = None
    end: dt.date | None = None
    closed: dict[dt.date, str] = field(default_factory=dict)

    def outputs(self) -> list[tuple[str, Period, Path]]:
        """``(pass, partition, file)`` of every output the run writes."""
        return [
            (p.name, period, path)
            for b in self.batches
            for p in self.config.PASSES
            for period, path in partition_outputs(self.config, p, b)
        ]

    def output_paths(self) -> list[Path]:
        return [path for _, _, path in self.outputs()]


def worker_count(config: AnalyticsConfig) -> int:
    """Worker processes. ``-1`` (auto): Polars already uses every core inside one process, so
    extra processes only pay off on larger machines: half the cores from 4 up, else one."""
    if config.NUM_WORKERS != -1:
        return config.NUM_WORKERS
    cores = os.cpu_count() or 1
    return cores // 2 if cores >= 4 else 1


def trading_days(
    config: AnalyticsConfig,
    store: MarketDataStore,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[dt.date]:
    """Days of ``start``..``end`` (default: the config's) with a session for its universe."""
    days, _ = session_days(
        config.UNIVERSE,
        start or config.START_DATE,
        end or config.end_date,
        store,
        config.EXCLUDE_WEEKENDS,
    )
    return days


def _no_session(config: AnalyticsConfig, start: dt.date, end: dt.date, closed) -> NoSession:
    reason = summary(closed)
    when = f"on {start}" if start == end else f"between {start} and {end}"
    return NoSession(f"no trading day for universe '{config.UNIVERSE}' {when}: {reason}", reason)


def _splittable(config: AnalyticsConfig) -> bool:
    """Every pass has a time column, so a batch's output can be cut into partitions."""
    return all(TIME_COLUMN in columns for columns in config.pass_columns().values())


def plan_run(
    config: AnalyticsConfig,
    store: MarketDataStore | None = None,
    *,
    partition_freq_of: AnalyticsConfig | None = None,
) -> RunPlan:
    """Date batches and worker count of a run. The partitions (one file each) are those of
    ``partition_freq_of`` (default: ``config``; a command line that overrides BATCH_FREQ
    keeps the files of the config it overrides), and the range is widened to whole
    partitions. Days without a session for the universe are left out; a range with none
    raises :class:`NoSession`."""
    store = store or store_for(config)
    pfreq = partition_freq(partition_freq_of if partition_freq_of is not None else config)
    start, end = whole_periods(config.START_DATE, config.end_date, pfreq)
    if (start, end) != (config.START_DATE, config.end_date):
        log.info("dates widened to whole partitions (%s): %s..%s", pfreq, start, end)
    days, closed = session_days(config.UNIVERSE, start, end, store, config.EXCLUDE_WEEKENDS)
    if not days:
        raise _no_session(config, start, end, closed)
    for day, reason in sorted(closed.items()):
        if reason != WEEKEND:
            log.info("%s skipped: %s", day, reason)
    freq = config.BATCH_FREQ or choose_freq(start, end)
    if not _splittable(config) and freq != pfreq:
        log.info("a pass has no %s column: one partition per batch", TIME_COLUMN)
        freq = pfreq
    return RunPlan(
        config,
        date_batches(days, freq, pfreq),
        freq,
        worker_count(config),
        partition_freq=pfreq,
        start=start,
        end=end,
        closed=closed,
    )


def store_for(config: AnalyticsConfig) -> MarketDataStore:
    root = Path(config.DATA_DIR) if config.DATA_DIR else None
    return MarketDataStore(root, generate_missing=config.GENERATE_MISSING_DATA)


def _universe(
    config: AnalyticsConfig, batch: DateBatch, store: MarketDataStore, custom
) -> pl.DataFrame:
    frames = [
        get_universe(day, config.UNIVERSE, store, custom).with_columns(_date=pl.lit(day))
        for day in batch.dates
    ]
    universe = pl.concat(frames, how="diagonal_relaxed")
    if universe.is_empty():
        raise RunError(f"UNIVERSE: universe '{config.UNIVERSE}' has no listings on {batch}")
    return universe


def _sessions(universe: pl.DataFrame, days: tuple[dt.date, ...]) -> pl.LazyFrame:
    rows = []
    for listing, mic, day in universe.select("ListingId", "MIC", "_date").iter_rows():
        if day in days and mic in calendars.VENUES and calendars.is_trading_day(mic, day):
            s = calendars.session(mic, day)
            rows.append((listing, s.continuous_start, s.continuous_end))
    return session_frame(rows)


def _only(frame: pl.LazyFrame, ids: list[int]) -> pl.LazyFrame:
    return frame.filter(pl.col("ListingId").is_in(ids))


def _scan(
    store: MarketDataStore, table: str, batch: DateBatch, mics: list[str], ids: list[int]
) -> pl.LazyFrame:
    return _only(store.scan(table, batch.dates, mics), ids)


def run_batch(
    config: AnalyticsConfig,
    batch: DateBatch,
    custom: Callable | None = None,
    *,
    run_id: str | None = None,
    skip_running: bool = False,
    reuse: Collection[str] = (),
) -> BatchResult:
    """Compute every pass of one date batch and write one file per pass and partition, holding
    the lock of each file meanwhile. A file another run is writing is waited for, or with
    ``skip_running`` left to it: its partition is skipped (``PassOutput.reason`` names the
    run). ``run_id`` is written into the locks this run holds. The passes named in ``reuse``
    read their existing files instead of recomputing them (as ``SKIP_EXISTING_OUTPUT`` does
    for every pass)."""
    targets = {p.name: dict(partition_outputs(config, p, batch)) for p in config.PASSES}
    paths = [path for files in targets.values() for path in files.values()]
    with locks.holding(paths, run_id, wait=not skip_running) as busy:
        result = BatchResult(batch)
        held_elsewhere = {
            period: busy[path.absolute()]
            for files in targets.values()
            for period, path in files.items()
            if path.absolute() in busy
        }
        for period, holder in sorted(held_elsewhere.items()):
            for p in config.PASSES:
                path = targets[p.name][period]
                size = path.stat().st_size if path.exists() else 0
                reason = f"being written by {holder}"
                result.outputs.append(
                    PassOutput(p.name, path, -1, size, True, period.start, period.end, reason)
                )
        periods = [period for period in batch.partitions if period not in held_elsewhere]
        if periods:
            _compute_batch(config, batch.only(periods), custom, targets, result, frozenset(reuse))
    return result


def _compute_batch(
    config: AnalyticsConfig,
    batch: DateBatch,
    custom: Callable | None,
    targets: dict[str, dict[Period, Path]],
    result: BatchResult,
    reuse: frozenset[str] = frozenset(),
) -> None:
    """Compute the passes of ``batch`` and write their partition files (those that exist are
    read instead with ``SKIP_EXISTING_OUTPUT``); outputs are added to ``result``."""
    periods = batch.partitions

    def kept(name: str) -> bool:
        return config.SKIP_EXISTING_OUTPUT or name in reuse

    if all(
        kept(p.name) and targets[p.name][period].exists()
        for p in config.PASSES
        for period in periods
    ):  # nothing to compute: no market data is read or generated
        for p in config.PASSES:
            for period in periods:
                path = targets[p.name][period]
                size = path.stat().st_size
                result.outputs.append(
                    PassOutput(p.name, path, -1, size, True, period.start, period.end, EXISTS)
                )
        return
    store = store_for(config)
    universe = _universe(config, batch, store, custom)
    mics = sorted(universe["MIC"].unique())
    tables = sorted({t for p in config.PASSES for t in tables_for(p, config)})
    store.ensure(tables, batch.dates, mics)
    listings = universe.select("ListingId", "MIC", "Ticker").unique("ListingId").lazy()
    reference = universe.lazy()
    biggest = max((store.row_count(t, batch.dates, mics) for t in tables), default=0)
    id_batches = listing_batches(
        universe["ListingId"].to_list(), biggest, config.MAX_ROWS_PER_BATCH
    )
    result.source_rows += biggest
    outputs: dict[str, pl.LazyFrame] = {}
    for index, p in enumerate(config.PASSES):
        target = target_of(config, p)
        files = {period: targets[p.name][period] for period in periods}
        frames: list[pl.LazyFrame] = []
        missing = []
        for period, path in files.items():
            if kept(p.name) and path.exists():
                frames.append(read_output(path, target))
                size = path.stat().st_size
                result.outputs.append(
                    PassOutput(p.name, path, -1, size, True, period.start, period.end, EXISTS)
                )
            else:
                missing.append(period)
        if missing:
            todo = batch.only(missing)
            frame = _compute_pass(
                config, index, store, todo, mics, id_batches, universe, listings, reference, outputs
            )
            try:
                pieces = split_by_partition(frame, p, periods, batch.partition_freq, keep=missing)
            except SplitError as exc:
                raise RunError(f"{exc} (batch {batch})") from None
            for period in missing:
                piece, path = pieces[period], files[period]
                try:
                    written = write_output(piece, path, target)
                except OSError as exc:
                    raise RunError(
                        f"pass '{p.name}' cannot write {path}: {exc.strerror or exc}"
                    ) from exc
                result.outputs.append(
                    PassOutput(p.name, path, piece.height, written, False, period.start, period.end)
                )
                log.debug("%s %s: %d rows -> %s", p.name, period, piece.height, path)
                frames.append(piece.lazy())
            _warn_older_files(config, p, missing, batch.partition_freq)
        outputs[p.name] = (
            frames[0] if len(frames) == 1 else pl.concat(frames, how="diagonal_relaxed")
        )


_WARNED: set[Path] = set()


def _warn_older_files(config: AnalyticsConfig, p: Any, written: list[Period], freq: str) -> None:
    """Warn (once per file) about a file of an older layout that holds days just written."""
    for f in older_files(config, p, written, freq):
        if f.path not in _WARNED:
            _WARNED.add(f.path)
            log.warning(
                "%s holds %s..%s in one file (an older layout) beside the files of each "
                "partition: reading the folder counts those days twice; remove it",
                f.path,
                f.start,
                f.end,
            )


def _compute_pass(
    config: AnalyticsConfig,
    index: int,
    store: MarketDataStore,
    batch: DateBatch,
    mics: list[str],
    id_batches: list[list[int]],
    universe: pl.DataFrame,
    listings: pl.LazyFrame,
    reference: pl.LazyFrame,
    outputs: dict[str, pl.LazyFrame],
) -> pl.DataFrame:
    """Pass ``index`` over the days of ``batch``, listing batch by listing batch."""
    p = config.PASSES[index]
    sessions = _sessions(universe, batch.dates)
    parts = []
    for ids in id_batches if p.modules != ["reaggregate"] else [universe["ListingId"].to_list()]:
        try:
            raw = {t: _scan(store, t, batch, mics, ids) for t in tables_for(p, config)}
            # the dense grid of this listing batch only: another batch's listings get theirs
            # (with their values) from that batch, never an empty copy from this one
            grid = sessions if len(id_batches) < 2 else _only(sessions, ids)
            frame = compute_pass(config, index, raw, listings, grid, outputs, reference)
            part = frame.collect(engine="streaming")
            if p.modules != ["reaggregate"] and repeats_keys(part, KEYS):
                # rows of a bucket were apart in the files: again, on the tables sorted
                log.info("pass '%s': the store's files are not in (ListingId, time) order", p.name)
                raw = in_listing_time_order(raw)
                frame = compute_pass(config, index, raw, listings, grid, outputs, reference)
                part = frame.collect(engine="streaming")
            parts.append(part)
        except (DataError, RunError):
            raise
        except Exception as exc:
            shown = ", ".join(map(str, ids[:5])) + (" ..." if len(ids) > 5 else "")
            raise RunError(
                f"pass '{p.name}' failed for {batch} and listings {shown}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
    return pl.concat(parts) if parts else pl.DataFrame()


def _run_batch_payload(
    payload: dict[str, Any],
    script: Path | None,
    batch: DateBatch,
    custom: Callable | None,
    folders: dict[str, str],
    run_id: str | None,
    skip_running: bool,
    reuse: Collection[str],
) -> BatchResult:
    """A batch in a worker process: the config comes as JSON, its demo's modules are read
    again from the demo ``script``, and the run's folders (``folders``: data_dir,
    output_dir, home) are set again: a worker shares nothing with its parent."""
    from basalt.config.demo_source import read_demo
    from basalt.config.modules.base import BUILTINS

    modules = read_demo(script).modules if script is not None else BUILTINS
    config = AnalyticsConfig.model_validate(payload, context=modules.context())
    with locations.using(**folders):
        return run_batch(
            config, batch, custom, run_id=run_id, skip_running=skip_running, reuse=reuse
        )


def _folders() -> dict[str, str]:
    """This run's folders, absolute, for a worker process."""
    data_dir = locations.data_dir()
    return {
        "data_dir": str(data_dir.absolute()) if data_dir else "",
        "output_dir": str(locations.output_dir().absolute()),
        "home": str(locations.home().absolute()),
    }


def iter_run(
    plan: RunPlan,
    custom: Callable | None = None,
    store: MarketDataStore | None = None,
    *,
    run_id: str | None = None,
    skip_running: bool = False,
    reuse: Collection[str] = (),
) -> Iterator[BatchResult]:
    """Run the plan, yielding each batch's result as it finishes (see :func:`run_batch` for
    ``run_id``, ``skip_running`` and ``reuse``)."""
    config = plan.config
    store = store or store_for(config)
    big = (
        len(plan.batches) > 1
        and plan.workers > 1
        and _estimated_rows(plan, store) > IN_PROCESS_ROWS
    )
    if not big:
        for batch in plan.batches:
            yield run_batch(
                config, batch, custom, run_id=run_id, skip_running=skip_running, reuse=reuse
            )
        return
    payload = config.model_dump(mode="json")
    script = config.module_scope.source
    workers = min(plan.workers, len(plan.batches))
    folders = _folders()
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(
                _run_batch_payload,
                payload,
                script,
                b,
                custom,
                folders,
                run_id,
                skip_running,
                tuple(reuse),
            )
            for b in plan.batches
        ]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def _estimated_rows(plan: RunPlan, store: MarketDataStore) -> int:
    """Rows already on disk for the run (generated days count as a default-size day)."""
    days = [d for b in plan.batches for d in b.dates]
    on_disk = store.row_count("trades", days)
    return on_disk or len(days) * 50_000


def run(
    config: AnalyticsConfig,
    custom: Callable | None = None,
    on_batch: Callable[[BatchResult], None] | None = None,
    *,
    run_id: str | None = None,
    skip_running: bool = False,
    reuse: Collection[str] = (),
) -> list[BatchResult]:
    """Run a config to the end; returns each batch's outputs (see :func:`run_batch`)."""
    plan = plan_run(config)
    results = []
    start = time.perf_counter()
    for result in iter_run(plan, custom, run_id=run_id, skip_running=skip_running, reuse=reuse):
        results.append(result)
        if on_batch:
            on_batch(result)
    log.info("run done: %d batches in %.2f s", len(results), time.perf_counter() - start)
    return results
