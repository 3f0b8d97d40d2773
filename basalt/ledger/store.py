"""The run ledger: a DuckDB file at ``<BASALT_HOME>/ledger.duckdb`` that every run writes.

DuckDB lets one process at a time open a file. Each operation here attaches the file to the
process's in-memory DuckDB, runs in one transaction and detaches it, so the file is held for
a few milliseconds. Our processes
take turns through a lock file beside it (``ledger.duckdb.lock``, see
:mod:`basalt.ledger.turns`); a process that does not take turns and holds the file (a DuckDB
shell) is waited for with a jittered backoff. A write that still finds the file busy after
``busy_timeout`` seconds is not lost and does not fail the run: it is spooled to
``ledger.spool/`` as one JSON file (written atomically) and applied, in order, by the next
process that opens the ledger. Every write is an upsert, so replaying a spooled write twice
changes nothing. A spooled file that cannot be applied is renamed ``*.json.rejected`` (and
logged) so that it never blocks the writes after it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import duckdb

from basalt.atomic import write_text_atomic
from basalt.home import basalt_home
from basalt.interrupts import interrupts_deferred
from basalt.ledger import schema
from basalt.ledger.liveness import reconcile
from basalt.ledger.turns import turn

log = logging.getLogger("basalt.ledger")

LEDGER_FILE = "ledger.duckdb"
SPOOL_DIR = "ledger.spool"
REJECTED_SUFFIX = ".rejected"
LOCK_SUFFIX = ".lock"
DEFAULT_BUSY_TIMEOUT = 20.0

_STATEMENTS = {
    "start_run": schema.UPSERT_RUN_START,
    "beat": schema.BEAT_RUN,
    "finish_run": schema.FINISH_RUN,
    "asset": schema.UPSERT_ASSET,
    "watermark": schema.UPSERT_WATERMARK,
    "check": schema.UPSERT_CHECK,
    "synced": schema.MARK_SYNCED,
    "overrides": schema.SET_RUN_OVERRIDES,
    "skipped": schema.SET_RUN_SKIPPED,
}


# One in-memory DuckDB per process; each operation attaches the ledger file to it and detaches
# it after. Attaching takes the file's lock like opening it does, at a fifth of the cost of
# creating a database instance per operation (~5 ms against ~25 ms here).
_ALIAS = "basalt_ledger"
_PROCESS_LOCK = threading.RLock()
_PROCESS_DB: tuple[int, duckdb.DuckDBPyConnection] | None = None
_SCHEMA_DONE: set[tuple[str, int]] = set()


def _process_connection() -> duckdb.DuckDBPyConnection:
    """This process's in-memory DuckDB (made again in a forked child). Hold _PROCESS_LOCK."""
    global _PROCESS_DB
    if _PROCESS_DB is None or _PROCESS_DB[0] != os.getpid():
        _PROCESS_DB = (os.getpid(), duckdb.connect(":memory:"))
    return _PROCESS_DB[1]


def _detach(con: duckdb.DuckDBPyConnection) -> None:
    """Release the ledger file. If the connection is left unusable (an interrupt in the middle
    of a statement), close it: that releases the file too, and the next operation makes a new
    one."""
    global _PROCESS_DB
    try:
        con.execute("USE memory")
        con.execute(f"DETACH {_ALIAS}")
    except duckdb.Error:
        _PROCESS_DB = None
        con.close()
    except BaseException:
        _PROCESS_DB = None
        con.close()
        raise


class LedgerError(RuntimeError):
    """The ledger cannot be read (busy past the timeout, or not a ledger file)."""


def one_line(exc: BaseException) -> str:
    """An error as one line (DuckDB's messages can span several)."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


# Ledgers whose failed write this process already warned about: one warning per run.
_WARNED_FAILED: set[str] = set()


def default_ledger_path() -> Path:
    return basalt_home() / LEDGER_FILE


def new_run_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> dt.datetime:
    """Naive UTC, the ledger's timestamps."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


_HEADER_BYTES = 3 * 4096  # a DuckDB file: three 4 KiB headers, then whole blocks
_SECTOR_BYTES = 4096


