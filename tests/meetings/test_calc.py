"""The meeting figures against fixtures worked out by hand, and properties of the rates."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from coalition.meetings import calc
from coalition.meetings.calc import AttendanceRecord as R

# Three coordination meetings (1, 2, 3) and one steering meeting (9); organisations 10, 20, 30.
RECORDS = [
    R(1, "coalition", 10, "present"), R(1, "coalition", 10, "absent"),  # org 10: one of two people came
    R(1, "coalition", 20, "excused"), R(1, "coalition", None, "present"),
    R(2, "coalition", 10, "present"), R(2, "coalition", 20, "present"),
    R(3, "coalition", 10, "absent"), R(3, "coalition", 20, "present"), R(3, "coalition", 30, "absent"),
    R(9, "steering", 10, "present"), R(9, "steering", 30, "present"),
]  # fmt: skip


def test_attendance_by_organisation_by_hand() -> None:
    rates = calc.attendance_by_organisation(RECORDS)
    # org 10 at 1, 2, 3, 9 -> present at 1, 2, 9 = 3/4; org 20 at 1, 2, 3 -> 2, 3 = 2/3; org 30 at 3, 9 -> 9 = 1/2
    assert rates == {10: calc.Rate(3, 4), 20: calc.Rate(2, 3), 30: calc.Rate(1, 2)}
    assert calc.consistent_attenders(rates, 75) == [10]  # exactly 75 % counts
    assert calc.consistent_attenders(rates, 66) == [10, 20]
    assert calc.consistent_attenders(rates, 67) == [10]  # 2/3 is below 67 %
    assert rates[20].percent == 67


def test_attendance_by_kind_of_meeting_by_hand() -> None:
    # coalition: 9 person-records, present: (1: 2) + (2: 2) + (3: 1) = 5; steering 2 of 2
    assert calc.attendance_by_forum(RECORDS) == {"coalition": calc.Rate(5, 9), "steering": calc.Rate(2, 2)}


def test_agendas_on_time_by_hand() -> None:
    start = dt.datetime(2026, 5, 12, 17, tzinfo=dt.UTC)
    meetings = [
        (start, start - dt.timedelta(days=5)),  # exactly five days ahead: on time
        (start, start - dt.timedelta(days=4, hours=23)),  # late
        (start, None),  # never published
        (start, start - dt.timedelta(days=9)),
    ]
    assert calc.agendas_on_time(meetings, 5) == calc.Rate(2, 4)


def test_action_items_on_time_by_hand() -> None:
    d = dt.date
    items = [
        calc.ItemState("done", d(2026, 3, 1), d(2026, 3, 1)),  # on the day: on time
        calc.ItemState("done", d(2026, 3, 1), d(2026, 3, 2)),  # a day late
        calc.ItemState("under_way", d(2026, 3, 1), None),  # overdue
        calc.ItemState("dropped", d(2026, 3, 1), None),  # left out
        calc.ItemState("planned", d(2026, 6, 1), None),  # not due yet: left out
    ]
    assert calc.action_items_on_time(items, d(2026, 4, 1)) == calc.Rate(1, 3)


def test_quorum_rounds_up() -> None:
    assert [calc.quorum_needed(n, 50) for n in (0, 1, 4, 5, 7)] == [0, 1, 2, 3, 4]
    assert calc.quorum_needed(3, 67) == 3 and calc.quorum_needed(3, 66) == 2


records = st.lists(
    st.builds(
        R,
        st.integers(1, 8),
        st.sampled_from(["coalition", "steering"]),
        st.one_of(st.none(), st.integers(1, 5)),
        st.sampled_from(["present", "excused", "absent"]),
    )  # fmt: skip
)


@given(records, st.integers(1, 100))
def test_rates_are_shares_of_the_meetings_each_organisation_was_recorded_at(data: list[R], percent: int) -> None:
    rates = calc.attendance_by_organisation(data)
    for org, rate in rates.items():
        meetings = {r.meeting_id for r in data if r.organisation_id == org}
        attended = {r.meeting_id for r in data if r.organisation_id == org and r.status == "present"}
        assert (rate.part, rate.whole) == (len(attended), len(meetings))
        assert (org in calc.consistent_attenders(rates, percent)) == (
            Fraction(len(attended), len(meetings)) * 100 >= percent
        )
    forum = calc.attendance_by_forum(data)
    assert sum(r.whole for r in forum.values()) == len(data)


def test_running_order_by_hand() -> None:
    start = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
    slots = calc.running_order(start, [20, 15, 10])
    assert [(a.strftime("%H:%M"), b.strftime("%H:%M")) for a, b in slots] == [
        ("00:30", "00:50"), ("00:50", "01:05"), ("01:05", "01:15")
    ]  # fmt: skip
    assert calc.running_order(start, []) == []


@given(st.lists(st.integers(min_value=1, max_value=600), max_size=30))
def test_running_order_items_follow_each_other_from_the_start(minutes: list[int]) -> None:
    start = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    slots = calc.running_order(start, minutes)
    assert len(slots) == len(minutes)
    assert all(b == c for (_a, b), (c, _d) in zip(slots, slots[1:], strict=False))
    assert all(end - begin == dt.timedelta(minutes=m) for (begin, end), m in zip(slots, minutes, strict=True))
    if slots:
        assert slots[0][0] == start and slots[-1][1] == start + dt.timedelta(minutes=sum(minutes))
