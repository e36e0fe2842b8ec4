"""The window every date a person enters must fall in (checklist item 26).

Each coalition sets the span of years its work covers (by default 5 years back to 10 years ahead of its
creation). Actions check every date they are given with ``check_dates`` (so forms, imports and the API
share one rule), and pages that lay dates out clamp older records with ``DateWindow.clamp`` so a stray
year 1 or 9999 cannot make a page unbounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

YEARS_BACK = 5
YEARS_AHEAD = 10
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
LONGEST_SPAN = 50  # years a coalition's window may cover


def default_first_year() -> int:
    return dt.date.today().year - YEARS_BACK


def default_last_year() -> int:
    return dt.date.today().year + YEARS_AHEAD


@dataclass(frozen=True)
class DateWindow:
    first: dt.date
    last: dt.date

    @classmethod
    def for_years(cls, first_year: int, last_year: int) -> DateWindow:
        return cls(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))

    def __contains__(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def clamp(self, day: dt.date) -> dt.date:
        """``day`` moved into the window (for laying out records saved before the window applied)."""
        return min(max(day, self.first), self.last)

    def message(self) -> str:
        return _("Choose a date between %(first)s and %(last)s.") % {
            "first": formats.date_format(self.first, "SHORT_DATE_FORMAT"),
            "last": formats.date_format(self.last, "SHORT_DATE_FORMAT"),
        }


def check_dates(window: DateWindow, **dates: dt.date | None) -> None:
    """Raise a ``ValidationError`` naming each of ``dates`` (field name → date) outside ``window``."""
    errors = {name: window.message() for name, day in dates.items() if day is not None and day not in window}
    if errors:
        raise ValidationError(errors)


def check_new_dates(window: DateWindow, instance: Any, fields: Mapping[str, Any], *names: str) -> None:
    """``check_dates`` for the dates among ``names`` that ``fields`` sets to a new value on ``instance``
    (all of them for an unsaved one): a record saved before the window applied stays editable as long
    as its old dates are left alone."""
    saved = getattr(instance, "pk", None) is not None
    check_dates(
        window,
        **{
            name: fields[name]
            for name in names
            if name in fields and not (saved and getattr(instance, name, None) == fields[name])
        },
    )


def check_years(first_year: int | None, last_year: int | None) -> dict[str, str]:
    """Errors for a coalition's window of years (empty when it is sensible)."""
    if first_year is None or last_year is None:
        return {}
    if last_year < first_year:
        return {"last_year": _("The last year cannot come before the first year.")}
    if last_year - first_year + 1 > LONGEST_SPAN:
        return {"last_year": _("The window can cover at most %(years)d years.") % {"years": LONGEST_SPAN}}
    return {}
