"""Partitions of a run: a universe (which listings) crossed with a date range.

A partition run is one pipeline run: the demo's config with ``UNIVERSE``, ``START_DATE`` and
``END_DATE`` replaced by the partition's. Nothing here imports Dagster, so a demo script can
declare its ``UNIVERSES`` and another scheduler can drive the same partitions.

A Dagster partition key is ``DATE|UNIVERSE`` (``2025-01-02|mic=XLON``): Dagster orders the
dimensions of a multi-partition key by name, and ``date`` sorts before ``universe``.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from basalt.universes.spec import UniverseSpecError
from basalt.universes.spec import parse_universe_spec as _parse_spec

if TYPE_CHECKING:
    from basalt.config.analytics import AnalyticsConfig
    from basalt.config.modules.base import ModuleScope
    from basalt.pipeline.runner import BatchResult

log = logging.getLogger("basalt.dagster")

DATE_DIMENSION = "date"
UNIVERSE_DIMENSION = "universe"
KEY_SEPARATOR = "|"


class PartitionKeyError(ValueError):
    """A partition key (or one of its parts) that does not parse; the message says which."""


class PartitionRunError(RuntimeError):
    """A partition whose config does not validate, or whose universe cannot be built."""


@dataclass(frozen=True)
class UniversePartition:
    """One value of the universe dimension: a universe spec such as ``mic=XLON``.

    ``get_universe`` is the function behind its ``custom`` terms (a :class:`CustomUniverse`);
    it does not take part in equality: two partitions with the same spec are the same key.
    """

    name: str
    value: str | None = None
    get_universe: Callable[[dt.date], Any] | None = field(default=None, compare=False, repr=False)

    @property
    def spec(self) -> str:
        """The partition key and ``UNIVERSE`` of the run: ``name=value``, or ``name`` alone."""
        return self.name if self.value is None else f"{self.name}={self.value}"

    @property
    def kinds(self) -> tuple[str, ...]:
        """The universe kinds of its terms (``mic``, ``index``, ``custom``, ...)."""
        return tuple(kind for kind, _ in _parse_spec(self.spec).terms)

    def __str__(self) -> str:
        return self.spec


def _as_date(value: dt.date | str, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PartitionKeyError(f"{what} '{value}' is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class DatePartition:
    """A day (``end_date`` unset) or an inclusive range of days."""

    start_date: dt.date
    end_date: dt.date | None = None

    def __post_init__(self) -> None:
        start = _as_date(self.start_date, "start date")
        end = _as_date(self.end_date, "end date") if self.end_date is not None else start
        if end < start:
            raise PartitionKeyError(f"date range {start}..{end} ends before it starts")
        object.__setattr__(self, "start_date", start)
        object.__setattr__(self, "end_date", end)

    @property
    def last_date(self) -> dt.date:
        """The last day, inclusive: ``end_date``, which ``__post_init__`` always sets."""
        return self.end_date if self.end_date is not None else self.start_date

    @property
    def key(self) -> str:
        """The date dimension's key: the first day (a week or month starts on it)."""
        return self.start_date.isoformat()

    def __str__(self) -> str:
        if self.start_date == self.end_date:
            return self.key
        return f"{self.start_date}..{self.end_date}"


@dataclass(frozen=True)
class PartitionRun:
    """One run: a universe over a date range."""

    universe: UniversePartition
    dates: DatePartition

    @property
    def key(self) -> str:
        """The Dagster multi-partition key, ``DATE|UNIVERSE``."""
        return f"{self.dates.key}{KEY_SEPARATOR}{self.universe.spec}"

    def overrides(self) -> dict[str, Any]:
        """The config paths this partition sets."""
        return {
            "START_DATE": self.dates.start_date.isoformat(),
            "END_DATE": self.dates.last_date.isoformat(),
            "UNIVERSE": self.universe.spec,
        }

    def __str__(self) -> str:
        return f"{self.universe.spec} on {self.dates}"


def parse_universe_spec(spec: str) -> UniversePartition:
    """A universe key as a partition; raises :class:`UniverseSpecError` naming the bad term.

    One term gives ``UniversePartition(kind, value)``; several (``mic=XLON+index=SYN10``) give a
    partition named by the whole (normalised) spec.
    """
    parsed = _parse_spec(spec)
    if len(parsed.terms) == 1:
        kind, value = parsed.terms[0]
        return UniversePartition(kind, value)
    return UniversePartition(parsed.spec)


def as_universe_partition(value: UniversePartition | str) -> UniversePartition:
    return value if isinstance(value, UniversePartition) else parse_universe_spec(value)


def as_date_partition(value: DatePartition | dt.date | str) -> DatePartition:
    if isinstance(value, DatePartition):
        return value
    return DatePartition(_as_date(value, "start date"))


def build_partition_runs(
    universes: Iterable[UniversePartition | str],
    dates: Iterable[DatePartition | dt.date | str],
) -> list[PartitionRun]:
    """Every (universe, dates) pair: universes in order, each over every date partition."""
    date_list = [as_date_partition(d) for d in dates]
    return [PartitionRun(as_universe_partition(u), d) for u in universes for d in date_list]


