"""The table registry: names, dtypes and codes of the market-data tables.

Column names and dtypes follow real-format (BMLL-style) files, see
``tests/fixtures/bmll_sample`` (a copy of the real-format sample). Each table lists the columns our analytics rely on; real
files usually carry many more columns, which are kept and ignored. Adding a table means
adding one `TableSpec` to `TABLES`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum

import polars as pl
from polars.datatypes import DataTypeClass

from basalt.data.errors import DataError

Frame = pl.DataFrame | pl.LazyFrame | Mapping[str, pl.DataType]


class AggressorSide(IntEnum):
    """`trades.AggressorSide`: who initiated the trade."""

    UNKNOWN = 0
    BUY = 1
    SELL = 2


class Side(IntEnum):
    """`l3.Side`: the side of the resting order."""

    BID = 1
    ASK = 2


class LobAction(IntEnum):
    """`l3.LobAction`. There is no separate execute code: as in the real files, an
    execution is a REMOVE (order fully filled) or an UPDATE (partially filled) row with
    ``OrderExecuted`` true and ``ExecutionPrice``/``ExecutionSize``/``TradeId`` set."""

    INSERT = 2
    REMOVE = 3
    UPDATE = 4


class MarketState(str, Enum):
    """`MarketState` values, in the order of a trading day."""

    CLOSED = "CLOSED"
    OPENING_AUCTION = "OPENING_AUCTION"
    CONTINUOUS_TRADING = "CONTINUOUS_TRADING"
    CLOSING_AUCTION = "CLOSING_AUCTION"
    POST_TRADE = "POST_TRADE"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    """Off-book trades happen outside the order book's phases."""


class Classification(str, Enum):
    """`trades.Classification` values the generator writes (real files have more,
    e.g. SI_ADDRESSABLE_BELOW_LIS, DARK_BELOW_LIS)."""

    LIT_CONTINUOUS = "LIT_CONTINUOUS"
    LIT_OPENING_AUCTION = "LIT_OPENING_AUCTION"
    LIT_CLOSING_AUCTION = "LIT_CLOSING_AUCTION"
    OFF_BOOK_ON_EXCHANGE = "OFF_BOOK_ON_EXCHANGE"


class TradeType(str, Enum):
    """`trades.BMLLTradeType` values."""

    LIT = "LIT"
    OTC = "OTC"


@dataclass(frozen=True)
class TableSpec:
    """One table: its columns (name -> dtype) and what they mean.

    ``optional_columns`` may be absent from a user's file (they are our own extensions
    or not always delivered); readers add them as nulls.
    """

    name: str
    time_column: str
    columns: Mapping[str, pl.DataType]
    description: str
    fixture_file: str
    column_docs: Mapping[str, str] = field(default_factory=dict)
    optional_columns: frozenset[str] = frozenset()

    @property
    def schema(self) -> pl.Schema:
        """The columns as a polars schema, in table order."""
        return pl.Schema(self.columns)

    @property
    def required_columns(self) -> list[str]:
        """Columns every file of this table must hold."""
        return [name for name in self.columns if name not in self.optional_columns]


Column = tuple[str, pl.DataType, str]

_US = pl.Datetime("us")
_NS = pl.Datetime("ns")
_MS = pl.Datetime("ms")
_STR = pl.String()
_I64 = pl.Int64()
_I32 = pl.Int32()
_F64 = pl.Float64()


def _listing_columns() -> list[Column]:
    return [
        ("ListingId", _I64, "Listing key (one instrument on one segment MIC)."),
        ("MIC", _STR, "Segment MIC of the listing."),
        ("Ticker", _STR, "Exchange ticker."),
    ]


def _level_columns(levels: int = 10) -> list[Column]:
    columns: list[Column] = []
    for level in range(1, levels + 1):
        for side in ("Bid", "Ask"):
            columns += [
                (f"{side}Price{level}", _F64, f"{side} price at level {level} (null if empty)."),
                (f"{side}Quantity{level}", _I64, f"Shares at {side.lower()} level {level}."),
                (f"{side}NumOrders{level}", _I32, f"Orders at {side.lower()} level {level}."),
            ]
    return columns


def _spec(
    name: str,
    time_column: str,
    description: str,
    fixture_file: str,
    columns: list[Column],
    optional: frozenset[str] = frozenset(),
) -> TableSpec:
    return TableSpec(
        name=name,
        time_column=time_column,
        columns={column: dtype for column, dtype, _ in columns},
        description=description,
        fixture_file=fixture_file,
        column_docs={column: doc for column, _, doc in columns},
        optional_columns=optional,
    )


