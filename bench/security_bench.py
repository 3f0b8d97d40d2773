"""Hostile YAML: how fast and in how much memory ``basalt config validate`` refuses it.

    .venv/bin/python bench/security_bench.py [REPEATS]

For each hostile file of ``tests/security/test_yaml_limits.py`` (alias bombs, many aliases,
too many values, deep nesting, a file just over 1 MiB and one of 10 MiB, binary data), runs
``python -m basalt config validate FILE`` REPEATS times (default 3) under a 1 GiB data limit
and prints the median wall time and the peak memory of the command (``ru_maxrss`` from
``os.wait4``, taken in a small runner so this process's own size does not count), its exit
code and its message; demo 01 (accepted) is the reference. Then the web editor: some of the
cases opened as demos of their own in a real server, with the time to answer the refusal, the
server's peak memory, and another tab's page (to its first field on screen in Chromium) while
the refusal runs, against the same tab alone. Then one JSON line,
``{"cases": {...}, "web": {...}}``. Nothing is asserted. Before the limits, a 396-byte bomb grew the process
to 24 GB and the 10 MB file took 92 s and 1.7 GB.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
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


# -- the web server while it refuses a file ---------------------------------------------------


def _server_peak_mb(pid: int) -> float:
    """Peak resident memory of a running process (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _visible_ms(page, url: str) -> float:
    """Milliseconds from asking for ``url`` to its first form field on screen."""
    started = time.perf_counter()
    page.goto(url)
    page.locator('[data-path="DATASETNAME"] input').first.wait_for(state="visible", timeout=30000)
    return (time.perf_counter() - started) * 1000


def _timed_get(url: str, into: list[float]) -> None:
    """GET ``url`` to its last byte; append the milliseconds it took to ``into``."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as answer:
        answer.read()
    into.append((time.perf_counter() - started) * 1000)


def web_figures(cases: dict[str, bytes], rounds: int = 3) -> dict[str, dict[str, float]]:
    """For each hostile YAML, served as a demo of its own: how long the web server takes to
    answer its page with the refusal, its peak memory meanwhile, and how long another tab's
    page takes to be served and to show its editor while that happens (median of ``rounds``; the same tab alone is
    the baseline)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import start_server
    from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS, copy_demos

    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        root = Path(tmp) / "project"
        demo_dir = copy_demos(root)
        script = (demo_dir / "01_ohlcv_bars.py").read_text()
        names = {}
        for i, (name, data) in enumerate(cases.items()):
            stem = f"{60 + i:02d}_{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}"
            (demo_dir / f"{stem}.py").write_text(script)
            (demo_dir / f"{stem}.yaml").write_bytes(data)
            names[name] = f"demo/{stem}.py"
        server = start_server(root, "demo/01_ohlcv_bars.py")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            other = server.url("/?demo=demo/02_spreads_depth.py")
            _visible_ms(page, other)  # warm: the first page pays for imports
            alone = statistics.median(_visible_ms(page, other) for _ in range(rounds))
            served_alone: list[float] = []
            for _ in range(rounds):
                _timed_get(other, served_alone)
            figures["(no hostile file)"] = {
                "other_tab_ms": alone,
                "other_page_served_ms": statistics.median(served_alone),
                "server_peak_mb": _server_peak_mb(server.process.pid),
            }
            for name, demo in names.items():
                refuse, beside, answered = [], [], []
                for _ in range(rounds):
                    done: list[float] = []
                    url = server.url(f"/?demo={demo}")
                    worker = threading.Thread(target=_timed_get, args=(url, done))
                    worker.start()
                    time.sleep(0.02)  # the hostile page is being built when the other tab asks
                    served: list[float] = []
                    _timed_get(other, served)
                    beside.append(_visible_ms(page, other))
                    worker.join()
                    answered.append(served[0])
                    refuse.append(done[0])
                figures[name] = {
                    "refuse_ms": statistics.median(refuse),
                    "other_tab_ms": statistics.median(beside),
                    "other_page_served_ms": statistics.median(answered),
                    "server_peak_mb": _server_peak_mb(server.process.pid),
                }
        finally:
            browser.close()
            server.stop()
    return figures


WEB_CASES = (
    "bomb_block_map",
    "bomb_flow",
    "many_aliases_flow_under_1mib",
    "tiny_values_under_1mib",
    "block_seq_20000",
    "just_over_1mib",
    "ten_mib",
)


def web_refusals(rounds: int) -> dict[str, dict]:
    """The web server refusing some of the cases, and another tab meanwhile."""
    cases = {name: _as_bytes(CASES[name].make()) for name in WEB_CASES}
    figures = web_figures(cases, rounds)
    for name, figure in figures.items():
        parts = [
            f"other page served {figure['other_page_served_ms']:6.0f} ms",
            f"on screen {figure['other_tab_ms']:6.0f} ms",
        ]
        if "refuse_ms" in figure:
            parts.insert(0, f"refused in {figure['refuse_ms']:6.0f} ms")
        parts.append(f"server peak {figure['server_peak_mb']:6.1f} MB")
        print(f"{name:30} " + "  ".join(parts), flush=True)
    return figures


def _as_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"basalt config validate, median of {repeats}: wall time, peak RSS, exit, message")
    with tempfile.TemporaryDirectory() as scratch:
        cases = cli_refusals(Path(scratch), repeats)
    print()
    print(
        f"web editor, median of {repeats}: the hostile demo's page refused; another tab's page "
        "to its first field on screen (Chromium) meanwhile; the server's peak RSS so far"
    )
    web = web_refusals(repeats)
    print(json.dumps({"cases": cases, "web": web}))


if __name__ == "__main__":
    main()
