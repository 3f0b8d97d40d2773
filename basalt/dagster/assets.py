"""Dagster assets for the demos: one asset per demo, or one per pass (``split_passes``).

Partitions are ``date`` x ``universe`` (keys like ``2025-01-02|mic=XLON``). Each
materialization runs :func:`run_partition`, then records the output's path, row count,
columns, first rows, the config's SHA-256 and file, and the data checks' results.

Config capture: the config a run uses is the one its first step sees, when the run starts.
That step stores it (canonical JSON) in a hidden run tag; every later step of the run reads the
tag instead of its own view of the files. With the in-process executor (the default of
:func:`basalt.dagster.build.build_definitions`) a run loads the code once anyway; the tag keeps
a run consistent under an executor that re-imports the code in each step (multiprocess, one
pod per step), where a YAML saved mid-run would otherwise leak into the later steps.

Run ledger: each step (and each freshness check) writes the run ledger as it goes, with the
trigger ``dagster`` and the Dagster run id (:mod:`basalt.dagster.step_ledger`); ``basalt
dagster sync`` reports the other way round (:mod:`basalt.dagster.sync`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from basalt.config.fingerprint import config_json
from basalt.dagster import checks
from basalt.dagster.demos import (
    Demo,
    date_key_on_or_before,
    load_demo,
    load_demos,
    pass_closure,
    pass_key_columns,
    pass_reads,
    safe_name,
    sha256_text,
    with_passes,
)
from basalt.dagster.partitions import (
    DATE_DIMENSION,
    UNIVERSE_DIMENSION,
    PartitionKeyError,
    PartitionRun,
    PartitionRunError,
    date_partition,
    parse_partition_key,
    run_partition,
)
from basalt.dagster.step_ledger import StepLedger

# The config JSON goes in a hidden tag (the UI hides ``.dagster/`` tags); its hash is shown.
CONFIG_TAG = ".dagster/basalt_config.{asset}"
CONFIG_SHA_TAG = "basalt/config_sha256.{asset}"
# Where that config came from: the code location, or the last good snapshot (and why).
CONFIG_SOURCE_TAG = "basalt/config_source.{asset}"
WEEKEND_CRON = "0 0 * * 6,0"
SEVERITY = {
    checks.NOT_EMPTY: dg.AssetCheckSeverity.ERROR,
    checks.UNIQUE_KEYS: dg.AssetCheckSeverity.ERROR,
    checks.TIME_BUCKET_INCREASING: dg.AssetCheckSeverity.ERROR,
    checks.NULL_RATE: dg.AssetCheckSeverity.WARN,
    checks.FRESHNESS: dg.AssetCheckSeverity.WARN,
    checks.CONFIG_IS_CURRENT: dg.AssetCheckSeverity.ERROR,
}


# --- partitions ---------------------------------------------------------------------------


def date_partitions_def(demo: Demo) -> dg.TimeWindowPartitionsDefinition:
    """Daily from START_DATE (weekends excluded when EXCLUDE_WEEKENDS), weekly (Monday) when
    BATCH_FREQ is W, monthly when M; the period in progress is included. Days are cut in the
    first enabled schedule's timezone, so its ``today`` is a partition when it ticks."""
    assert demo.config is not None
    start = demo.config.START_DATE
    zone = demo.date_timezone
    if demo.date_freq == "W":
        monday = start - dt.timedelta(days=start.weekday())
        return dg.WeeklyPartitionsDefinition(
            start_date=monday.isoformat(), day_offset=1, end_offset=1, timezone=zone
        )
    if demo.date_freq == "M":
        return dg.MonthlyPartitionsDefinition(
            start_date=start.replace(day=1).isoformat(), end_offset=1, timezone=zone
        )
    exclusions = [WEEKEND_CRON] if demo.config.EXCLUDE_WEEKENDS else None
    return dg.DailyPartitionsDefinition(
        start_date=start.isoformat(), end_offset=1, exclusions=exclusions, timezone=zone
    )


def universe_partitions_def_name(demo: Demo) -> str:
    return f"{demo.asset_name}_universe"


def universe_partitions_def(demo: Demo) -> dg.PartitionsDefinition:
    """Static keys, or a dynamic set (kept in step by the universe sensor) when declared."""
    if demo.dynamic:
        return dg.DynamicPartitionsDefinition(name=universe_partitions_def_name(demo))
    return dg.StaticPartitionsDefinition(demo.universe_keys)


