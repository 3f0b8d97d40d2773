"""Writing pass outputs: the path template (one file per pass and partition), and atomic
writes (temporary file, then rename)."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from basalt import locations
from basalt.atomic import atomic_path
from basalt.config.analytics import AnalyticsConfig
from basalt.config.outputs import CsvOutput, ParquetOutput
from basalt.config.passes import PassConfig
from basalt.pipeline.batches import DateBatch, Period


def default_output_dir() -> Path:
    """The run's output folder (:mod:`basalt.locations`), else ``$BASALT_OUTPUT_DIR``, else
    ``.basalt/output`` in the working directory."""
    return locations.output_dir()


def output_dir(config: AnalyticsConfig) -> Path:
    return Path(config.OUTPUT_DIR) if config.OUTPUT_DIR else default_output_dir()


def target_of(config: AnalyticsConfig, p: PassConfig) -> ParquetOutput | CsvOutput:
    return p.output or config.OUTPUT_TARGET


def output_path(config: AnalyticsConfig, p: PassConfig, batch: Period | DateBatch) -> Path:
    """The file a pass writes for a partition: ``{start_date}`` and ``{end_date}`` are its
    first and last calendar day (a one-day batch is its own partition)."""
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


def partition_outputs(
    config: AnalyticsConfig, p: PassConfig, batch: DateBatch
) -> list[tuple[Period, Path]]:
    """Each partition of a batch with the file the pass writes for it."""
    return [(period, output_path(config, p, period)) for period in batch.partitions]


def write_output(frame: pl.DataFrame, path: Path, target: ParquetOutput | CsvOutput) -> int:
    """Write ``frame`` to ``path`` atomically; return the bytes written. A failed write (a full
    disk, a file size limit) raises ``OSError`` with the system's reason, whatever layer of
    Polars saw it, and leaves ``path`` as it was."""
    with atomic_path(path) as tmp:
        try:
            if isinstance(target, CsvOutput):
                frame.write_csv(
                    tmp, separator=target.separator, include_header=target.include_header
                )
            else:
                frame.write_parquet(
                    tmp, compression=target.compression, compression_level=target.compression_level
                )
        except pl.exceptions.PolarsError as exc:
            raise io_error(exc, tmp) from exc
    return path.stat().st_size


_OS_ERROR = re.compile(r"(?:IO error: )?(?P<text>[^:()]+?) \(os error (?P<errno>\d+)\)")


def io_error(exc: Exception, path: Path) -> Exception:
    """The ``OSError`` inside a Polars write error (``... IO error: File too large (os error
    27)``), else the error itself."""
    found = _OS_ERROR.search(str(exc))
    if found is None:
        return exc
    return OSError(int(found["errno"]), found["text"].strip(), str(path))


def read_output(path: Path, target: ParquetOutput | CsvOutput) -> pl.LazyFrame:
    if isinstance(target, CsvOutput):
        return pl.scan_csv(path, separator=target.separator, try_parse_dates=True)
    return pl.scan_parquet(path)
