"""The local parquet store: ``<root>/<table>/date=<YYYY-MM-DD>/mic=<MIC>/data.parquet``.

Files are written atomically (a temporary file in the same folder, then `os.replace`), so
readers, concurrent writers and killed runs never see a partial file. Every file written
here records where it came from in its parquet metadata (``basalt.source``: synthetic with
its seed, or the imported file's name); the store never mixes synthetic data into a
partition holding other data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import date, datetime
from multiprocessing import get_context
from pathlib import Path
from types import ModuleType

import polars as pl

from basalt import locations
from basalt.atomic import atomic_path
from basalt.data import calendars
from basalt.data.errors import DataError
from basalt.data.synthetic_defaults import DEFAULT_SEED, DEFAULT_TRADES_PER_LISTING
from basalt.data.tables import TABLES, TableSpec, table_spec, validate_frame

DATA_DIR_ENV = locations.DATA_DIR_ENV
SOURCE_KEY = "basalt.source"
FILE_NAME = "data.parquet"
_PARTITION = re.compile(r"date=(\d{4}-\d{2}-\d{2})/mic=([A-Z0-9]+)$")

Progress = Callable[[date, str], None]
DateLike = date | str


def default_data_dir() -> Path:
    """The run's data folder (:mod:`basalt.locations`), else ``$BASALT_DATA_DIR``, else
    ``.basalt/data`` under the current directory."""
    return locations.data_dir() or Path.cwd() / ".basalt" / "data"


def as_date(value: DateLike) -> date:
    """A date from a `date` (or `datetime`) or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"invalid date {value!r}: expected YYYY-MM-DD") from None


def _generator() -> ModuleType:
    """The synthetic generator, imported on first use: it brings numpy, which a run over a
    store of real data does not need."""
    from basalt.data import synthetic

    return synthetic


def synthetic_source(seed: int, trades_per_listing: int | None) -> str:
    """The provenance string of generated files."""
    per_listing = trades_per_listing or DEFAULT_TRADES_PER_LISTING
    return f"synthetic(seed={seed}, trades_per_listing={per_listing})"


def write_parquet_atomic(frame: pl.DataFrame, path: Path, source: str) -> None:
    """Write ``frame`` to ``path`` via a temporary file and `os.replace`."""
    with atomic_path(path) as temporary:
        frame.write_parquet(temporary, metadata={SOURCE_KEY: source})


def file_source(path: Path) -> str:
    """The ``basalt.source`` recorded in a file ('unknown' for foreign files)."""
    try:
        metadata = pl.read_parquet_metadata(path)
    except Exception as error:  # polars raises several types for broken files
        raise DataError(f"corrupt or unreadable parquet file {path}: {error}") from None
    return metadata.get(SOURCE_KEY, "unknown")


def file_rows(path: Path) -> int:
    """The rows of a parquet file, from its footer (Polars reads no data for this, and the
    store never imports pyarrow: a run does not pay its import)."""
    try:
        return int(pl.scan_parquet(path, hive_partitioning=False).select(pl.len()).collect().item())
    except Exception as error:  # polars raises several types for broken files
        raise DataError(f"corrupt or unreadable parquet file {path}: {error}") from None


def _file_schema(path: Path) -> dict[str, pl.DataType]:
    try:
        return pl.read_parquet_schema(path)
    except Exception as error:  # polars raises several types for broken files
        raise DataError(f"corrupt or unreadable parquet file {path}: {error}") from None


def _fill_partition(
    root: Path, day: date, mic: str, seed: int, trades_per_listing: int | None
) -> None:
    """Generate every table of one (date, MIC) and write the missing files."""
    frames = _generator().generate_partition(
        day, mic, seed=seed, trades_per_listing=trades_per_listing
    )
    source = synthetic_source(seed, trades_per_listing)
    for table, frame in frames.items():
        path = partition_path(root, table, day, mic)
        if not path.exists():
            write_parquet_atomic(frame, path, source)


def partition_path(root: Path, table: str, day: date, mic: str) -> Path:
    """Where one (table, date, MIC) partition lives under ``root``."""
    return root / table / f"date={day.isoformat()}" / f"mic={mic}" / FILE_NAME


