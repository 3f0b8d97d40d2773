"""Tables of the run ledger (schema ``meta``). Every write is an upsert on the primary key, so
an operation applied twice (a spooled write replayed after a crash) changes nothing."""

from __future__ import annotations

# ``lost``: the run's process ended without recording its end (killed, machine lost); set by
# :func:`basalt.ledger.liveness.reconcile`.
STATUSES = ("running", "success", "failed", "cancelled", "lost")
TRIGGERS = ("cli", "tui", "web", "dagster")

DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.runs (
    run_id VARCHAR PRIMARY KEY,
    trigger VARCHAR NOT NULL,
    demo VARCHAR,
    config_file VARCHAR,
    config_sha256 VARCHAR,
    universe VARCHAR,
    start_date DATE,
    end_date DATE,
    status VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    error VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.run_assets (
    run_id VARCHAR NOT NULL,
    demo VARCHAR,
    pass_name VARCHAR NOT NULL,
    partition_key VARCHAR NOT NULL,
    universe VARCHAR,
    start_date DATE,
    end_date DATE,
    output_path VARCHAR,
    rows BIGINT,
    bytes BIGINT,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, pass_name, partition_key)
);
CREATE TABLE IF NOT EXISTS meta.asset_watermarks (
    demo VARCHAR NOT NULL,
    pass_name VARCHAR NOT NULL,
    universe VARCHAR NOT NULL,
    latest_date DATE NOT NULL,
    run_id VARCHAR,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (demo, pass_name, universe)
);
CREATE TABLE IF NOT EXISTS meta.asset_checks (
    run_id VARCHAR NOT NULL,
    pass_name VARCHAR NOT NULL,
    partition_key VARCHAR NOT NULL,
    check_name VARCHAR NOT NULL,
    passed BOOLEAN NOT NULL,
    severity VARCHAR,
    metadata JSON,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, pass_name, partition_key, check_name)
);
CREATE TABLE IF NOT EXISTS meta.dagster_sync (
    run_id VARCHAR NOT NULL,
    pass_name VARCHAR NOT NULL,
    partition_key VARCHAR NOT NULL,
    synced_at TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, pass_name, partition_key)
);
-- liveness: the process that runs the run, and when it last said so (added to older ledgers)
ALTER TABLE meta.runs ADD COLUMN IF NOT EXISTS host VARCHAR;
ALTER TABLE meta.runs ADD COLUMN IF NOT EXISTS pid INTEGER;
ALTER TABLE meta.runs ADD COLUMN IF NOT EXISTS pid_started BIGINT;
ALTER TABLE meta.runs ADD COLUMN IF NOT EXISTS heartbeat_at TIMESTAMP;
-- the command line's overrides of the config (JSON; NULL when none), and the outputs the run
-- left to another run writing them (JSON list; NULL when none)
ALTER TABLE meta.runs ADD COLUMN IF NOT EXISTS overrides VARCHAR;
ALTER TABLE meta.runs ADD COLUMN IF NOT EXISTS skipped VARCHAR;
"""

# A later step of the same run (a Dagster run starts each asset step on its own) widens the
# dates, adds its universe once, and fills what an earlier step did not know; a step that names
# no universe or dates (a freshness check) leaves the run's as they are.
UPSERT_RUN_START = """
INSERT INTO meta.runs (run_id, trigger, demo, config_file, config_sha256, universe,
                       start_date, end_date, status, started_at)
VALUES ($run_id, $trigger, $demo, $config_file, $config_sha256, $universe,
        $start_date, $end_date, 'running', $at)
ON CONFLICT (run_id) DO UPDATE SET
    demo = coalesce(meta.runs.demo, excluded.demo),
    config_file = coalesce(meta.runs.config_file, excluded.config_file),
    config_sha256 = coalesce(meta.runs.config_sha256, excluded.config_sha256),
    started_at = least(meta.runs.started_at, excluded.started_at),
    start_date = least(meta.runs.start_date, excluded.start_date),
    end_date = greatest(meta.runs.end_date, excluded.end_date),
    universe = CASE WHEN excluded.universe IS NULL THEN meta.runs.universe
                    WHEN meta.runs.universe IS NULL THEN excluded.universe
                    WHEN list_contains(string_split(meta.runs.universe, ', '), excluded.universe)
                    THEN meta.runs.universe
                    ELSE meta.runs.universe || ', ' || excluded.universe
               END
"""

# A run's status only moves forward: failed and cancelled stay, whatever a later step says
# (a Dagster run of several assets finishes each step on its own). A run taken for lost whose
# process then records its end gets that end (and its own error).
FINISH_RUN = """
UPDATE meta.runs SET
    status = CASE WHEN status IN ('failed', 'cancelled') THEN status ELSE $status END,
    error = CASE WHEN status = 'lost' THEN $error ELSE coalesce(error, $error) END,
    finished_at = greatest(coalesce(finished_at, $at), $at)
WHERE run_id = $run_id
"""

UPSERT_ASSET = """
INSERT INTO meta.run_assets VALUES ($run_id, $demo, $pass_name, $partition_key, $universe,
    $start_date, $end_date, $output_path, $rows, $bytes, $at)
ON CONFLICT (run_id, pass_name, partition_key) DO UPDATE SET
    output_path = excluded.output_path, rows = excluded.rows, bytes = excluded.bytes,
    recorded_at = excluded.recorded_at
"""

UPSERT_WATERMARK = """
INSERT INTO meta.asset_watermarks VALUES ($demo, $pass_name, $universe, $end_date, $run_id, $at)
ON CONFLICT (demo, pass_name, universe) DO UPDATE SET
    run_id = CASE WHEN excluded.latest_date >= meta.asset_watermarks.latest_date
                  THEN excluded.run_id ELSE meta.asset_watermarks.run_id END,
    latest_date = greatest(meta.asset_watermarks.latest_date, excluded.latest_date),
    updated_at = excluded.updated_at
"""

UPSERT_CHECK = """
INSERT INTO meta.asset_checks VALUES ($run_id, $pass_name, $partition_key, $check_name,
    $passed, $severity, $metadata, $at)
ON CONFLICT (run_id, pass_name, partition_key, check_name) DO UPDATE SET
    passed = excluded.passed, severity = excluded.severity, metadata = excluded.metadata,
    recorded_at = excluded.recorded_at
"""

SET_RUN_OVERRIDES = """
UPDATE meta.runs SET overrides = $overrides WHERE run_id = $run_id
"""

SET_RUN_SKIPPED = """
UPDATE meta.runs SET skipped = $skipped WHERE run_id = $run_id
"""

MARK_SYNCED = """
INSERT INTO meta.dagster_sync VALUES ($run_id, $pass_name, $partition_key, $at)
ON CONFLICT DO NOTHING
"""

# The process running the run says it is alive: its host, pid and start time (clock ticks since
# boot, so a reused pid is told apart), and the time. A run taken for lost comes back.
BEAT_RUN = """
UPDATE meta.runs SET
    host = $host, pid = $pid, pid_started = $pid_started,
    heartbeat_at = greatest(coalesce(heartbeat_at, $at), $at),
    status = CASE WHEN status = 'lost' THEN 'running' ELSE status END,
    error = CASE WHEN status = 'lost' THEN NULL ELSE error END,
    finished_at = CASE WHEN status = 'lost' THEN NULL ELSE finished_at END
WHERE run_id = $run_id AND status IN ('running', 'lost')
"""

MARK_LOST = """
UPDATE meta.runs SET status = 'lost', error = $error,
    finished_at = coalesce(heartbeat_at, started_at)
WHERE run_id = $run_id AND status = 'running'
"""
