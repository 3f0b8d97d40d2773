"""The states of a local run, one object both editors poll from a UI timer.

idle -> starting -> running (-> cancelling) -> success | failed | cancelled. Each
:meth:`LocalRunState.poll` hands over what is new since the last one (log lines, progress,
the result once), so a renderer only draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from config_ui.core.local_run import LocalRun, RunRequest, RunResult

FINAL = frozenset({"success", "failed", "cancelled", "lost"})


@dataclass
class RunUpdate:
    """What changed since the previous poll."""

    state: str
    lines: list[str] = field(default_factory=list)
    progress: tuple[int, int] | None = None
    result: RunResult | None = None  # set in the one update where the run finished


class LocalRunState:
    """One editor's local run and its state; :meth:`start`, then :meth:`poll` from a timer."""

    def __init__(self) -> None:
        self.run: LocalRun | None = None
        self.state = "idle"
        self._shown = 0

    @property
    def in_flight(self) -> bool:
        return self.state in ("starting", "running", "cancelling")

    def start(self, request: RunRequest) -> LocalRun:
        """Start a run (``OSError`` when the process cannot start: the state goes back)."""
        if self.in_flight:
            raise RuntimeError("a run is in progress")
        previous, self.state = self.state, "starting"
        run = LocalRun(request)
        try:
            run.start()
        except OSError:
            self.state = previous
            raise
        self.run, self._shown, self.state = run, 0, "running"
        return run

    def cancel(self) -> bool:
        """Ask the run to stop; False when there is nothing to cancel."""
        if self.run is None or self.state not in ("starting", "running"):
            return False
        self.run.cancel()
        self.state = "cancelling"
        return True

    def poll(self) -> RunUpdate | None:
        """What is new since the last poll; None when no run is going."""
        run = self.run
        if run is None or self.state in FINAL or self.state == "idle":
            return None
        result = run.result  # read first: once it is set, every line is in
        lines = run.lines[self._shown :]
        self._shown += len(lines)
        progress = run.progress
        if result is not None:
            self.state = result.status
            if result.status == "success" and progress is not None:
                progress = (progress[1], progress[1])
        return RunUpdate(self.state, lines, progress, result)
