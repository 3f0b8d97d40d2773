"""A writer killed mid-write leaves a hidden temporary file; the next write of that output
removes it, and never removes a live writer's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from basalt.atomic import atomic_path, sweep_temporaries


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_writers_temporary_is_swept_by_the_next_write(tmp_path: Path):
    out = tmp_path / "bars.parquet"
    left = tmp_path / f".bars.parquet.{dead_pid()}.abcd1234.tmp"
    left.write_bytes(b"half a parq")
    live = tmp_path / f".bars.parquet.{os.getpid()}.efgh5678.tmp"
    live.write_bytes(b"being written")
    other = tmp_path / f".other.parquet.{dead_pid()}.ijkl9012.tmp"
    other.write_bytes(b"another output's")

    with atomic_path(out) as tmp:
        assert tmp.name.startswith(f".bars.parquet.{os.getpid()}.")
        tmp.write_bytes(b"whole")

    assert out.read_bytes() == b"whole"
    assert not left.exists(), "the killed writer's file stays"
    assert live.exists(), "a live writer's file was removed"
    assert other.exists(), "another output's file was touched"
    assert sweep_temporaries(tmp_path / "other.parquet") == [other]


def test_doctor_lists_a_killed_writers_files_and_repair_removes_them(tmp_path: Path):
    from tests.faults.harness import DEMO, FaultWorld

    world = FaultWorld(tmp_path / "world")
    done = world.basalt("run", DEMO, "--date", "2025-01-06")
    assert done.returncode == 0, done.stderr
    [output] = list(world.output_dir.rglob("*.parquet"))
    left = output.with_name(f".{output.name}.{dead_pid()}.abcd1234.tmp")
    left.write_bytes(b"half")

    found = world.basalt("ledger", "doctor")
    assert found.returncode == 1, found.stdout + found.stderr
    assert "1 temporary files of killed writers left (--repair removes them)" in found.stdout
    assert left.exists()

    repaired = world.basalt("ledger", "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "1 temporary files of killed writers removed" in repaired.stdout
    assert not left.exists() and output.exists()


def test_repair_records_a_file_whose_run_was_killed_before_recording_it(tmp_path: Path):
    from tests.faults.harness import DEMO, FaultWorld

    world = FaultWorld(tmp_path / "world")
    done = world.basalt("run", DEMO, "--date", "2025-01-06")
    assert done.returncode == 0, done.stderr
    with world.ledger().connect() as con:  # as if killed between the rename and the record
        con.execute("DELETE FROM meta.run_assets")

    repaired = world.basalt("ledger", "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "ledger kept: 1 of 1 outputs on disk had no row" in repaired.stdout
    [row] = world.ledger().assets()
    assert row["run_id"].startswith("rebuilt-") and row["rows"] > 0
    again = world.basalt("ledger", "doctor", "--repair")
    assert "nothing to repair" in again.stdout
