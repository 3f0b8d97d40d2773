"""Universes: the values of a demo's universe dimension, declared in its ``UNIVERSES`` list.

Each class yields :class:`UniversePartition` objects (its ``partitions(config)``); a demo
without ``UNIVERSES`` gets :func:`default_universes` (one partition per venue). Any universe
can be ``dynamic``: the demo's universe dimension is then a Dagster dynamic partition set that
a sensor keeps in step (a universe added to the YAML appears without a restart).

No Dagster import here, so a demo script can import these classes cheaply.

    UNIVERSES = [
        MICUniverse(whitelist=["XLON", "XPAR"]),
        IndexUniverse(["SYN10"]),
        CartProdUniverse(MICUniverse(whitelist=["XLON"]), IndexUniverse(["SYN10"])),
        CustomUniverse(get_universe, name="watchlist"),
        ConfigUniverses(),  # UNIVERSE and the schedules' universes from the YAML (dynamic)
    ]
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from basalt.dagster.partitions import UniversePartition, parse_universe_spec

if TYPE_CHECKING:
    from basalt.config.analytics import AnalyticsConfig

GetUniverse = Callable[[dt.date], Any]
# Reference MICs are re-listed at most this often (seconds): loading definitions asks once per
# demo, the sensor every tick.
_MIC_CACHE_SECONDS = 10.0
_mic_cache: dict[tuple[str, bool], tuple[float, list[str]]] = {}


@runtime_checkable
class Universe(Protocol):
    """What a ``UNIVERSES`` entry provides."""

    dynamic: bool

    def partitions(self, config: AnalyticsConfig | None = None) -> list[UniversePartition]: ...


def intersect_universes(*functions: GetUniverse | None) -> GetUniverse | None:
    """One ``get_universe`` returning the listings every function returns (on ListingId)."""
    chosen = [f for f in functions if f is not None]
    if len(chosen) <= 1:
        return chosen[0] if chosen else None

    def get_universe(date: dt.date) -> Any:
        import polars as pl

        frames = [pl.DataFrame(f(date)) for f in chosen]
        result = frames[0]
        for frame in frames[1:]:
            result = result.join(frame.select("ListingId"), on="ListingId", how="semi")
        return result

    get_universe.__name__ = "+".join(getattr(f, "__name__", "get_universe") for f in chosen)
    return get_universe


def reference_mics(data_dir: str | Path | None = None, include_generated: bool = True) -> list[str]:
    """Venues in the reference data of the store (``<data>/reference/date=*/mic=*``), plus the
    synthetic venues when the store generates missing data."""
    from basalt.data.store import default_data_dir

    root = Path(data_dir) if data_dir is not None else default_data_dir()
    cache_key = (str(root), include_generated)
    cached = _mic_cache.get(cache_key)
    if cached is not None and time.monotonic() - cached[0] < _MIC_CACHE_SECONDS:
        return list(cached[1])
    found: set[str] = set()
    reference = root / "reference"
    if reference.is_dir():
        with os.scandir(reference) as days:
            for day in days:
                if day.is_dir() and day.name.startswith("date="):
                    with os.scandir(day.path) as venues:
                        found.update(
                            v.name[4:] for v in venues if v.is_dir() and v.name.startswith("mic=")
                        )
    if include_generated:
        from basalt.data.synthetic import generated_mics

        found.update(generated_mics())
    mics = sorted(found)
    _mic_cache[cache_key] = (time.monotonic(), mics)
    return list(mics)


@dataclass
class MICUniverse:
    """One partition per venue of the reference data (``mic=XLON``, ``mic=XPAR``, ...).

    ``whitelist`` keeps only those venues (in its order), ``blacklist`` drops some.
    ``data_dir`` is the store to read (default: ``$BASALT_DATA_DIR``, else ``.basalt/data``).
    """

    whitelist: Sequence[str] | None = None
    blacklist: Sequence[str] | None = None
    data_dir: str | Path | None = None
    include_generated: bool = True
    dynamic: bool = False

    def partitions(self, config: AnalyticsConfig | None = None) -> list[UniversePartition]:
        data_dir = self.data_dir or (config.DATA_DIR if config is not None else None)
        include = self.include_generated and (config is None or config.GENERATE_MISSING_DATA)
        mics = reference_mics(data_dir, include)
        if self.whitelist is not None:
            known = set(mics)
            mics = [m for m in self.whitelist if m in known]
        dropped = set(self.blacklist or ())
        return [UniversePartition("mic", m) for m in mics if m not in dropped]


@dataclass
class IndexUniverse:
    """One partition per index (``index=SYN20``): its members on each date."""

    values: Sequence[str]
    dynamic: bool = False

    def partitions(self, config: AnalyticsConfig | None = None) -> list[UniversePartition]:
        return [UniversePartition("index", v) for v in self.values]


@dataclass
class OPOLUniverse:
    """One partition per operating venue (``opol=XPAR``)."""

    values: Sequence[str]
    dynamic: bool = False

    def partitions(self, config: AnalyticsConfig | None = None) -> list[UniversePartition]:
        return [UniversePartition("opol", v) for v in self.values]


@dataclass
class CustomUniverse:
    """A universe your own function computes: ``get_universe(date)`` returns rows with a
    ``ListingId`` column (a Polars or pandas frame, or a dict of columns).

    Its key is ``custom``, or ``custom=<label>`` to tell several apart, where the label is
    ``value``, else ``name`` when it is not ``custom`` (both: ``name:value``).
    """

    get_universe: GetUniverse
    name: str = "custom"
    value: str | None = None
    dynamic: bool = False

    @property
    def label(self) -> str | None:
        if self.name == "custom":
            return self.value
        return self.name if self.value is None else f"{self.name}:{self.value}"

    def partitions(self, config: AnalyticsConfig | None = None) -> list[UniversePartition]:
        return [UniversePartition("custom", self.label, self.get_universe)]


@dataclass
class CartProdUniverse:
    """Every pair of a left and a right partition: keys like ``mic=XLON+custom``; the two
    universes are intersected when the run builds its listings."""

    left: Universe
    right: Universe
    dynamic: bool = field(default=False)

    def __post_init__(self) -> None:
        self.dynamic = self.dynamic or self.left.dynamic or self.right.dynamic

    def partitions(self, config: AnalyticsConfig | None = None) -> list[UniversePartition]:
        return [
            UniversePartition(
                f"{left.spec}+{right.spec}",
                None,
                intersect_universes(left.get_universe, right.get_universe),
            )
            for left in self.left.partitions(config)
            for right in self.right.partitions(config)
        ]


@dataclass
class ConfigUniverses:
    """The universes the demo's config names: its ``UNIVERSE`` and each schedule partition's
    ``universe``. Dynamic by default: the sensor re-reads the YAML, so a universe added there
    becomes a partition without restarting Dagster."""

    dynamic: bool = True

    def partitions(self, config: AnalyticsConfig | None = None) -> list[UniversePartition]:
        if config is None:
            return []
        specs = [config.UNIVERSE]
        for schedule in config.SCHEDULES:
            specs.extend(p.universe for p in schedule.partitions if p.universe)
        return [parse_universe_spec(spec) for spec in specs]


def _merge(found: dict[str, UniversePartition], part: UniversePartition) -> None:
    earlier = found.get(part.spec)
    if earlier is None:
        found[part.spec] = part
    elif earlier.get_universe is None and part.get_universe is not None:
        found[part.spec] = part


def build_universe_partitions(
    universes: Iterable[Universe | UniversePartition | str],
    config: AnalyticsConfig | None = None,
) -> list[UniversePartition]:
    """The distinct partitions of ``universes``, first seen first; each spec is checked.

    Entries may also be ``UniversePartition`` objects or spec strings (``"index=SYN10"``).
    Raises ``UniverseSpecError`` naming a spec that does not parse.
    """
    found: dict[str, UniversePartition] = {}
    for universe in universes:
        if isinstance(universe, str):
            parts = [parse_universe_spec(universe)]
        elif isinstance(universe, UniversePartition):
            parts = [universe]
        else:
            parts = universe.partitions(config)
        for part in parts:
            parse_universe_spec(part.spec)  # a clear error for a bad kind or value
            _merge(found, part)
    return list(found.values())


def is_dynamic(universes: Iterable[Any]) -> bool:
    """Whether any universe in the list asks for a dynamic dimension."""
    return any(getattr(u, "dynamic", False) for u in universes)


def default_universes() -> list[Universe]:
    """The universes of a demo that declares none: one partition per reference venue."""
    return [MICUniverse()]
