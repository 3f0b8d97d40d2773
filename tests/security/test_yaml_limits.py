"""Hostile YAML: alias bombs, huge, deep, binary and special files are refused early.

Each file goes to a real ``basalt config validate`` (or ``set``) process under a 1 GiB data
limit; it must exit 1 with one ``FILE:LINE:COL: message`` line, no traceback, a peak memory
under 200 MB (the child's ``ru_maxrss`` from ``os.wait4``) and the file left as it was. Before
these limits, a 396-byte bomb grew the process to 24 GB and a 10 MB file took 92 s. The
limits live in the document layer (:mod:`basalt.config.yaml_tree`,
:func:`basalt.config.document.read_capped`), so live reload and the editors get them too.

Refusals without a place in the file read ``FILE: message``: binary data (as
``tests/config`` expects), and links or special files, which :mod:`basalt.config.demo_files`
refuses before anything is opened.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from basalt.config import yaml_tree
from basalt.config.document import ConfigDocument, DocumentError
from basalt.config.yaml_tree import MAX_BYTES_ENV, MAX_DEPTH, MAX_VALUES, parse
from tests.security.conftest import run_in_own_loop

REPO = Path(__file__).resolve().parents[2]
MIB = 1 << 20
MEMORY_CAP = 1 << 30  # RLIMIT_DATA of the child: a runaway fails there, not in the OOM killer
PEAK_KB = 200 * 1024  # ru_maxrss is in KiB on Linux
KILL_AFTER = 120.0  # a hung child is killed (a guard, not a timing assertion)

# A child's ru_maxrss starts from its parent's resident size at the fork (exec keeps the high
# mark), and this test process can be large. So a small runner process starts the command
# and reports the command's own peak (and its wall time, for the bench):
# ``runner REPORT_FILE CAP ARGV...``.
RUNNER = """\
import os, resource, subprocess, sys, time
report, cap, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
began = time.perf_counter()
proc = subprocess.Popen(argv)
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - began
code = os.waitstatus_to_exitcode(status)
with open(report, "w") as out:
    out.write(f"{code} {usage.ru_maxrss} {seconds}")
