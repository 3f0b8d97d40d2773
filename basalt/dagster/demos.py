"""Demo discovery: each ``demo/NN_name.py`` (with its YAML) resolved, validated and imported.

A demo that does not load (a YAML that does not parse, a field that does not validate, a script
that fails to import, a bad ``UNIVERSES`` entry) keeps its error, ``FILE:LINE:COL: PATH:
message`` when the file is known, and is left out of the Dagster definitions; the others load.

Last good configs: each demo whose Dagster definitions were built leaves its config in
``<BASALT_HOME>/last_good/`` (:mod:`basalt.dagster.last_good`, written by
:mod:`basalt.dagster.build`). A demo whose files later stop resolving, validating or importing
is loaded from that snapshot instead, with the warning ``using the last good config: <error>``,
so a reload of the code location keeps its last good definitions. Only when there is no
snapshot is it left out.

Each demo keeps its own modules (:attr:`Demo.modules`): demo 03's ``large_trades`` is valid in
demo 03's config and runs, and nowhere else, though every demo loads in one process.

No Dagster import here.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from basalt.config.analytics import AnalyticsConfig
from basalt.config.demo_source import DemoError, demo_modules, import_demo, yaml_beside
from basalt.config.document import DocumentError
from basalt.config.fingerprint import config_json, sha256_text
from basalt.config.modules.base import BUILTINS, ColumnContext, ModuleScope
from basalt.config.names import dagster_name
from basalt.config.passes import PassConfig
from basalt.config.resolve import ResolvedConfig, resolve
from basalt.config.validation import validate_resolved
from basalt.dagster.last_good import last_good_path, read_last_good
from basalt.dagster.partitions import UniversePartition
from basalt.dagster.universes import (
    ConfigUniverses,
    build_universe_partitions,
    default_universes,
    is_dynamic,
)
from basalt.universes.spec import UniverseSpecError

log = logging.getLogger("basalt.dagster")

DEMO_DIR_ENV = "BASALT_DEMO_DIR"
DEMO_GLOB = "[0-9][0-9]_*.py"
LISTING_KEYS = ("ListingId", "TimeBucket")
# Optional demo-level settings read from the script (besides get_universe and UNIVERSES).
NULL_RATE_VARIABLE = "NULL_RATE_BOUNDS"
# Dagster refuses these in a dimension key of a multi-partition key.
_BAD_KEY_PARTS = ("|", ",", "[", "]", "...")


def default_demo_dir() -> Path:
    """``$BASALT_DEMO_DIR``, else ``./demo`` when the working directory has one, else the
    installed checkout's ``demo/`` (:func:`basalt.dagster.folders.choose_demo_dir`)."""
    from basalt.dagster.folders import choose_demo_dir

    return choose_demo_dir().path


def asset_name_for(stem: str) -> str:
    """``01_ohlcv_bars`` -> ``demo01_ohlcv_bars`` (a valid Dagster name)."""
    return "demo" + re.sub(r"[^A-Za-z0-9_]", "_", stem)


def safe_name(name: str) -> str:
    """A pass name as a Dagster asset-key part or check name (the config keeps them distinct)."""
    return dagster_name(name)


