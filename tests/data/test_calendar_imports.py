"""exchange-calendars (and pandas) load on the first holiday question only: session times,
tick sizes and `basalt config validate` never import them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("exchange_calendars", "pandas")


def loaded_after(code: str) -> list[str]:
    """The heavy modules imported by a fresh interpreter once ``code`` has run."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sessions_and_ticks_do_not_load_the_library() -> None:
    code = (
        "from datetime import date\n"
        "from basalt.data import calendars, universe_days\n"
        "calendars.session('XLON', date(2025, 5, 26))\n"
        "calendars.tick_size('XPAR', 56.0)\n"
        "universe_days.universe_venues('mic=XLON')\n"
    )
    assert loaded_after(code) == []


def test_the_first_holiday_question_loads_it() -> None:
    code = (
        "from datetime import date\n"
        "from basalt.data import calendars\n"
        "assert not calendars.is_trading_day('XLON', date(2025, 5, 26))\n"
    )
    assert loaded_after(code) == list(HEAVY)


def test_config_validate_does_not_load_the_library() -> None:
    code = (
        "from basalt.cli import main\n"
        "assert main(['config', 'validate', 'demo/01_ohlcv_bars.py']) == 0\n"
    )
    assert loaded_after(code) == []