sys.exit(0)
"""
HEAD = "USER_CONFIG:\n  DATASETNAME: hostile\n"


# -- hostile files ---------------------------------------------------------------------------


def bomb_block_map(levels: int = 9, width: int = 9) -> str:
    lines = [HEAD + "  EXTRA:", '    l0: &l0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"    l{i}: &l{i}")
        lines += [f"      k{j}: *l{i - 1}" for j in range(width)]
    return "\n".join(lines) + "\n"


def bomb_block_seq(levels: int = 9, width: int = 9) -> str:
    lines = [HEAD + "  EXTRA:", '    - &l0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"    - &l{i}")
        lines += [f"      - *l{i - 1}"] * width
    return "\n".join(lines) + "\n"


def bomb_flow(levels: int = 9, width: int = 9) -> str:
    """The 396-byte kind: each level a flow list of nine aliases of the one before."""
    lines = [HEAD + "  EXTRA:", '    l0: &l0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"    l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def many_aliases_flow(count: int = 200_000) -> str:
    """Many references to one small anchor, under 1 MiB (3 bytes an alias)."""
    return HEAD + "  A: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n  EXTRA: [" + "*a," * count + "]\n"


def many_aliases_block(count: int = 200_000) -> str:
    """The same in block style: 1.8 MB, over the size limit."""
    return HEAD + "  A: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n  EXTRA:\n" + "    - *a\n" * count


def deep_alias_chain(links: int = 30, depth: int = 10) -> str:
    """Anchors nesting each other: few levels written at any point, 300 once expanded."""
    lines = [HEAD + "  EXTRA:", "    l0: &l0 1"]
    for i in range(1, links + 1):
        lines.append(f"    l{i}: &l{i} " + "[" * depth + f"*l{i - 1}" + "]" * depth)
    return "\n".join(lines) + "\n"


def tiny_values(count: int = 260_000) -> str:
    """Just under 1 MiB of one-value lines: too many values, not too many bytes."""
    return "- 1\n" * count


def deep_flow_seq(levels: int) -> str:
    return HEAD + "  EXTRA: " + "[" * levels + "]" * levels + "\n"


def deep_flow_map(levels: int = 10_000) -> str:
    return HEAD + "  EXTRA: " + "{a: " * levels + "1" + "}" * levels + "\n"


def deep_block_map(levels: int = 1_400) -> str:
    """As deep as block indentation gets in 1 MiB."""
    keys = "".join(" " * (i + 2) + f"k{i}:\n" for i in range(levels))
    return HEAD + keys + " " * (levels + 2) + "v\n"


def deep_block_seq(levels: int = 20_000) -> str:
    return HEAD + "  EXTRA:\n    " + "- " * levels + "x\n"


def big_file(size: int) -> str:
    body = "    - 1\n" * ((size - len(HEAD) - 10) // 8 + 1)
    return HEAD + "  EXTRA:\n" + body


@dataclass(frozen=True)
class Case:
    make: Callable[[], str | bytes]
    message: str  # a part of the expected message (a regular expression)
    positioned: bool = True  # FILE:LINE:COL (else FILE:)


CASES = {
    "bomb_block_map": Case(bomb_block_map, "too much aliasing"),
    "bomb_block_seq": Case(bomb_block_seq, "too much aliasing"),
    "bomb_flow": Case(bomb_flow, "too much aliasing"),
    "many_aliases_flow_under_1mib": Case(many_aliases_flow, "too much aliasing"),
    "many_aliases_block_over_1mib": Case(many_aliases_block, r"the file is 1\.7 MiB"),
    "deep_alias_chain": Case(deep_alias_chain, "too deeply nested: the alias"),
    "tiny_values_under_1mib": Case(tiny_values, "too many values"),
    "flow_seq_10000": Case(lambda: deep_flow_seq(10_000), "too deeply nested"),
    "flow_seq_20000": Case(lambda: deep_flow_seq(20_000), "too deeply nested"),
    "flow_map_10000": Case(deep_flow_map, "too deeply nested"),
    "block_map_1400": Case(deep_block_map, "too deeply nested"),
    "block_seq_20000": Case(deep_block_seq, "too deeply nested"),
    "just_over_1mib": Case(lambda: big_file(MIB + 1), r"the file is 1,048,5\d\d bytes"),
    "ten_mib": Case(lambda: big_file(10 * MIB), r"the file is 10\.0 MiB"),
    "invalid_utf8": Case(lambda: HEAD.encode() + b"  A: caf\xe9\n", "not a UTF-8 text file"),
    # An existing contract (tests/config): binary data is reported without a position.
    "nul_bytes": Case(
        lambda: HEAD.encode() + b"  A: \x00\x01\xff\n", r"not a UTF-8 text file", False
    ),
}


# -- running the command line ----------------------------------------------------------------


@dataclass
class Run:
    code: int
    output: str  # stdout and stderr
    peak_kb: int
    seconds: float  # wall time (the bench prints it; tests never assert on time)


def run_basalt(*argv: str, env: dict[str, str] | None = None) -> Run:
    """``python -m basalt ARGV`` under the memory cap; its exit code, output and peak RSS."""
    return run_command([sys.executable, "-m", "basalt", *argv], env)


def run_command(argv: list[str], env: dict[str, str] | None = None, cwd: Path = REPO) -> Run:
    """``argv`` under the memory cap, through the runner."""
    environ = {k: v for k, v in os.environ.items() if k != MAX_BYTES_ENV}
    environ.update(env or {})
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report"
        with open(Path(scratch) / "output", "w+b") as out:
            runner = subprocess.Popen(
                [sys.executable, "-c", RUNNER, str(report), str(MEMORY_CAP), *argv],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=cwd,
                env=environ,
                start_new_session=True,
            )
            guard = threading.Timer(KILL_AFTER, os.killpg, (runner.pid, signal.SIGKILL))
            guard.start()
            try:
                runner.wait()
            finally:
                guard.cancel()
            out.seek(0)
            output = out.read().decode("utf-8", errors="replace")
        assert runner.returncode == 0 and report.exists(), f"the runner failed\n{output}"
        code, peak_kb, seconds = report.read_text().split()
    return Run(int(code), output, int(peak_kb), float(seconds))


def fingerprint(path: Path) -> str:
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        return f"mode {info.st_mode:o}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused(run: Run, path: Path, message: str, positioned: bool = True) -> re.Match:
    """Exit 1, no traceback, one line ``FILE:LINE:COL: ...message...``, bounded memory."""
    assert run.code == 1, run.output
    assert "Traceback" not in run.output, run.output
    assert run.peak_kb < PEAK_KB, f"peak RSS {run.peak_kb // 1024} MB\n{run.output}"
    where = re.escape(str(path)) + (r":(\d+):(\d+)" if positioned else "")
    found = re.search(rf"^(?:error: )?{where}: .*{message}.*$", run.output, re.MULTILINE)
    assert found, run.output
    return found


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "demo"
    path.mkdir()
    return path


# -- the command line ------------------------------------------------------------------------


def test_the_runner_sees_the_peak_memory_and_enforces_the_cap():
    grow = "import sys; x = bytearray(int(sys.argv[1]) << 20); print(len(x))"
    peak = run_command([sys.executable, "-c", grow, "300"])
    assert peak.code == 0 and peak.peak_kb > 290 * 1024, peak
    capped = run_command([sys.executable, "-c", grow, "2000"])
    assert capped.code == 1 and "MemoryError" in capped.output, capped


@pytest.mark.parametrize("name", CASES)
def test_validate_refuses_hostile_yaml(folder: Path, name: str):
    case = CASES[name]
    path = write(folder / "01_hostile.yaml", case.make())
    before = fingerprint(path)
    run = run_basalt("config", "validate", str(path))
    found = assert_refused(run, path, case.message, case.positioned)
    if case.positioned:
        line, column = int(found.group(1)), int(found.group(2))
        lines = path.read_bytes().split(b"\n")
        assert 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1
    assert fingerprint(path) == before


def test_validate_refuses_a_fifo_without_blocking(folder: Path):
    fifo = folder / "01_fifo.yaml"
    os.mkfifo(fifo)
    run = run_basalt("config", "validate", str(fifo))
    assert_refused(run, fifo, "not a regular file", positioned=False)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_validate_refuses_a_link_to_dev_zero(folder: Path):
    zero = folder / "01_zero.yaml"
    zero.symlink_to("/dev/zero")
    run = run_basalt("config", "validate", str(zero))
    assert_refused(run, zero, "symbolic link", positioned=False)


def test_set_refuses_a_bomb_and_writes_nothing(folder: Path):
    path = write(folder / "01_hostile.yaml", bomb_flow())
    before = fingerprint(path)
    run = run_basalt("config", "set", str(path), "DATASETNAME", "changed")
    assert_refused(run, path, "too much aliasing")
    assert fingerprint(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["01_hostile.yaml"]


def test_set_refuses_a_file_over_the_size_limit(folder: Path):
    path = write(folder / "01_big.yaml", big_file(2 * MIB))
    before = fingerprint(path)
    run = run_basalt("config", "set", str(path), "DATASETNAME", "changed")
    assert_refused(run, path, r"the file is 2\.0 MiB")
    assert fingerprint(path) == before


LEGIT = """\
USER_CONFIG:
  DATASETNAME: anchors
  START_DATE: 2025-01-02
  END_DATE: 2025-01-03
  UNIVERSE: mic=XLON
  PASSES:
    - name: bars_1m
      time_bucket_seconds: 60
      modules: &modules [trade]
      trade_analytics: &trade   # the same metrics in both passes
        generic_metrics:
          - sides: Total
            measures: [OHLC, Volume, VWAP]
    - name: bars_5m
      time_bucket_seconds: 300
      modules: *modules
      trade_analytics: *trade