def demo_partitions_def(demo: Demo) -> dg.MultiPartitionsDefinition:
    """``date`` x ``universe``; built once per demo so assets, jobs and schedules share it."""
    if "partitions_def" not in demo.cache:
        demo.cache["partitions_def"] = dg.MultiPartitionsDefinition(
            {
                DATE_DIMENSION: date_partitions_def(demo),
                UNIVERSE_DIMENSION: universe_partitions_def(demo),
            }
        )
    return demo.cache["partitions_def"]


def partition_key(date: str | dt.date, universe: str) -> dg.MultiPartitionKey:
    """``MultiPartitionKey`` for a date key and a universe spec (``2025-01-02|mic=XLON``)."""
    day = date.isoformat() if isinstance(date, dt.date) else date
    return dg.MultiPartitionKey({DATE_DIMENSION: day, UNIVERSE_DIMENSION: universe})


def partition_run_for(demo: Demo, key: Any) -> PartitionRun:
    """The run of a Dagster partition key; :class:`PartitionKeyError` if it does not parse."""
    keys = getattr(key, "keys_by_dimension", None) or str(key)
    run = parse_partition_key(keys, demo.date_freq)
    declared = demo.partition_for(run.universe.spec)
    return PartitionRun(declared, run.dates) if declared is not None else run


# --- config capture -----------------------------------------------------------------------


def captured_config(
    context: dg.AssetExecutionContext, demo: Demo
) -> tuple[dict[str, Any], str, str]:
    """``(config data, sha256, source)`` of the run: the run tag when an earlier step of this
    run wrote it, else this process's config, written to the tag for the steps that follow.
    The source (``code location (loaded TIME)``, or ``last good of TIME; YAML on disk invalid:
    FILE:LINE:COL: message``) goes in a visible tag too.

    The tag starts with the run id: a re-execution copies its parent's tags, but captures its
    own config (a fixed YAML is what a re-execution is for)."""
    assert demo.config is not None
    tag = CONFIG_TAG.format(asset=demo.asset_name)
    source_tag = CONFIG_SOURCE_TAG.format(asset=demo.asset_name)
    run_id = context.run.run_id
    stored = context.instance.get_run_by_id(run_id)
    tags = stored.tags if stored is not None else {}
    owner, _, text = tags.get(tag, "").partition("\n")
    if owner == run_id and text:
        captured = "run tag (captured when the run started)"
        source = f"{tags[source_tag]}; {captured}" if tags.get(source_tag) else captured
        return json.loads(text), sha256_text(text), source
    text = demo.config_json
    sha = sha256_text(text)
    sha_tag = CONFIG_SHA_TAG.format(asset=demo.asset_name)
    source = demo.config_source
    context.instance.add_run_tags(
        run_id, {tag: f"{run_id}\n{text}", sha_tag: sha, source_tag: source}
    )
    return json.loads(text), sha, source


# --- what each asset computes ---------------------------------------------------------------


@dataclass(frozen=True)
class AssetPlan:
    """One asset: the passes whose outputs it owns, the passes its run needs, and its deps."""

    key: dg.AssetKey
    passes: tuple[str, ...]
    run_passes: tuple[str, ...]
    deps: tuple[dg.AssetKey, ...]
    split: bool

    @property
    def reuse(self) -> tuple[str, ...]:
        return tuple(p for p in self.run_passes if p not in self.passes)

    def check_name(self, pass_name: str, check: str) -> str:
        return check if self.split else f"{safe_name(pass_name)}_{check}"


def pass_asset_key(demo: Demo, pass_name: str) -> dg.AssetKey:
    return dg.AssetKey([demo.asset_name, safe_name(pass_name)])


def asset_plans(demo: Demo, split_passes: bool) -> list[AssetPlan]:
    assert demo.config is not None
    names = tuple(p.name for p in demo.config.PASSES)
    if not split_passes:
        return [AssetPlan(dg.AssetKey([demo.asset_name]), names, names, (), False)]
    return [
        AssetPlan(
            pass_asset_key(demo, name),
            (name,),
            tuple(pass_closure(demo.config, name)),
            tuple(pass_asset_key(demo, src) for src in pass_reads(demo.config, name)),
            True,
        )
        for name in names
    ]


def asset_keys(demo: Demo, split_passes: bool) -> list[dg.AssetKey]:
    return [plan.key for plan in asset_plans(demo, split_passes)]


# --- materializing ------------------------------------------------------------------------


def _read(paths: Sequence[Path], config: Any, pass_name: str) -> pl.DataFrame:
    from basalt.pipeline.outputs import read_output, target_of

    target = target_of(config, next(p for p in config.PASSES if p.name == pass_name))
    frames = [read_output(path, target).collect() for path in paths if path.exists()]
    return pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()


