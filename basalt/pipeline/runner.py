"""Running a config: passes in order over date batches and listing batches.

A date batch is the unit of work: all its passes run together (a later pass may read an
earlier one) and each pass's output for the batch is written once, atomically. Date batches
run in a ``spawn`` process pool of ``NUM_WORKERS`` when there are several and they are big
enough to pay for it; a small run stays in-process. Memory is bounded by one date batch per
worker: outputs go to disk as soon as a batch is done.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import polars as pl

from basalt.config.analytics import AnalyticsConfig
from basalt.data import calendars
from basalt.data.errors import DataError
from basalt.data.store import MarketDataStore
from basalt.pipeline.batches import DateBatch, choose_freq, date_batches, listing_batches
from basalt.pipeline.compute import compute_pass, session_frame, tables_for
from basalt.pipeline.outputs import output_path, read_output, target_of, write_output
from basalt.universes import get_universe

log = logging.getLogger("basalt.pipeline")
# Below this many source rows a run stays in one process: spawning workers costs more.
IN_PROCESS_ROWS = 3_000_000


class RunError(RuntimeError):
    """A run that cannot proceed; the message names the pass, dates and listings when known."""


@dataclass
class PassOutput:
    pass_name: str
    path: Path
    rows: int
    bytes: int
    skipped: bool = False


@dataclass
class BatchResult:
    batch: DateBatch
    outputs: list[PassOutput] = field(default_factory=list)
    source_rows: int = 0


@dataclass
class RunPlan:
    """What a run will do, computed without touching market data beyond the reference."""

    config: AnalyticsConfig
    batches: list[DateBatch]
    freq: str
    workers: int

    def output_paths(self) -> list[Path]:
        return [output_path(self.config, p, b) for b in self.batches for p in self.config.PASSES]


def worker_count(config: AnalyticsConfig) -> int:
    """Worker processes. ``-1`` (auto): Polars already uses every core inside one process, so
    extra processes only pay off on larger machines: half the cores from 4 up, else one."""
    if config.NUM_WORKERS != -1:
        return config.NUM_WORKERS
    cores = os.cpu_count() or 1
    return cores // 2 if cores >= 4 else 1


def trading_days(config: AnalyticsConfig, store: MarketDataStore) -> list[dt.date]:
    days = store.trading_days(config.START_DATE, config.end_date)
    if config.EXCLUDE_WEEKENDS:
        days = [d for d in days if d.weekday() < 5]
    return days


def plan_run(config: AnalyticsConfig, store: MarketDataStore | None = None) -> RunPlan:
    """Date batches and worker count of a run; a range with no trading day is an error."""
    store = store or store_for(config)
    days = trading_days(config, store)
    if not days:
        raise RunError(f"no trading day between {config.START_DATE} and {config.end_date}")
    freq = config.BATCH_FREQ or choose_freq(config.START_DATE, config.end_date)
    return RunPlan(config, date_batches(days, freq), freq, worker_count(config))


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
        raise RunError(f"universe '{config.UNIVERSE}' has no listings on {batch}")
    return universe


def _sessions(universe: pl.DataFrame) -> pl.LazyFrame:
    rows = []
    for listing, mic, day in universe.select("ListingId", "MIC", "_date").iter_rows():
        if mic in calendars.VENUES and calendars.is_trading_day(mic, day):
            s = calendars.session(mic, day)
            rows.append((listing, s.continuous_start, s.continuous_end))
    return session_frame(rows)


def _scan(
    store: MarketDataStore, table: str, batch: DateBatch, mics: list[str], ids: list[int]
) -> pl.LazyFrame:
    return store.scan(table, batch.dates, mics).filter(pl.col("ListingId").is_in(ids))


def run_batch(
    config: AnalyticsConfig, batch: DateBatch, custom: Callable | None = None
) -> BatchResult:
    """Compute and write every pass of one date batch."""
    store = store_for(config)
    universe = _universe(config, batch, store, custom)
    mics = sorted(universe["MIC"].unique())
    tables = sorted({t for p in config.PASSES for t in tables_for(p, config)})
    store.ensure(tables, batch.dates, mics)
    listings = universe.select("ListingId", "MIC", "Ticker").unique("ListingId").lazy()
    sessions = _sessions(universe)
    reference = universe.lazy()
    biggest = max((store.row_count(t, batch.dates, mics) for t in tables), default=0)
    id_batches = listing_batches(
        universe["ListingId"].to_list(), biggest, config.MAX_ROWS_PER_BATCH
    )
    result = BatchResult(batch, source_rows=biggest)
    outputs: dict[str, pl.LazyFrame] = {}
    for index, p in enumerate(config.PASSES):
        path = output_path(config, p, batch)
        target = target_of(config, p)
        if config.SKIP_EXISTING_OUTPUT and path.exists():
            outputs[p.name] = read_output(path, target)
            result.outputs.append(PassOutput(p.name, path, -1, path.stat().st_size, skipped=True))
            continue
        parts = []
        for ids in (
            id_batches if p.modules != ["reaggregate"] else [universe["ListingId"].to_list()]
        ):
            try:
                raw = {t: _scan(store, t, batch, mics, ids) for t in tables_for(p, config)}
                frame = compute_pass(config, index, raw, listings, sessions, outputs, reference)
                parts.append(frame.collect(engine="streaming"))
            except (DataError, RunError):
                raise
            except Exception as exc:
                shown = ", ".join(map(str, ids[:5])) + (" ..." if len(ids) > 5 else "")
                raise RunError(
                    f"pass '{p.name}' failed for {batch} and listings {shown}: {type(exc).__name__}: {exc}"
                ) from exc
        frame = pl.concat(parts) if parts else pl.DataFrame()
        try:
            written = write_output(frame, path, target)
        except OSError as exc:
            raise RunError(f"pass '{p.name}' cannot write {path}: {exc.strerror or exc}") from exc
        outputs[p.name] = frame.lazy()
        result.outputs.append(PassOutput(p.name, path, frame.height, written))
        log.debug("%s %s: %d rows -> %s", p.name, batch, frame.height, path)
    return result


def _run_batch_payload(
    payload: dict[str, Any], script: Path | None, batch: DateBatch, custom: Callable | None
) -> BatchResult:
    """A batch in a worker process: the config comes as JSON, its demo's modules are read
    again from the demo ``script`` (a worker shares nothing with its parent)."""
    from basalt.config.demo_source import read_demo
    from basalt.config.modules.base import BUILTINS

    modules = read_demo(script).modules if script is not None else BUILTINS
    config = AnalyticsConfig.model_validate(payload, context=modules.context())
    return run_batch(config, batch, custom)


def iter_run(
    plan: RunPlan, custom: Callable | None = None, store: MarketDataStore | None = None
) -> Iterator[BatchResult]:
    """Run the plan, yielding each batch's result as it finishes."""
    config = plan.config
    store = store or store_for(config)
    big = (
        len(plan.batches) > 1
        and plan.workers > 1
        and _estimated_rows(plan, store) > IN_PROCESS_ROWS
    )
    if not big:
        for batch in plan.batches:
            yield run_batch(config, batch, custom)
        return
    payload = config.model_dump(mode="json")
    script = config.module_scope.source
    workers = min(plan.workers, len(plan.batches))
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(_run_batch_payload, payload, script, b, custom) for b in plan.batches
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
) -> list[BatchResult]:
    """Run a config to the end; returns each batch's outputs."""
    plan = plan_run(config)
    results = []
    start = time.perf_counter()
    for result in iter_run(plan, custom):
        results.append(result)
        if on_batch:
            on_batch(result)
    log.info("run done: %d batches in %.2f s", len(results), time.perf_counter() - start)
    return results