"""


def test_a_file_with_a_few_aliases_still_loads(folder: Path):
    path = write(folder / "01_anchors.yaml", LEGIT)
    run = run_basalt("config", "validate", str(path))
    assert run.code == 0 and "valid" in run.output, run.output
    data = ConfigDocument.load(path).data()
    first, second = data["PASSES"]
    assert second["trade_analytics"] == first["trade_analytics"]
    assert second["modules"] == ["trade"]


def padded(size: int) -> str:
    """A valid config of about ``size`` bytes: the padding is a comment."""
    text = LEGIT + "# padding\n"
    return text + "#" * (size - len(text) - 1) + "\n"


def test_the_size_limit_can_be_raised_and_lowered(folder: Path):
    path = write(folder / "01_padded.yaml", padded(int(1.5 * MIB)))
    refused = run_basalt("config", "validate", str(path))
    assert_refused(refused, path, rf"config files may be at most 1\.0 MiB .*{MAX_BYTES_ENV}")
    raised = run_basalt("config", "validate", str(path), env={MAX_BYTES_ENV: str(2 * MIB)})
    assert raised.code == 0 and "valid" in raised.output, raised.output

    small = write(folder / "01_small.yaml", LEGIT)
    assert run_basalt("config", "validate", str(small)).code == 0
    lowered = run_basalt("config", "validate", str(small), env={MAX_BYTES_ENV: "100"})
    assert_refused(lowered, small, rf"the file is {len(LEGIT)} bytes; .* at most 100 bytes")


def test_a_bad_size_limit_is_an_error_not_a_fallback(folder: Path):
    path = write(folder / "01_anchors.yaml", LEGIT)
    run = run_basalt("config", "validate", str(path), env={MAX_BYTES_ENV: "2MB"})
    assert run.code == 1 and "Traceback" not in run.output, run.output
    assert f"{path}: {MAX_BYTES_ENV}='2MB' is not a size in bytes" in run.output


# -- the document layer, in process ------------------------------------------------------------


def test_parse_refuses_text_over_the_limit_from_memory(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    text = "A: " + "x" * 2 * MIB + "\n"
    with pytest.raises(DocumentError, match=r"^mem\.yaml:1:1: the file is 2\.0 MiB; config"):
        ConfigDocument.loads(text, "mem.yaml")
    wide = "A: " + "é" * (MIB // 2) + "\n"  # fewer characters than the limit, more bytes
    with pytest.raises(DocumentError, match="the file is 1,048,580 bytes; .* 1,048,576 bytes"):
        parse(wide)


def test_nesting_up_to_the_limit_loads():
    levels = MAX_DEPTH - 1  # and the root mapping
    assert construct_depth(parse("A: " + "[" * levels + "]" * levels).root) == MAX_DEPTH
    with pytest.raises(DocumentError, match=r"^<string>:1:\d+: too deeply nested"):
        parse("A: " + "[" * (levels + 1) + "]" * (levels + 1))


def test_a_recursion_error_never_escapes(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(yaml_tree, "MAX_DEPTH", 1_000_000)  # as if the depth check were missing
    with pytest.raises(DocumentError, match=r"^<string>:1:\d+: too deeply nested"):
        parse("A: " + "[" * 20_000 + "]" * 20_000)


def construct_depth(node) -> int:
    node = yaml_tree.deref(node)
    if isinstance(node, yaml_tree.MappingNode):
        return 1 + max((construct_depth(v) for _, v in node.entries), default=0)
    if isinstance(node, yaml_tree.SequenceNode):
        return 1 + max((construct_depth(i) for i in node.items), default=0)
    return 0


def test_the_pure_python_parser_is_refused_early_too(monkeypatch: pytest.MonkeyPatch):
    real = yaml_tree.YAML
    monkeypatch.setattr(yaml_tree, "YAML", lambda typ, pure: real(typ=typ, pure=True))
    for text in ("A: " + "{a: " * 20_000 + "1" + "}" * 20_000, bomb_flow(), deep_block_seq()):
        with pytest.raises(DocumentError, match=r"^<string>:\d+:\d+: too (deeply|much)"):
            parse(text)


def small_bomb(aliases: int) -> str:
    return "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [" + ", ".join(["*a"] * aliases) + "]\n"


def test_aliases_in_a_small_document_are_never_refused():
    # 14 values written, 900 added by aliases: over 50 per value, but under 1,000 in all.
    tree = parse(small_bomb(90))
    assert tree.root is not None and tree.root.size == 914
    assert len(yaml_tree.construct(tree.root)["b"]) == 90
    with pytest.raises(DocumentError, match=r"^<string>:2:\d+: too much aliasing: .* 700 values"):
        parse(small_bomb(100))


def test_the_alias_count_stops_at_the_first_alias_over_the_limit():
    """Only sizes are added up: the nine-level bomb is refused at its sixth level."""
    with pytest.raises(DocumentError) as refused:
        parse(bomb_flow(levels=30, width=9))
    assert refused.value.line is not None and refused.value.line <= 12


def test_values_up_to_the_limit_load():
    count = MAX_VALUES // 2 - 10  # a key and a value each
    text = "".join(f"k{i}: {i}\n" for i in range(count))
    assert parse(text).root.size == 1 + 2 * count
    with pytest.raises(DocumentError, match=rf"too many values: .* {MAX_VALUES:,}"):
        parse(text + "".join(f"x{i}: {i}\n" for i in range(20)))


def test_long_values_are_cut_in_messages():
    text = "A: !!int " + "9" * 5_000 + "\n"
    with pytest.raises(DocumentError) as refused:
        parse(text)
    assert len(str(refused.value)) < 400


def test_load_refuses_special_files_without_blocking(tmp_path: Path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(DocumentError, match=rf"^{re.escape(str(path))}:1:1: not a regular"):
            ConfigDocument.load(path)


def test_load_refuses_a_big_file_before_reading_it(tmp_path: Path, monkeypatch):
    path = tmp_path / "sparse.yaml"
    with open(path, "wb") as sparse:
        sparse.truncate(8 << 30)  # 8 GiB of holes: only a read would cost anything
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(DocumentError, match=r"sparse\.yaml:1:1: the file is 8\.0 GiB"):
        ConfigDocument.load(path)
    assert reads == []


def test_a_file_that_grows_while_read_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    path = write(tmp_path / "growing.yaml", "# " + "x" * 5_000 + "\n")
    monkeypatch.setenv(MAX_BYTES_ENV, "1000")

    def small(stat_fn):  # the size as it was before the file grew
        def stat_before(*args):
            info = stat_fn(*args)
            return os.stat_result((*info[:6], 10, *info[7:10]))

        return stat_before

    monkeypatch.setattr(os, "stat", small(os.stat))
    monkeypatch.setattr(os, "fstat", small(os.fstat))
    read = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    with pytest.raises(DocumentError, match=r"growing\.yaml:1:1: the file is more than 1000 bytes"):
        ConfigDocument.load(path)
    assert sum(read) == 1001


# -- live reload and the editors -----------------------------------------------------------------


def demo_with(folder: Path, yaml_text: str) -> Path:
    script = folder / "01_ohlcv_bars.py"
    shutil.copy(REPO / "demo" / "01_ohlcv_bars.py", script)
    write(script.with_suffix(".yaml"), yaml_text)
    return script


def test_live_reload_refuses_a_bomb_with_its_position(folder: Path):
    from basalt.dagster.dev import validate_demo
    from basalt.dagster.live_reload import LiveReloader, ReloadEvent

    script = demo_with(folder, bomb_flow())
    yaml_path = script.with_suffix(".yaml")
    error = validate_demo(script)
    assert error is not None and re.match(rf"{re.escape(str(yaml_path))}:\d+:\d+: too much", error)

    events: list[ReloadEvent] = []
    reloads: list[int] = []
    with LiveReloader(lambda: reloads.append(1), validate_demo, events.append, 0.0) as reloader:
        reloader.notify(yaml_path)
        assert reloader.wait_idle(60.0)
    assert [e.state for e in events] == ["refused"] and reloads == []
    assert events[0].reason == error


def test_the_editor_session_raises_the_refusal(folder: Path):
    from config_ui.core.session import EditorSession

    script = demo_with(folder, bomb_block_seq())
    with pytest.raises(DocumentError, match=r"01_ohlcv_bars\.yaml:\d+:\d+: too much aliasing"):
        EditorSession.open(script)


@pytest.mark.parametrize(
    ("make", "message", "raw"),
    [
        (bomb_flow, "too much aliasing", "&l9"),
        (lambda: big_file(10 * MIB), "the file is 10.0 MiB", "(not shown: the file is 10.0 MiB"),
    ],
    ids=["bomb", "ten_mib"],
)
def test_the_terminal_editor_shows_the_refusal(folder, monkeypatch, make, message, raw):
    from textual.widgets import TextArea

    from config_ui.tui import build_app
    from config_ui.tui.dialogs.load_error import LoadErrorScreen

    monkeypatch.setenv("BASALT_HOME", str(folder.parent / "home"))
    script = demo_with(folder, make())

    async def scenario() -> None:
        app = build_app(script, watch=False)
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LoadErrorScreen)
            where = str(app.screen.query_one("#load-error-where").render())
            assert "01_ohlcv_bars.yaml, line" in where and "column" in where
            assert message in str(app.screen.query_one("#load-error-message").render())
            await pilot.press("r")
            assert raw in app.screen.query_one("#raw-text", TextArea).text
            await pilot.press("q")

    run_in_own_loop(scenario())
