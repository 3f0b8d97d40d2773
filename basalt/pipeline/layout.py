"""Finding a pass's output files on disk from its path template, and the files of an older
layout (one file per date batch, e.g. a week of a daily demo) that overlap the partition files:
reading a folder that holds both counts the overlapping days twice.
"""

from __future__ import annotations

import datetime as dt
import glob
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from basalt.config.analytics import AnalyticsConfig
from basalt.config.passes import PassConfig
from basalt.pipeline.batches import Period, period_of
from basalt.pipeline.outputs import output_dir, target_of

_DATE = r"\d{4}-\d{2}-\d{2}"
_FIELDS = {"universe": "[^/]+", "start_date": _DATE, "end_date": _DATE}


@dataclass(frozen=True)
class OutputFile:
    """A pass output file found on disk, with the universe and dates its name gives."""

    path: Path
    universe: str | None  # None: the template names no {universe} and none was asked for
    start: dt.date
    end: dt.date

    def overlaps(self, other: OutputFile) -> bool:
        return (
            self.path != other.path
            and self.universe == other.universe
            and self.start <= other.end
            and other.start <= self.end
        )


def template_pattern(template: str, fixed: dict[str, str]) -> tuple[str, re.Pattern[str]]:
    """A glob and a regex for the files a path template names, ``fixed`` filled in."""
    marks = {name: f"\0{name}\0" for name in _FIELDS if name not in fixed}
    filled = template.format(**fixed, **marks)
    parts = re.split("(\0[a-z_]+\0)", filled)
    pattern, regex = "", ""
    for part in parts:
        name = part.strip("\0")
        if part.startswith("\0") and name in _FIELDS:
            pattern += "*"
            regex += f"(?P<{name}>{_FIELDS[name]})" if f"(?P<{name}>" not in regex else ".+?"
        else:
            pattern += glob.escape(part)
            regex += re.escape(part)
    return pattern, re.compile(regex + r"\Z")


def pass_files(
    config: AnalyticsConfig, p: PassConfig, universe: str | None = None
) -> list[OutputFile]:
    """The output files of pass ``p`` on disk (of ``universe`` only, when given)."""
    fixed = {
        "output_dir": str(output_dir(config)),
        "datasetname": config.DATASETNAME,
        "pass": p.name,
    }
    if universe is not None:
        fixed["universe"] = universe
    pattern, regex = template_pattern(target_of(config, p).path_template, fixed)
    found = []
    for name in sorted(glob.glob(pattern)):
        match = regex.match(name)
        if not match or not Path(name).is_file():
            continue
        groups = match.groupdict()
        try:
            start = dt.date.fromisoformat(groups["start_date"])
            end = dt.date.fromisoformat(groups["end_date"])
        except (KeyError, TypeError, ValueError):
            continue
        found.append(
            OutputFile(Path(name).absolute(), groups.get("universe") or universe, start, end)
        )
    return found


def is_partition_file(f: OutputFile, freq: str) -> bool:
    """The file covers exactly one partition of period ``freq``."""
    return period_of(f.start, freq) == Period(f.start, f.end)


def overlapping(files: Iterable[OutputFile]) -> list[tuple[OutputFile, OutputFile]]:
    """Pairs of files (of one pass) whose days overlap: ``(wider, narrower)``."""
    ordered = sorted(files, key=lambda f: (f.universe, f.start, -(f.end - f.start).days))
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.universe != a.universe or b.start > a.end:
                break
            if a.overlaps(b):
                pairs.append((a, b))
    return pairs


def older_files(
    config: AnalyticsConfig, p: PassConfig, written: Sequence[Period], freq: str
) -> list[OutputFile]:
    """Files of pass ``p`` and the config's universe, other than one partition each, that hold
    days of the ``written`` partitions."""
    out = []
    for f in pass_files(config, p, config.UNIVERSE):
        if is_partition_file(f, freq):
            continue
        if any(f.start <= period.end and period.start <= f.end for period in written):
            out.append(f)
    return out