@dataclass
class Demo:
    """One demo as Dagster sees it."""

    py_path: Path
    yaml_path: Path
    asset_name: str
    resolved: ResolvedConfig | None = None
    config: AnalyticsConfig | None = None
    module: ModuleType | None = None
    # The modules its config is validated and run with: the built-ins and the script's own.
    modules: ModuleScope = BUILTINS
    error: str | None = None
    universe_partitions: list[UniversePartition] = field(default_factory=list)
    universes: list[Any] = field(default_factory=list)
    dynamic: bool = False
    warnings: list[str] = field(default_factory=list)
    # The error of the files on disk when the config came from the last good snapshot.
    last_good_error: str | None = None
    # When that snapshot was written (seconds since the epoch).
    last_good_at: float | None = None
    loaded_at: float = field(default_factory=time.time)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None and self.config is not None

    @property
    def from_last_good(self) -> bool:
        """Whether the config is the last good snapshot (the files on disk do not validate)."""
        return self.last_good_error is not None

    @property
    def last_good_note(self) -> str | None:
        """``Running the last good config of TIME: FILE:LINE:COL: message``, or ``None``."""
        if self.last_good_error is None:
            return None
        return f"Running the last good config of {self.last_good_time}: {self.last_good_error}"

    @property
    def last_good_time(self) -> str | None:
        return clock(self.last_good_at) if self.last_good_at is not None else None

    @property
    def config_source(self) -> str:
        """Where the config of this process comes from, as runs record it."""
        if self.last_good_error is not None:
            error, when = self.last_good_error, self.last_good_time
            return f"last good of {when}; YAML on disk invalid: {error}"
        return f"code location (loaded {clock(self.loaded_at)})"

    @property
    def number(self) -> str:
        return self.py_path.stem[:2]

    @property
    def stem(self) -> str:
        return self.py_path.stem

    @property
    def config_file(self) -> Path:
        """The file a user edits: the YAML when there is one, else the script."""
        return self.yaml_path if self.yaml_path.exists() else self.py_path

    @property
    def description(self) -> str:
        doc = (self.module.__doc__ if self.module is not None else None) or ""
        return doc.strip().splitlines()[0] if doc.strip() else f"Demo {self.stem}"

    @property
    def get_universe(self) -> Any:
        fn = getattr(self.module, "get_universe", None)
        return fn if callable(fn) else None

    @property
    def null_rate_bounds(self) -> dict[str, float]:
        value = getattr(self.module, NULL_RATE_VARIABLE, None)
        return dict(value) if isinstance(value, Mapping) else {}

    @property
    def universe_keys(self) -> list[str]:
        return [p.spec for p in self.universe_partitions]

    @property
    def date_freq(self) -> str:
        """Date dimension: the config's partition period (``W`` or ``M`` when BATCH_FREQ says
        so, else ``D``), the one its runs write a file for."""
        from basalt.pipeline.batches import partition_freq

        return partition_freq(self.config)

    @property
    def config_json(self) -> str:
        assert self.config is not None
        return config_json(self.config)

    @property
    def config_sha256(self) -> str:
        return sha256_text(self.config_json)

    def partition_for(self, spec: str) -> UniversePartition | None:
        for part in self.universe_partitions:
            if part.spec == spec:
                return part
        return None

    @property
    def date_timezone(self) -> str:
        """Timezone of the date partitions: the first enabled schedule's, else UTC (so the
        day a schedule calls today already has its partition)."""
        for schedule in self.config.SCHEDULES if self.config is not None else ():
            if schedule.enabled:
                return schedule.timezone
        return "UTC"

    def has_enabled_schedule(self) -> bool:
        return self.config is not None and any(s.enabled for s in self.config.SCHEDULES)


def resolve_config(
    py_path: Path,
) -> tuple[ResolvedConfig | None, AnalyticsConfig | None, str | None]:
    """Resolve and validate a demo's config: ``(resolved, config, error)``."""
    try:
        resolved = resolve(py_path)
    except (DemoError, DocumentError) as exc:
        return None, None, str(exc)
    config, issues = validate_resolved(resolved)
    if config is None:
        return resolved, None, "\n".join(issue.format() for issue in issues)
    return resolved, config, None


def key_problem(spec: str) -> str | None:
    """Why a universe spec cannot be a partition key (Dagster forbids some characters)."""
    bad = [part for part in _BAD_KEY_PARTS if part in spec]
    if bad:
        return (
            f"universe '{spec}' cannot be a Dagster partition key ('{bad[0]}' is not allowed "
            "in a key); declare one universe per venue instead, e.g. MICUniverse(whitelist=[...])"
        )
    return None


def usable_partitions(
    parts: Sequence[UniversePartition], warnings: list[str] | None = None
) -> list[UniversePartition]:
    """The partitions whose spec can be a key; the others are reported in ``warnings``."""
    kept = []
    for part in parts:
        problem = key_problem(part.spec)
        if problem is None:
            kept.append(part)
        elif warnings is not None:
            warnings.append(problem)
    return kept


def universe_partitions(
    universes: Sequence[Any], config: AnalyticsConfig, warnings: list[str] | None = None
) -> list[UniversePartition]:
    """The universe dimension of a demo: the universes its config names (UNIVERSE, then the
    schedules' universes) first, so the schedules' partitions exist, then ``universes``."""
    parts = build_universe_partitions([ConfigUniverses(dynamic=False), *universes], config)
    return usable_partitions(parts, warnings)


def _universes_of(demo: Demo, fallback: Sequence[Any] | None) -> list[Any]:
    declared = getattr(demo.module, "UNIVERSES", None)
    if declared is not None and not isinstance(declared, (list, tuple)):
        raise DemoError(f"{demo.py_path}: UNIVERSES must be a list of universes")
    return list(declared) if declared else list(fallback or default_universes())


LAST_GOOD_WARNING = "using the last good config: {error}"


