"""``basalt dagster sync``: outputs the ledger recorded outside Dagster (``basalt run``, a demo
script, an editor) reported to the Dagster instance, so their partitions show as materialized.

A run writes one file per pass and partition, so each output is one run-less materialization
of ``[demoNN_name, pass]`` for exactly its partition. A file that spans several partitions (an
older layout: one file per date batch, e.g. a week of a daily demo) is not reported: it is not
any one partition's output, and reading it beside the daily files counts its rows twice.
Only partitions the demo's partitions definition has are reported: an output of a universe the
demo does not declare, or of dates outside its date dimension, is skipped with the reason and
stays unsynced (it is reported by a later sync once the demo has that partition). Reported outputs are marked synced in the ledger,
so a second sync reports nothing new.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

from basalt.config.cli import CliError
from basalt.dagster.assets import demo_partitions_def, partition_key, pass_asset_key
from basalt.dagster.demos import (
    Demo,
    date_key_on_or_before,
    default_demo_dir,
    load_demo,
    load_demos,
)
from basalt.dagster.partitions import DATE_DIMENSION, UNIVERSE_DIMENSION

# Dagster's tags naming each dimension of a multi-partition key (as a run's events carry).
DIMENSION_TAG = "dagster/partition/{dimension}"


@dataclass(frozen=True)
class Report:
    """One run-less materialization to report."""

    asset_key: dg.AssetKey
    partition: dg.MultiPartitionKey
    output: Mapping[str, Any]
    partitions_of_output: int

    def materialization(self) -> dg.AssetMaterialization:
        out = self.output
        metadata: dict[str, Any] = {
            "output_path": dg.MetadataValue.path(str(out["output_path"])),
            "bytes": out["bytes"],
            "output_dates": _dates(out),
            "basalt/run_id": out["run_id"],
            "basalt/trigger": out["trigger"],
            "config_sha256": out["config_sha256"],
        }
        if out["rows"] is not None:
            metadata["rows"] = out["rows"]
            if self.partitions_of_output == 1:  # the whole file is this partition's
                metadata["dagster/row_count"] = out["rows"]
        tags = {
            DIMENSION_TAG.format(dimension=dim): key
            for dim, key in self.partition.keys_by_dimension.items()
        }
        return dg.AssetMaterialization(
            asset_key=self.asset_key,
            partition=self.partition,
            metadata={k: v for k, v in metadata.items() if v is not None},
            tags=tags,
            description=f"recorded by the run ledger ({out['trigger']} run, outside Dagster)",
        )

    def __str__(self) -> str:
        rows = self.output["rows"]
        shown = f"{rows:,} rows" if rows is not None else "rows unknown"
        return (
            f"{self.asset_key.to_user_string()}  {self.partition}  ({shown}, "
            f"{self.output['trigger']} run {self.output['run_id'][:12]})"
        )


@dataclass
class SyncPlan:
    """What a sync reports, which ledger outputs that covers, and what it skips (by reason)."""

    reports: list[Report] = field(default_factory=list)
    outputs: list[Mapping[str, Any]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self, dry_run: bool = False) -> str:
        """``reported N materializations of M outputs; skipped K: reason (count); ...``: an
        output skipped as a whole counts once, a day outside the date partitions once."""
        verb = "would report" if dry_run else "reported"
        text = (
            f"{verb} {_count(len(self.reports), 'materialization')} "
            f"of {_count(len(self.outputs), 'output')}"
        )
        total = sum(self.skipped.values())
        if not total:
            return f"{text}; skipped 0"
        reasons = "; ".join(f"{reason} ({n})" for reason, n in sorted(self.skipped.items()))
        return f"{text}; skipped {total}: {reasons}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _dates(out: Mapping[str, Any]) -> str | None:
    start, end = out.get("start_date"), out.get("end_date")
    if start is None:
        return None
    return str(start) if end in (None, start) else f"{start}..{end}"


def _days(start: dt.date, end: dt.date | None) -> Iterable[dt.date]:
    day = start
    while day <= (end or start):
        yield day
        day += dt.timedelta(days=1)


def find_demos(rows: Sequence[Mapping[str, Any]], demo_dir: Path) -> dict[str, Demo]:
    """The demos the rows name, by stem: from the demo folder Dagster loads (``demo_dir``),
    else from the config file the run recorded (a demo kept elsewhere)."""
    stems = sorted({r["demo"] for r in rows if r.get("demo")})
    found = {d.stem: d for d in load_demos(demo_dir, only=stems)} if stems else {}
    for row in rows:
        stem, config_file = row.get("demo"), row.get("config_file")
        if stem and stem not in found and config_file:
            script = Path(config_file).with_suffix(".py")
            if script.is_file() and script.stem == stem:
                found[stem] = load_demo(script)
    return found


def partitions_of(
    demo: Demo, out: Mapping[str, Any], instance: dg.DagsterInstance, skipped: Counter[str]
) -> list[dg.MultiPartitionKey]:
    """The multi-partition key of the partition ``out`` is the file of (none or one): its days
    that the demo's partitions definition has must all fall in one partition. What is left out
    is counted in ``skipped`` by reason."""
    pdef = demo_partitions_def(demo)
    universe = out["universe"]
    with dg.partition_loading_context(dynamic_partitions_store=instance):
        universes = pdef.get_partitions_def_for_dimension(UNIVERSE_DIMENSION)
        if not universe or not universes.has_partition_key(universe):
            skipped[f"universe {universe} is not a partition of {demo.asset_name}"] += 1
            return []
        dates = pdef.get_partitions_def_for_dimension(DATE_DIMENSION)
        keys: list[dg.MultiPartitionKey] = []
        outside = 0
        for day in _days(out["start_date"], out["end_date"]):
            date_key = date_key_on_or_before(demo, day)
            if date_key is None or not dates.has_partition_key(date_key):
                outside += 1
                continue
            key = partition_key(date_key, universe)
            if key not in keys:
                keys.append(key)
    if len(keys) > 1:
        skipped[
            f"files spanning several partitions of {demo.asset_name} (an older layout; "
            "'basalt ledger doctor' lists them)"
        ] += 1
        return []
    if outside:
        skipped[f"days outside the date partitions of {demo.asset_name}"] += outside
    return keys


def plan_sync(
    rows: Sequence[Mapping[str, Any]], demos: Mapping[str, Demo], instance: dg.DagsterInstance
) -> SyncPlan:
    """What to report for the ledger's unsynced outputs (``Ledger.unsynced_assets()``)."""
    plan = SyncPlan()
    for out in rows:
        stem = out.get("demo")
        demo = demos.get(stem) if stem else None
        if demo is None:
            plan.skipped[f"demo {stem} not found"] += 1
            continue
        if not demo.ok or demo.config is None:
            plan.skipped[f"demo {stem} does not load"] += 1
            continue
        if out["pass_name"] not in {p.name for p in demo.config.PASSES}:
            plan.skipped[f"pass {out['pass_name']} is not in demo {stem}"] += 1
            continue
        if out.get("start_date") is None:
            plan.skipped[f"output of {stem} without dates"] += 1
            continue
        keys = partitions_of(demo, out, instance, plan.skipped)
        if not keys:
            continue
        asset_key = pass_asset_key(demo, out["pass_name"])
        plan.reports += [Report(asset_key, key, out, len(keys)) for key in keys]
        plan.outputs.append(out)
    return plan


