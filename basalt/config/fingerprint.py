"""A config's identity: canonical JSON and its SHA-256 (what ledgers and code versions name)."""

from __future__ import annotations

import hashlib
import json

from basalt.config.analytics import AnalyticsConfig


def config_json(config: AnalyticsConfig) -> str:
    """The config as canonical JSON (sorted keys, defaults included): what its hash covers."""
    return json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def config_sha256(config: AnalyticsConfig) -> str:
    return sha256_text(config_json(config))
