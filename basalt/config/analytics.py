"""``AnalyticsConfig``: everything a run needs, the single source of truth for both editors."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from basalt.config.errors import error_details
from basalt.config.modules.base import BUILTINS, ColumnContext, ModuleScope, scope_in, suggest
from basalt.config.names import dagster_name
from basalt.config.outputs import OutputTarget, ParquetOutput
from basalt.config.passes import PassConfig
from basalt.config.schedules import ScheduleConfig
from basalt.config.tables import TABLE_NAMES, TableName
from basalt.config.ui import ui
from basalt.universes.spec import UniverseSpecError, parse_universe_spec


class LoggingLevel(str, Enum):
    """Log levels of the ``logging`` module."""

    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


BatchFreq = Literal["D", "W", "2W", "M", "A"]
# Dates a run can cover: Dagster's date partitions hold four-digit years, and need the
# periods around the first one.
FIRST_DATE, LAST_DATE = dt.date(1001, 1, 1), dt.date(9998, 12, 31)


def _default_passes() -> list[PassConfig]:
    return [PassConfig(name="bars_1m")]


class AnalyticsConfig(BaseModel):
    """A run of the basalt pipeline: dates, universe, passes, outputs, schedules and resources."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, title="AnalyticsConfig")

    DATASETNAME: str = Field(
        default="basalt",
        min_length=1,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="Dataset name, used in output paths (letters, digits, _ . -).",
        json_schema_extra=ui(section="Core"),
    )
    START_DATE: dt.date = Field(
        ...,
        description="First trade date (YYYY-MM-DD).",
        json_schema_extra=ui(section="Core"),
    )
    END_DATE: dt.date | None = Field(
        default=None,
        description="Last trade date, inclusive (YYYY-MM-DD); unset: START_DATE.",
        json_schema_extra=ui(section="Core"),
    )
    UNIVERSE: str = Field(
        default="all",
        description="Listings covered: a spec such as mic=XLON, index=SYN20, mic=XLON+index=SYN20, or all.",
        json_schema_extra=ui(
            section="Core",
            help="Kinds: mic (venue), index (index members), opol (operating venue), all, and "
            "custom (the demo's own get_universe). '+' intersects terms.",
        ),
    )
    EXCLUDE_WEEKENDS: bool = Field(
        default=True,
        description="Skip Saturdays and Sundays.",
        json_schema_extra=ui(section="Core"),
    )
    PASSES: list[PassConfig] = Field(
        default_factory=_default_passes,
        min_length=1,
        description="Passes, run in order; a later pass may read an earlier one.",
        json_schema_extra=ui(section="Core"),
    )
    OUTPUT_TARGET: OutputTarget = Field(
        default_factory=ParquetOutput,
        description="Where and in which format pass outputs are written.",
        json_schema_extra=ui(section="Outputs"),
    )
    OUTPUT_DIR: str | None = Field(
        default=None,
        description="Value of {output_dir}; unset: $BASALT_OUTPUT_DIR, else .basalt/output.",
        json_schema_extra=ui(section="Outputs"),
    )
    SKIP_EXISTING_OUTPUT: bool = Field(
        default=False,
        description="Skip batches whose output file already exists.",
        json_schema_extra=ui(section="Outputs"),
    )
    SCHEDULES: list[ScheduleConfig] = Field(
        default_factory=list,
        description="Cron schedules for Dagster, each requesting partitions (date x universe).",
        json_schema_extra=ui(section="Automation"),
    )
    BATCH_FREQ: BatchFreq | None = Field(
        default=None,
        description="Date batch size: D, W, 2W, M, A (year); unset: chosen from the date range.",
        json_schema_extra=ui(section="Performance"),
    )
    NUM_WORKERS: int = Field(
        default=-1,
        ge=-1,
        description="Worker processes for batches; -1: all cores. Small runs stay in-process.",
        json_schema_extra=ui(section="Performance"),
    )
    MAX_ROWS_PER_BATCH: int = Field(
        default=5_000_000,
        gt=0,
        description="Listings are split into batches so no table loads more rows than this.",
        json_schema_extra=ui(section="Performance"),
    )
    TABLES_TO_LOAD: list[TableName] = Field(
        default_factory=list,
        description="Tables to load; empty: derived from the modules of each pass.",
        json_schema_extra=ui(section="Performance"),
    )
    DATA_DIR: str | None = Field(
        default=None,
        description="Market-data store; unset: $BASALT_DATA_DIR, else .basalt/data.",
        json_schema_extra=ui(section="Advanced"),
    )
    GENERATE_MISSING_DATA: bool = Field(
        default=True,
        description="Generate synthetic data for dates the store lacks (deterministic).",
        json_schema_extra=ui(section="Advanced"),
    )
    LOGGING_LEVEL: LoggingLevel = Field(
        default=LoggingLevel.INFO,
        description="Log level of the run.",
        json_schema_extra=ui(section="Advanced"),
    )

    @field_validator("START_DATE", "END_DATE", mode="before")
    @classmethod
    def _date_only(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0):
                raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
            return value.date()
        return value

    @field_validator("START_DATE", "END_DATE")
    @classmethod
    def _date_in_range(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not FIRST_DATE <= value <= LAST_DATE:
            raise ValueError(
                f"{value} is out of range: dates run from {FIRST_DATE} to {LAST_DATE} "
                "(the dates Dagster's date partitions can hold)"
            )
        return value

    @field_validator("END_DATE")
    @classmethod
    def _end_after_start(cls, value: dt.date | None, info) -> dt.date | None:
        start = info.data.get("START_DATE")
        if value is not None and start is not None and value < start:
            raise ValueError(f"END_DATE {value} is before START_DATE {start}")
        return value

    @field_validator("DATASETNAME")
    @classmethod
    def _dataset_name(cls, value: str) -> str:
        if value in (".", ".."):
            raise ValueError(
                f"'{value}' names a special folder in output paths ('.' the same folder, "
                "'..' its parent); use a name with a letter or a digit"
            )
        return value

    @field_validator("UNIVERSE")
    @classmethod
    def _universe(cls, value: str) -> str:
        try:
            parse_universe_spec(value)
        except UniverseSpecError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("NUM_WORKERS")
    @classmethod
    def _workers(cls, value: int) -> int:
        if value == 0:
            raise ValueError("NUM_WORKERS must be -1 (all cores) or at least 1")
        return value

    _module_scope: ModuleScope = PrivateAttr(default=BUILTINS)

    @property
    def module_scope(self) -> ModuleScope:
        """The modules this config was validated with: its demo's, else the built-ins."""
        return self._module_scope

    @model_validator(mode="after")
    def _pass_rules(self, info: ValidationInfo) -> AnalyticsConfig:
        self._module_scope = scope_in(info.context) or self._module_scope
        errors: list[InitErrorDetails] = []
        earlier: list[str] = []
        for i, p in enumerate(self.PASSES):
            if p.name in earlier:
                first = earlier.index(p.name)
                msg = f"pass name '{p.name}' is already used by PASSES.{first}.name"
                errors.append(error_details("duplicate_pass", msg, ("PASSES", i, "name"), p.name))
            errors.extend(_input_errors(i, p, earlier))
            earlier.append(p.name)
        if not errors:
            errors.extend(_aggregation_errors(self.PASSES))
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    @model_validator(mode="after")
    def _dagster_names(self) -> AnalyticsConfig:
        errors = _dagster_name_errors(self)
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    @property
    def end_date(self) -> dt.date:
        """END_DATE, or START_DATE when unset."""
        return self.END_DATE or self.START_DATE

    def pass_columns(self) -> dict[str, list[str]]:
        """Exact output columns of every pass (identifying columns first), without data."""
        return pass_columns(self.PASSES)


def _dagster_name_errors(config: AnalyticsConfig) -> list[InitErrorDetails]:
    """Names Dagster needs distinct: each pass's asset name, each enabled schedule's name."""
    errors = []
    assets: dict[str, int] = {}
    for index, p in enumerate(config.PASSES):
        asset = dagster_name(p.name)
        first = assets.setdefault(asset, index)
        if first != index:
            msg = (
                f"pass names '{config.PASSES[first].name}' (PASSES.{first}.name) and "
                f"'{p.name}' are both the Dagster asset '{asset}'; rename one"
            )
            errors.append(error_details("duplicate_asset", msg, ("PASSES", index, "name"), p.name))
    names: dict[str, int] = {}
    for index, schedule in enumerate(config.SCHEDULES):
        if not schedule.enabled:
            continue
        first = names.setdefault(schedule.name, index)
        if first != index:
            msg = f"schedule name '{schedule.name}' is already used by SCHEDULES.{first}.name"
            loc = ("SCHEDULES", index, "name")
            errors.append(error_details("duplicate_schedule", msg, loc, schedule.name))
    return errors


def _input_errors(index: int, p: PassConfig, earlier: list[str]) -> list[InitErrorDetails]:
    """module_inputs and reaggregate sources must name an earlier pass (or a raw table)."""
    errors = []
    sources = dict(p.module_inputs)
    if "reaggregate" in p.modules:
        reagg = p.reaggregate_analytics
        if reagg.source_pass is not None:
            sources["reaggregate"] = reagg.source_pass
        elif not earlier and "reaggregate" not in sources:
            msg = "reaggregate needs an earlier pass to read, and this is the first pass"
            errors.append(error_details("no_source", msg, ("PASSES", index, "modules"), p.modules))
    for module, source in sources.items():
        via_knob = module == "reaggregate" and p.reaggregate_analytics.source_pass is not None
        loc = (
            ("PASSES", index, "reaggregate_analytics", "source_pass")
            if via_knob
            else ("PASSES", index, "module_inputs", module)
        )
        if source in earlier:
            continue
        if module != "reaggregate" and source in TABLE_NAMES:
            continue
        if source == p.name:
            msg = f"'{source}' is this pass; a module can only read an earlier pass"
        else:
            hint = (
                f"earlier passes: {', '.join(earlier)}" if earlier else "there is no earlier pass"
            )
            msg = f"'{source}' is not an earlier pass ({hint})"
        errors.append(error_details("bad_source", msg, loc, source))
    return errors


def _aggregation_errors(passes: list[PassConfig]) -> list[InitErrorDetails]:
    """``reaggregate_analytics.aggregations`` may only name columns of the source pass."""
    errors = []
    columns = pass_columns(passes)
    for index, p in enumerate(passes):
        if "reaggregate" not in p.modules:
            continue
        known = set(columns[p.name])
        for column in p.reaggregate_analytics.aggregations:
            if column not in known:
                loc = ("PASSES", index, "reaggregate_analytics", "aggregations", column)
                msg = f"'{column}' is not a column of the source pass{suggest(column, known)}"
                errors.append(error_details("unknown_column", msg, loc, column))
    return errors


def pass_columns(passes: list[PassConfig]) -> dict[str, list[str]]:
    """Output columns of each pass, computed from module metadata only."""
    columns: dict[str, list[str]] = {}
    previous: list[str] = []
    for p in passes:
        ctx = ColumnContext(
            pass_name=p.name,
            time_bucket_seconds=p.time_bucket_seconds,
            previous_passes=tuple(previous),
            columns_by_pass=columns,
            module_inputs=p.module_inputs,
        )
        keys: tuple[str, ...] = ()
        metrics: list[str] = []
        for module in p.modules:
            if module not in p.module_scope:
                continue
            cfg = p.module_config(module)
            keys = keys or cfg.key_columns(ctx)
            metrics.extend(c for c in cfg.output_columns(ctx) if c not in metrics)
        columns[p.name] = list(keys) + [c for c in metrics if c not in keys]
        previous.append(p.name)
    return columns
