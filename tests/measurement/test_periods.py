"""Reporting periods: labels, parsing and stepping (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.measurement import periods

FREQUENCIES = st.sampled_from([periods.WEEKLY, periods.FORTNIGHTLY, periods.MONTHLY, periods.QUARTERLY, periods.ANNUAL])
DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2990, 12, 31))


@given(FREQUENCIES, DAYS)
def test_label_parses_back_to_the_period_start(frequency: str, day: dt.date) -> None:
    start = periods.start_of(frequency, day)
    assert start <= day <= periods.end_of(frequency, start)
    assert periods.parse(frequency, periods.label(frequency, start)) == start


@given(FREQUENCIES, DAYS, st.integers(min_value=-50, max_value=50))
def test_shift_moves_whole_periods_and_keeps_order(frequency: str, day: dt.date, n: int) -> None:
    start = periods.start_of(frequency, day)
    moved = periods.shift(frequency, start, n)
    assert periods.start_of(frequency, moved) == moved
    assert periods.shift(frequency, moved, -n) == start
    assert (moved > start) == (n > 0)


def test_between_lists_every_quarter() -> None:
    got = list(periods.between(periods.QUARTERLY, dt.date(2025, 2, 10), dt.date(2025, 12, 31)))
    assert [periods.label(periods.QUARTERLY, p) for p in got] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


@pytest.mark.parametrize(
    ("frequency", "text"),
    [
        ("monthly", "2025-13"),
        ("monthly", "March 2025"),
        ("quarterly", "2025-Q5"),
        ("annual", "25"),
        ("monthly", ""),
        ("weekly", "2025-W00"),
        ("weekly", "2025-W53"),  # 2025 has 52 ISO weeks
        ("weekly", "2025-03"),
        ("fortnightly", "2025-W02"),  # the two weeks of 2025 start in odd weeks
        ("fortnightly", "2026-W52"),
    ],
)
def test_wrong_period_labels_are_refused(frequency: str, text: str) -> None:
    with pytest.raises(ValueError):
        periods.parse(frequency, text)


# --- Weekly and every-two-weeks periods -------------------------------------------------------------------------
# Hand-computed from a calendar: 1 January 2026 is a Thursday, so ISO 2026-W01 runs Monday 29 December 2025 to
# Sunday 4 January 2026, and 2026 has 53 ISO weeks (it starts on a Thursday); 2026-W53 starts Monday 28 December.


@pytest.mark.parametrize(
    ("day", "start", "label"),
    [
        (dt.date(2025, 12, 29), dt.date(2025, 12, 29), "2026-W01"),  # a Monday in December, week 1 of 2026
        (dt.date(2026, 1, 4), dt.date(2025, 12, 29), "2026-W01"),  # the Sunday ending it
        (dt.date(2026, 1, 5), dt.date(2026, 1, 5), "2026-W02"),
        (dt.date(2026, 12, 31), dt.date(2026, 12, 28), "2026-W53"),
        (dt.date(2027, 1, 3), dt.date(2026, 12, 28), "2026-W53"),  # 3 January 2027 still belongs to 2026
        (dt.date(2027, 1, 4), dt.date(2027, 1, 4), "2027-W01"),
        (dt.date(2025, 1, 1), dt.date(2024, 12, 30), "2025-W01"),
        (dt.date(2021, 1, 3), dt.date(2020, 12, 28), "2020-W53"),
    ],
)
def test_weekly_periods_follow_iso_weeks_across_the_year_end(day: dt.date, start: dt.date, label: str) -> None:
    assert periods.start_of(periods.WEEKLY, day) == start
    assert periods.end_of(periods.WEEKLY, start) == start + dt.timedelta(days=6)
    assert periods.label(periods.WEEKLY, start) == label
    assert periods.parse(periods.WEEKLY, label) == start


@pytest.mark.parametrize(
    ("day", "start", "end", "label"),
    [
        # Counted in fortnights from Monday 1 January 2001: to 1 January 2025 is 24 years with 6 leap days,
        # 8766 days; to 29 December 2025 another 362, 9128 days = 652 fortnights exactly, so a fortnight starts.
        (dt.date(2025, 12, 29), dt.date(2025, 12, 29), dt.date(2026, 1, 11), "2026-W01"),
        (dt.date(2026, 1, 11), dt.date(2025, 12, 29), dt.date(2026, 1, 11), "2026-W01"),
        (dt.date(2025, 12, 28), dt.date(2025, 12, 15), dt.date(2025, 12, 28), "2025-W51"),
        (dt.date(2026, 1, 12), dt.date(2026, 1, 12), dt.date(2026, 1, 25), "2026-W03"),
        (dt.date(2027, 1, 3), dt.date(2026, 12, 28), dt.date(2027, 1, 10), "2026-W53"),  # spans the year end
        (dt.date(2001, 1, 14), dt.date(2001, 1, 1), dt.date(2001, 1, 14), "2001-W01"),
        (dt.date(2000, 12, 31), dt.date(2000, 12, 18), dt.date(2000, 12, 31), "2000-W51"),  # before the epoch
    ],
)
def test_two_week_periods_run_on_across_year_ends(day: dt.date, start: dt.date, end: dt.date, label: str) -> None:
    assert periods.start_of(periods.FORTNIGHTLY, day) == start
    assert periods.end_of(periods.FORTNIGHTLY, start) == end
    assert periods.label(periods.FORTNIGHTLY, start) == label
    assert periods.parse(periods.FORTNIGHTLY, label) == start


def test_between_lists_every_week_across_the_year_end() -> None:
    got = list(periods.between(periods.WEEKLY, dt.date(2026, 12, 20), dt.date(2027, 1, 6)))
    assert [periods.label(periods.WEEKLY, p) for p in got] == ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    two = list(periods.between(periods.FORTNIGHTLY, dt.date(2026, 12, 20), dt.date(2027, 1, 20)))
    assert two == [dt.date(2026, 12, 14), dt.date(2026, 12, 28), dt.date(2027, 1, 11)]


# An oracle written differently: walk back day by day to the period's first day, name weeks with strftime's
# ISO fields (%G, %V), and count fortnights by the number of Mondays since the epoch.


def _oracle_start(frequency: str, day: dt.date) -> dt.date:
    current = day
    while True:
        monday = current.strftime("%a") == "Mon"
        if frequency == periods.WEEKLY and monday:
            return current
        if frequency == periods.FORTNIGHTLY and monday and ((current - dt.date(2001, 1, 1)).days // 7) % 2 == 0:
            return current
        if frequency == periods.MONTHLY and current.day == 1:
            return current
        if frequency == periods.QUARTERLY and current.day == 1 and current.month in (1, 4, 7, 10):
            return current
        if frequency == periods.ANNUAL and current.timetuple().tm_yday == 1:
            return current
        current -= dt.timedelta(days=1)


@given(FREQUENCIES, st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_periods_match_a_day_by_day_oracle(frequency: str, day: dt.date) -> None:
    start = _oracle_start(frequency, day)
    assert periods.start_of(frequency, day) == start
    following = _oracle_start(frequency, periods.end_of(frequency, start) + dt.timedelta(days=1))
    assert following == periods.end_of(frequency, start) + dt.timedelta(days=1)  # the next period starts there
    assert _oracle_start(frequency, periods.end_of(frequency, start)) == start  # and the end is still this one
    if frequency in (periods.WEEKLY, periods.FORTNIGHTLY):
        assert periods.label(frequency, start) == start.strftime("%G-W%V")