TRADES = _spec(
    "trades",
    "TradeTimestamp",
    "Every trade of a listing: lit continuous, auction uncrosses and off-book prints.",
    "trades-plus.parquet",
    [
        *_listing_columns(),
        ("OPOL", _STR, "Operating MIC."),
        ("InstrumentId", _I64, "Instrument key (same across the instrument's listings)."),
        ("TradeDate", _MS, "Trading day (midnight)."),
        ("TradeTimestamp", _US, "Trade time, naive UTC."),
        ("TradeId", _STR, "Trade identifier, unique per listing and day."),
        ("AggressorSide", _I64, "0 unknown (auction, off-book), 1 buy, 2 sell."),
        ("Price", _F64, "Price in CurrencyCode units."),
        ("Size", _F64, "Shares."),
        ("CurrencyCode", _STR, "Currency of Price; off-book prints may use GBP for GBp."),
        ("InstrumentCurrencyCode", _STR, "The listing's currency (GBp on XLON)."),
        ("InstrumentCurrencyPrice", _F64, "Price in the listing's currency."),
        ("TradeNotional", _F64, "Price * Size, in CurrencyCode units."),
        ("ExecutionVenue", _STR, "Where the trade executed."),
        ("MarketState", _STR, "Phase at execution; NOT_APPLICABLE for off-book."),
        ("BMLLTradeType", _STR, "LIT or OTC."),
        ("Classification", _STR, "LIT_CONTINUOUS, LIT_OPENING_AUCTION, ... see codes."),
        ("BestBidPriceAtVenue", _F64, "Venue best bid before the trade (null in auctions)."),
        ("BestAskPriceAtVenue", _F64, "Venue best ask before the trade (null in auctions)."),
    ],
    optional=frozenset({"InstrumentId"}),
)

L2 = _spec(
    "l2",
    "EventTimestamp",
    "Ten-level order-book snapshots, one row per book change.",
    "l2.parquet",
    [
        ("TradeDate", _MS, "Trading day (midnight)."),
        ("EventTimestamp", _US, "Time of the book change, naive UTC."),
        *_listing_columns(),
        ("CurrencyCode", _STR, "Currency of the prices."),
        ("MarketState", _STR, "Trading phase."),
        *_level_columns(),
    ],
)

L3 = _spec(
    "l3",
    "TimestampNanoseconds",
    "Order-by-order events (insert, remove, update; executions flagged).",
    "l3.parquet",
    [
        ("TradeDate", _MS, "Trading day (midnight)."),
        ("TimestampNanoseconds", _NS, "Event time, naive UTC."),
        ("EventNo", _I64, "Event sequence number within the listing and day."),
        ("ListingId", _I64, "Listing key (the MIC comes from the partition / reference)."),
        ("InstrumentId", _I64, "Instrument key."),
        ("Ticker", _STR, "Exchange ticker."),
        ("Side", _I64, "1 bid, 2 ask."),
        ("LobAction", _I64, "2 insert, 3 remove, 4 update."),
        ("OriginalOrderId", _STR, "Order identity across its life."),
        ("OrderId", _STR, "Order id after the event ('' on remove)."),
        ("OldOrderId", _STR, "Order id before the event ('' on insert)."),
        ("Price", _F64, "Price after the event (null on remove)."),
        ("Size", _I64, "Resting size after the event (0 on remove)."),
        ("OldPrice", _F64, "Price before the event (null on insert)."),
        ("OldSize", _I64, "Resting size before the event (0 on insert)."),
        ("OrderExecuted", pl.Boolean(), "True when the event is an execution."),
        ("ExecutionPrice", _F64, "Execution price (null unless executed)."),
        ("ExecutionSize", _I64, "Executed shares (0 unless executed)."),
        ("TradeId", _STR, "Trade id of the execution ('' otherwise)."),
        ("MarketState", _STR, "Trading phase."),
    ],
)

MARKETSTATE = _spec(
    "marketstate",
    "TimestampNanoseconds",
    "Trading-phase transitions per listing.",
    "market-state.parquet",
    [
        ("TimestampNanoseconds", _NS, "Transition time, naive UTC."),
        ("MarketState", _STR, "Phase entered: CLOSED, OPENING_AUCTION, ..."),
        ("MIC", _STR, "Segment MIC."),
        ("ListingId", _I64, "Listing key."),
        ("InstrumentId", _I64, "Instrument key."),
    ],
)

