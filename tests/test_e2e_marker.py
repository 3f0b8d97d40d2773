"""``make test-fast`` leaves out the slow folders: tests there carry the ``e2e`` marker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = ["tests/faults", "tests/config/test_user_messages.py"]


def collected(marker: str) -> set[str]:
    """Top folders (under tests/) of the tests ``-m marker`` selects from ``SAMPLE``."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + ["-m", marker, *SAMPLE],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ids = [line for line in result.stdout.splitlines() if "::" in line]
    return {Path(i.split("::")[0]).parts[1] for i in ids}


def test_slow_folders_are_e2e_and_the_rest_is_not():
    assert collected("e2e") == {"faults"}
    assert collected("not e2e") == {"config"}
