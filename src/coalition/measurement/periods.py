"""Reporting periods, stored as the date their period starts (pure functions, no ORM).

A value's period is the first day of its month, quarter or year, so periods sort and group in the
database like any date; the indicator's frequency says how long the period is. Labels are what people
type and read: ``2025-03`` (monthly), ``2025-Q1`` (quarterly), ``2025`` (annual).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"
MONTHS = {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12}

_PATTERNS = {
    MONTHLY: re.compile(r"^(\d{4})-(\d{1,2})$"),
    QUARTERLY: re.compile(r"^(\d{4})-?[Qq]([1-4])$"),
    ANNUAL: re.compile(r"^(\d{4})$"),
}
EXAMPLES = {MONTHLY: "2025-03", QUARTERLY: "2025-Q1", ANNUAL: "2025"}


def start_of(frequency: str, day: dt.date) -> dt.date:
    """The first day of the period of ``frequency`` containing ``day``."""
    step = MONTHS[frequency]
    month = ((day.month - 1) // step) * step + 1
    return dt.date(day.year, month, 1)


def shift(frequency: str, start: dt.date, periods: int = 1) -> dt.date:
    """The start of the period ``periods`` after (or before, if negative) the one starting at ``start``."""
    index = start.year * 12 + start.month - 1 + periods * MONTHS[frequency]
    return dt.date(index // 12, index % 12 + 1, 1)


def end_of(frequency: str, start: dt.date) -> dt.date:
    """The last day of the period starting at ``start``."""
    return shift(frequency, start) - dt.timedelta(days=1)


@lru_cache(maxsize=4096)  # dashboards label the same few hundred periods on every load
def label(frequency: str, start: dt.date) -> str:
    if frequency == MONTHLY:
        return f"{start.year}-{start.month:02d}"
    if frequency == QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}"


def parse(frequency: str, text: str) -> dt.date:
    """The period start for a label such as ``2025-03``, ``2025-Q1`` or ``2025``; ``ValueError`` otherwise."""
    match = _PATTERNS[frequency].match(text.strip())
    if match is None:
        raise ValueError(text)
    year = int(match.group(1))
    if frequency == MONTHLY:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(text)
    elif frequency == QUARTERLY:
        month = (int(match.group(2)) - 1) * 3 + 1
    else:
        month = 1
    if not 1900 <= year <= 2999:
        raise ValueError(text)
    return dt.date(year, month, 1)


def between(frequency: str, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Starts of every period from the one containing ``first`` to the one containing ``last``."""
    current, stop = start_of(frequency, first), start_of(frequency, last)
    while current <= stop:
        yield current
        current = shift(frequency, current)