def clock(seconds: float) -> str:
    """A time as runs and the UI show it: ``2026-03-04 12:30:00`` (local)."""
    return f"{dt.datetime.fromtimestamp(seconds):%Y-%m-%d %H:%M:%S}"


def _complete(demo: Demo, config: AnalyticsConfig, universes: Sequence[Any] | None) -> None:
    """Import the script (unless already done or it failed before) and set the universes and
    partitions of ``config`` (``demo.config``); a problem becomes ``demo.error`` (and the config
    is dropped)."""
    try:
        if demo.module is None and not demo.from_last_good:
            demo.module = import_demo(demo.py_path, keep=True)
        demo.universes = _universes_of(demo, universes)
        demo.universe_partitions = universe_partitions(demo.universes, config, demo.warnings)
    except DemoError as exc:
        demo.error, demo.config = str(exc), None
        return
    except UniverseSpecError as exc:
        demo.error, demo.config = f"{demo.py_path}: UNIVERSES: {exc}", None
        return
    if not demo.universe_partitions:
        demo.error, demo.config = f"{demo.py_path}: UNIVERSES: no universe partition", None
        return
    demo.dynamic = is_dynamic(demo.universes)


def load_last_good(
    py_path: str | Path, error: str, universes: Sequence[Any] | None = None
) -> Demo | None:
    """The demo loaded from its last good snapshot, ``error`` saying why its files are not
    used; ``None`` when there is no usable snapshot.

    The module comes from the script when it still imports (``get_universe``, ``UNIVERSES``);
    otherwise the default universes are used, with a warning.
    """
    py_path = Path(py_path)
    snapshot = last_good_path(py_path.stem)
    if not snapshot.is_file():
        return None
    demo = Demo(py_path, yaml_beside(py_path), asset_name_for(py_path.stem))
    try:
        demo.module = import_demo(py_path, keep=True)
    except DemoError as exc:
        import_error: str | None = str(exc)
    else:
        import_error = None
    scope = demo_modules(demo.module)
    demo.modules = scope if scope.own else BUILTINS  # as resolving the files would
    config = read_last_good(py_path.stem, modules=demo.modules)
    if config is None:
        return None
    demo.config, demo.last_good_error = config, error
    try:
        demo.last_good_at = snapshot.stat().st_mtime
    except OSError:
        demo.last_good_at = demo.loaded_at
    demo.warnings.append(LAST_GOOD_WARNING.format(error=error))
    if import_error is not None:
        demo.warnings.append(
            f"{import_error} (without the script: default universes, no get_universe)"
        )
    _complete(demo, config, universes)
    if demo.error is not None:
        log.warning("the last good config of %s does not load: %s", demo.stem, demo.error)
        return None
    return demo


def load_demo(
    py_path: str | Path, universes: Sequence[Any] | None = None, *, last_good: bool = True
) -> Demo:
    """Load one demo; never raises: a problem becomes ``demo.error``.

    With ``last_good`` (the default), a demo whose files do not resolve, validate or import is
    loaded from its last good snapshot when one exists (``demo.from_last_good``; the error is
    in ``demo.last_good_error`` and a warning); ``last_good=False`` reports the files as they
    are (what a validation before a reload needs). Snapshots are written once a demo's Dagster
    definitions are built (:mod:`basalt.dagster.build`), never here.
    """
    py_path = Path(py_path)
    demo = Demo(py_path, yaml_beside(py_path), asset_name_for(py_path.stem))
    demo.resolved, demo.config, demo.error = resolve_config(py_path)
    if demo.resolved is not None:
        demo.modules = demo.resolved.modules
    if demo.config is not None:  # resolve_config sets the config exactly when there is no error
        _complete(demo, demo.config, universes)
    if demo.error is not None and last_good:
        return load_last_good(py_path, demo.error, universes) or demo
    return demo


def reload_config(demo: Demo) -> tuple[AnalyticsConfig | None, str | None]:
    """The demo's config as the files say now (the module is not imported again)."""
    _, config, error = resolve_config(demo.py_path)
    return config, error


def current_universe_keys(demo: Demo) -> tuple[list[str], str | None]:
    """The universe keys from the files as they are now, for the dynamic-universe sensor."""
    config, error = reload_config(demo)
    if config is None:
        return [], error
    try:
        parts = universe_partitions(demo.universes, config)
    except UniverseSpecError as exc:
        return [], f"{demo.py_path}: UNIVERSES: {exc}"
    return [p.spec for p in parts], None


def discover_demo_paths(demo_dir: str | Path | None = None) -> list[Path]:
    folder = Path(demo_dir) if demo_dir is not None else default_demo_dir()
    return sorted(folder.glob(DEMO_GLOB))