def output_metadata(frame: pl.DataFrame, paths: Sequence[Path], size: int) -> dict[str, Any]:
    """Path, row count, columns (with types) and the first rows of one output."""
    meta: dict[str, Any] = {
        "output_path": dg.MetadataValue.path(str(paths[0])) if paths else None,
        "dagster/row_count": frame.height,
        "columns": dg.MetadataValue.text(", ".join(frame.columns)),
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name, str(dtype)) for name, dtype in frame.schema.items()]
        ),
        "preview": dg.MetadataValue.md(checks.markdown_table(frame)),
        "bytes": size,
    }
    if len(paths) > 1:
        meta["output_paths"] = [str(p) for p in paths]
    return meta


def _check_result(
    plan: AssetPlan, pass_name: str, name: str, outcome: checks.CheckOutcome
) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=plan.key,
        check_name=plan.check_name(pass_name, name),
        passed=outcome.passed,
        severity=SEVERITY[name],
        description=outcome.description,
        metadata=outcome.metadata,
    )


def _no_trading_day(
    plan: AssetPlan, reason: str, common: Mapping[str, Any]
) -> tuple[dg.MaterializeResult, list[tuple[str, str, dg.AssetCheckResult]]]:
    skipped = checks.skipped_checks(reason)
    pairs = [
        (p, name, _check_result(plan, p, name, outcome))
        for p in plan.passes
        for name, outcome in skipped.items()
    ]
    result = dg.MaterializeResult(
        metadata={**common, "dagster/row_count": 0, "note": reason},
        check_results=[r for _, _, r in pairs],
    )
    return result, pairs


def materialize_partition(
    context: dg.AssetExecutionContext,
    demo: Demo,
    plan: AssetPlan,
    null_rate_bounds: Mapping[str, float],
) -> dg.MaterializeResult:
    """Run the partition's passes, then describe and check the outputs this asset owns; the run
    ledger gets the run (trigger ``dagster``), those outputs, the checks and the step's end."""
    with StepLedger(context, demo) as ledger:
        return _materialize(context, demo, plan, null_rate_bounds, ledger)


def _materialize(
    context: dg.AssetExecutionContext,
    demo: Demo,
    plan: AssetPlan,
    null_rate_bounds: Mapping[str, float],
    ledger: StepLedger,
) -> dg.MaterializeResult:
    from basalt.config.analytics import AnalyticsConfig
    from basalt.data.errors import DataError
    from basalt.pipeline.runner import RunError
    from basalt.universes import UniverseSpecError

    try:
        partition = partition_run_for(demo, context.partition_key)
    except PartitionKeyError as exc:
        raise dg.Failure(description=f"{demo.asset_name}: {exc}") from None
    key = str(context.partition_key)
    data, sha, source = captured_config(context, demo)
    ledger.start(sha, partition)
    common = {
        "config_sha256": sha,
        "config_file": dg.MetadataValue.path(str(demo.config_file)),
        "config_source": source,
        "universe": partition.universe.spec,
        "dates": str(partition.dates),
    }
    context.log.info(f"{plan.key.to_user_string()}: {partition}, config {sha[:12]} from {source}")
    try:
        results = run_partition(
            with_passes(data, plan.run_passes),
            demo.get_universe,
            partition,
            reuse_outputs=plan.reuse,
            modules=demo.modules,
        )
    except RunError as exc:
        if str(exc).startswith("no trading day"):
            result, pairs = _no_trading_day(plan, str(exc), common)
            ledger.checks(pairs, key)
            return result
        raise dg.Failure(description=f"{demo.asset_name} {partition}: {exc}") from None
    except (PartitionRunError, DataError, UniverseSpecError) as exc:
        raise dg.Failure(description=f"{demo.asset_name} {partition}: {exc}") from None
    ledger.outputs(results, plan.passes, partition, key)
    config = AnalyticsConfig.model_validate(data, context=demo.modules.context())
    outputs: dict[str, list[Any]] = {}
    for result in results:
        for out in result.outputs:
            outputs.setdefault(out.pass_name, []).append(out)
    metadata: dict[str, Any] = dict(common)
    check_results = []
    recorded = []
    summary = ["| pass | rows | output |", "| --- | --- | --- |"]
    for name in plan.passes:
        outs = outputs.get(name, [])
        paths = [o.path for o in outs]
        frame = _read(paths, config, name)
        pass_meta = output_metadata(frame, paths, sum(o.bytes for o in outs))
        if name == plan.passes[-1]:
            metadata.update(pass_meta)
        if len(plan.passes) > 1:
            metadata[f"{name}/output_path"] = pass_meta["output_path"]
            metadata[f"{name}/row_count"] = frame.height
            summary.append(f"| {name} | {frame.height:,} | {paths[0] if paths else ''} |")
        keys = pass_key_columns(config, name)
        bounds = {**null_rate_bounds, **demo.null_rate_bounds}
        for check, outcome in checks.data_checks(frame, keys, bounds).items():
            check_result = _check_result(plan, name, check, outcome)
            check_results.append(check_result)
            recorded.append((name, check, check_result))
    ledger.checks(recorded, key)
    if len(plan.passes) > 1:
        metadata["passes"] = dg.MetadataValue.md("\n".join(summary))
    return dg.MaterializeResult(metadata=metadata, check_results=check_results)


