"""Date-driven events (a commitment due in three days, overdue since yesterday): each app registers a
function that raises its events for a day; the daily task runs them all. Event keys carry the date or
the stage (``due`` / ``overdue``), so running a day twice raises nothing new."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

DailyCheck = Callable[[dt.date], int]
_CHECKS: dict[str, DailyCheck] = {}


def register_daily(name: str, check: DailyCheck) -> None:
    _CHECKS[name] = check


def run_daily(today: dt.date | None = None) -> int:
    day = today or timezone.localdate()
    return sum(check(day) for _name, check in sorted(_CHECKS.items()))