def open_instance() -> dg.DagsterInstance:
    """The instance of ``$DAGSTER_HOME``, else of ``.basalt/dagster`` here (where ``basalt
    dagster dev`` and ``make dagster`` keep it) when that exists; a clear :class:`CliError`
    when there is none or it is not usable."""
    from basalt.dagster.dev import default_dagster_home

    home = os.environ.get("DAGSTER_HOME")
    if not home:
        default = default_dagster_home()
        if not (default / "dagster.yaml").is_file():
            raise CliError(
                "DAGSTER_HOME is not set and there is no Dagster instance in "
                f"{default}: set DAGSTER_HOME to the folder of the instance to sync the ledger "
                "into (the one `dagster dev` uses), or start `basalt dagster dev` here once"
            )
        home = str(default)
    if not Path(home).is_dir():
        raise CliError(f"DAGSTER_HOME={home}: is not a directory or does not exist")
    try:
        return dg.DagsterInstance.from_config(home)
    except dg.DagsterError as exc:
        raise CliError(f"DAGSTER_HOME={home}: {str(exc).splitlines()[0]}") from None


def cmd_sync(args: argparse.Namespace) -> int:
    """``basalt dagster sync [--ledger PATH] [--dry-run]``: report the ledger's outputs made
    outside Dagster, and give the ledger rows of finished Dagster runs still ``running`` or
    ``lost`` Dagster's final status (:func:`basalt.dagster.reconcile.reconcile_ledger`; a second
    line says how many, when there were any)."""
    from basalt.dagster.reconcile import reconcile_ledger
    from basalt.ledger.store import Ledger, LedgerError

    ledger = Ledger(args.ledger) if getattr(args, "ledger", None) else Ledger()
    dry_run = bool(getattr(args, "dry_run", False))
    with open_instance() as instance:
        try:
            rows = ledger.unsynced_assets()
            reconciled = reconcile_ledger(instance, ledger, dry_run=dry_run)  # Dagster's status
        except LedgerError as exc:
            raise CliError(str(exc)) from None
        plan = plan_sync(rows, find_demos(rows, default_demo_dir()), instance)
        for report in plan.reports:
            if dry_run:
                print(f"  {report}")
            else:
                instance.report_runless_asset_event(report.materialization())
    if not dry_run and plan.outputs:
        keys = ("run_id", "pass_name", "partition_key")
        try:
            ledger.mark_synced([{k: out[k] for k in keys} for out in plan.outputs])
        except LedgerError as exc:
            raise CliError(f"reported, but not marked synced in the ledger: {exc}") from None
    print(plan.summary(dry_run))
    if reconciled.open_rows:
        print(reconciled.summary(dry_run))
    return 0
