"""The analytics registry: one class per module, and the docs of every column it computes.

An analytic is a class with the module's name, its config class, and :meth:`Analytic.compute`,
which turns the pass inputs into a frame keyed on (``ListingId``, ``TimeBucket``). Column
documentation comes from the code: each expression function is decorated with
:func:`documents`, which registers its docstring for a column-name pattern such as
``Trade{Side}VWAP``. ``basalt analytics list`` reads those docs, so they cannot drift.

What a demo script registers while it is imported (an analytic, column docs) belongs to that
demo's :class:`~basalt.config.modules.base.ModuleScope`; lookups take the scope to search.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

import polars as pl

from basalt.config.modules.base import (
    BUILTINS,
    ColumnContext,
    ModuleConfig,
    ModuleScope,
    declaring_scope,
)

F = TypeVar("F", bound=Callable[..., Any])

_COLUMN_DOCS: list[tuple[re.Pattern[str], str, str]] = []


@functools.lru_cache(maxsize=1024)
def _pattern(template: str) -> re.Pattern[str]:
    regex = re.sub(r"\\\{[A-Za-z]+\\\}", "[A-Za-z0-9]+?", re.escape(template))
    return re.compile(f"^{regex}$")


def documents(*templates: str) -> Callable[[F], F]:
    """Decorator: the function's docstring documents the columns matching ``templates``
    (in a demo script being imported, for that demo only)."""

    def wrap(fn: F) -> F:
        doc = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
        scope = declaring_scope(fn.__module__)
        for template in templates:
            if scope is not None:
                scope.column_docs.append((template, doc))
            else:
                _COLUMN_DOCS.append((_pattern(template), template, doc))
        return fn

    return wrap


def column_doc(column: str, modules: ModuleScope = BUILTINS) -> str:
    """One-line description of an output column (from the expression that computes it), the
    docs of the demo's own ``modules`` first."""
    _load_families()
    for template, doc in modules.column_docs:
        if _pattern(template).match(column):
            return doc
    for pattern, _, doc in _COLUMN_DOCS:
        if pattern.match(column):
            return doc
    return KEY_DOCS.get(column, "")


KEY_DOCS = {
    "ListingId": "Listing identifier.",
    "TimeBucket": "Bucket label (naive UTC; right edge unless the pass says otherwise).",
    "MIC": "Venue (market identifier code).",
    "Ticker": "Ticker of the listing.",
    "Index": "Index whose members were aggregated.",
}


@dataclass
class PassInputs:
    """What an analytic receives: the raw tables it needs, bucketed, and earlier pass outputs."""

    tables: Mapping[str, pl.LazyFrame]
    bucket: Any  # basalt.analytics.bucketing.Bucketing
    column_context: ColumnContext
    pass_outputs: Mapping[str, pl.LazyFrame] = field(default_factory=dict)
    reference: pl.LazyFrame | None = None


ConfigT = TypeVar("ConfigT", bound=ModuleConfig)


class Analytic(Generic[ConfigT]):
    """Base of the analytics modules, typed by the module's config class. Subclasses set
    ``module_name`` and implement ``compute``."""

    module_name: ClassVar[str]

    def compute(self, config: ConfigT, inputs: PassInputs) -> pl.LazyFrame:
        raise NotImplementedError


_ANALYTICS: dict[str, Analytic[Any]] = {}


def _load_families() -> None:
    """Register the built-in families (their modules register themselves when imported)."""
    from basalt.analytics import load_families

    load_families()


A = TypeVar("A", bound=type[Analytic[Any]])


def register_analytic(cls: A) -> A:
    """Class decorator: ``cls`` computes the module named ``cls.module_name`` (in a demo
    script being imported, for that demo only)."""
    scope = declaring_scope(cls.__module__)
    (scope.analytics if scope is not None else _ANALYTICS)[cls.module_name] = cls()
    return cls


def analytic_for(module: str, modules: ModuleScope = BUILTINS) -> Analytic[Any] | ModuleConfig:
    """The object that computes ``module`` among ``modules`` (a demo's): a registered
    analytic, or a module config class that defines ``compute`` itself (a module declared in
    one class, e.g. in a demo)."""
    _load_families()
    if module in modules.analytics:
        return modules.analytics[module]
    if module in _ANALYTICS:
        return _ANALYTICS[module]
    config_cls = modules.get(module)
    if config_cls is not None and hasattr(config_cls, "compute"):
        return _SelfComputing()
    raise KeyError(f"module '{module}' has no analytic registered")


class _SelfComputing(Analytic[ModuleConfig]):
    module_name = "<custom>"

    def compute(self, config: ModuleConfig, inputs: PassInputs) -> pl.LazyFrame:
        return config.compute(inputs)  # type: ignore[attr-defined]