def load_demos(
    demo_dir: str | Path | None = None,
    universes: Sequence[Any] | None = None,
    only: Iterable[str] | None = None,
) -> list[Demo]:
    """Every demo pair in ``demo_dir`` (default :func:`default_demo_dir`), loaded.

    ``universes`` replaces :func:`default_universes` for demos that declare no ``UNIVERSES``;
    ``only`` keeps demos matching a number (``01``), stem, asset name or path.
    """
    paths = discover_demo_paths(demo_dir)
    if only is not None:
        wanted = set(only)
        paths = [p for p in paths if wanted & {p.stem[:2], p.stem, asset_name_for(p.stem), str(p)}]
    demos = [load_demo(p, universes) for p in paths]
    for demo in demos:
        if demo.error:
            log.warning("demo %s left out of Dagster: %s", demo.stem, demo.error)
        for warning in demo.warnings:
            log.warning("demo %s: %s", demo.stem, warning)
    return demos


# --- passes -------------------------------------------------------------------------------


def _context(passes: Sequence[PassConfig], index: int) -> ColumnContext:
    from basalt.config.analytics import pass_columns

    p = passes[index]
    return ColumnContext(
        pass_name=p.name,
        time_bucket_seconds=p.time_bucket_seconds,
        previous_passes=tuple(q.name for q in passes[:index]),
        columns_by_pass=pass_columns(list(passes[:index])),
        module_inputs=p.module_inputs,
    )


def pass_reads(config: AnalyticsConfig, name: str) -> list[str]:
    """The earlier passes a pass reads (reaggregate's source, module inputs naming a pass)."""
    names = [p.name for p in config.PASSES]
    index = names.index(name)
    p = config.PASSES[index]
    earlier = set(names[:index])
    reads = [src for src in p.module_inputs.values() if src in earlier]
    if "reaggregate" in p.modules:
        source = p.reaggregate_analytics.source(_context(config.PASSES, index))
        if source:
            reads.append(source)
    return [n for n in names[:index] if n in set(reads)]


def pass_closure(config: AnalyticsConfig, name: str) -> list[str]:
    """The pass and every pass it reads, directly or not, in config order."""
    needed = {name}
    stack = [name]
    while stack:
        for source in pass_reads(config, stack.pop()):
            if source not in needed:
                needed.add(source)
                stack.append(source)
    return [p.name for p in config.PASSES if p.name in needed]


def pass_key_columns(config: AnalyticsConfig, name: str) -> tuple[str, ...]:
    """The columns that identify a row of a pass's output: (ListingId, TimeBucket), or for a
    venue- or index-level reaggregate (MIC or Index, TimeBucket)."""
    names = [p.name for p in config.PASSES]
    index = names.index(name)
    p = config.PASSES[index]
    if p.modules == ["reaggregate"]:
        return tuple(p.reaggregate_analytics.key_columns(_context(config.PASSES, index)))
    return LISTING_KEYS


def with_passes(data: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """Config data keeping only the named passes (in order)."""
    out = dict(data)
    out["PASSES"] = [p for p in data["PASSES"] if p["name"] in set(names)]
    return out


# --- dates --------------------------------------------------------------------------------


def _period_start(day: dt.date, freq: str) -> dt.date:
    if freq == "W":
        return day - dt.timedelta(days=day.weekday())
    if freq == "M":
        return day.replace(day=1)
    return day


def date_key_for(demo: Demo, day: dt.date, now: dt.datetime | None = None) -> str | None:
    """The date-dimension key holding ``day``, or ``None`` when no partition holds it: before
    START_DATE, a weekend when EXCLUDE_WEEKENDS, or (given ``now``) later than the current
    period (the partitions end with the one in progress, in :attr:`Demo.date_timezone`)."""
    assert demo.config is not None
    freq = demo.date_freq
    if freq == "D" and demo.config.EXCLUDE_WEEKENDS and day.weekday() >= 5:
        return None
    start = _period_start(day, freq)
    if start < _period_start(demo.config.START_DATE, freq):
        return None
    if now is not None:
        today = now.astimezone(ZoneInfo(demo.date_timezone)).date() if now.tzinfo else now.date()
        if start > _period_start(today, freq):
            return None
    return start.isoformat()


def date_key_on_or_before(demo: Demo, day: dt.date) -> str | None:
    """The latest date key at or before ``day`` (a Sunday gives the Friday)."""
    for back in range(8):
        key = date_key_for(demo, day - dt.timedelta(days=back))
        if key is not None:
            return key
    return None
