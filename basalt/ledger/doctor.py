"""``basalt ledger doctor [--repair]``: check the run ledger, and rebuild a broken one.

The check opens the ledger, reads every row of every table in ``meta`` and counts the spooled
writes waiting to be applied. The repair moves a broken file aside (``ledger.duckdb.broken-
<UTC time>``, beside it), creates a new ledger, replays the spool into it, and rebuilds the
outputs (``meta.run_assets``) and watermarks (``meta.asset_watermarks``) from the output files
on disk: each demo's pass outputs, found through the pass's path template. An output no
replayed write names is recorded under the run id ``rebuilt-<UTC time>``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from basalt.ledger.recorder import batch_partition_key
from basalt.ledger.store import REJECTED_SUFFIX, Ledger, LedgerError, utcnow
from basalt.ledger.turns import turn

BROKEN_INFIX = ".broken-"
REBUILT_RUN_PREFIX = "rebuilt-"


@dataclass
class Health:
    """What the check found."""

    path: Path
    exists: bool = True
    error: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    spooled: int = 0
    rejected: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def broken(self) -> bool:
        """Unreadable (not merely busy)."""
        return self.error is not None and " cannot be read (" in self.error

    def lines(self) -> list[str]:
        if not self.exists:
            state = f"{self.path}: no ledger yet (the first run creates it)"
        elif self.error:
            state = self.error
        else:
            counts = ", ".join(f"{t} {n:,}" for t, n in self.rows.items())
            state = f"{self.path}: ok, rows: {counts}"
        return [
            f"ledger  {state}",
            f"spool   {self.path.parent / 'ledger.spool'}: {self.spooled} writes waiting, "
            f"{self.rejected} rejected",
        ]


def _spool_counts(ledger: Ledger) -> tuple[int, int]:
    if not ledger.spool_dir.is_dir():
        return 0, 0
    return (
        len(list(ledger.spool_dir.glob("*.json"))),
        len(list(ledger.spool_dir.glob("*.json" + REJECTED_SUFFIX))),
    )


def _read_tables(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of every table in ``meta``, each read in full (a count alone may not touch the
    data blocks)."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'meta' ORDER BY table_name"
        ).fetchall()
    ]
    rows: dict[str, int] = {}
    for name in names:
        cursor = con.execute(f'SELECT * FROM meta."{name}"')
        n = 0
        while chunk := cursor.fetchmany(10_000):
            n += len(chunk)
        rows[name] = n
    return rows


def check(ledger: Ledger) -> Health:
    """Open the ledger and read every table (the spool is applied on opening, as always)."""
    health = Health(ledger.path, exists=ledger.path.exists())
    if health.exists:
        try:
            with ledger.connect() as con:
                health.rows = _read_tables(con)
        except LedgerError as exc:
            health.error = str(exc)
        except (duckdb.Error, OSError) as exc:
            health.error = str(ledger.unreadable(exc))
    health.spooled, health.rejected = _spool_counts(ledger)
    return health


# --- rebuilding outputs from disk ---------------------------------------------------------


@dataclass(frozen=True)
class FoundOutput:
    demo: str
    pass_name: str
    universe: str | None  # None: the pass's path template names no universe
    start_date: dt.date
    end_date: dt.date
    path: Path
    rows: int | None
    bytes: int


def _row_count(path: Path, target: Any) -> int | None:
    """Rows of an output file (parquet: from its metadata), ``None`` when it cannot be read."""
    try:
        if path.suffix == ".parquet" or getattr(target, "type", "") == "parquet":
            import pyarrow.parquet as pq

            return int(pq.read_metadata(path).num_rows)
        import polars as pl

        frame = pl.scan_csv(path, separator=target.separator, has_header=target.include_header)
        return int(frame.select(pl.len()).collect().item())
    except Exception:  # a file being written, not an output after all
        return None


def find_outputs(demo_dir: str | Path | None = None) -> list[FoundOutput]:
    """Every pass output of every demo found on disk (``$BASALT_OUTPUT_DIR`` unless the demo
    sets ``OUTPUT_DIR``)."""
    from basalt.dagster.demos import load_demos
    from basalt.pipeline.layout import pass_files
    from basalt.pipeline.outputs import target_of

    found: dict[Path, FoundOutput] = {}
    for demo in load_demos(demo_dir):
        config = demo.config
        if config is None:
            continue
        for p in config.PASSES:
            target = target_of(config, p)
            for f in pass_files(config, p):
                if f.path in found:
                    continue
                found[f.path] = FoundOutput(
                    demo=demo.stem,
                    pass_name=p.name,
                    universe=f.universe,
                    start_date=f.start,
                    end_date=f.end,
                    path=f.path,
                    rows=_row_count(f.path, target),
                    bytes=f.path.stat().st_size,
                )
    return list(found.values())


def overlapping_outputs(found: list[FoundOutput]) -> list[tuple[FoundOutput, FoundOutput]]:
    """Pairs of output files of one demo, pass and universe whose days overlap ``(wider,
    narrower)``: a file of an older layout (one per date batch) beside the file of each
    partition. Reading their folder counts those days twice."""
    from basalt.pipeline.layout import OutputFile, overlapping

    by_file = {}
    groups: dict[tuple[str, str], list[OutputFile]] = {}
    for out in found:
        f = OutputFile(out.path, out.universe, out.start_date, out.end_date)
        by_file[f] = out
        groups.setdefault((out.demo, out.pass_name), []).append(f)
    return [(by_file[a], by_file[b]) for files in groups.values() for a, b in overlapping(files)]


@dataclass
class OutputHealth:
    """What the output folders hold besides whole partition files: files of an older layout
    that overlap a partition's file (a folder read counts those days twice), and temporary
    files of writers killed mid-write."""

    overlaps: list[tuple[FoundOutput, FoundOutput]] = field(default_factory=list)
    temporaries: list[Path] = field(default_factory=list)
    removed: bool = False

    @property
    def ok(self) -> bool:
        return not self.overlaps and (self.removed or not self.temporaries)

    def lines(self) -> list[str]:
        lines = [
            f"outputs {wide.path} overlaps {narrow.path}: remove the older file"
            for wide, narrow in self.overlaps
        ]
        if self.temporaries:
            verb = "removed" if self.removed else "left (--repair removes them)"
            lines.append(
                f"outputs {len(self.temporaries)} temporary files of killed writers {verb}, "
                f"e.g. {self.temporaries[0]}"
            )
        return lines or ["outputs ok: one file per partition, no temporary file left"]


def check_outputs(demo_dir: str | Path | None = None, remove: bool = False) -> OutputHealth:
    """Overlapping files and temporary files left in the output folders (every demo's); with
    ``remove`` the temporary files are removed."""
    from basalt import locations
    from basalt.atomic import left_temporaries

    found = find_outputs(demo_dir)
    roots = {locations.output_dir()} | {out.path.parent for out in found}
    temporaries: list[Path] = []
    for root in sorted(r for r in roots if r.is_dir()):
        temporaries += [t for t in left_temporaries(root, remove) if t not in temporaries]
    return OutputHealth(overlapping_outputs(found), temporaries, remove)


# --- repair ---------------------------------------------------------------------------------


@dataclass
class Repair:
    """What the repair did."""

    moved_to: Path | None = None
    created: bool = False
    kept: bool = False
    replayed: int = 0
    rejected: int = 0
    rebuilt: int = 0
    found: int = 0
    watermarks: int = 0
    overlaps: list[tuple[FoundOutput, FoundOutput]] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.kept:
            if not self.rebuilt:
                return ["nothing to repair"]
            return [
                f"ledger kept: {self.rebuilt} of {self.found} outputs on disk had no row "
                "(a run killed between writing a file and recording it): recorded"
            ]
        if not self.created:
            return ["nothing to repair"]
        out = []
        if self.moved_to:
            out.append(f"moved the broken ledger to {self.moved_to}")
        out.append(
            f"new ledger: {self.replayed} spooled writes replayed ({self.rejected} rejected), "
            f"{self.rebuilt} of {self.found} outputs on disk rebuilt, "
            f"{self.watermarks} watermarks"
        )
        for wide, narrow in self.overlaps:
            out.append(
                f"overlap: {wide.path} ({wide.start_date}..{wide.end_date}) holds days of "
                f"{narrow.path}: reading their folder counts them twice; remove the older one"
            )
        return out


@contextmanager
def _holding(ledger: Ledger) -> Iterator[None]:
    """This process's turn at the ledger (so no writer is mid-write while it is moved)."""
    import time

    ledger.path.parent.mkdir(parents=True, exist_ok=True)
    with turn(ledger.lock_path, time.monotonic() + ledger.busy_timeout) as ours:
        if not ours:
            raise LedgerError(f"{ledger.path}: busy for {ledger.busy_timeout:.0f} s")
        yield


def move_aside(path: Path, at: dt.datetime) -> Path:
    """``ledger.duckdb`` (and its ``.wal``) renamed ``ledger.duckdb.broken-<time>``."""
    stamp = at.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}{BROKEN_INFIX}{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}{BROKEN_INFIX}{stamp}-{n}")
    os.replace(path, target)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
    return target


