"""Schedules: when Dagster (or any scheduler) runs a demo, for which dates and universes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from basalt.universes.spec import UniverseSpecError, parse_universe_spec

_CRON_FIELD = re.compile(
    r"^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?)*$"
)
_CRON_MACROS = {"@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight"}


def check_cron(value: str) -> str:
    """A five-field cron expression (minute hour day month weekday) or a macro like ``@daily``."""
    value = value.strip()
    if value in _CRON_MACROS:
        return value
    fields = value.split()
    if len(fields) != 5:
        raise ValueError(
            f"cron '{value}' has {len(fields)} fields; expected 5: minute hour day month weekday"
        )
    bad = [f for f in fields if not _CRON_FIELD.match(f)]
    if bad:
        raise ValueError(f"cron field '{bad[0]}' in '{value}' is not valid")
    return value


class SchedulePartition(BaseModel):
    """One partition a schedule requests on each tick."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    date: Literal["today", "yesterday"] | dt.date = Field(
        "yesterday",
        description="today, yesterday (relative to the tick, in the schedule's timezone) or YYYY-MM-DD.",
    )
    universe: str | None = Field(
        None, description="Universe spec for this partition; unset: the config's UNIVERSE."
    )

    @field_validator("universe")
    @classmethod
    def _universe(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_universe_spec(value)
            except UniverseSpecError as exc:
                raise ValueError(str(exc)) from None
        return value


class ScheduleConfig(BaseModel):
    """A cron schedule in a timezone, requesting one run per listed partition."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    name: str = Field(
        ...,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="Schedule name: letters, digits and underscores.",
    )
    enabled: bool = Field(True, description="Disabled schedules are kept but never run.")
    cron: str = Field(
        "0 2 * * *",
        description="Cron expression: minute hour day month weekday (e.g. '0 2 * * *').",
    )
    timezone: str = Field(
        "UTC", description="IANA timezone the cron is read in (e.g. Europe/London)."
    )
    partitions: list[SchedulePartition] = Field(
        default_factory=list,
        description="Partitions requested on each tick; empty: yesterday and the first universe.",
    )

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        return check_cron(value)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone '{value}'; use an IANA name such as Europe/London"
            ) from None
        return value
