"""Writing pass outputs: the path template, and atomic writes (temporary file, then rename)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from basalt import locations
from basalt.atomic import atomic_path
from basalt.config.analytics import AnalyticsConfig
from basalt.config.outputs import CsvOutput, ParquetOutput
from basalt.config.passes import PassConfig
from basalt.pipeline.batches import DateBatch


def default_output_dir() -> Path:
    """The run's output folder (:mod:`basalt.locations`), else ``$BASALT_OUTPUT_DIR``, else
    ``.basalt/output`` in the working directory."""
    return locations.output_dir()


def output_dir(config: AnalyticsConfig) -> Path:
    return Path(config.OUTPUT_DIR) if config.OUTPUT_DIR else default_output_dir()


def target_of(config: AnalyticsConfig, p: PassConfig) -> ParquetOutput | CsvOutput:
    return p.output or config.OUTPUT_TARGET


def output_path(config: AnalyticsConfig, p: PassConfig, batch: DateBatch) -> Path:
    """The file a pass writes for a date batch."""
    template = target_of(config, p).path_template
    return Path(
        template.format(
            output_dir=output_dir(config),
            datasetname=config.DATASETNAME,
            universe=config.UNIVERSE,
            start_date=batch.start.isoformat(),
            end_date=batch.end.isoformat(),
            **{"pass": p.name},
        )
    )


def write_output(frame: pl.DataFrame, path: Path, target: ParquetOutput | CsvOutput) -> int:
    """Write ``frame`` to ``path`` atomically; return the bytes written."""
    with atomic_path(path) as tmp:
        if isinstance(target, CsvOutput):
            frame.write_csv(tmp, separator=target.separator, include_header=target.include_header)
        else:
            frame.write_parquet(
                tmp, compression=target.compression, compression_level=target.compression_level
            )
    return path.stat().st_size


def read_output(path: Path, target: ParquetOutput | CsvOutput) -> pl.LazyFrame:
    if isinstance(target, CsvOutput):
        return pl.scan_csv(path, separator=target.separator, try_parse_dates=True)
    return pl.scan_parquet(path)
