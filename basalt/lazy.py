"""Package attributes loaded on first use (PEP 562), so importing a package stays cheap."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    package: str, names: Mapping[str, str], before: Callable[[], None] | None = None
) -> Callable[[str], Any]:
    """A module ``__getattr__`` serving ``names`` (attribute -> module that defines it);
    ``before`` runs first (e.g. imports that register things)."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        if before is not None:
            before()
        return getattr(importlib.import_module(module), name)

    return __getattr__
