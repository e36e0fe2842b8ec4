"""Reporting periods: labels, parsing and stepping (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.measurement import periods

FREQUENCIES = st.sampled_from([periods.MONTHLY, periods.QUARTERLY, periods.ANNUAL])
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
    [("monthly", "2025-13"), ("monthly", "March 2025"), ("quarterly", "2025-Q5"), ("annual", "25"), ("monthly", "")],
)
def test_wrong_period_labels_are_refused(frequency: str, text: str) -> None:
    with pytest.raises(ValueError):
        periods.parse(frequency, text)
