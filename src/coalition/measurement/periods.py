"""Reporting periods, stored as the date their period starts (pure functions, no ORM).

A value's period is the first day of its week, two weeks, month, quarter or year, so periods sort and group
in the database like any date; the indicator's frequency says how long the period is. Labels are what people
type and read: ``2025-W03`` (weekly: the ISO week, Monday to Sunday; the year is the ISO year, so the week
of 2024-12-30 is ``2025-W01``), ``2025-W03`` (every two weeks: the ISO week the two weeks start in),
``2025-03`` (monthly), ``2025-Q1`` (quarterly), ``2025`` (annual).

Two-week periods are counted from ``EPOCH``, a Monday: each starts a whole number of fortnights after it,
so they run on across year ends with no short or long period (a year holds 26 or 27 of them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

WEEKLY, FORTNIGHTLY = "weekly", "fortnightly"
MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
MONTHS = {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12}
DAYS = {WEEKLY: 7, FORTNIGHTLY: 14}
EPOCH = dt.date(2001, 1, 1)  # a Monday (ISO 2001-W01)

_WEEK = re.compile(r"^(\d{4})-?[Ww](\d{1,2})$")
_PATTERNS = {
    WEEKLY: _WEEK,
    FORTNIGHTLY: _WEEK,
    MONTHLY: re.compile(r"^(\d{4})-(\d{1,2})$"),
    QUARTERLY: re.compile(r"^(\d{4})-?[Qq]([1-4])$"),
    ANNUAL: re.compile(r"^(\d{4})$"),
}
EXAMPLES = {WEEKLY: "2025-W03", FORTNIGHTLY: "2025-W03", MONTHLY: "2025-03", QUARTERLY: "2025-Q1", ANNUAL: "2025"}


def start_of(frequency: str, day: dt.date) -> dt.date:
    """The first day of the period of ``frequency`` containing ``day``."""
    if frequency in DAYS:
        return day - dt.timedelta(days=(day - EPOCH).days % DAYS[frequency])
    step = MONTHS[frequency]
    month = ((day.month - 1) // step) * step + 1
    return dt.date(day.year, month, 1)


def shift(frequency: str, start: dt.date, periods: int = 1) -> dt.date:
    """The start of the period ``periods`` after (or before, if negative) the one starting at ``start``."""
    if frequency in DAYS:
        return start + dt.timedelta(days=periods * DAYS[frequency])
    index = start.year * 12 + start.month - 1 + periods * MONTHS[frequency]
    return dt.date(index // 12, index % 12 + 1, 1)


def end_of(frequency: str, start: dt.date) -> dt.date:
    """The last day of the period starting at ``start``."""
    return shift(frequency, start) - dt.timedelta(days=1)


@lru_cache(maxsize=4096)  # dashboards label the same few hundred periods on every load
def label(frequency: str, start: dt.date) -> str:
    if frequency in DAYS:
        year, week, _day = start.isocalendar()
        return f"{year}-W{week:02d}"
    if frequency == MONTHLY:
        return f"{start.year}-{start.month:02d}"
    if frequency == QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}"


def _week_start(frequency: str, year: int, week: int, text: str) -> dt.date:
    start = dt.date.fromisocalendar(year, week, 1)  # ValueError for week 0, or 53 in a 52-week year
    if start_of(frequency, start) != start:  # a two-week period starts in every other week only
        raise ValueError(text)
    return start


def parse(frequency: str, text: str) -> dt.date:
    """The period start for a label such as ``2025-W03``, ``2025-03``, ``2025-Q1`` or ``2025``; ``ValueError``
    otherwise."""
    match = _PATTERNS[frequency].match(text.strip())
    if match is None:
        raise ValueError(text)
    year = int(match.group(1))
    if not 1900 <= year <= 2999:
        raise ValueError(text)
    if frequency in DAYS:
        return _week_start(frequency, year, int(match.group(2)), text)
    if frequency == MONTHLY:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(text)
    elif frequency == QUARTERLY:
        month = (int(match.group(2)) - 1) * 3 + 1
    else:
        month = 1
    return dt.date(year, month, 1)


def between(frequency: str, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Starts of every period from the one containing ``first`` to the one containing ``last``."""
    current, stop = start_of(frequency, first), start_of(frequency, last)
    while current <= stop:
        yield current
        current = shift(frequency, current)
