"""The base of every analytics module config, and the registry of module names.

A module config is a Pydantic model that also carries the module's metadata as class
variables: its name (used in a pass's ``modules`` list), its tier (``pre`` runs before the
core metrics, ``post`` reads what earlier modules or passes produced), a one-line description,
the tables it reads, and :meth:`ModuleConfig.output_columns`, which lists the exact columns a
given config produces without touching data. Registering a subclass with
:func:`register_module` makes the name valid in every pass and adds the
``<name>_analytics`` key to :class:`~basalt.config.passes.PassConfig`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

Tier = Literal["pre", "core", "post"]
TIERS: tuple[str, ...] = ("pre", "core", "post")

# Columns that identify a row of a pass output, by grouping.
LISTING_KEYS: tuple[str, ...] = ("ListingId", "TimeBucket", "MIC", "Ticker")


@dataclass
class ColumnContext:
    """What :meth:`ModuleConfig.output_columns` may look at besides its own config."""

    pass_name: str
    time_bucket_seconds: int
    previous_passes: Sequence[str] = ()
    columns_by_pass: Mapping[str, Sequence[str]] = field(default_factory=dict)
    module_inputs: Mapping[str, str] = field(default_factory=dict)


class ModuleConfig(BaseModel):
    """Base class of module configs. Subclasses set the class variables below."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    module_name: ClassVar[str]
    tier: ClassVar[Tier] = "core"
    description: ClassVar[str] = ""
    required_tables: ClassVar[tuple[str, ...]] = ()

    def output_columns(self, ctx: ColumnContext) -> list[str]:
        """The metric columns this config adds (identifying columns excluded), in order."""
        raise NotImplementedError

    def key_columns(self, ctx: ColumnContext) -> tuple[str, ...]:
        """The identifying columns of the pass output when this module runs."""
        return LISTING_KEYS


_REGISTRY: dict[str, type[ModuleConfig]] = {}

M = TypeVar("M", bound=type[ModuleConfig])


def register_module(cls: M) -> M:
    """Class decorator: make ``cls.module_name`` a valid module in every pass."""
    name = cls.module_name
    existing = _REGISTRY.get(name)
    if existing is not None and existing is not cls and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"module '{name}' is already registered by {existing.__qualname__}")
    _REGISTRY[name] = cls
    return cls


def module_registry() -> dict[str, type[ModuleConfig]]:
    """All registered module configs by module name (built-ins first, then custom ones)."""
    return dict(_REGISTRY)


def config_key(module_name: str) -> str:
    """The pass key holding a module's config: ``trade`` -> ``trade_analytics``."""
    return f"{module_name}_analytics"


def suggest(name: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    return list(dict.fromkeys(items))


def as_list(value: Any) -> list[Any]:
    """``X | list[X]`` fields normalised to a list."""
    return list(value) if isinstance(value, (list, tuple)) else [value]
