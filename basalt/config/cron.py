"""Cron expressions as Dagster reads them: five fields or a macro such as ``@daily``.

The verdict is croniter's (the parser Dagster vendors) with Dagster's own rules on top: five
fields only, no 30th or 31st of February, no ``W`` (nearest weekday), which Dagster's copy of
croniter does not know. The reason given for a refusal names the field, in plain words.
"""

from __future__ import annotations

import unicodedata

_FIELD_NAMES = "minute hour day month weekday"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# name, lowest, highest, names allowed, how the range is said
_FIELDS = (
    ("minute", 0, 59, (), "0-59"),
    ("hour", 0, 23, (), "0-23"),
    ("day of month", 1, 31, (), "1-31"),
    ("month", 1, 12, _MONTHS, "1-12 or JAN-DEC"),
    ("weekday", 0, 7, _DAYS, "0-7 or SUN-SAT"),
)
_MACROS = ("@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually")


def check_cron(value: str) -> str:
    """``value`` stripped, or ``ValueError("'61 25 * * *' is not a valid cron: minute must
    be 0-59")``."""
    text = value.strip()
    if not is_valid_cron(text):
        raise ValueError(f"'{text}' is not a valid cron: {cron_problem(text)}")
    return text


def is_valid_cron(text: str) -> bool:
    """Whether Dagster accepts ``text`` as a schedule's cron."""
    from croniter import croniter  # imported when a cron is checked: configs without skip it

    text = _ascii_digits(text)
    try:
        if not croniter.is_valid(text):
            return False
        expanded = croniter.expand(text)[0]
    except Exception:  # croniter raises more than its own errors on odd input
        return False
    if len(expanded) != 5:
        return False
    if expanded[3] == [2] and len(expanded[2]) == 1 and expanded[2][0] in (30, 31):
        return False
    fields = text.split()
    return not (len(fields) == 5 and "w" in fields[2].lower())


def _ascii_digits(text: str) -> str:
    """Other scripts' digits as 0-9, as Dagster's copy of croniter reads them."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def cron_problem(text: str) -> str:
    """Why ``text`` is not a valid cron, in a few words (for a cron already refused)."""
    fields = text.split()
    if not fields:
        return f"it is empty; write five fields ({_FIELD_NAMES}) or a macro such as @daily"
    if fields[0].startswith("@"):
        return f"unknown macro '{fields[0]}'; macros: {', '.join(_MACROS)}"
    if len(fields) != 5:
        extra = " (Dagster has no seconds field)" if len(fields) == 6 else ""
        count = f"{len(fields)} field{'s' * (len(fields) != 1)}"
        return f"it has {count}; expected 5: {_FIELD_NAMES}{extra}"
    for field, spec in zip(fields, _FIELDS, strict=True):
        problem = _field_problem(field, *spec)
        if problem:
            return problem
    day, month = fields[2], fields[3].lower()
    if month in ("2", "02", "feb") and day in ("30", "31"):
        return f"February has no day {day}"
    return "croniter cannot read it"


def _field_problem(field: str, name: str, low: int, high: int, names: tuple, said: str) -> str:
    for item in field.split(","):
        if not item:
            return f"{name} '{field}' has an empty item"
        base, slash, step = item.lower().partition("/")
        if slash and not (step.isdigit() and int(step) >= 1):
            return f"{name} step '/{step}' must be a whole number of at least 1"
        if name == "day of month" and base.endswith("w"):
            return f"{name} '{item}' (nearest weekday) is not supported by Dagster"
        if name == "weekday" and "#" in base:
            base, _, nth = base.partition("#")
            if not (nth.isdigit() and 1 <= int(nth) <= 5):
                return f"weekday '{item}': the week after # must be 1-5"
        if base == "?" and name not in ("day of month", "weekday"):
            return f"{name} '?' is only allowed in day of month and weekday"
        if base in ("?", "l") and slash:
            return f"{name} '{item}': {base.upper()} takes no step"
        if base in ("*", "?") or (name == "day of month" and base == "l"):
            continue
        ends = base.split("-")
        if len(ends) > 2 or not all(ends):
            return f"{name} '{item}' is not a number, a range (a-b) or a step (*/n)"
        for end in ends:
            if end.isdigit():
                if not low <= int(end) <= high:
                    return f"{name} must be {said}"
            elif end not in names:
                kind = "a number or a name" if names else "a number"
                return f"{name} '{item}' is not {kind}"
    return ""
