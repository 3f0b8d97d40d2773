"""Helpers for the Dagster tests: small demos written to a temporary folder."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEMO_DIR = REPO / "demo"

ONE_PASS = [
    {
        "name": "bars_1m",
        "time_bucket_seconds": 60,
        "modules": ["trade"],
        "trade_analytics": {"generic_metrics": [{"sides": "Total", "measures": ["Volume"]}]},
    }
]


def copy_demo(stem: str, folder: Path, new_stem: str | None = None) -> Path:
    """Copy ``demo/<stem>.py`` and its YAML into ``folder``; return the new script."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{new_stem or stem}.py"
    shutil.copy(DEMO_DIR / f"{stem}.py", target)
    shutil.copy(DEMO_DIR / f"{stem}.yaml", target.with_suffix(".yaml"))
    return target


def write_demo(
    folder: Path,
    stem: str,
    user_config: dict[str, Any] | None = None,
    yaml_text: str | None = None,
    extra: str = "",
) -> Path:
    """A demo script (``USER_CONFIG`` literal, ``get_universe``, ``extra`` code) and its YAML."""
    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "DATASETNAME": stem.split("_", 1)[1],
        "START_DATE": "2025-01-02",
        "UNIVERSE": "mic=XLON",
        "PASSES": ONE_PASS,
        **(user_config or {}),
    }
    script = folder / f"{stem}.py"
    script.write_text(
        f'"""Test demo {stem}."""\n\n'
        f"USER_CONFIG = {config!r}\n\n\n"
        "def get_universe(date):\n"
        "    from basalt.universes import get_universe as universe_for\n\n"
        '    return universe_for(date, "mic=XLON")\n\n\n' + textwrap.dedent(extra),
        encoding="utf-8",
    )
    if yaml_text is not None:
        script.with_suffix(".yaml").write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    return script
