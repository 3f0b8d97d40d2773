"""Venue holidays are kept under BASALT_HOME: a later process answers holiday questions
without importing exchange-calendars (nor pandas)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from basalt.data import venue_holidays

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("exchange_calendars", "pandas")
QUESTION = (
    "from datetime import date\n"
    "from basalt.data import calendars\n"
    "answers = [calendars.closed_reason('XLON', date(2025, 5, 26)),\n"
    "           calendars.closed_reason('XLON', date(2025, 5, 27)),\n"
    "           calendars.closed_reason('XPAR', date(2025, 5, 1))]\n"
    "import json, sys\n"
    f"print(json.dumps([answers, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
)
ANSWERS = ["holiday (Spring Bank Holiday)", None, "holiday (Labour Day)"]


def ask(home: Path) -> tuple[list, list[str]]:
    """(answers, heavy modules loaded) of a fresh interpreter whose BASALT_HOME is ``home``."""
    env = {**os.environ, "BASALT_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", QUESTION], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    answers, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    return answers, loaded


def cache_path(home: Path) -> Path:
    version = venue_holidays.library_version()
    return home / "cache" / f"venue-holidays-{version}.json"


def test_a_second_process_reads_the_cache_and_not_the_library(tmp_path: Path) -> None:
    assert ask(tmp_path) == (ANSWERS, list(HEAVY))
    cached = json.loads(cache_path(tmp_path).read_text())
    assert cached["XLON"]["2025"]["2025-05-26"] == "Spring Bank Holiday"
    assert "2025-05-27" not in cached["XLON"]["2025"]
    assert ask(tmp_path) == (ANSWERS, [])


def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    path = cache_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert ask(tmp_path) == (ANSWERS, list(HEAVY))
    assert "XPAR" in json.loads(path.read_text())
    assert ask(tmp_path) == (ANSWERS, [])


def test_another_library_version_does_not_use_the_file(tmp_path: Path, monkeypatch) -> None:
    ask(tmp_path)
    monkeypatch.setenv("BASALT_HOME", str(tmp_path))
    monkeypatch.setattr(venue_holidays, "library_version", lambda: "0.0.0")
    assert venue_holidays.cache_file() == tmp_path / "cache" / "venue-holidays-0.0.0.json"
    assert venue_holidays._cached("XLON", 2025) is None


def test_the_cached_answer_is_the_library_answer(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BASALT_HOME", str(tmp_path))
    venue_holidays.closed_weekdays.cache_clear()
    try:
        fresh = dict(venue_holidays.closed_weekdays("XETR", 2026))
        assert venue_holidays._cached("XETR", 2026) == fresh
        assert date(2026, 12, 25) in fresh
    finally:
        venue_holidays.closed_weekdays.cache_clear()


def test_an_oversized_cache_is_not_read_and_is_replaced(tmp_path: Path) -> None:
    path = cache_path(tmp_path)
    path.parent.mkdir(parents=True)
    # valid JSON, past the cap: an answer from it would be trusted if it were read
    filler = " " * venue_holidays.CACHE_MAX_BYTES
    path.write_text('{"XLON": {"2025": {"2025-05-27": "not a holiday"}}}' + filler)
    assert ask(tmp_path) == (ANSWERS, list(HEAVY))
    assert path.stat().st_size < venue_holidays.CACHE_MAX_BYTES
    assert "2025-05-27" not in json.loads(path.read_text())["XLON"]["2025"]
