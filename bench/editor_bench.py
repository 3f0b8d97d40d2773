"""Editor benchmarks: the form model, the terminal editor's first frame, and a keystroke's
way to the field's validation message.

    .venv/bin/python bench/editor_bench.py

One function per figure; ``main()`` prints each figure with its target and the ratio
(figure / target, below 1.0 meets it), then one JSON line. Medians of repeated runs, all
measured in this one run (the machines are noisy). The web editor adds its figures here.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGETS = {
    "form_build_ms": 50.0,
    "session_refresh_ms": 50.0,
    "tui_first_frame_s": 1.0,
    "tui_keystroke_validation_ms": 30.0,
    "tui_screen_config_error_ms": 150.0,
    "tui_screen_parse_error_ms": 150.0,
}

try:  # the web editor's figures (headless Chromium): bench/web_bench.py
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import web_bench
except ImportError:  # pragma: no cover - NiceGUI or Playwright missing
    web_bench = None  # type: ignore[assignment]
else:
    TARGETS.update(web_bench.TARGETS)


def median_ms(run: Callable[[], object], repeat: int = 15) -> float:
    run()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def ten_pass_demo(folder: Path) -> Path:
    """A demo pair in ``folder`` whose YAML has 10 passes: 9 with every module but
    ``reaggregate``, then one re-aggregating pass. Returns the script's path."""
    from basalt.config import module_registry

    modules = [m for m in module_registry() if m != "reaggregate"]
    lines = ["USER_CONFIG:", "  DATASETNAME: bench", "  PASSES:"]
    for i in range(9):
        lines += [
            f"    - name: p{i}",
            f"      time_bucket_seconds: {60 * (i + 1)}",
            f"      modules: [{', '.join(modules)}]",
        ]
    lines += [
        "    - name: agg",
        "      time_bucket_seconds: 3600",
        "      modules: [reaggregate]",
        "      reaggregate_analytics:",
        "        group_by: index",
    ]
    script = folder / "bench_demo.py"
    shutil.copy(REPO / "demo" / "05_multi_pass.py", script)
    (folder / "bench_demo.yaml").write_text("\n".join(lines) + "\n")
    return script


# -- figures ------------------------------------------------------------------------------------


def form_build(folder: Path) -> dict[str, float]:
    """Building the form model of the 10-pass config (``build_form``), and a whole session
    refresh (resolve, validate, build) as every edit does."""
    from basalt.config.analytics import AnalyticsConfig
    from config_ui.core.form_builder import build_form
    from config_ui.core.session import EditorSession

    session = EditorSession.open(ten_pass_demo(folder))
    resolved = session.resolved
    assert resolved is not None and session.root is not None
    nodes = sum(1 for _ in session.root.walk())
    return {
        "form_build_ms": median_ms(
            lambda: build_form(AnalyticsConfig, resolved.data, resolved.origin)
        ),
        "session_refresh_ms": median_ms(session.refresh),
        "form_nodes": float(nodes),
    }


