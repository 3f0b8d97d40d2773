"""The last config of each demo that loaded, kept so that a bad save does not take it away.

When a demo's Dagster definitions were built (:mod:`basalt.dagster.build`), its config is written
as canonical JSON (:func:`basalt.config.fingerprint.config_json`, so the file's SHA-256 is the
config's) to ``<BASALT_HOME>/last_good/<stem>.json``. When the demo's files later stop resolving,
validating, importing or building, it is loaded from this snapshot instead of being left out
(:func:`basalt.dagster.demos.load_last_good`): a reload of the Dagster code location keeps the
last good definitions of this one.

Snapshots are keyed by the demo's stem (``01_ohlcv_bars``) within one ``BASALT_HOME``.
No Dagster import here.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from basalt.atomic import write_text_atomic
from basalt.config.analytics import AnalyticsConfig
from basalt.config.fingerprint import config_json
from basalt.config.modules.base import BUILTINS, ModuleScope
from basalt.config.validation import validate_data
from basalt.home import basalt_home

log = logging.getLogger("basalt.dagster")

LAST_GOOD_DIR = "last_good"


def last_good_path(stem: str, home: Path | None = None) -> Path:
    """``<BASALT_HOME>/last_good/<stem>.json``."""
    return (home or basalt_home()) / LAST_GOOD_DIR / f"{stem}.json"


def save_last_good(stem: str, config: AnalyticsConfig, home: Path | None = None) -> None:
    """Remember ``config`` as the demo's last good one (atomic; skipped when unchanged).

    A ``BASALT_HOME`` that cannot be written is logged, not raised: loading a demo must not
    fail because its snapshot could not be kept.
    """
    path = last_good_path(stem, home)
    text = config_json(config)
    try:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        log.warning("cannot keep the last good config of %s in %s: %s", stem, path, exc)


def read_last_good(
    stem: str, home: Path | None = None, *, modules: ModuleScope = BUILTINS
) -> AnalyticsConfig | None:
    """The demo's last good config, validated with the demo's ``modules``, or ``None`` when
    there is none or it no longer validates (the schema changed since it was written: logged)."""
    path = last_good_path(stem, home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("last good config %s is unreadable: %s", path, exc)
        return None
    config, issues = validate_data(data, modules) if isinstance(data, dict) else (None, [])
    if config is None:
        shown = "; ".join(issue.format() for issue in issues) or "not a mapping"
        log.warning("last good config %s no longer validates: %s", path, shown)
    return config