class MarketDataStore:
    """Market data on local disk, optionally filled with synthetic data on demand.

    Args:
        root: store folder; default `default_data_dir()`.
        generate_missing: let `ensure` and `reference` generate synthetic partitions
            for trading days of the synthetic venues. Turn off for a store of real data.
        seed: synthetic generator seed.
        trades_per_listing: mean lit trades per listing and day for generated data.
    """

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        generate_missing: bool = True,
        seed: int = DEFAULT_SEED,
        trades_per_listing: int | None = None,
    ) -> None:
        self.root = Path(root) if root is not None else default_data_dir()
        self.generate_missing = generate_missing
        self.seed = seed
        self.trades_per_listing = trades_per_listing

    def __repr__(self) -> str:
        return f"MarketDataStore(root={str(self.root)!r}, generate_missing={self.generate_missing})"

    # --- layout -------------------------------------------------------------------------

    def path(self, table: str, day: DateLike, mic: str) -> Path:
        """The file of one (table, date, MIC) partition (it may not exist)."""
        return partition_path(self.root, table_spec(table).name, as_date(day), mic)

    def partitions(self, table: str) -> list[tuple[date, str]]:
        """Existing (date, MIC) partitions of a table, sorted."""
        folder = self.root / table_spec(table).name
        found = []
        for path in folder.glob(f"date=*/mic=*/{FILE_NAME}"):
            match = _PARTITION.search(path.parent.relative_to(folder).as_posix())
            if match:
                found.append((date.fromisoformat(match[1]), match[2]))
        return sorted(found)

    def mics(self) -> list[str]:
        """MICs with data on disk, plus the synthetic venues when generating."""
        on_disk = {mic for table in TABLES for _, mic in self.partitions(table)}
        generated = set(_generator().generated_mics()) if self.generate_missing else set()
        return sorted(on_disk | generated)

    def trading_days(
        self, start: DateLike, end: DateLike, mics: Sequence[str] | None = None
    ) -> list[date]:
        """Days from ``start`` to ``end`` on which at least one of ``mics`` trades: by its
        calendar for known venues, else by the dates present on disk."""
        first, last = as_date(start), as_date(end)
        days: set[date] = set()
        for mic in mics or self.mics():
            if mic in calendars.VENUES:
                days.update(calendars.trading_days(mic, first, last))
            else:
                days.update(
                    day
                    for table in TABLES
                    for day, found in self.partitions(table)
                    if found == mic and first <= day <= last
                )
        return sorted(days)

    # --- generation ---------------------------------------------------------------------

    def missing(
        self, tables: Iterable[str], dates: Iterable[DateLike], mics: Iterable[str] | None = None
    ) -> list[tuple[date, str]]:
        """Trading (date, MIC) pairs of synthetic venues lacking any of ``tables``.

        Raises `DataError` if such a partition already holds files from another source
        (imported data, another seed): the store does not mix them.
        """
        names = [table_spec(table).name for table in tables]
        venues = list(mics) if mics is not None else _generator().generated_mics()
        wanted = [
            (day, mic)
            for day in sorted({as_date(value) for value in dates})
            for mic in venues
            if mic in _generator().generated_mics() and calendars.is_trading_day(mic, day)
        ]
        gaps = [
            (day, mic)
            for day, mic in wanted
            if any(not self.path(name, day, mic).exists() for name in names)
        ]
        for day, mic in gaps:
            self._check_mixing(day, mic)
        return gaps

    def _foreign_files(self, day: date, mic: str) -> list[tuple[Path, str]]:
        expected = synthetic_source(self.seed, self.trades_per_listing)
        existing = (self.path(table, day, mic) for table in TABLES)
        sources = ((path, file_source(path)) for path in existing if path.exists())
        return [(path, source) for path, source in sources if source != expected]

    def _check_mixing(self, day: date, mic: str) -> None:
        foreign = self._foreign_files(day, mic)
        if foreign:
            path, source = foreign[0]
            expected = synthetic_source(self.seed, self.trades_per_listing)
            raise DataError(
                f"cannot generate {mic} {day}: {path} holds data from {source}, not "
                f"{expected}; delete that partition or use another data directory"
            )

    def ensure(
        self,
        tables: Iterable[str],
        dates: Iterable[DateLike],
        mics: Iterable[str] | None = None,
        *,
        progress: Progress | None = None,
        workers: int = 1,
    ) -> list[tuple[date, str]]:
        """Generate every (date, MIC) lacking any of ``tables``; returns those generated.

        All tables of such a partition are generated together; files already present
        are kept (they are identical: generation is deterministic). Non-trading days and
        venues without a synthetic universe produce nothing. ``workers`` > 1 generates
        partitions in parallel processes. Does nothing when ``generate_missing`` is off.
        """
        if not self.generate_missing:
            return []
        gaps = self.missing(tables, dates, mics)
        arguments = [(self.root, day, mic, self.seed, self.trades_per_listing) for day, mic in gaps]
        if workers <= 1 or len(gaps) <= 1:
            for args in arguments:
                _fill_partition(*args)
                if progress:
                    progress(args[1], args[2])
            return gaps
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(_fill_partition, *args): args for args in arguments}
            for future in as_completed(futures):
                future.result()
                if progress:
                    progress(futures[future][1], futures[future][2])
        return gaps

    # --- reading ------------------------------------------------------------------------

    def files(
        self, table: str, dates: Iterable[DateLike], mics: Iterable[str] | None = None
    ) -> list[Path]:
        """Existing partition files of a table for the dates and MICs (all MICs if None)."""
        spec = table_spec(table)
        days = {as_date(value) for value in dates}
        venues = set(mics) if mics is not None else None
        return [
            self.path(spec.name, day, mic)
            for day, mic in self.partitions(spec.name)
            if day in days and (venues is None or mic in venues)
        ]

    def row_count(
        self, table: str, dates: Iterable[DateLike], mics: Iterable[str] | None = None
    ) -> int:
        """Rows held for the dates and MICs, from the files' metadata."""
        return sum(file_rows(path) for path in self.files(table, dates, mics))

    def scan(
        self,
        table: str,
        dates: Iterable[DateLike],
        mics: Iterable[str] | None = None,
        columns: Sequence[str] | None = None,
    ) -> pl.LazyFrame:
        """Lazily scan the existing partitions of a table (nothing is generated).

        ``columns`` defaults to the table's spec columns; other columns of the files may
        be asked for by name (null where a file lacks them). Every file's footer and
        schema are checked now: a corrupt file or a missing/mistyped column raises
        `DataError` naming the file. With no file, the result is empty with the schema.
        """
        spec = table_spec(table)
        paths = self.files(spec.name, dates, mics)
        schemas = {path: _file_schema(path) for path in paths}
        for path, schema in schemas.items():
            validate_frame(spec, schema, source=path)
        target = _target_schema(spec, schemas, columns)
        if not paths:
            return pl.LazyFrame(schema=target)
        return pl.concat([_scan_file(path, schemas[path], target) for path in paths])

    def reference(self, day: DateLike) -> pl.DataFrame:
        """The reference table of one day over all MICs, generating the synthetic venues'
        reference if missing (cheap: no market data is generated)."""
        when = as_date(day)
        if self.generate_missing:
            for mic in _generator().generated_mics():
                self._fill_reference(when, mic)
        return self.scan("reference", [when]).sort("MIC", "ListingId").collect()

    def _fill_reference(self, day: date, mic: str) -> None:
        path = self.path("reference", day, mic)
        if path.exists() or not calendars.is_trading_day(mic, day):
            return
        if not self._foreign_files(day, mic):
            frame = _generator().reference_frame(day, mic, self.seed)
            write_parquet_atomic(frame, path, synthetic_source(self.seed, self.trades_per_listing))

    # --- importing ----------------------------------------------------------------------

    def import_file(self, table: str, path: Path | str, *, mic: str | None = None) -> list[Path]:
        """Import a real-format parquet file into the store, split by date and MIC.

        The date comes from the table's time column. The MIC comes from the file's
        ``MIC`` column, else from ``mic``, else from the store's reference by
        ``ListingId``. Imported rows replace the rows of the same listings in an imported
        partition and replace a synthetic partition entirely. Returns the files written.
        """
        spec = table_spec(table)
        source = Path(path)
        frame = _read_user_file(source)
        validate_frame(spec, frame, source=source)
        frame = frame.with_columns(pl.col(spec.time_column).dt.date().alias("__date"))
        frame = self._with_mic(spec, frame, source, mic)
        written = []
        for (day, venue), part in frame.partition_by(["__date", "__mic"], as_dict=True).items():
            target = self.path(spec.name, day, venue)
            rows = self._merge_import(spec, target, part.drop("__date", "__mic"))
            write_parquet_atomic(rows, target, f"import({source.name})")
            written.append(target)
        return sorted(written)

    def _with_mic(
        self, spec: TableSpec, frame: pl.DataFrame, source: Path, mic: str | None
    ) -> pl.DataFrame:
        if "MIC" in frame.columns:
            return frame.with_columns(pl.col("MIC").alias("__mic"))
        if mic is not None:
            return frame.with_columns(pl.lit(mic).alias("__mic"))
        days = frame["__date"].unique().to_list()
        listings = self.scan("reference", days, columns=["Date", "ListingId", "MIC"]).select(
            pl.col("Date").dt.date().alias("__date"), "ListingId", pl.col("MIC").alias("__mic")
        )
        resolved = frame.join(listings.collect(), on=["__date", "ListingId"], how="left")
        unknown = resolved.filter(pl.col("__mic").is_null())["ListingId"].unique().sort()
        if unknown.len():
            raise DataError(
                f"table {spec.name!r} in {source}: no MIC column and no reference for "
                f"ListingId {', '.join(map(str, unknown.to_list()))}; import the reference "
                "first or pass a MIC"
            )
        return resolved

    def _merge_import(self, spec: TableSpec, target: Path, rows: pl.DataFrame) -> pl.DataFrame:
        if target.exists() and file_source(target).startswith("import("):
            kept = pl.read_parquet(target).filter(
                ~pl.col("ListingId").is_in(rows["ListingId"].unique().implode())
            )
            rows = pl.concat([kept, rows], how="diagonal_relaxed")
        return rows.sort("ListingId", spec.time_column, maintain_order=True)

    # --- description --------------------------------------------------------------------

    def _describe(self, table: str, day: date, mic: str) -> dict[str, object]:
        path = self.path(table, day, mic)
        rows = file_rows(path)
        return {"table": table, "mic": mic, "date": day, "rows": rows, "source": file_source(path)}

    def summary(self) -> pl.DataFrame:
        """One row per table: MICs, dates held, partitions, row count and sources."""
        records = [
            self._describe(table, day, mic)
            for table in TABLES
            for day, mic in self.partitions(table)
        ]
        schema = {
            "table": pl.String,
            "mic": pl.String,
            "date": pl.Date,
            "rows": pl.Int64,
            "source": pl.String,
        }
        return (
            pl.DataFrame(records, schema=schema)
            .group_by("table")
            .agg(
                pl.col("mic").unique().sort().str.join(" ").alias("mics"),
                pl.col("date").n_unique().alias("dates"),
                pl.col("date").min().alias("first"),
                pl.col("date").max().alias("last"),
                pl.len().alias("partitions"),
                pl.col("rows").sum(),
                pl.col("source").unique().sort().alias("sources"),
            )
            .sort("table")
        )


