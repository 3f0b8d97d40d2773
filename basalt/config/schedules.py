"""Schedules: when Dagster (or any scheduler) runs a demo, for which dates and universes."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator

from basalt.config.cron import check_cron
from basalt.universes.spec import UniverseSpecError, parse_universe_spec


def check_timezone(value: str) -> str:
    """An IANA timezone that zoneinfo loads (as Dagster and the schedules' ticks do)."""
    try:
        ZoneInfo(value)
    except Exception:  # not found, a folder, an absolute path, a file that is not a zone
        raise ValueError(
            f"unknown timezone '{value}'{_suggest_zone(value)}; use an IANA name such as "
            "Europe/London"
        ) from None
    return value


def _suggest_zone(value: str) -> str:
    zones = sorted(available_timezones())
    key = value.strip().lower()
    inside = [zone for zone in zones if key and zone.lower().startswith(key.rstrip("/") + "/")]
    if inside:
        return f" (a region: name a zone in it, e.g. '{inside[0]}')"
    same = [zone for zone in zones if zone.lower() == key]
    close = same or difflib.get_close_matches(value.strip(), zones, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class SchedulePartition(BaseModel):
    """One partition a schedule requests on each tick."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    date: Literal["today", "yesterday"] | dt.date = Field(
        default="yesterday",
        description="today, yesterday (relative to the tick, in the schedule's timezone) or YYYY-MM-DD.",
    )
    universe: str | None = Field(
        default=None, description="Universe spec for this partition; unset: the config's UNIVERSE."
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
    enabled: bool = Field(default=True, description="Disabled schedules are kept but never run.")
    cron: str = Field(
        default="0 2 * * *",
        description="Cron expression: minute hour day month weekday (e.g. '0 2 * * *').",
    )
    timezone: str = Field(
        default="UTC", description="IANA timezone the cron is read in (e.g. Europe/London)."
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
        return check_timezone(value)
