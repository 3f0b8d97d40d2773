"""The health view's model, read from the run ledger: recent runs, each demo's partition
coverage (universe x date) and failed checks. Renderers draw it (a heat map on the web, a
grid of cells in the terminal); nothing here depends on how.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from basalt.ledger import Ledger, LedgerError
from basalt.ledger.gaps import expected_days

MAX_DAYS = 31


@dataclass
class DemoCoverage:
    """Which (universe, day) partitions of a demo have every pass materialized."""

    demo: str
    passes: list[str] = field(default_factory=list)
    universes: list[str] = field(default_factory=list)
    days: list[dt.date] = field(default_factory=list)
    done: dict[tuple[str, dt.date], int] = field(default_factory=dict)
    expected: set[tuple[str, dt.date]] = field(default_factory=set)
    error: str | None = None

    def state(self, universe: str, day: dt.date) -> str:
        """``done`` (every pass), ``partial``, ``missing``, or ``none`` (not a partition:
        a weekend or a venue holiday)."""
        if (universe, day) not in self.expected:
            return "none"
        count = self.done.get((universe, day), 0)
        if count >= len(self.passes):
            return "done"
        return "partial" if count else "missing"

    @property
    def missing(self) -> int:
        return sum(1 for u, d in self.expected if self.state(u, d) != "done")

    def summary(self) -> str:
        if self.error:
            return f"{self.demo}: {self.error}"
        total = len(self.expected)
        return f"{self.demo}: {total - self.missing} of {total} partitions materialized"


@dataclass
class Health:
    runs: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[DemoCoverage] = field(default_factory=list)
    failed_checks: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


def demo_coverage(
    demo: Any, materialized: dict[tuple[str, str], set[dt.date]], max_days: int
) -> DemoCoverage:
    """Coverage of one loaded demo (see :func:`basalt.dagster.demos.load_demo`) over its
    config's dates and every date a run covered, the last ``max_days`` days of that span."""
    coverage = DemoCoverage(demo.stem)
    if not demo.ok:
        coverage.error = (demo.error or "does not load").splitlines()[0]
        return coverage
    config = demo.config
    coverage.passes = [p.name for p in config.PASSES]
    coverage.universes = list(demo.universe_keys)
    ran = [d for days in materialized.values() for d in days]
    first = min([config.START_DATE, *ran])
    last = max([config.end_date, *ran])
    first = max(first, last - dt.timedelta(days=max_days - 1))
    coverage.days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    for universe in coverage.universes:
        for day in expected_days(first, last, universe, config.EXCLUDE_WEEKENDS):
            coverage.expected.add((universe, day))
            coverage.done[(universe, day)] = sum(
                day in materialized.get((p, universe), ()) for p in coverage.passes
            )
    return coverage


def load_health(
    demo_paths: Sequence[Path],
    ledger: Ledger | None = None,
    runs: int = 20,
    max_days: int = MAX_DAYS,
) -> Health:
    """Everything the health view shows; a ledger that cannot be read becomes ``error``."""
    from basalt.dagster.demos import load_demo

    ledger = ledger or Ledger()
    health = Health()
    try:
        health.runs = ledger.runs(limit=runs)
        health.failed_checks = ledger.checks(failed_only=True, limit=50)
        for path in demo_paths:
            demo = load_demo(path)
            health.coverage.append(
                demo_coverage(demo, ledger.materialized_days(demo.stem), max_days)
            )
    except LedgerError as exc:
        health.error = str(exc)
    return health


def demo_scripts(folder: Path) -> list[Path]:
    """The demo scripts beside an open demo (``NN_name.py``)."""
    return sorted(folder.glob("[0-9][0-9]_*.py"))