def _read_user_file(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise DataError(f"no such file: {path}")
    try:
        return pl.read_parquet(path, hive_partitioning=False)
    except Exception as error:  # polars raises several types for broken files
        raise DataError(f"corrupt or unreadable parquet file {path}: {error}") from None


def _target_schema(
    spec: TableSpec, schemas: dict[Path, dict[str, pl.DataType]], columns: Sequence[str] | None
) -> dict[str, pl.DataType]:
    """Name -> dtype of the columns a scan returns."""
    target: dict[str, pl.DataType] = {}
    for name in columns if columns is not None else spec.columns:
        found = next((schema[name] for schema in schemas.values() if name in schema), None)
        dtype = spec.columns.get(name, found)
        if dtype is None:
            raise DataError(f"table {spec.name!r}: no column {name!r} in the files scanned")
        target[name] = dtype
    return target


def _scan_file(
    path: Path, schema: dict[str, pl.DataType], target: dict[str, pl.DataType]
) -> pl.LazyFrame:
    """One file's scan with the target columns; those the file lacks (optional spec
    columns, extras asked for) are typed nulls."""
    return pl.scan_parquet(path, hive_partitioning=False).select(
        pl.col(name) if name in schema else pl.lit(None, dtype).alias(name)
        for name, dtype in target.items()
    )
