"""A config's identity: canonical JSON and its SHA-256 (what ledgers name), and the code version
of each pass (what Dagster compares to mark a partition stale).

The config SHA covers the whole config as its files hold it. A pass's code version covers only
what changes that pass's data: the pass's own config, the configs of the passes it reads
(directly or not), and the top-level settings in :data:`DATA_SETTINGS`. Everything else
(schedules, logging, workers, batch sizes, folders, the run's dates and universe) can change
without marking a partition stale.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from basalt.config.analytics import AnalyticsConfig

# Top-level settings that do not change the data of a partition, and why.
NOT_DATA_SETTINGS = {
    "START_DATE": "the run's dates: a partition has its own",
    "END_DATE": "the run's dates: a partition has its own",
    "UNIVERSE": "the run's universe: a partition has its own",
    "PASSES": "each pass is hashed on its own (with the passes it reads)",
    "OUTPUT_DIR": "a folder: the same data, elsewhere",
    "DATA_DIR": "a folder: the same market data, elsewhere",
    "SKIP_EXISTING_OUTPUT": "whether a run recomputes, not what it computes",
    "SCHEDULES": "when runs start",
    "BATCH_FREQ": "how many days one computation holds (the partition period is the date "
    "dimension's, which Dagster versions on its own)",
    "NUM_WORKERS": "processes, not results",
    "MAX_ROWS_PER_BATCH": "listing batches, not results",
    "LOGGING_LEVEL": "what the run prints",
}
# Every other top-level setting counts (a new one counts until it is listed above):
# DATASETNAME and OUTPUT_TARGET (where and in which format the data is written),
# EXCLUDE_WEEKENDS (the days a weekly or monthly partition holds), TABLES_TO_LOAD (the inputs),
# GENERATE_MISSING_DATA (whether missing market data is generated or missing).
DATA_SETTINGS = tuple(
    name for name in AnalyticsConfig.model_fields if name not in NOT_DATA_SETTINGS
)
CODE_VERSION_LENGTH = 16


def config_json(config: AnalyticsConfig) -> str:
    """The config as canonical JSON (sorted keys, defaults included): what its hash covers."""
    return canonical_json(config.model_dump(mode="json"))


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def config_sha256(config: AnalyticsConfig) -> str:
    return sha256_text(config_json(config))


def pass_code_version(config: AnalyticsConfig, pass_name: str | None = None) -> str:
    """The code version of a pass's output: a hash of the pass's config, of the passes it reads
    (directly or not) and of :data:`DATA_SETTINGS`; ``None`` hashes every pass (one asset for
    the whole config). Changing a schedule, the log level or a pass that is not read leaves it
    unchanged."""
    from basalt.dagster.demos import pass_closure  # pass dependencies; no Dagster import

    data = config.model_dump(mode="json")
    names = pass_closure(config, pass_name) if pass_name is not None else None
    passes = [p for p in data["PASSES"] if names is None or p["name"] in names]
    settings = {name: data[name] for name in DATA_SETTINGS}
    text = canonical_json({"passes": passes, "settings": settings})
    return sha256_text(text)[:CODE_VERSION_LENGTH]
