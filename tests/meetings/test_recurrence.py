"""Recurrence: the series' occurrences against independent oracles — dateutil's rrule built here with its object
API (not from our RRULE text) and brute-force day iteration — across daylight-saving changes and months with
and without a fifth weekday; moved and cancelled occurrences never break the series."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule as du
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.meetings import calc

ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Pacific/Chatham",
]
DAYS = (du.MO, du.TU, du.WE, du.TH, du.FR, du.SA, du.SU)
UTC = dt.UTC


def _window(first: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time.min, tzinfo=UTC) - dt.timedelta(days=2)
    return start, start + dt.timedelta(days=days)


def _brute_force(rec: calc.Recurrence, last: dt.date) -> list[dt.date]:
    """Walk every day from the first date and keep the ones the rhythm names (weeks start on Monday)."""
    found = []
    day = rec.first_date
    first_monday = rec.first_date - dt.timedelta(days=rec.first_date.weekday())
    while day <= last:
        if day.weekday() == rec.weekday:
            weeks = (day - first_monday).days // 7
            if rec.frequency == calc.WEEKLY or (rec.frequency == calc.BIWEEKLY and weeks % 2 == 0):
                found.append(day)
            elif rec.frequency == calc.MONTHLY:
                same = [d for d in range(1, 32) if _valid(day.year, day.month, d) and
                        dt.date(day.year, day.month, d).weekday() == rec.weekday]  # fmt: skip
                n = rec.week_of_month or 1
                chosen = same[-1] if n == -1 else (same[n - 1] if len(same) >= n else None)
                if chosen == day.day:
                    found.append(day)
        day += dt.timedelta(days=1)
    return found


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


recurrences = st.builds(
    calc.Recurrence,
    frequency=st.sampled_from([calc.WEEKLY, calc.BIWEEKLY, calc.MONTHLY]),
    weekday=st.integers(0, 6),
    first_date=st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
    start_time=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    timezone=st.sampled_from(ZONES),
    week_of_month=st.sampled_from([1, 2, 3, 4, 5, -1]),
).map(lambda r: r if r.frequency == calc.MONTHLY else calc.Recurrence(
    r.frequency, r.weekday, r.first_date, r.start_time, r.timezone))  # fmt: skip


def _exists(naive: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether this wall-clock time happens in ``zone`` (not skipped by a spring-forward jump)."""
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


@settings(max_examples=150, deadline=None)
@given(recurrences)
def test_occurrences_match_an_rrule_built_independently_and_keep_wall_clock_time(rec: calc.Recurrence) -> None:
    start, end = _window(rec.first_date, 400)
    got = calc.occurrences(rec, start, end)
    zone = ZoneInfo(rec.timezone)
    first = dt.datetime.combine(rec.first_date, rec.start_time)
    if rec.frequency == calc.MONTHLY:
        oracle = du.rrule(du.MONTHLY, dtstart=first, byweekday=DAYS[rec.weekday](rec.week_of_month))
    else:
        interval = 2 if rec.frequency == calc.BIWEEKLY else 1
        oracle = du.rrule(du.WEEKLY, interval=interval, dtstart=first, byweekday=DAYS[rec.weekday])
    high = end.astimezone(zone).replace(tzinfo=None) + dt.timedelta(days=1)
    expected_naive = list(oracle.between(first, high, inc=True))
    expected = [n.replace(tzinfo=zone) for n in expected_naive if start <= n.replace(tzinfo=zone) <= end]
    assert got == expected
    for moment in got:
        naive = dt.datetime.combine(moment.date(), rec.start_time)
        local = moment.astimezone(zone)
        if _exists(naive, zone):  # the same wall-clock time whatever the season
            assert (local.hour, local.minute) == (rec.start_time.hour, rec.start_time.minute)
        assert local.weekday() == rec.weekday or not _exists(naive, zone)


@settings(max_examples=150, deadline=None)
@given(recurrences)
def test_occurrence_dates_match_brute_force_day_iteration(rec: calc.Recurrence) -> None:
    start, end = _window(rec.first_date, 400)
    got = [m.date() for m in calc.occurrences(rec, start, end)]
    last = got[-1] if got else rec.first_date
    assert got == [d for d in _brute_force(rec, last + dt.timedelta(days=1)) if d <= last]
    assert len(got) >= {calc.WEEKLY: 52, calc.BIWEEKLY: 26, calc.MONTHLY: 4}[rec.frequency]


def test_fifth_tuesday_skips_months_without_one() -> None:
    rec = calc.Recurrence(calc.MONTHLY, 1, dt.date(2026, 1, 1), dt.time(18, 0), "Europe/London", 5)
    start, end = _window(dt.date(2026, 1, 1), 365)
    got = [m.date() for m in calc.occurrences(rec, start, end)]
    # 2026's months with five Tuesdays, read off a calendar: March, June, September, December.
    assert got == [dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 29), dt.date(2026, 12, 29)]


def test_biweekly_keeps_local_time_across_both_dst_changes_in_london() -> None:
    rec = calc.Recurrence(calc.BIWEEKLY, 1, dt.date(2026, 3, 17), dt.time(17, 0), "Europe/London")
    start, end = _window(dt.date(2026, 3, 17), 240)
    got = calc.occurrences(rec, start, end)
    utc_hours = {m.date(): m.astimezone(UTC).hour for m in got}
    assert utc_hours[dt.date(2026, 3, 17)] == 17  # GMT
    assert utc_hours[dt.date(2026, 3, 31)] == 16  # BST from 29 March
    assert utc_hours[dt.date(2026, 10, 13)] == 16
    assert utc_hours[dt.date(2026, 10, 27)] == 17  # GMT again from 25 October
    assert dt.date(2026, 10, 20) not in utc_hours  # every second week
    assert all(m.astimezone(ZoneInfo("Europe/London")).hour == 17 for m in got)


def test_rrule_text_for_the_form_choices() -> None:
    assert calc.build_rrule(calc.BIWEEKLY, 1, None, None) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert calc.build_rrule(calc.MONTHLY, 1, 5, dt.date(2026, 12, 31)) == "FREQ=MONTHLY;BYDAY=5TU;UNTIL=20261231T235959"
    assert calc.build_rrule(calc.MONTHLY, 4, -1, None) == "FREQ=MONTHLY;BYDAY=-1FR"
    with pytest.raises(ValueError):
        calc.build_rrule(calc.MONTHLY, 1, None, None)


originals = st.lists(st.integers(0, 60), min_size=1, max_size=30, unique=True).map(
    lambda days: [dt.datetime(2026, 1, 6, 17, tzinfo=UTC) + dt.timedelta(days=d) for d in sorted(days)]
)


@given(originals, st.data())
def test_moved_and_cancelled_occurrences(generated: list[dt.datetime], data: st.DataObject) -> None:
    cancelled = set(data.draw(st.lists(st.sampled_from(generated), unique=True)))
    movable = [g for g in generated if g not in cancelled]
    moved = {
        g: g + dt.timedelta(hours=data.draw(st.integers(-72, 72)))
        for g in data.draw(st.lists(st.sampled_from(movable), unique=True) if movable else st.just([]))
    }
    changes: dict[dt.datetime, dt.datetime | None] = {**dict.fromkeys(cancelled), **moved}
    got = calc.schedule(generated, changes)
    assert [o for o, _ in sorted(got)] == [g for g in generated if g not in cancelled]  # each original once
    for original, actual in got:
        assert actual == moved.get(original, original)
    assert [a for _, a in got] == sorted(a for _, a in got)