def period_end(start: dt.date, freq: str) -> dt.date:
    """Last day of the date partition starting on ``start``: the day, week or month."""
    if freq == "W":
        return start + dt.timedelta(days=6)
    if freq == "M":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


def date_partition(key: str, freq: str = "D") -> DatePartition:
    """The dates of a date-dimension key (``D``: that day, ``W``: its week, ``M``: its month)."""
    start = _as_date(key, "date")
    return DatePartition(start, period_end(start, freq))


def split_partition_key(key: str | Mapping[str, str]) -> tuple[str, str]:
    """``(date, universe)`` of ``DATE|UNIVERSE`` or of a ``{date:, universe:}`` mapping."""
    if isinstance(key, Mapping):
        try:
            return str(key[DATE_DIMENSION]), str(key[UNIVERSE_DIMENSION])
        except KeyError as exc:
            raise PartitionKeyError(
                f"partition key {dict(key)} has no '{exc.args[0]}' dimension"
            ) from None
    parts = str(key).split(KEY_SEPARATOR)
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise PartitionKeyError(
            f"partition key '{key}' does not parse: expected DATE|UNIVERSE, "
            "e.g. 2025-01-02|mic=XLON"
        )
    first, second = (p.strip() for p in parts)
    if "=" in first and "=" not in second:  # tolerate UNIVERSE|DATE
        first, second = second, first
    return first, second


def parse_partition_key(key: str | Mapping[str, str], freq: str = "D") -> PartitionRun:
    """A partition run from a Dagster key; :class:`PartitionKeyError` says what is wrong."""
    date_key, universe_key = split_partition_key(key)
    dates = date_partition(date_key, freq)
    try:
        universe = parse_universe_spec(universe_key)
    except UniverseSpecError as exc:
        raise PartitionKeyError(
            f"partition key '{date_key}|{universe_key}': universe does not parse: {exc}"
        ) from None
    return PartitionRun(universe, dates)


# --- running one partition ------------------------------------------------------------------


def partition_config(
    base_config: AnalyticsConfig | Mapping[str, Any],
    partition: PartitionRun,
    modules: ModuleScope | None = None,
) -> AnalyticsConfig:
    """The base config with the partition's universe and dates; issues name the field.
    ``modules`` are the demo's (default: those the base config was validated with, else the
    built-ins)."""
    from basalt.config.analytics import AnalyticsConfig
    from basalt.config.modules.base import BUILTINS
    from basalt.config.validation import validate_data

    if isinstance(base_config, AnalyticsConfig):
        data = base_config.model_dump(mode="json")
        modules = modules or base_config.module_scope
    else:
        data = copy.deepcopy(dict(base_config))
    data.update(partition.overrides())
    config, issues = validate_data(data, modules or BUILTINS)
    if config is None:
        shown = "; ".join(issue.format() for issue in issues)
        raise PartitionRunError(f"config for partition {partition} is not valid: {shown}")
    return config


def run_partition(
    base_config: AnalyticsConfig | Mapping[str, Any],
    default_get_universe: Callable[[dt.date], Any] | None,
    partition: PartitionRun,
    on_result: Callable[[PartitionRun, AnalyticsConfig], None] | None = None,
    *,
    reuse_outputs: Collection[str] = (),
    modules: ModuleScope | None = None,
    run_id: str | None = None,
    skip_running: bool = False,
) -> list[BatchResult]:
    """Run the pipeline for one universe and date range; returns each batch's outputs.

    ``default_get_universe`` (the demo's ``get_universe``) serves the ``custom`` terms of a
    universe that has no function of its own. ``on_result(partition, config)`` is called after
    a successful run with the config that ran, so callers can register artifacts.
    ``reuse_outputs`` names passes whose existing output files are read instead of recomputed
    (a later pass that reads them runs alone); every other pass is recomputed (its file is
    replaced only when the new one is whole: a failed or killed run leaves the previous file). ``modules`` are the demo's
    (see :func:`partition_config`). The run's data and output folders are the config's, set
    with :func:`basalt.locations.using` (the process environment is not changed).
    ``run_id`` names the run in the locks of the files it writes; ``skip_running`` leaves a
    file another run is writing to it instead of waiting (see
    :func:`basalt.pipeline.runner.run_batch`). Raises
    :class:`basalt.pipeline.runner.NoSession` when no day of the partition has a session.
    """
    from basalt import locations
    from basalt.pipeline.runner import run

    config = partition_config(base_config, partition, modules)
    custom = None
    if "custom" in partition.universe.kinds:
        custom = partition.universe.get_universe or default_get_universe
        if custom is None:
            raise PartitionRunError(
                f"universe '{partition.universe.spec}' has a custom term but the demo defines "
                "no get_universe(date)"
            )
    with locations.using(data_dir=config.DATA_DIR, output_dir=config.OUTPUT_DIR):
        results = run(config, custom, run_id=run_id, skip_running=skip_running, reuse=reuse_outputs)
    if on_result is not None:
        on_result(partition, config)
    return results