def tui_first_frame(folder: Path, runs: int = 3) -> dict[str, float]:
    """Seconds from process start (``python -m config_ui``) to the first ready frame of the
    terminal editor, headless; the app exits there and prints the time."""
    script = folder / "05_multi_pass.py"
    for suffix in (".py", ".yaml"):
        shutil.copy(REPO / "demo" / f"05_multi_pass{suffix}", folder / f"05_multi_pass{suffix}")
    times = []
    for _ in range(runs):
        env = dict(
            os.environ,
            BASALT_HOME=str(folder / "home"),
            BASALT_TUI_BENCH_T0=str(time.perf_counter()),
        )
        result = subprocess.run(
            [sys.executable, "-m", "config_ui", str(script), "--no-watch"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0 or not result.stdout.startswith("first-frame-seconds"):
            raise RuntimeError(f"the editor did not start: {result.stderr[-2000:]}")
        times.append(float(result.stdout.split()[1]))
    return {"tui_first_frame_s": statistics.median(times)}


def tui_keystroke_validation(folder: Path, keystrokes: int = 20) -> dict[str, float]:
    """Milliseconds from a key event reaching the app to the field's error text changing
    (alternately a key that breaks the number and one that fixes it)."""
    from textual import events

    from config_ui.tui import build_app

    for suffix in (".py", ".yaml"):
        shutil.copy(REPO / "demo" / f"05_multi_pass{suffix}", folder / f"kb{suffix}")
    os.environ["BASALT_HOME"] = str(folder / "home")
    app = build_app(folder / "kb.py", watch=False)
    path = "PASSES.0.time_bucket_seconds"

    async def run() -> list[float]:
        times: list[float] = []
        async with app.run_test(size=(140, 45)) as pilot:
            await app.editor.goto(path)
            await pilot.pause()
            error = app.editor.query_one(f"#e-{path.replace('.', '-')}")
            for i in range(keystrokes):
                before = str(error.render())
                key = events.Key("x", "x") if i % 2 == 0 else events.Key("backspace", None)
                start = time.perf_counter()
                app.post_message(key)
                while str(error.render()) == before:
                    await asyncio.sleep(0)
                times.append((time.perf_counter() - start) * 1000)
                await pilot.pause()
        return times

    times = asyncio.run(run())
    return {"tui_keystroke_validation_ms": statistics.median(times)}


def _screen(name: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True
    ).stdout


def _form_text(screen: str) -> str:
    """The screen without the help panel on the right (it repeats the field's errors)."""
    return "\n".join(line.split("▏")[0] for line in screen.splitlines())


def _until_on_screen(name: str, text: str, timeout: float = 10.0) -> float:
    """Poll the terminal until ``text`` is in the form; the time it was first seen."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if text in _form_text(_screen(name)):
            return time.perf_counter()
    raise RuntimeError(f"{text!r} never showed on the screen:\n{_screen(name)}")


def tui_keystroke_on_screen(folder: Path, keystrokes: int = 15) -> dict[str, float]:
    """Milliseconds from a key sent to the terminal editor (the real app in tmux, 120x36) to
    the field's error being on the screen (``tmux capture-pane``), for an error of the config
    (END_DATE before START_DATE: the typed value parses, and differs from the value applied)
    and for text that does not parse.
    Each sample includes starting ``tmux send-keys`` and reading the pane (a few ms)."""
    if shutil.which("tmux") is None:
        print("terminal on-screen figures skipped: needs tmux")
        return {}
    for suffix in (".py", ".yaml"):
        shutil.copy(REPO / "demo" / f"05_multi_pass{suffix}", folder / f"kb{suffix}")
    name = f"basalt-bench-{os.getpid()}"
    command = (
        f"env BASALT_HOME={folder / 'home'} {sys.executable} -m config_ui "
        f"{folder / 'kb.py'} --no-watch --goto END_DATE"
    )
    tmux = ["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "36", command]
    subprocess.run(tmux, check=True, cwd=REPO)

    def send(*keys: str, literal: bool = False) -> None:
        flag = ["-l"] if literal else []
        subprocess.run(["tmux", "send-keys", "-t", name, *flag, *keys], check=True)

    config, parse = [], []
    try:
        _until_on_screen(name, "2025-01-02", timeout=60)
        for attempt in range(10):  # keys sent before the field has focus go elsewhere
            time.sleep(0.5)
            send("End", *["BSpace"] * 12)
            send("2000-01-0", literal=True)
            try:
                _until_on_screen(name, "'2000-01-0' is not a date", timeout=3)
                break
            except RuntimeError:
                if attempt == 9:
                    raise
        for i in range(keystrokes):
            day = "12"[i % 2]  # never the value applied last: its error would show already
            start = time.perf_counter()
            send(day, literal=True)
            config.append((_until_on_screen(name, f"2000-01-0{day} is before") - start) * 1000)
            time.sleep(0.5)  # applied meanwhile
            start = time.perf_counter()
            send("BSpace")
            parse.append((_until_on_screen(name, "is not a date") - start) * 1000)
            time.sleep(0.5)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
    return {
        "tui_screen_config_error_ms": statistics.median(config),
        "tui_screen_parse_error_ms": statistics.median(parse),
    }


def web_figures(folder: Path) -> dict[str, float]:
    """The web editor's start-to-interactive and keystroke figures (``bench/web_bench.py``);
    none when NiceGUI, Playwright or Debian's chromium is missing."""
    if web_bench is None or not Path(web_bench.CHROMIUM).exists():
        print("web editor figures skipped: needs nicegui, playwright and /usr/bin/chromium")
        return {}
    return web_bench.web_figures(folder)


def main() -> None:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, figure in (
            ("form", form_build),
            ("first_frame", tui_first_frame),
            ("keystroke", tui_keystroke_validation),
            ("screen", tui_keystroke_on_screen),
            ("web", web_figures),
        ):
            folder = Path(tmp) / name
            folder.mkdir()
            figures.update(figure(folder))
    labels = {
        "form_build_ms": "form model, 10 passes, every module (ms)",
        "session_refresh_ms": "session refresh: resolve+validate+form (ms)",
        "form_nodes": "form nodes in that config",
        "tui_first_frame_s": "TUI: process start to first frame (s)",
        "tui_keystroke_validation_ms": "TUI model only: key event to error text (ms)",
        "tui_screen_config_error_ms": "TUI on screen: key to config error (ms)",
        "tui_screen_parse_error_ms": "TUI on screen: key to parse error (ms)",
        **(web_bench.LABELS if web_bench else {}),
    }
    for key, value in figures.items():
        target = TARGETS.get(key)
        line = f"{labels.get(key, key):46s} {value:9.2f}"
        if target:
            line += f"   target < {target:g}, ratio {value / target:.2f}"
        print(line)
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
