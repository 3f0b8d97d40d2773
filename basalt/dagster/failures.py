"""How a demo step ends when its partition cannot be materialized: the retry policy and which
errors it covers, and the partitions that have nothing to run (no session).

Transient errors fail the step with retries allowed (:data:`RETRY_POLICY`): a file system error
that may pass (a full disk, a busy or vanished file, a timeout), raised or named as the cause.
Anything a user must fix first (a config, a partition key, a universe, market data) or that a
retry cannot mend (a path that is not a folder, no permission), and any other error, fails the
step at once, with a one-line description naming the demo and the partition.
"""

from __future__ import annotations

import errno
from typing import Any

import dagster as dg

from basalt.dagster.demos import Demo
from basalt.dagster.partitions import PartitionKeyError, PartitionRunError

# Transient errors only: 10 s, then 20 s.
RETRY_POLICY = dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL)


def no_session_kind(reason: str) -> str:
    """``holiday`` of ``no session: holiday (XLON: Good Friday)``; the reason's first
    word after ``no session:`` (``weekend``, ``holiday``), else ``no trading day``."""
    text = reason.strip()
    if not text.startswith("no session"):
        return "no trading day"
    words = text.removeprefix("no session").lstrip(": ").split()
    return words[0].rstrip(":,;") if words else "no trading day"


def no_session_reason(exc: Exception) -> str | None:
    """Why the partition has nothing to run: the universe has no session on its days."""
    from basalt.pipeline.runner import NoSession, RunError

    if isinstance(exc, NoSession):
        return exc.reason
    if isinstance(exc, RunError) and str(exc).startswith("no trading day"):
        return str(exc)
    return None


# File system errors a retry cannot mend: a path that is not what it must be, no permission.
PERMANENT_ERRNOS = frozenset(
    {
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENAMETOOLONG,
        errno.EINVAL,
    }
)


def is_transient(exc: BaseException) -> bool:
    """A file system error that may pass (a full disk, a busy or vanished file, a timeout),
    raised or named as the cause (``raise ... from``), under no error a user must fix first."""
    from basalt.data.errors import DataError
    from basalt.universes import UniverseSpecError

    permanent = (DataError, UniverseSpecError, PartitionKeyError, PartitionRunError)
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, permanent):
            return False
        if isinstance(seen, OSError):
            return seen.errno not in PERMANENT_ERRNOS
        seen = seen.__cause__
    return False


def step_failure(demo: Demo, where: Any, exc: Exception) -> dg.Failure:
    """The step's failure: retries allowed for a transient error only."""
    from basalt.data.errors import DataError
    from basalt.pipeline.runner import RunError
    from basalt.universes import UniverseSpecError

    known = (RunError, DataError, UniverseSpecError, PartitionKeyError, PartitionRunError)
    text = str(exc) if isinstance(exc, known) else f"{type(exc).__name__}: {exc}"
    prefix = f"{demo.asset_name} {where}: " if where is not None else f"{demo.asset_name}: "
    transient = is_transient(exc)
    return dg.Failure(
        description=prefix + text,
        metadata={"retry": "allowed (transient error)" if transient else "no (fix and re-run)"},
        allow_retries=transient,
    )
