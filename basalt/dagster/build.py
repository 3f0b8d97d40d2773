"""One ``Definitions`` object for all the demos: assets, checks, jobs, schedules, sensors and
the ``basalt_locations`` resource (where runs read and write; defaults from the environment).

Each demo's definitions are built on their own, inside a guard: a demo whose files do not load,
or whose assets, checks, partitions, jobs or schedules Dagster refuses, runs its last good
config (:mod:`basalt.dagster.last_good`) or is left out; the other demos load unchanged. A
config becomes the last good one only once its definitions were built.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

from basalt.config.validation import ConfigIssue, locate
from basalt.dagster.assets import build_config_checks, build_demo_assets
from basalt.dagster.demos import Demo, load_demos, load_last_good
from basalt.dagster.last_good import last_good_path, save_last_good
from basalt.dagster.reload_status import DemoLoadError
from basalt.dagster.resources import default_resources
from basalt.dagster.run_status import build_run_status_sensors
from basalt.dagster.schedules import build_demo_jobs, build_schedule
from basalt.dagster.sensors import build_universe_sensor

log = logging.getLogger("basalt.dagster")


class DemoBuildError(Exception):
    """Dagster refused a demo's definitions; ``str()`` is ``FILE:LINE:COL: PATH: message``."""


@dataclass
class DemoDefinitions:
    """What one demo adds to the code location."""

    demo: Demo
    assets: list[Any] = field(default_factory=list)
    checks: list[Any] = field(default_factory=list)
    jobs: list[Any] = field(default_factory=list)
    schedules: list[Any] = field(default_factory=list)


@dataclass
class Location:
    """The code location: its ``Definitions`` and every demo as it was loaded (from its files,
    from its last good config, or left out with its error)."""

    defs: dg.Definitions
    demos: list[Demo]

    @property
    def load_errors(self) -> list[DemoLoadError]:
        """The demos not loaded from their files: running their last good config, or left out."""
        return [error for demo in self.demos if (error := load_error(demo)) is not None]


def load_error(demo: Demo) -> DemoLoadError | None:
    if demo.error is not None:
        return DemoLoadError(demo.stem, demo.error)
    if demo.last_good_error is not None:
        return DemoLoadError(demo.stem, demo.last_good_error, demo.last_good_time)
    return None


def load_errors_markdown(demos: Sequence[Demo]) -> str:
    """The demos left out (and partitions dropped), one bullet each, for the UI."""
    lines = [f"- `{d.stem}`: {d.error}" for d in demos if d.error]
    lines += [f"- `{d.stem}` (loaded): {w}" for d in demos for w in d.warnings]
    return "\n".join(lines) if lines else "every demo loaded"


# --- one demo ----------------------------------------------------------------------------


def _where(demo: Demo, path: str, message: str) -> str:
    """``message`` placed at ``path`` in the demo's files (``FILE:LINE:COL: PATH: message``);
    at the snapshot for a last good config, at the config file's start for no path."""
    if demo.from_last_good:
        return f"{last_good_path(demo.stem)}: {path + ': ' if path else ''}{message}"
    if path and demo.resolved is not None:
        return locate(ConfigIssue(path, message), demo.resolved).format()
    return f"{demo.config_file}:1:1: {message}"


def _schedule_path(index: int, exc: Exception) -> str:
    text = str(exc).lower()
    for part in ("cron", "timezone"):
        if part in text:
            return f"SCHEDULES.{index}.{part}"
    return f"SCHEDULES.{index}"


def _refused(demo: Demo, path: str, exc: Exception) -> DemoBuildError:
    kind = "" if isinstance(exc, dg.DagsterError) else f"{type(exc).__name__}: "
    return DemoBuildError(_where(demo, path, f"Dagster refuses it: {kind}{exc}"))


@contextlib.contextmanager
def _blame(demo: Demo) -> Iterator[None]:
    """Turn any exception into a :class:`DemoBuildError` placed at the demo's config file."""
    try:
        yield
    except Exception as exc:
        raise _refused(demo, "", exc) from exc


def _definitions(
    parts: Sequence[DemoDefinitions],
    executor: dg.ExecutorDefinition,
    metadata: Mapping[str, Any] | None = None,
) -> dg.Definitions:
    """The definitions of ``parts``; each asset's freshness policy is evaluated by Dagster's
    freshness daemon (no job of ours)."""
    return dg.Definitions(
        assets=[a for part in parts for a in part.assets],
        asset_checks=[c for part in parts for c in part.checks],
        jobs=[job for part in parts for job in part.jobs],
        schedules=[s for part in parts for s in part.schedules],
        sensors=[
            build_universe_sensor([part.demo for part in parts]),
            *build_run_status_sensors([part.demo for part in parts]),  # ledger follows Dagster
        ],
        resources=default_resources(),
        executor=executor,
        metadata=metadata,
    )


def check_loadable(defs: dg.Definitions) -> None:
    """Raise what a code server loading ``defs`` would: resolving the repository and taking
    its snapshot (partitions, schedules, jobs)."""
    from dagster._core.remote_representation.external_data import RepositorySnap

    with warnings.catch_warnings():  # Dagster's own deprecations, seen again by the code server
        warnings.simplefilter("ignore", DeprecationWarning)
        dg.Definitions.validate_loadable(defs)
        RepositorySnap.from_def(defs.get_repository_def())


