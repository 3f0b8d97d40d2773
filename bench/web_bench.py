"""Web editor benchmarks in headless Chromium (Playwright's Python package, Debian chromium).

    .venv/bin/python bench/web_bench.py

- start to interactive: ``python -m config_ui.web`` launched; seconds until it answers HTTP,
  then until a browser page has loaded, connected its websocket and shows the form. The
  target (1.5 s) is for the server being up to the page being interactive; the process
  start figure includes importing NiceGUI (about 1.5 s cold on these machines).
- keystroke to validation: milliseconds from a key's ``keydown`` in the page to the field's
  error text (``[data-error-for=PATH]``) appearing (a letter in a number) or clearing
  (Backspace), measured inside the page with a MutationObserver, so Playwright's own
  latency is not counted.
- keystroke to a config error: the same, for a value that parses but breaks a rule of the
  config (END_DATE before START_DATE), shown before the value is applied.

``bench/editor_bench.py`` includes these figures beside the terminal editor's; run alone,
this prints them the same way (figure, target, ratio below 1.0 meets it) and one JSON line.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

FIELD = "PASSES.0.time_bucket_seconds"

TARGETS = {
    "web_ready_to_interactive_s": 1.5,
    "web_keystroke_validation_ms": 100.0,
    "web_config_error_ms": 150.0,
}
LABELS = {
    "web_process_to_listening_s": "web: process start to server answering (s)",
    "web_ready_to_interactive_s": "web: server up to page interactive (s)",
    "web_process_to_interactive_s": "web: process start to page interactive (s)",
    "web_keystroke_validation_ms": "web on screen: key to parse error (ms)",
    "web_config_error_ms": "web on screen: key to config error (ms)",
}

OBSERVE = """
(path) => {
  const input = document.querySelector(`[data-path="${path}"] input`);
  const error = document.querySelector(`[data-error-for="${path}"]`);
  const shown = () => error.offsetParent !== null && error.textContent !== '';
  const bench = window.__bench = {samples: [], start: 0, shown: shown()};
  input.addEventListener('keydown', () => { bench.start = performance.now(); }, true);
  new MutationObserver(() => {
    const now = shown();
    if (now !== bench.shown) { bench.shown = now; bench.samples.push(performance.now() - bench.start); }
  }).observe(error, {attributes: true, childList: true, subtree: true, characterData: true});
}
"""


OBSERVE_TEXT = """
([path, word]) => {
  const input = document.querySelector(`[data-path="${path}"] input`);
  const error = document.querySelector(`[data-error-for="${path}"]`);
  const has = () => error.offsetParent !== null && error.textContent.includes(word);
  const bench = window.__text = {samples: [], start: 0, has: has()};
  input.addEventListener('keydown', () => { bench.start = performance.now(); }, true);
  new MutationObserver(() => {
    const now = has();
    if (now !== bench.has) {
      bench.has = now;
      if (now) bench.samples.push(performance.now() - bench.start);
    }
  }).observe(error, {attributes: true, childList: true, subtree: true, characterData: true});
}
"""


BENCH_TOKEN = secrets.token_urlsafe(32)


def _demo_copy(folder: Path) -> Path:
    demo = folder / "demo"
    demo.mkdir(parents=True, exist_ok=True)
    for suffix in (".py", ".yaml"):
        shutil.copy(REPO / "demo" / f"05_multi_pass{suffix}", demo / f"05_multi_pass{suffix}")
    return demo / "05_multi_pass.py"


def _start(folder: Path, port: int) -> tuple[subprocess.Popen, float, float]:
    """(process, launch time, time it first answered)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    env["BASALT_HOME"] = str(folder / "home")
    launched = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "config_ui.web",
            "demo/05_multi_pass.py",
            "--port",
            str(port),
            "--no-browser",
            "--token",
            BENCH_TOKEN,
        ],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = launched + 60
    while time.perf_counter() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/?probe=1", timeout=1).close()
            return process, launched, time.perf_counter()
        except urllib.error.HTTPError:
            return process, launched, time.perf_counter()
        except OSError:
            time.sleep(0.01)
    process.kill()
    raise RuntimeError("the web editor did not start")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


def _interactive(page, port: int) -> None:
    page.goto(f"http://127.0.0.1:{port}/?token={BENCH_TOKEN}")
    page.wait_for_function(
        "() => window.did_handshake === true && document.querySelector('[data-path=\"DATASETNAME\"] input')",
        timeout=30000,
        polling=5,
    )


def web_figures(folder: Path, starts: int = 3, keystrokes: int = 20) -> dict[str, float]:
    """Both web figures (medians); one browser for all runs."""
    from playwright.sync_api import sync_playwright

    _demo_copy(folder)
    listening, interactive, total, keys, config = [], [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = browser.new_page()
        warm.goto("about:blank")  # the browser's own start is not the editor's
        for run in range(starts):
            port = free_port()
            process, launched, answered = _start(folder, port)
            try:
                page = browser.new_page()
                _interactive(page, port)
                ready = time.perf_counter()
                listening.append(answered - launched)
                interactive.append(ready - answered)
                total.append(ready - launched)
                if run == starts - 1:
                    keys = _keystrokes(page, keystrokes)
                    config = _config_error(page, keystrokes)
                page.close()
            finally:
                _stop(process)
        browser.close()
    return {
        "web_process_to_listening_s": statistics.median(listening),
        "web_ready_to_interactive_s": statistics.median(interactive),
        "web_process_to_interactive_s": statistics.median(total),
        "web_keystroke_validation_ms": statistics.median(keys),
        "web_config_error_ms": statistics.median(config),
    }


def _keystrokes(page, count: int) -> list[float]:
    page.evaluate(OBSERVE, FIELD)
    field = page.locator(f'[data-path="{FIELD}"] input')
    field.click()
    page.keyboard.press("End")
    for i in range(count):
        before = page.evaluate("() => window.__bench.samples.length")
        page.keyboard.press("x" if i % 2 == 0 else "Backspace")
        page.wait_for_function(f"() => window.__bench.samples.length > {before}", polling=5)
    return page.evaluate("() => window.__bench.samples")


def _config_error(page, count: int) -> list[float]:
    """Keydown to an error of the config on screen: END_DATE typed before START_DATE (the
    value parses; ``2000-01-0`` before it does not)."""
    path = "END_DATE"
    field = page.locator(f'[data-path="{path}"] input')
    field.click()
    field.fill("2000-01-0")
    page.wait_for_function(
        f"() => document.querySelector('[data-error-for=\"{path}\"]').textContent"
        ".includes('not a date')",
        polling=5,
    )
    page.evaluate(OBSERVE_TEXT, [path, "is before"])
    page.keyboard.press("End")
    for _ in range(count):
        before = page.evaluate("() => window.__text.samples.length")
        page.keyboard.press("1")
        page.wait_for_function(f"() => window.__text.samples.length > {before}", polling=5)
        page.keyboard.press("Backspace")
        page.wait_for_function("() => !window.__text.has", polling=5)
    return page.evaluate("() => window.__text.samples")


def report(figures: dict[str, float]) -> None:
    for key, value in figures.items():
        target = TARGETS.get(key)
        line = f"{LABELS.get(key, key):46s} {value:9.2f}"
        if target:
            line += f"   target < {target:g}, ratio {value / target:.2f}"
        print(line)


def main() -> None:
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver")
    with tempfile.TemporaryDirectory() as tmp:
        figures = web_figures(Path(tmp))
    report(figures)
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
