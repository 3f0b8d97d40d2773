"""The base of every analytics module config, and the registry of module names.

A module config is a Pydantic model that also carries the module's metadata as class
variables: its name (used in a pass's ``modules`` list), its tier (``pre`` runs before the
core metrics, ``post`` reads what earlier modules or passes produced), a one-line description,
the tables it reads, and :meth:`ModuleConfig.output_columns`, which lists the exact columns a
given config produces without touching data. Registering a subclass with
:func:`register_module` makes the name valid in a pass and adds the ``<name>_analytics`` key
to :class:`~basalt.config.passes.PassConfig`.

Who may use a module: the built-in families register globally. A demo script's own modules
belong to that demo: while :func:`~basalt.config.demo_source.import_demo` runs the script,
``register_module`` puts them in the demo's :class:`ModuleScope`, which the demo's config is
validated, edited and run with. Loading one demo never changes what another accepts.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
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


_REGISTRY: dict[str, type[ModuleConfig]] = {}  # the built-in modules

M = TypeVar("M", bound=type[ModuleConfig])

# The scope of the demo script being imported, if any (see ModuleScope.declaring).
_DECLARING: ContextVar[ModuleScope | None] = ContextVar("basalt_declaring", default=None)
CONTEXT_KEY = "basalt_modules"


def _check_clash(name: str, existing: type | None, cls: type, where: str) -> None:
    if existing is not None and existing is not cls and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"module '{name}' is already registered{where} by {existing.__qualname__}")


class ModuleScope:
    """The modules one demo may use: the built-ins, then those its script declares.

    ``source`` is the demo script. Pass the scope to validation as ``context=scope.context()``;
    a validated config keeps it (``config.module_scope``) for its columns and its run.
    """

    def __init__(self, source: Path | None = None) -> None:
        self.source = source
        self.own: dict[str, type[ModuleConfig]] = {}
        self.analytics: dict[str, Any] = {}  # module name -> Analytic, for register_analytic
        self.column_docs: list[tuple[str, str]] = []  # (column template, doc), for documents

    def __repr__(self) -> str:
        return f"ModuleScope({self.source or 'built-in'}, own={list(self.own)})"

    def __copy__(self) -> ModuleScope:
        return self  # shared, never copied with the configs that carry it

    def __deepcopy__(self, memo: dict[int, Any]) -> ModuleScope:
        return self

    def registry(self) -> dict[str, type[ModuleConfig]]:
        """Module configs by name: built-ins first, then this demo's own."""
        return {**_REGISTRY, **self.own}

    def get(self, name: str) -> type[ModuleConfig] | None:
        return self.own.get(name) or _REGISTRY.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.own or name in _REGISTRY

    def add(self, cls: type[ModuleConfig]) -> None:
        """Make ``cls.module_name`` valid in this demo only."""
        name = cls.module_name
        _check_clash(name, _REGISTRY.get(name), cls, " as a built-in")
        _check_clash(name, self.own.get(name), cls, f" in {self.source}")
        self.own[name] = cls

    def context(self) -> dict[str, Any]:
        """The Pydantic validation context that validates a config with these modules."""
        return {CONTEXT_KEY: self}

    @contextmanager
    def declaring(self) -> Iterator[ModuleScope]:
        """While active (in this thread or task), what a demo registers goes to this scope."""
        token = _DECLARING.set(self)
        try:
            yield self
        finally:
            _DECLARING.reset(token)


BUILTINS = ModuleScope()


def scope_in(context: Any) -> ModuleScope | None:
    """The scope a Pydantic validation context carries, if any."""
    scope = context.get(CONTEXT_KEY) if isinstance(context, Mapping) else None
    return scope if isinstance(scope, ModuleScope) else None


def declaring_scope(owner: str) -> ModuleScope | None:
    """Where a registration made by code of module ``owner`` goes: the scope of the demo
    being imported, or ``None`` (global) outside a demo import and for the library's own
    code, whose modules are the built-ins whoever imports them first."""
    scope = _DECLARING.get()
    if scope is None or owner == "basalt" or owner.startswith("basalt."):
        return None
    return scope


def register_module(cls: M) -> M:
    """Class decorator: make ``cls.module_name`` a valid module; in a demo script being
    imported, for that demo only."""
    scope = declaring_scope(cls.__module__)
    if scope is not None:
        scope.add(cls)
        return cls
    name = cls.module_name
    _check_clash(name, _REGISTRY.get(name), cls, "")
    _REGISTRY[name] = cls
    return cls


def module_registry() -> dict[str, type[ModuleConfig]]:
    """The built-in module configs by module name (a demo's own: ``ModuleScope.registry``)."""
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