def warned(demo: Demo, description: str) -> str:
    """``description``, after ``⚠ Running the last good config of TIME: FILE:LINE:COL: message``
    when the demo runs its last good config."""
    note = demo.last_good_note
    return f"⚠ {note}\n\n{description}" if note else description


def _asset(
    demo: Demo, plan: AssetPlan, null_rate_bounds: Mapping[str, float]
) -> dg.AssetsDefinition:
    assert demo.config is not None
    specs = [
        dg.AssetCheckSpec(
            plan.check_name(p, name),
            asset=plan.key,
            description=checks.DESCRIPTIONS[name] + ("" if plan.split else f" Pass {p}."),
        )
        for p in plan.passes
        for name in checks.DATA_CHECKS
    ]
    label = f"pass {plan.passes[0]} of " if plan.split else ""
    static = {
        "config_file": dg.MetadataValue.path(str(demo.config_file)),
        "script": dg.MetadataValue.path(str(demo.py_path)),
        "passes": ", ".join(plan.passes),
        "universes": ", ".join(demo.universe_keys),
    }
    if demo.from_last_good:
        static["config_source"] = demo.config_source

    @dg.asset(
        key=plan.key,
        partitions_def=demo_partitions_def(demo),
        deps=list(plan.deps),
        group_name=demo.asset_name,
        code_version=demo.config_sha256[:16],
        description=warned(demo, f"{label}{demo.description}"),
        metadata=static,
        check_specs=specs,
        kinds={"polars"},
    )
    def _materialize(context) -> dg.MaterializeResult:  # unannotated: Dagster refuses string hints
        return materialize_partition(context, demo, plan, null_rate_bounds)

    return _materialize


def build_demo_assets(
    split_passes: bool = False,
    *,
    demos: Sequence[Demo] | None = None,
    demo_dir: str | Path | None = None,
    universes: Sequence[Any] | None = None,
    null_rate_bounds: Mapping[str, float] | None = None,
) -> list[dg.AssetsDefinition]:
    """Assets of every demo that loads: ``demoNN_name``, or with ``split_passes`` one per pass
    keyed ``[demoNN_name, pass]`` depending on the passes it reads.

    ``null_rate_bounds`` (column or pattern -> largest share of nulls) applies to every demo;
    a demo's own ``NULL_RATE_BOUNDS`` dict wins over it.
    """
    demos = demos if demos is not None else load_demos(demo_dir, universes)
    bounds = dict(null_rate_bounds or {})
    return [
        _asset(demo, plan, bounds)
        for demo in demos
        if demo.ok
        for plan in asset_plans(demo, split_passes)
    ]


# --- config is current ----------------------------------------------------------------------


def config_outcome(demo: Demo) -> checks.CheckOutcome:
    """Whether the demo's files hold the config this process loaded (see
    :func:`basalt.dagster.checks.check_config_current`)."""
    try:
        files = load_demo(demo.py_path, last_good=False)
        disk, error = files.config, files.error
    except Exception as exc:  # never expected: load_demo reports problems as errors
        disk, error = None, f"{demo.py_path}: {type(exc).__name__}: {exc}"
    return checks.check_config_current(
        demo.config_sha256,
        demo.config_source,
        sha256_text(config_json(disk)) if disk is not None else None,
        error,
        demo.last_good_error,
    )


