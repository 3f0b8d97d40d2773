"""Dagster assets for the demos: one asset per demo, or one per pass (``split_passes``).

Partitions are ``date`` x ``universe`` (keys like ``2025-01-02|mic=XLON``). Each
materialization runs :func:`run_partition`, then records the output's path, row count,
columns, first rows, the config's SHA-256 and file, and the data checks' results, each check
result under its partition. A partition whose universe has no session on its days (a venue
holiday) succeeds with no output and the metadata ``no session``.

Config capture: the config a run uses is the one its first step sees, when the run starts.
That step stores it (canonical JSON) in a hidden run tag; every later step of the run reads the
tag instead of its own view of the files. With the in-process executor (the default of
:func:`basalt.dagster.build.build_definitions`) a run loads the code once anyway; the tag keeps
a run consistent under an executor that re-imports the code in each step (multiprocess, one
pod per step), where a YAML saved mid-run would otherwise leak into the later steps.

Code version: each asset's is :func:`basalt.config.fingerprint.pass_code_version` of its pass
(what changes its data), so editing a schedule or the log level marks nothing stale.

Folders: the step reads market data and writes outputs and the ledger where the
:class:`~basalt.dagster.resources.BasaltLocations` resource says (a demo's ``DATA_DIR`` /
``OUTPUT_DIR`` win), through :mod:`basalt.locations`, never through ``os.environ``.

Failures (:mod:`basalt.dagster.failures`): a transient file system error fails the step with
retries allowed; a config, partition key or data error fails it for good. Each demo's assets
share the concurrency pool ``basalt/<asset name>``.

Run ledger: each step writes the run ledger as it goes, with the trigger ``dagster`` and the
Dagster run id (:mod:`basalt.dagster.step_ledger`); ``basalt dagster sync`` reports the other way
round (:mod:`basalt.dagster.sync`).
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from basalt.config.fingerprint import config_json, pass_code_version
from basalt.dagster import checks, failures
from basalt.dagster.demos import (
    Demo,
    load_demo,
    load_demos,
    pass_closure,
    pass_key_columns,
    pass_reads,
    safe_name,
    sha256_text,
    with_passes,
)
from basalt.dagster.freshness import freshness_policy
from basalt.dagster.partitions import (
    DATE_DIMENSION,
    UNIVERSE_DIMENSION,
    PartitionKeyError,
    PartitionRun,
    parse_partition_key,
    run_partition,
)
from basalt.dagster.resources import RESOURCE_KEY, BasaltLocations
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
    checks.CONFIG_IS_CURRENT: dg.AssetCheckSeverity.ERROR,
}
POOL = "basalt/{asset}"


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


def _no_session(
    plan: AssetPlan, reason: str, common: Mapping[str, Any]
) -> tuple[dg.MaterializeResult, list[tuple[str, str, dg.AssetCheckResult]]]:
    skipped = checks.skipped_checks(reason)
    pairs = [
        (p, name, _check_result(plan, p, name, outcome))
        for p in plan.passes
        for name, outcome in skipped.items()
    ]
    result: dg.MaterializeResult = dg.MaterializeResult(
        metadata={
            **common,
            "no session": failures.no_session_kind(reason),
            "reason": reason,
            "dagster/row_count": 0,
        },
        check_results=[r for _, _, r in pairs],
    )
    return result, pairs


def materialize_partition(
    context: dg.AssetExecutionContext,
    demo: Demo,
    plan: AssetPlan,
    null_rate_bounds: Mapping[str, float],
) -> dg.MaterializeResult:
    """Run the partition's passes in the resource's folders, then describe and check the
    outputs this asset owns; the run ledger gets the run (trigger ``dagster``), those outputs
    (and those of an upstream pass the run had to recompute), the checks and the step's end."""
    where: BasaltLocations = getattr(context.resources, RESOURCE_KEY, None) or BasaltLocations()
    with where.using():
        with StepLedger(context, demo, retries=failures.RETRY_POLICY.max_retries) as ledger:
            step = _Step(context, demo, plan, ledger)
            try:
                return step.run(where, null_rate_bounds)
            except dg.Failure:
                raise
            except Exception as exc:
                raise failures.step_failure(demo, step.partition, exc) from exc


