"""When reported data is due (pure functions, no ORM).

A period's data is due a number of days after the period ends: the indicator's own number if it sets one,
else its frequency's default (``DUE_DAYS``). Reminders go from ``REMIND_DAYS`` before the due date ("due
soon"); after it the report is overdue. Reports are chased for the complete periods whose due date is at most
``LOOKBACK_DAYS`` ago, so an old gap in the history does not nag forever.
"""

from __future__ import annotations

import datetime as dt

from coalition.measurement import periods

DUE_DAYS = {
    periods.WEEKLY: 3,
    periods.FORTNIGHTLY: 5,
    periods.MONTHLY: 10,
    periods.QUARTERLY: 10,
    periods.ANNUAL: 10,
}
MAX_DUE_DAYS = 365
REMIND_DAYS = 3
LOOKBACK_DAYS = 92


def due_days(frequency: str, override: int | None = None) -> int:
    return DUE_DAYS[frequency] if override is None else override


def due_date(frequency: str, start: dt.date, override: int | None = None) -> dt.date:
    """The day by which data for the period starting at ``start`` must be in."""
    return periods.end_of(frequency, start) + dt.timedelta(days=due_days(frequency, override))


def days_late(due: dt.date, today: dt.date) -> int:
    """Days past ``due`` (negative: days left)."""
    return (today - due).days


def is_overdue(due: dt.date, today: dt.date) -> bool:
    return today > due


def is_due_soon(due: dt.date, today: dt.date) -> bool:
    return not is_overdue(due, today) and days_late(due, today) >= -REMIND_DAYS


def periods_to_chase(
    frequency: str, first: dt.date, last: dt.date | None, override: int | None, today: dt.date
) -> list[dt.date]:
    """Starts of the complete periods of an indicator's life (``first``..``last`` period starts) whose data may
    be asked for on ``today``: ended before ``today``, due at most ``LOOKBACK_DAYS`` ago; oldest first."""
    start = periods.shift(frequency, periods.start_of(frequency, today), -1)
    oldest_due = today - dt.timedelta(days=LOOKBACK_DAYS)
    found = []
    while start >= first and due_date(frequency, start, override) >= oldest_due:
        if last is None or start <= last:
            found.append(start)
        start = periods.shift(frequency, start, -1)
    return found[::-1]