REFERENCE = _spec(
    "reference",
    "Date",
    "One row per listing and day: identifiers, currency and index membership.",
    "reference.parquet",
    [
        ("Date", _MS, "Reference date (midnight)."),
        *_listing_columns(),
        ("InstrumentId", _I64, "Instrument key."),
        ("OPOL", _STR, "Operating MIC."),
        ("CurrencyCode", _STR, "Trading currency (GBp = pence)."),
        ("Description", _STR, "Instrument name."),
        ("ISIN", _STR, "ISIN."),
        ("InstrumentType", _STR, "E.g. Equity."),
        ("IsPrimary", pl.Boolean(), "True on the instrument's primary listing."),
        ("IsAlive", pl.Boolean(), "True while the listing trades."),
        (
            "IndexMembership",
            pl.List(_STR),
            "Basalt extension: indices the listing belongs to, e.g. ['SYN20', 'SYN10'].",
        ),
        ("TickSize", _F64, "Basalt extension: the listing's tick size on that day."),
    ],
    optional=frozenset({"IndexMembership", "TickSize"}),
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec for spec in (TRADES, L2, L3, MARKETSTATE, REFERENCE)
}


def table_spec(table: str | TableSpec) -> TableSpec:
    """The spec of a table name (a spec passes through), or a `DataError`."""
    if isinstance(table, TableSpec):
        return table
    try:
        return TABLES[table]
    except KeyError:
        raise DataError(f"unknown table {table!r}: known tables are {', '.join(TABLES)}") from None


def _schema_of(frame: Frame) -> Mapping[str, pl.DataType]:
    if isinstance(frame, pl.LazyFrame):
        return frame.collect_schema()
    if isinstance(frame, pl.DataFrame):
        return frame.schema
    return frame


def schema_problems(table: str | TableSpec, frame: Frame) -> list[str]:
    """Human-readable problems of a frame or schema against the table spec (empty if ok)."""
    spec = table_spec(table)
    schema = _schema_of(frame)
    missing = [name for name in spec.required_columns if name not in schema]
    problems = [f"missing column(s): {', '.join(missing)}"] if missing else []
    problems += [
        f"column {name!r} has dtype {schema[name]}, expected {dtype}"
        for name, dtype in spec.columns.items()
        if name in schema and schema[name] != dtype
    ]
    return problems


def validate_frame(table: str | TableSpec, frame: Frame, *, source: object = None) -> None:
    """Raise `DataError` naming the table, the file (``source``) and every missing or
    mistyped column. Extra columns are allowed."""
    spec = table_spec(table)
    problems = schema_problems(spec, frame)
    if problems:
        where = f" in {source}" if source is not None else ""
        raise DataError(f"table {spec.name!r}{where}: " + "; ".join(problems))


def _dtype_label(dtype: pl.DataType | DataTypeClass) -> str:  # a List's inner is often a class
    if isinstance(dtype, pl.Datetime):
        return f"Datetime[{dtype.time_unit}]"
    if isinstance(dtype, pl.List):
        return f"List[{_dtype_label(dtype.inner)}]"
    return str(dtype)


def _markdown_rows(spec: TableSpec) -> list[str]:
    """Table rows of a spec's columns; numbered level columns collapse to one row."""
    rows = []
    for name, dtype in spec.columns.items():
        level = re.fullmatch(r"(\D+)(\d+)", name)
        if level and level[2] != "1":
            continue
        label = f"`{name}`..`{level[1]}10`" if level else f"`{name}`"
        optional = " (optional)" if name in spec.optional_columns else ""
        doc = spec.column_docs.get(name, "").replace("level 1", "levels 1-10")
        rows.append(f"| {label} | {_dtype_label(dtype)}{optional} | {doc} |")
    return rows


def tables_markdown() -> str:
    """A Markdown description of every table, generated from the specs."""
    sections = [
        "\n".join(
            [
                f"### `{spec.name}`",
                "",
                f"{spec.description} Time column `{spec.time_column}`; "
                f"real-format sample `{spec.fixture_file}`.",
                "",
                "| column | dtype | meaning |",
                "|---|---|---|",
                *_markdown_rows(spec),
            ]
        )
        for spec in TABLES.values()
    ]
    return "\n\n".join(sections) + "\n"
