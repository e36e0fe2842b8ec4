"""Pure calculations of the meetings app: recurrence (built from a form's choices, generated with dateutil in
the series' own time zone) and the figures the cohesion work reuses. No database access here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKLY, BIWEEKLY, MONTHLY = "weekly", "biweekly", "monthly"


@dataclass(frozen=True)
class Recurrence:
    """A series' rhythm as the form gives it. ``week_of_month`` (1..5, or -1 for the last) is for monthly only."""

    frequency: str
    weekday: int
    first_date: dt.date
    start_time: dt.time
    timezone: str
    week_of_month: int | None = None
    until: dt.date | None = None

    @property
    def rrule(self) -> str:
        return build_rrule(self.frequency, self.weekday, self.week_of_month, self.until)


def build_rrule(frequency: str, weekday: int, week_of_month: int | None, until: dt.date | None) -> str:
    """The RFC 5545 RRULE for the form's choices, e.g. ``FREQ=MONTHLY;BYDAY=5TU`` for "fifth Tuesday"
    (months without one are skipped). ``UNTIL`` is the end of that local day."""
    day = DAY_CODES[weekday]
    if frequency == WEEKLY:
        parts = ["FREQ=WEEKLY", f"BYDAY={day}"]
    elif frequency == BIWEEKLY:
        parts = ["FREQ=WEEKLY", "INTERVAL=2", f"BYDAY={day}"]
    elif frequency == MONTHLY:
        if week_of_month not in (1, 2, 3, 4, 5, -1):
            raise ValueError(f"week of month {week_of_month!r}")
        parts = ["FREQ=MONTHLY", f"BYDAY={week_of_month}{day}"]
    else:
        raise ValueError(f"frequency {frequency!r}")
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


def local_moment(naive: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """``naive`` wall-clock time in ``zone``, as an aware time. A time skipped by a daylight-saving jump is read
    with the offset before the jump (it lands as far after the jump as it was meant to be after the hour)."""
    return naive.replace(tzinfo=zone, fold=0)


def occurrences(recurrence: Recurrence, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Every occurrence starting in [start, end] (aware bounds), aware in the series' zone, same wall-clock
    time all year whatever the daylight-saving changes."""
    zone = ZoneInfo(recurrence.timezone)
    first = dt.datetime.combine(recurrence.first_date, recurrence.start_time)
    rule = rrulestr(recurrence.rrule, dtstart=first)
    # Generate in naive local time, a day wider each side, then filter on the real instants.
    low = start.astimezone(zone).replace(tzinfo=None) - dt.timedelta(days=1)
    high = end.astimezone(zone).replace(tzinfo=None) + dt.timedelta(days=1)
    found = (local_moment(naive, zone) for naive in rule.between(low, high, inc=True))
    return [moment for moment in found if start <= moment <= end]


def schedule(
    generated: Sequence[dt.datetime], changes: Mapping[dt.datetime, dt.datetime | None]
) -> list[tuple[dt.datetime, dt.datetime]]:
    """(original, actual start) of each occurrence still on, sorted by actual start: ``changes`` maps an
    original start to its new start, or to None when that occurrence is cancelled."""
    kept = []
    for original in generated:
        actual = changes.get(original, original)
        if actual is not None:
            kept.append((original, actual))
    return sorted(kept, key=lambda pair: (pair[1], pair[0]))


# --------------------------------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Rate:
    part: int
    whole: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.part, self.whole) if self.whole else None

    @property
    def percent(self) -> int | None:
        """Rounded half up to a whole percent (for display; comparisons use ``share``)."""
        share = self.share
        return None if share is None else int(share * 100 + Fraction(1, 2))

    def at_least(self, percent: int) -> bool:
        share = self.share
        return share is not None and share >= Fraction(percent, 100)


@dataclass(frozen=True)
class AttendanceRecord:
    """One invitee's attendance at one meeting (``status``: present / excused / absent)."""

    meeting_id: int
    forum: str
    organisation_id: int | None
    status: str


PRESENT = "present"


def attendance_by_organisation(records: Iterable[AttendanceRecord]) -> dict[int, Rate]:
    """Per member organisation: of the meetings where any of its people was recorded, those at which at least
    one of them was present. Excused counts as not present. People without an organisation are left out."""
    recorded: dict[int, set[int]] = defaultdict(set)
    attended: dict[int, set[int]] = defaultdict(set)
    for record in records:
        if record.organisation_id is None:
            continue
        recorded[record.organisation_id].add(record.meeting_id)
        if record.status == PRESENT:
            attended[record.organisation_id].add(record.meeting_id)
    return {org: Rate(len(attended[org]), len(meetings)) for org, meetings in recorded.items()}


def attendance_by_forum(records: Iterable[AttendanceRecord]) -> dict[str, Rate]:
    """Per kind of meeting: people present out of people recorded (each person at each meeting counts once)."""
    present: dict[str, int] = defaultdict(int)
    recorded: dict[str, int] = defaultdict(int)
    for record in records:
        recorded[record.forum] += 1
        present[record.forum] += record.status == PRESENT
    return {forum: Rate(present[forum], total) for forum, total in recorded.items()}


def consistent_attenders(rates: Mapping[int, Rate], percent: int) -> list[int]:
    """The organisations attending at least ``percent`` % of their meetings (the boundary itself counts)."""
    return sorted(org for org, rate in rates.items() if rate.at_least(percent))


def agendas_on_time(meetings: Iterable[tuple[dt.datetime, dt.datetime | None]], days_ahead: int) -> Rate:
    """Of the (start, agenda published at) meetings, those published at least ``days_ahead`` days before the
    start. An agenda never published is late."""
    total = on_time = 0
    for starts_at, published_at in meetings:
        total += 1
        on_time += published_at is not None and published_at <= starts_at - dt.timedelta(days=days_ahead)
    return Rate(on_time, total)


@dataclass(frozen=True)
class ItemState:
    status: str
    due_on: dt.date
    completed_on: dt.date | None


def action_items_on_time(items: Iterable[ItemState], as_of: dt.date) -> Rate:
    """Of the action items due by ``as_of`` (dropped ones left out), those done on or before their due date."""
    total = on_time = 0
    for item in items:
        if item.status == "dropped" or item.due_on > as_of:
            continue
        total += 1
        on_time += item.status == "done" and item.completed_on is not None and item.completed_on <= item.due_on
    return Rate(on_time, total)


def quorum_needed(invitees: int, percent: int) -> int:
    """People who must be present: ``percent`` % of the invitees, rounded up (at least one if anyone is invited)."""
    return -(-invitees * percent // 100)


def running_order(starts_at: dt.datetime, minutes: Sequence[int]) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of each agenda item taken one after another from the meeting's start, in the given order."""
    slots = []
    at = starts_at
    for needed in minutes:
        end = at + dt.timedelta(minutes=needed)
        slots.append((at, end))
        at = end
    return slots