def _cut_short(path: Path) -> str | None:
    """Why the ledger file is plainly cut short, or None. DuckDB accepts writes into such a
    file (its log takes them), so they would be lost with it: they must go to the spool."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size == 0 or (size >= _HEADER_BYTES and (size - _HEADER_BYTES) % _SECTOR_BYTES == 0):
        return None
    return f"the file is cut short: {size:,} bytes is not a whole number of blocks"


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() or "Conflicting" in text


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if isinstance(value, dict) and "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    return value


class Ledger:
    """One ledger file; cheap to create (nothing is opened until an operation runs)."""

    def __init__(self, path: str | Path | None = None, busy_timeout: float = DEFAULT_BUSY_TIMEOUT):
        self.path = Path(path) if path is not None else default_ledger_path()
        self.busy_timeout = busy_timeout

    @property
    def spool_dir(self) -> Path:
        return self.path.parent / SPOOL_DIR

    # --- connections ---------------------------------------------------------------------

    def unreadable(self, exc: BaseException) -> LedgerError:
        """The one-line error for a ledger that cannot be opened or read, with the fix."""
        error = LedgerError(
            f"{self.path} cannot be read ({one_line(exc)}); run 'basalt ledger doctor --repair'"
        )
        error.cause = one_line(exc)  # type: ignore[attr-defined]
        return error

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + LOCK_SUFFIX)

    def _attach_until(self, con: duckdb.DuckDBPyConnection, deadline: float) -> bool:
        """Attach the ledger file to this process's DuckDB and make it the default database;
        ``False`` when the file stayed locked (by a process that does not take turns) until
        ``deadline``."""
        quoted = str(self.path).replace("'", "''")
        cut = _cut_short(self.path)
        if cut:
            raise self.unreadable(OSError(cut))
        delay = 0.005
        while True:
            try:
                con.execute(f"ATTACH '{quoted}' AS {_ALIAS}")
                con.execute(f"USE {_ALIAS}")
                return True
            except duckdb.IOException as exc:
                if not _is_lock_error(exc):
                    raise self.unreadable(exc) from exc
                if time.monotonic() >= deadline:
                    return False
            except duckdb.Error as exc:  # not a DuckDB file, a newer format, ...
                raise self.unreadable(exc) from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.2)

    @contextmanager
    def _opened(self, timeout: float) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """The open ledger (schema created, spool applied) while it is this process's turn,
        or ``None`` when it stayed busy for ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with ExitStack() as stack:
            stack.enter_context(_PROCESS_LOCK)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                ours = stack.enter_context(turn(self.lock_path, deadline))
            except OSError as exc:
                where = self.path.parent
                raise LedgerError(
                    f"{where}: cannot hold the ledger ({exc.strerror or exc})"
                ) from exc
            con = _process_connection()
            if not ours or not self._attach_until(con, deadline):
                yield None
                return
            try:
                self._ensure_schema(con)
                self._drain(con)
                yield con
            finally:
                _detach(con)

    def _ensure_schema(self, con: duckdb.DuckDBPyConnection) -> None:
        """Create the tables unless this process already did for this very file (same inode:
        a ledger deleted and made again gets them again)."""
        key = (str(self.path.resolve()), self.path.stat().st_ino)
        if key not in _SCHEMA_DONE:
            con.execute(schema.DDL)
            _SCHEMA_DONE.add(key)

    @contextmanager
    def connect(self, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """An open ledger (schema created, spool applied); :class:`LedgerError` if busy."""
        wait = self.busy_timeout if timeout is None else timeout
        with self._opened(wait) as con:
            if con is None:
                raise LedgerError(f"{self.path}: busy for {wait:.0f} s (another process)")
            yield con

    # --- writing -------------------------------------------------------------------------

    def _apply(self, con: duckdb.DuckDBPyConnection, ops: list[tuple[str, dict]]) -> None:
        con.execute("BEGIN TRANSACTION")
        try:
            for name, params in ops:
                con.execute(_STATEMENTS[name], params)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _drain(self, con: duckdb.DuckDBPyConnection) -> None:
        """Apply spooled writes, oldest first, removing each file once committed."""
        if not self.spool_dir.is_dir():
            return
        for path in sorted(self.spool_dir.glob("*.json")):
            try:
                ops = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # being written (atomic rename pending) or already applied
            try:
                decoded = [(n, {k: _decode(v) for k, v in p.items()}) for n, p in ops]
                self._apply(con, decoded)
            except (duckdb.IOException, duckdb.FatalException, duckdb.InternalException):
                raise  # the file or the disk, not this spooled write: keep it for later
            except (duckdb.Error, KeyError, TypeError, ValueError) as exc:
                # One bad file must not block every later write: set it aside, keep going.
                rejected = path.with_name(path.name + REJECTED_SUFFIX)
                os.replace(path, rejected)
                log.warning(
                    "ledger spool %s cannot be applied (%s): kept as %s", path, exc, rejected
                )
                continue
            path.unlink(missing_ok=True)

    def _spool(self, ops: list[tuple[str, dict]], failure: Exception | None = None) -> None:
        """Keep ``ops`` in the spool; :class:`LedgerError` when the spool cannot be written."""
        name = f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
        encoded = [(n, {k: _encode(v) for k, v in p.items()}) for n, p in ops]
        try:
            self.spool_dir.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.spool_dir / name, json.dumps(encoded))
        except OSError as exc:
            cause = getattr(failure, "cause", None) or one_line(failure) if failure else ""
            why = f"cannot be written ({cause})" if failure else "busy"
            raise LedgerError(
                f"{self.path} {why}, and the spool {self.spool_dir} cannot be written either "
                f"({one_line(exc)}): {len(ops)} writes lost"
            ) from exc
        if failure is None:
            log.info("ledger busy: %d writes spooled to %s", len(ops), self.spool_dir / name)
            return
        level = logging.DEBUG if str(self.path) in _WARNED_FAILED else logging.WARNING
        _WARNED_FAILED.add(str(self.path))
        log.log(
            level,
            "run ledger %s cannot be written (%s): %d writes spooled to %s; "
            "run 'basalt ledger doctor'",
            self.path,
            getattr(failure, "cause", None) or one_line(failure),
            len(ops),
            self.spool_dir,
        )

    def write(self, ops: list[tuple[str, dict]]) -> None:
        """Apply ``ops`` in one transaction, or spool them when the ledger stays busy or the
        write fails (a broken file, a full disk, no permission): no write is dropped."""
        with interrupts_deferred():  # a cancel lands after the write, not in its middle
            try:
                with self._opened(self.busy_timeout) as con:
                    if con is not None:
                        self._apply(con, ops)
                        return
            except Exception as exc:  # replaying an upsert is harmless: spool it
                self._spool(ops, failure=exc)
                return
            self._spool(ops)

    def start_run(
        self,
        *,
        run_id: str,
        trigger: str,
        demo: str | None,
        config_file: str | Path | None,
        config_sha256: str | None,
        universe: str | None,
        start_date: dt.date | None,
        end_date: dt.date | None,
        at: dt.datetime | None = None,
        process: Mapping[str, Any] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        """``process``: host, pid and pid_started of the process running the run, recorded
        with its first heartbeat in the same transaction. ``overrides``: the config values the
        command line set (kept as JSON in ``overrides``; the config SHA is of the files)."""
        at = at or utcnow()
        then = [("beat", {"run_id": run_id, **process, "at": at})] if process else []
        if overrides:
            text = json.dumps(dict(overrides), sort_keys=True, default=str)
            then.append(("overrides", {"run_id": run_id, "overrides": text}))
        self.write(
            [
                (
                    "start_run",
                    {
                        "run_id": run_id,
                        "trigger": trigger,
                        "demo": demo,
                        "config_file": str(config_file) if config_file else None,
                        "config_sha256": config_sha256,
                        "universe": universe,
                        "start_date": start_date,
                        "end_date": end_date,
                        "at": at,
                    },
                ),
                *then,
            ]
        )

    def finish_run(self, run_id: str, status: str, error: str | None = None) -> None:
        if status not in schema.STATUSES:
            raise ValueError(f"unknown run status {status!r}")
        self.write(
            [("finish_run", {"run_id": run_id, "status": status, "error": error, "at": utcnow()})]
        )

    def record_assets(self, assets: list[Mapping[str, Any]]) -> None:
        """Outputs of a run: each a mapping with run_id, demo, pass_name, partition_key,
        universe, start_date, end_date, output_path, rows, bytes. Moves the watermarks."""
        at = utcnow()
        ops: list[tuple[str, dict]] = []
        for a in assets:
            params = {**a, "output_path": str(a["output_path"]), "at": at}
            ops.append(("asset", params))
            if a.get("demo") and a.get("universe") and a.get("end_date"):
                ops.append(
                    (
                        "watermark",
                        {
                            k: params[k]
                            for k in ("demo", "pass_name", "universe", "end_date", "run_id", "at")
                        },
                    )
                )
        if ops:
            self.write(ops)

    def record_checks(self, checks: list[Mapping[str, Any]]) -> None:
        """Check results: run_id, pass_name, partition_key, check_name, passed, severity,
        metadata (any JSON-able mapping)."""
        at = utcnow()
        ops = [
            (
                "check",
                {
                    **c,
                    "passed": bool(c["passed"]),
                    "metadata": json.dumps(c.get("metadata") or {}, default=str),
                    "at": at,
                },
            )
            for c in checks
        ]
        if ops:
            self.write(ops)

    def record_skipped(self, run_id: str, skipped: list[Mapping[str, Any]]) -> None:
        """The outputs a run left to another run writing them (each: pass_name, partition_key,
        output_path, reason); the whole list, replacing the one recorded before."""
        text = json.dumps(list(skipped), default=str) if skipped else None
        self.write([("skipped", {"run_id": run_id, "skipped": text})])

    def mark_synced(self, rows: list[Mapping[str, Any]]) -> None:
        at = utcnow()
        self.write([("synced", {**r, "at": at}) for r in rows])

    # --- reading -------------------------------------------------------------------------

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a query as dicts; :class:`LedgerError` (one line) when the file is unreadable."""
        try:
            with self.connect() as con:
                reconcile(con)  # runs whose process is gone become lost
                cursor = con.execute(sql, dict(params or {}))
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except (duckdb.Error, OSError) as exc:
            raise self.unreadable(exc) from exc

    def runs(
        self, limit: int = 20, demo: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        """Latest runs first, with their duration in seconds (``None`` while running)."""
        return self.query(
            """
            SELECT r.*, epoch(r.finished_at) - epoch(r.started_at) AS duration_s,
                   (SELECT count(*) FROM meta.run_assets a WHERE a.run_id = r.run_id) AS outputs,
                   (SELECT sum(rows) FROM meta.run_assets a WHERE a.run_id = r.run_id) AS rows
            FROM meta.runs r
            WHERE ($demo IS NULL OR r.demo = $demo) AND ($status IS NULL OR r.status = $status)
            ORDER BY r.started_at DESC, r.run_id
            LIMIT $limit
            """,
            {"demo": demo, "status": status, "limit": limit},
        )

    def run(self, run_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM meta.runs WHERE run_id = $id", {"id": run_id})
        return rows[0] if rows else None

    def assets(self, run_id: str | None = None, demo: str | None = None) -> list[dict[str, Any]]:
        return self.query(
            """
            SELECT a.* FROM meta.run_assets a
            WHERE ($run_id IS NULL OR a.run_id = $run_id) AND ($demo IS NULL OR a.demo = $demo)
            ORDER BY a.recorded_at, a.pass_name, a.partition_key
            """,
            {"run_id": run_id, "demo": demo},
        )

    def watermarks(self, demo: str | None = None) -> list[dict[str, Any]]:
        return self.query(
            """
            SELECT * FROM meta.asset_watermarks WHERE $demo IS NULL OR demo = $demo
            ORDER BY demo, pass_name, universe
            """,
            {"demo": demo},
        )

    def checks(
        self, failed_only: bool = False, run_id: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        rows = self.query(
            """
            SELECT c.*, r.demo FROM meta.asset_checks c LEFT JOIN meta.runs r USING (run_id)
            WHERE (NOT $failed OR NOT c.passed) AND ($run_id IS NULL OR c.run_id = $run_id)
            ORDER BY c.recorded_at DESC, c.pass_name, c.check_name
            LIMIT $limit
            """,
            {"failed": failed_only, "run_id": run_id, "limit": limit},
        )
        for row in rows:
            row["metadata"] = json.loads(row["metadata"]) if row["metadata"] else {}
        return rows

    def materialized_days(self, demo: str) -> dict[tuple[str, str], set[dt.date]]:
        """``(pass, universe) -> days`` with an output on disk, from every run of ``demo``."""
        out: dict[tuple[str, str], set[dt.date]] = {}
        for row in self.query(
            """
            SELECT DISTINCT pass_name, universe, start_date, end_date FROM meta.run_assets
            WHERE demo = $demo AND universe IS NOT NULL AND start_date IS NOT NULL
            """,
            {"demo": demo},
        ):
            days = out.setdefault((row["pass_name"], row["universe"]), set())
            day, last = row["start_date"], row["end_date"] or row["start_date"]
            while day <= last:
                days.add(day)
                day += dt.timedelta(days=1)
        return out

    def unsynced_assets(self) -> list[dict[str, Any]]:
        """Outputs of runs outside Dagster not yet reported to the Dagster instance."""
        return self.query(
            """
            SELECT a.*, r.config_sha256, r.config_file, r.trigger FROM meta.run_assets a
            JOIN meta.runs r USING (run_id)
            WHERE r.trigger <> 'dagster' AND NOT EXISTS (
                SELECT 1 FROM meta.dagster_sync s WHERE s.run_id = a.run_id
                AND s.pass_name = a.pass_name AND s.partition_key = a.partition_key)
            ORDER BY a.recorded_at
            """
        )