def _same_file(path: str) -> str:
    """A path as one file's name, however it was written (relative, with ``..``)."""
    return os.path.realpath(path)


def repair(ledger: Ledger, demo_dir: str | Path | None = None) -> Repair:
    """Move a broken ledger aside, make a new one, replay the spool, rebuild the outputs and
    watermarks from the files on disk. A readable ledger is kept (its spool is applied), and
    the output files no row names (written by a run killed before it recorded them) get one."""
    done = Repair()
    at = utcnow()
    waiting, rejected_before = _spool_counts(ledger)
    if ledger.path.exists():
        health = check(ledger)
        if not health.broken:
            if health.error:
                raise LedgerError(health.error)
            done.kept = True
        else:
            with _holding(ledger):
                done.moved_to = move_aside(ledger.path, at)
    found = find_outputs(demo_dir)
    done.found = len(found)
    done.overlaps = overlapping_outputs(found)
    run_id = REBUILT_RUN_PREFIX + at.strftime("%Y%m%dT%H%M%S")
    with ledger.connect() as con:  # creates the ledger and replays the spool
        done.created = True
        left, rejected = _spool_counts(ledger)
        done.rejected = rejected - rejected_before
        done.replayed = waiting - left - done.rejected
        known = {
            _same_file(r[0])
            for r in con.execute("SELECT output_path FROM meta.run_assets").fetchall()
            if r[0]
        }
        ops: list[tuple[str, dict]] = []
        for out in found:
            if _same_file(str(out.path)) in known:
                continue
            row = {
                "run_id": run_id,
                "demo": out.demo,
                "pass_name": out.pass_name,
                "partition_key": batch_partition_key(out.start_date, out.end_date, out.universe),
                "universe": out.universe,
                "start_date": out.start_date,
                "end_date": out.end_date,
                "output_path": str(out.path),
                "rows": out.rows,
                "bytes": out.bytes,
                "at": at,
            }
            ops.append(("asset", row))
            ops.append(
                (
                    "watermark",
                    {k: row[k] for k in ("demo", "pass_name", "universe", "end_date", "at")}
                    | {"run_id": run_id},
                )
            )
            done.rebuilt += 1
        if ops:
            ledger._apply(con, ops)
        counted = con.execute("SELECT count(*) FROM meta.asset_watermarks").fetchone()
        assert counted is not None  # count(*) always returns one row
        (done.watermarks,) = counted
    return done
