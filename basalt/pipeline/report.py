"""What a run shows on the command line: the plan of a dry run, and a progress bar."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from basalt.config.resolve import ResolvedConfig
from basalt.pipeline.runner import BatchResult, RunPlan, iter_run
from basalt.pipeline.trading_days import WEEKEND


def print_plan(plan: RunPlan, resolved: ResolvedConfig) -> None:
    """The dry run: resolved values with their origin, passes, batches and output paths.

    Plain ``print``: one item per line, never wrapped, so the output can be piped.
    """
    from basalt.config.yaml_values import dump_inline

    config = plan.config
    print("Resolved config (value, origin)")
    for key, value in config.model_dump(mode="python").items():
        if key != "PASSES":
            print(f"  {key:<22} {dump_inline(value):<40} [{resolved.origin(key)}]")
    columns = config.pass_columns()
    for p in config.PASSES:
        modules = ", ".join(p.modules)
        print(
            f"  pass {p.name}: {p.time_bucket_seconds}s buckets, modules {modules}, "
            f"{len(columns[p.name])} columns"
        )
    print(f"Batches ({plan.freq}, {len(plan.batches)}, workers {plan.workers})")
    for batch in plan.batches:
        print(f"  {batch}")
    skipped = {day: why for day, why in plan.closed.items() if why != WEEKEND}
    if skipped:
        print("Days without a session (skipped)")
        for day, why in sorted(skipped.items()):
            print(f"  {day}  {why}")
    print(f"Outputs (one file per pass and partition, partitions {plan.partition_freq})")
    for path in plan.output_paths():
        print(f"  {path}")


def run_with_progress(
    plan: RunPlan,
    custom: Callable | None = None,
    on_batch: Callable[[BatchResult], None] | None = None,
    *,
    run_id: str | None = None,
    skip_running: bool = False,
) -> list[BatchResult]:
    """Run with a progress bar: batches done / total and source rows per second.

    When standard output is not a terminal (a log file, an editor reading the pipe), each
    finished batch prints one line instead: ``batch 3/10 done: 2025-01-06 (4,210 rows/s)``.
    """
    results: list[BatchResult] = []
    start = time.perf_counter()
    rows = 0
    total = len(plan.batches)
    console = Console()
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Progress(
        *columns, transient=True, console=console, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task("batches", total=total, rate="")
        if not console.is_terminal:
            print(f"batch 0/{total} started", flush=True)
        for result in iter_run(plan, custom, run_id=run_id, skip_running=skip_running):
            results.append(result)
            if on_batch:
                on_batch(result)
            rows += result.source_rows
            rate = f"{rows / max(time.perf_counter() - start, 1e-9):,.0f} rows/s"
            bar.update(task, advance=1, rate=rate)
            if not console.is_terminal:
                print(f"batch {len(results)}/{total} done: {result.batch} ({rate})", flush=True)
    return results
