"""Hostile YAML: how fast and in how much memory ``basalt config validate`` refuses it.

    .venv/bin/python bench/security_bench.py [REPEATS]

For each hostile file of ``tests/security/test_yaml_limits.py`` (alias bombs, many aliases,
too many values, deep nesting, a file just over 1 MiB and one of 10 MiB, binary data), runs
``python -m basalt config validate FILE`` REPEATS times (default 3) under a 1 GiB data limit
and prints the median wall time and the peak memory of the command (``ru_maxrss`` from
``os.wait4``, taken in a small runner so this process's own size does not count), its exit
code and its message; demo 01 (accepted) is the reference. Then one JSON line,
``{"cases": {...}}``. Nothing is asserted. Before the limits, a 396-byte bomb grew the process
to 24 GB and the 10 MB file took 92 s and 1.7 GB.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.security.test_yaml_limits import CASES, Run, run_basalt, write  # noqa: E402

REFERENCE = REPO / "demo" / "01_ohlcv_bars.py"


def measure(path: Path, repeats: int) -> dict:
    """Median seconds, highest peak memory, exit code and first line of ``validate path``."""
    runs: list[Run] = [run_basalt("config", "validate", str(path)) for _ in range(repeats)]
    lines = runs[-1].output.strip().splitlines() or [""]
    message = lines[0].removeprefix("error: ").replace(f"{path.parent}/", "")
    return {
        "seconds": round(statistics.median(r.seconds for r in runs), 3),
        "peak_mb": round(max(r.peak_kb for r in runs) / 1024, 1),
        "exit": runs[-1].code,
        "message": message,
    }


def cli_refusals(folder: Path, repeats: int) -> dict[str, dict]:
    """Every hostile case, then the accepted reference."""
    figures = {}
    for name, case in CASES.items():
        path = write(folder / f"{name}.yaml", case.make())
        figures[name] = measure(path, repeats)
        report_line(name, figures[name])
    figures["reference_demo_01"] = measure(REFERENCE, repeats)
    report_line("reference_demo_01", figures["reference_demo_01"])
    return figures


def report_line(name: str, figure: dict) -> None:
    print(
        f"{name:30} {figure['seconds'] * 1000:6.0f} ms {figure['peak_mb']:6.1f} MB"
        f"  exit {figure['exit']}  {figure['message'][:110]}",
        flush=True,
    )


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"basalt config validate, median of {repeats}: wall time, peak RSS, exit, message")
    with tempfile.TemporaryDirectory() as scratch:
        cases = cli_refusals(Path(scratch), repeats)
    print(json.dumps({"cases": cases}))


if __name__ == "__main__":
    main()