@dataclass
class _Step:
    """One materialization of one asset for one partition."""

    context: dg.AssetExecutionContext
    demo: Demo
    plan: AssetPlan
    ledger: StepLedger
    partition: PartitionRun | None = None

    def run(
        self, where: BasaltLocations, null_rate_bounds: Mapping[str, float]
    ) -> dg.MaterializeResult:
        from basalt.config.analytics import AnalyticsConfig

        context, demo, plan, ledger = self.context, self.demo, self.plan, self.ledger
        try:
            partition = self.partition = partition_run_for(demo, context.partition_key)
        except PartitionKeyError as exc:
            raise failures.step_failure(demo, None, exc) from None
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
        context.log.info(
            f"{plan.key.to_user_string()}: {partition}, config {sha[:12]} from {source}"
        )
        try:
            with where.using(data):
                results = run_partition(
                    with_passes(data, plan.run_passes),
                    demo.get_universe,
                    partition,
                    reuse_outputs=plan.reuse,
                    modules=demo.modules,
                    run_id=context.run.run_id,
                )
        except Exception as exc:
            reason = failures.no_session_reason(exc)
            if reason is None:
                raise
            context.log.info(f"{plan.key.to_user_string()} {partition}: {reason}")
            result, pairs = _no_session(plan, reason, common)
            ledger.checks(pairs, key)
            return result
        recomputed = recomputed_upstream(plan, results)
        ledger.outputs(results, (*recomputed, *plan.passes), partition, key)
        config = AnalyticsConfig.model_validate(data, context=demo.modules.context())
        for name in recomputed:
            self._report_upstream(name, results, config, common)
        return self._describe(results, config, common, null_rate_bounds)

    def _report_upstream(
        self, name: str, results: Sequence[Any], config: Any, common: Mapping[str, Any]
    ) -> None:
        """A materialization of the upstream pass's asset for this partition: its file was
        missing, so this run wrote it."""
        outs = [o for r in results for o in r.outputs if o.pass_name == name]
        paths = [o.path for o in outs]
        frame = _read(paths, config, name)
        metadata = {
            **common,
            **output_metadata(frame, paths, sum(o.bytes for o in outs)),
            "recomputed_by": self.plan.key.to_user_string(),
        }
        upstream = pass_asset_key(self.demo, name)
        self.context.log_event(
            dg.AssetMaterialization(
                asset_key=upstream,
                partition=str(self.context.partition_key),
                metadata={k: v for k, v in metadata.items() if v is not None},
                description=f"recomputed by {self.plan.key.to_user_string()}: its file was missing",
            )
        )
        self.context.log.info(f"{upstream.to_user_string()} was missing: recomputed and recorded")

    def _describe(
        self,
        results: Sequence[Any],
        config: Any,
        common: Mapping[str, Any],
        null_rate_bounds: Mapping[str, float],
    ) -> dg.MaterializeResult:
        demo, plan = self.demo, self.plan
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
        self.ledger.checks(recorded, str(self.context.partition_key))
        if len(plan.passes) > 1:
            metadata["passes"] = dg.MetadataValue.md("\n".join(summary))
        return dg.MaterializeResult(metadata=metadata, check_results=check_results)


def recomputed_upstream(plan: AssetPlan, results: Sequence[Any]) -> list[str]:
    """The upstream passes (read, not owned, by the asset) whose outputs this run wrote."""
    written = {o.pass_name for r in results for o in r.outputs if not o.skipped}
    return [name for name in plan.reuse if name in written]


def warned(demo: Demo, description: str) -> str:
    """``description``, after ``⚠ Running the last good config of TIME: FILE:LINE:COL: message``
    when the demo runs its last good config."""
    note = demo.last_good_note
    return f"⚠ {note}\n\n{description}" if note else description


def pool_name(demo: Demo) -> str:
    """The concurrency pool shared by a demo's assets."""
    return POOL.format(asset=demo.asset_name)


def _check_specs(demo: Demo, plan: AssetPlan) -> list[dg.AssetCheckSpec]:
    """The data checks of an asset, partitioned as the asset is: each result is the
    partition's."""
    partitions = demo_partitions_def(demo)
    with warnings.catch_warnings():  # partitioned checks are a preview feature of Dagster 1.13
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return [
            dg.AssetCheckSpec(
                plan.check_name(p, name),
                asset=plan.key,
                description=checks.DESCRIPTIONS[name] + ("" if plan.split else f" Pass {p}."),
                partitions_def=partitions,
            )
            for p in plan.passes
            for name in checks.DATA_CHECKS
        ]


def code_version(demo: Demo, plan: AssetPlan) -> str:
    """What changes the asset's data: its pass (with the passes it reads), or every pass."""
    assert demo.config is not None
    return pass_code_version(demo.config, plan.passes[0] if plan.split else None)


def _asset(
    demo: Demo,
    plan: AssetPlan,
    null_rate_bounds: Mapping[str, float],
    freshness: dg.FreshnessPolicy | None = None,
) -> dg.AssetsDefinition:
    assert demo.config is not None
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
        code_version=code_version(demo, plan),
        description=warned(demo, f"{label}{demo.description}"),
        metadata=static,
        check_specs=_check_specs(demo, plan),
        kinds={"polars"},
        required_resource_keys={RESOURCE_KEY},
        retry_policy=failures.RETRY_POLICY,
        pool=pool_name(demo),
        freshness_policy=freshness,
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
    freshness_grace: dt.timedelta | None = None,
) -> list[dg.AssetsDefinition]:
    """Assets of every demo that loads: ``demoNN_name``, or with ``split_passes`` one per pass
    keyed ``[demoNN_name, pass]`` depending on the passes it reads. They need the resource
    ``basalt_locations`` (:func:`basalt.dagster.resources.default_resources`).

    ``null_rate_bounds`` (column or pattern -> largest share of nulls) applies to every demo;
    a demo's own ``NULL_RATE_BOUNDS`` dict wins over it. A demo with an enabled schedule gets a
    freshness policy (:mod:`basalt.dagster.freshness`; ``freshness_grace`` after each tick).
    """
    from basalt.dagster.freshness import GRACE

    demos = demos if demos is not None else load_demos(demo_dir, universes)
    bounds = dict(null_rate_bounds or {})
    grace = freshness_grace or GRACE
    return [
        _asset(demo, plan, bounds, freshness_policy(demo, grace))
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


# --- dates the schedules request ------------------------------------------------------------


def requested_date(rule: str | dt.date, local_day: dt.date) -> dt.date:
    if rule == "today":
        return local_day
    if rule == "yesterday":
        return local_day - dt.timedelta(days=1)
    return rule if isinstance(rule, dt.date) else dt.date.fromisoformat(str(rule))