def config_check(demo: Demo, split_passes: bool) -> dg.AssetChecksDefinition:
    """One ``config_is_current`` check per demo, on each of its assets (severity ERROR): it
    fails, with ``FILE:LINE:COL: message``, while the demo runs a config its files do not hold."""
    keys = asset_keys(demo, split_passes)
    name = checks.CONFIG_IS_CURRENT
    specs = [
        dg.AssetCheckSpec(name, asset=key, description=checks.DESCRIPTIONS[name]) for key in keys
    ]

    @dg.multi_asset_check(
        specs=specs,
        name=f"{demo.asset_name}_{name}",
        description=warned(demo, checks.DESCRIPTIONS[name]),
        can_subset=True,
    )
    def _config_is_current(context):  # unannotated, as above
        outcome = config_outcome(demo)
        for key in context.selected_asset_check_keys:
            yield dg.AssetCheckResult(
                asset_key=key.asset_key,
                check_name=key.name,
                passed=outcome.passed,
                severity=SEVERITY[name],
                description=outcome.description,
                metadata=outcome.metadata,
            )

    return _config_is_current


def build_config_checks(
    split_passes: bool = False, *, demos: Sequence[Demo] | None = None
) -> list[dg.AssetChecksDefinition]:
    """The ``config_is_current`` check of every demo that loads."""
    demos = demos if demos is not None else load_demos()
    return [config_check(demo, split_passes) for demo in demos if demo.ok]


# --- freshness ----------------------------------------------------------------------------


def requested_date(rule: str | dt.date, local_day: dt.date) -> dt.date:
    if rule == "today":
        return local_day
    if rule == "yesterday":
        return local_day - dt.timedelta(days=1)
    return rule if isinstance(rule, dt.date) else dt.date.fromisoformat(str(rule))


def expected_latest_date(
    demo: Demo, now: dt.datetime, grace: dt.timedelta = dt.timedelta(hours=2)
) -> dt.date | None:
    """The latest date the enabled schedules should have materialized by ``now``: what their
    latest tick at least ``grace`` ago requested, moved back to a date partition."""
    from zoneinfo import ZoneInfo

    from dagster._utils.schedules import get_latest_completed_cron_tick

    from basalt.dagster.schedules import cron_of

    assert demo.config is not None
    expected: dt.date | None = None
    for schedule in demo.config.SCHEDULES:
        if not schedule.enabled:
            continue
        zone = ZoneInfo(schedule.timezone)
        tick = get_latest_completed_cron_tick(
            cron_of(schedule.cron), (now - grace).astimezone(zone), schedule.timezone
        )
        local = tick.astimezone(zone).date()
        for part in schedule.partitions or [None]:
            day = requested_date(part.date if part else "yesterday", local)
            key = date_key_on_or_before(demo, day)
            if key is not None:
                found = dt.date.fromisoformat(key)
                expected = found if expected is None else max(expected, found)
    return expected


def latest_materialized_date(instance: dg.DagsterInstance, key: dg.AssetKey) -> dt.date | None:
    dates = []
    for partition in instance.get_materialized_partitions(key):
        try:
            dates.append(date_partition(str(partition).split("|")[0]).start_date)
        except PartitionKeyError:
            continue
    return max(dates, default=None)


def _freshness_check(
    demo: Demo, plan: AssetPlan, max_lag_days: int, grace: dt.timedelta
) -> dg.AssetChecksDefinition:
    key = plan.key

    @dg.asset_check(
        asset=key,
        name=checks.FRESHNESS,
        description=checks.DESCRIPTIONS[checks.FRESHNESS],
        metadata={"max_lag_days": max_lag_days, "grace_hours": grace.total_seconds() / 3600},
    )
    def _freshness(context) -> dg.AssetCheckResult:  # unannotated, as above
        with StepLedger(context, demo) as ledger:
            ledger.start(demo.config_sha256, None)
            now = dt.datetime.now(dt.timezone.utc)
            outcome = checks.check_freshness(
                latest_materialized_date(context.instance, key),
                expected_latest_date(demo, now, grace),
                max_lag_days,
            )
            result = dg.AssetCheckResult(
                passed=outcome.passed,
                severity=SEVERITY[checks.FRESHNESS],
                description=outcome.description,
                metadata=outcome.metadata,
            )
            # not partitioned: the check is on the asset as a whole (every pass it owns)
            ledger.checks([(", ".join(plan.passes), checks.FRESHNESS, result)], "")
            return result

    return _freshness


def build_freshness_checks(
    split_passes: bool = False,
    *,
    demos: Sequence[Demo] | None = None,
    demo_dir: str | Path | None = None,
    max_lag_days: int = 0,
    grace: dt.timedelta = dt.timedelta(hours=2),
) -> list[dg.AssetChecksDefinition]:
    """A freshness check on each output asset of every demo with an enabled schedule."""
    demos = demos if demos is not None else load_demos(demo_dir)
    return [
        _freshness_check(demo, plan, max_lag_days, grace)
        for demo in demos
        if demo.ok and demo.has_enabled_schedule()
        for plan in asset_plans(demo, split_passes)
    ]