def build_demo_definitions(
    demo: Demo,
    split_passes: bool = True,
    *,
    null_rate_bounds: Mapping[str, float] | None = None,
    freshness_grace: dt.timedelta | None = None,
    executor: dg.ExecutorDefinition = dg.in_process_executor,
) -> DemoDefinitions:
    """One demo's definitions, checked as a code server would load them; raises
    :class:`DemoBuildError` naming the file (and field, when known)."""
    part = DemoDefinitions(demo)
    with _blame(demo):
        part.assets = build_demo_assets(
            split_passes,
            demos=[demo],
            null_rate_bounds=null_rate_bounds,
            freshness_grace=freshness_grace,
        )
        part.checks = build_config_checks(split_passes, demos=[demo])
        part.jobs = list(build_demo_jobs(split_passes, demos=[demo]))
    assert demo.config is not None
    for index, schedule in enumerate(demo.config.SCHEDULES):
        if schedule.enabled:
            try:
                part.schedules.append(build_schedule(demo, schedule, split_passes))
            except Exception as exc:
                raise _refused(demo, _schedule_path(index, exc), exc) from exc
    with _blame(demo):
        check_loadable(_definitions([part], executor))
    return part


def _leave_out(demo: Demo, error: str) -> None:
    demo.error, demo.config = error, None
    log.warning("demo %s left out of Dagster: %s", demo.stem, error)


def _guarded(
    demo: Demo, universes: Sequence[Any] | None, **options: Any
) -> tuple[Demo, DemoDefinitions | None]:
    """The demo's definitions; when they cannot be built, its last good config's, else none
    (the demo is left out, with its error)."""
    if not demo.ok:
        return demo, None
    try:
        return demo, build_demo_definitions(demo, **options)
    except DemoBuildError as exc:
        error = str(exc)
    if demo.from_last_good:
        _leave_out(demo, f"{demo.last_good_error}\nits last good config does not build: {error}")
        return demo, None
    log.warning("demo %s does not build: %s", demo.stem, error)
    fallback = load_last_good(demo.py_path, error, universes)
    if fallback is None:
        _leave_out(demo, error)
        return demo, None
    try:
        return fallback, build_demo_definitions(fallback, **options)
    except DemoBuildError as again:
        _leave_out(demo, f"{error}\nits last good config does not build either: {again}")
        return demo, None


def _assemble(
    parts: list[DemoDefinitions], executor: dg.ExecutorDefinition
) -> list[DemoDefinitions]:
    """The demos' definitions that load together: all of them, unless one clashes with the
    others (then each is added in turn and a demo that breaks the whole is left out)."""
    try:
        check_loadable(_definitions(parts, executor))
        return parts
    except Exception:
        log.warning("the demos do not load together; adding them one at a time")
    kept: list[DemoDefinitions] = []
    for part in parts:
        try:
            check_loadable(_definitions([*kept, part], executor))
        except Exception as exc:
            _leave_out(
                part.demo,
                f"{part.demo.config_file}: clashes with the other demos: "
                f"{type(exc).__name__}: {exc}",
            )
        else:
            kept.append(part)
    return kept


def build_location(
    split_passes: bool = True,
    *,
    demos: Sequence[Demo] | None = None,
    demo_dir: str | Path | None = None,
    universes: Sequence[Any] | None = None,
    null_rate_bounds: Mapping[str, float] | None = None,
    freshness_grace: dt.timedelta | None = None,
    executor: dg.ExecutorDefinition = dg.in_process_executor,
) -> Location:
    """The definitions of every demo in ``demo_dir`` (or ``demos``), each built in a guard,
    and the demos as loaded. A demo built from its files becomes its last good config."""
    demos = list(demos) if demos is not None else load_demos(demo_dir, universes)
    options = dict(
        split_passes=split_passes,
        null_rate_bounds=null_rate_bounds,
        freshness_grace=freshness_grace,
        executor=executor,
    )
    loaded: list[Demo] = []
    parts: list[DemoDefinitions] = []
    for demo in demos:
        used, part = _guarded(demo, universes, **options)
        loaded.append(used)
        if part is not None:
            parts.append(part)
    parts = _assemble(parts, executor)
    for part in parts:
        if not part.demo.from_last_good:
            assert part.demo.config is not None
            save_last_good(part.demo.stem, part.demo.config)
    ok = [part.demo for part in parts]
    defs = _definitions(
        parts,
        executor,
        metadata={
            "basalt/demos": ", ".join(d.asset_name for d in ok),
            "basalt/load_errors": dg.MetadataValue.md(load_errors_markdown(loaded)),
        },
    )
    return Location(defs, loaded)


def build_definitions(split_passes: bool = True, **options: Any) -> dg.Definitions:
    """Definitions of every demo in ``demo_dir`` that loads; ``options`` are
    :func:`build_location`'s. The others are logged and listed in the definitions'
    ``basalt/load_errors`` metadata.

    Runs use the in-process executor: a run imports the code once, when it starts, so every
    pass of a run sees the same config (see :mod:`basalt.dagster.assets` for the run tag that
    keeps this true under other executors).
    """
    return build_location(split_passes, **options).defs
