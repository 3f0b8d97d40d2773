"""Domain helpers the editors show beside the form: modules, output columns, pass cards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from basalt.config.analytics import pass_columns as columns_of_passes
from basalt.config.modules.base import BUILTINS, TIERS, ModuleScope
from basalt.config.passes import PassConfig
from basalt.config.tables import TABLE_NAMES


@dataclass(frozen=True)
class ModuleInfo:
    name: str
    tier: str
    description: str
    required_tables: tuple[str, ...]


@dataclass(frozen=True)
class PassCard:
    """What the home view shows of a pass."""

    index: int
    name: str
    bucket_seconds: int
    modules: tuple[str, ...]
    column_count: int
    error_count: int


def modules_by_tier(modules: ModuleScope = BUILTINS) -> dict[str, list[ModuleInfo]]:
    """Every module the demo may use (``modules``), grouped by tier (pre, core, post)."""
    groups: dict[str, list[ModuleInfo]] = {tier: [] for tier in TIERS}
    for name, cls in modules.registry().items():
        groups[cls.tier].append(
            ModuleInfo(name, cls.tier, cls.description, tuple(cls.required_tables))
        )
    return groups


def _passes(raw_passes: list[Any], modules: ModuleScope) -> list[PassConfig]:
    """The passes that validate on their own (a broken pass must not hide the others' columns)."""
    out = []
    for raw in raw_passes:
        try:
            out.append(PassConfig.model_validate(raw, context=modules.context()))
        except ValidationError:
            continue
    return out


def pass_columns(raw_passes: list[Any], modules: ModuleScope = BUILTINS) -> dict[str, list[str]]:
    """Exact output columns of every valid pass, from module metadata alone."""
    return columns_of_passes(_passes(raw_passes, modules))


def module_input_choices(raw_passes: list[Any], index: int) -> list[str]:
    """Sources a module of pass ``index`` may read: earlier passes, then raw tables."""
    earlier = [str(p["name"]) for p in raw_passes[:index] if isinstance(p, dict) and p.get("name")]
    return [*earlier, *TABLE_NAMES]


def column_docs(columns: list[str], modules: ModuleScope = BUILTINS) -> dict[str, str]:
    """One-line docs of output columns (from the code that computes them, the demo's own
    ``modules`` included)."""
    from basalt.analytics import column_doc  # polars: imported only when asked

    return {c: column_doc(c, modules) for c in columns}


def pass_cards(
    raw_passes: list[Any],
    error_counts: dict[int, int] | None = None,
    modules: ModuleScope = BUILTINS,
) -> list[PassCard]:
    columns = pass_columns(raw_passes, modules)
    cards = []
    for i, raw in enumerate(raw_passes):
        raw = raw if isinstance(raw, dict) else {}
        name = str(raw.get("name", f"pass {i + 1}"))
        names = raw.get("modules", ["trade"])
        cards.append(
            PassCard(
                index=i,
                name=name,
                bucket_seconds=int(raw.get("time_bucket_seconds", 60) or 0),
                modules=tuple(names if isinstance(names, list) else [names]),
                column_count=len(columns.get(name, [])),
                error_count=(error_counts or {}).get(i, 0),
            )
        )
    return cards
