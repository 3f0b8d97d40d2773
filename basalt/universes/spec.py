"""Parsing of universe spec strings.

A spec is one or more terms joined by ``+`` (their intersection). A term is ``kind=value``
(``mic=XLON``, ``index=SYN20``, ``opol=XPAR``) or a bare kind that takes no value (``all``,
``custom`` for a demo's own ``get_universe``). Kinds are the modules of this package: dropping
``basalt/universes/<kind>.py`` adds a kind, and the spec parser learns it without an import.
"""

from __future__ import annotations

import difflib
import pkgutil
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_NOT_KINDS = {"spec"}
_BARE_KINDS = {"all", "custom"}


class UniverseSpecError(ValueError):
    """A universe spec that does not parse; the message says which term and why."""


@lru_cache(maxsize=1)
def available_kinds() -> tuple[str, ...]:
    """Universe kinds: one per module in this package, plus ``custom`` (the demo's own function)."""
    here = Path(__file__).parent
    kinds = {m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_")}
    return tuple(sorted((kinds - _NOT_KINDS) | _BARE_KINDS))


@dataclass(frozen=True)
class UniverseSpec:
    """A parsed spec: the terms whose listings are intersected."""

    terms: tuple[tuple[str, str | None], ...]

    @property
    def spec(self) -> str:
        return "+".join(kind if value is None else f"{kind}={value}" for kind, value in self.terms)

    def __str__(self) -> str:
        return self.spec


def _suggest(kind: str) -> str:
    close = difflib.get_close_matches(kind, available_kinds(), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _parse_term(term: str, spec: str) -> tuple[str, str | None]:
    term = term.strip()
    if not term:
        raise UniverseSpecError(f"universe spec '{spec}' has an empty term")
    kind, sep, value = term.partition("=")
    kind, value = kind.strip(), value.strip()
    kinds = available_kinds()
    if kind not in kinds:
        raise UniverseSpecError(
            f"unknown universe kind '{kind}' in '{spec}'{_suggest(kind)}; kinds: {', '.join(kinds)}"
        )
    if kind in _BARE_KINDS:
        if sep and kind == "all":
            raise UniverseSpecError(f"universe kind 'all' takes no value in '{spec}'")
        return kind, value or None
    if not sep or not value:
        raise UniverseSpecError(
            f"universe term '{term}' in '{spec}' needs a value, e.g. '{kind}=...'"
        )
    return kind, value


def parse_universe_spec(spec: str) -> UniverseSpec:
    """Parse ``kind=value[+kind=value...]``; raise :class:`UniverseSpecError` with a clear message."""
    if not isinstance(spec, str) or not spec.strip():
        raise UniverseSpecError(
            "universe spec is empty; use e.g. 'mic=XLON', 'index=SYN20' or 'all'"
        )
    bad = next((c for c in spec if c in "/\\" or unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        why = (
            "a universe names a folder of the output path"
            if bad in "/\\"
            else "Dagster partition keys and file names cannot hold control characters"
        )
        raise UniverseSpecError(f"universe spec {spec!r} contains {bad!r}: {why}")
    return UniverseSpec(tuple(_parse_term(term, spec) for term in spec.split("+")))
