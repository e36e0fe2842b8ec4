"""Reporting deadlines: when a period's data is due, which periods are chased, the daily reminders (once per
organisation × indicator × period) and the hub's "who is late" screen. Dates are hand-computed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from coalition.measurement import actions, deadlines, periods
from coalition.notifications import reminders
from coalition.notifications.models import Notification
from tests import factories
from tests.measurement import builders as mb

FREQUENCIES = st.sampled_from(list(deadlines.DUE_DAYS))


@pytest.mark.parametrize(
    ("frequency", "start", "override", "due"),
    [
        ("weekly", dt.date(2026, 12, 28), None, dt.date(2027, 1, 6)),  # W53 ends Sunday 3 January, + 3 days
        ("fortnightly", dt.date(2026, 12, 28), None, dt.date(2027, 1, 15)),  # ends Sunday 10 January, + 5 days
        ("monthly", dt.date(2026, 2, 1), None, dt.date(2026, 3, 10)),  # 28 February + 10
        ("monthly", dt.date(2028, 2, 1), None, dt.date(2028, 3, 10)),  # 29 February (leap year) + 10
        ("quarterly", dt.date(2026, 10, 1), None, dt.date(2027, 1, 10)),
        ("annual", dt.date(2026, 1, 1), 45, dt.date(2027, 2, 14)),  # 31 December + 45
        ("weekly", dt.date(2026, 1, 5), 0, dt.date(2026, 1, 11)),  # due the Sunday the week ends
    ],
)
def test_due_dates_by_hand(frequency: str, start: dt.date, override: int | None, due: dt.date) -> None:
    assert deadlines.due_date(frequency, start, override) == due


def test_due_soon_and_overdue_around_the_due_date() -> None:
    due = dt.date(2026, 11, 10)
    # Due soon from three days before, up to the day itself; overdue from the day after.
    assert [
        (d, deadlines.is_due_soon(due, dt.date(2026, 11, d)), deadlines.is_overdue(due, dt.date(2026, 11, d)))
        for d in (6, 7, 10, 11)
    ] == [(6, False, False), (7, True, False), (10, True, False), (11, False, True)]
    assert deadlines.days_late(due, dt.date(2026, 11, 13)) == 3


def test_weekly_periods_chased_across_the_year_end() -> None:
    # On Friday 15 January 2027, the weekly periods due (end + 3 days) no earlier than 92 days back
    # (15 October 2026) and already over: the week of 5 October (due 14 October) is just out.
    chased = deadlines.periods_to_chase(periods.WEEKLY, dt.date(2026, 1, 5), None, None, dt.date(2027, 1, 15))
    assert chased[0] == dt.date(2026, 10, 12)
    assert chased[-1] == dt.date(2027, 1, 4)  # W01 of 2027, ended Sunday 10 January
    assert [periods.label(periods.WEEKLY, s) for s in chased[-3:]] == ["2026-W52", "2026-W53", "2027-W01"]
    assert len(chased) == 13
    # An indicator that ended with 2026 is chased up to its last week only.
    ended = deadlines.periods_to_chase(
        periods.WEEKLY, dt.date(2026, 1, 5), dt.date(2026, 12, 28), None, dt.date(2027, 1, 15)
    )
    assert ended[-1] == dt.date(2026, 12, 28)


def _oracle_chased(
    frequency: str, first: dt.date, last: dt.date | None, override: int | None, today: dt.date
) -> list[dt.date]:
    """Brute force: every day from the indicator's first day up to yesterday, mapped to its period; keep those
    whose last day is before today and whose due date (last day + days) is at most 92 days back."""
    days = deadlines.DUE_DAYS[frequency] if override is None else override
    starts = []
    day = first
    while day < today:
        start = periods.start_of(frequency, day)
        nxt = periods.shift(frequency, start)
        end = nxt - dt.timedelta(days=1)
        if end < today and (today - (end + dt.timedelta(days=days))).days <= 92 and (last is None or start <= last):
            starts.append(start)
        day = nxt
    return starts


@given(
    FREQUENCIES,
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.one_of(st.none(), st.integers(min_value=0, max_value=deadlines.MAX_DUE_DAYS)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=900)),
)
def test_periods_chased_match_a_brute_force_walk(
    frequency: str, first_day: dt.date, days_later: int, override: int | None, life: int | None
) -> None:
    today = first_day + dt.timedelta(days=days_later)
    first = periods.start_of(frequency, first_day)
    last = None if life is None else periods.start_of(frequency, first_day + dt.timedelta(days=life))
    assert deadlines.periods_to_chase(frequency, first, last, override, today) == _oracle_chased(
        frequency, first, last, override, today
    )


# --- Reminders and the "who is late" screen ----------------------------------------------------------------------


def _weekly(world: Any, **fields: Any) -> Any:
    fields.setdefault("is_shared", True)
    return mb.make_indicator(
        world.coalition, "Meals served", frequency="weekly", starts_on=dt.date(2026, 12, 28), **fields
    )


def test_daily_reminders_raise_due_soon_then_overdue_once_per_report(world: Any) -> None:
    _weekly(world)
    # Week 2026-W53 (28 December to 3 January) is due Wednesday 6 January: due soon from Sunday 3 January.
    reminders.run_daily(dt.date(2027, 1, 2))
    assert not Notification.objects.filter(event_type__startswith="measurement.").exists()
    reminders.run_daily(dt.date(2027, 1, 4))
    reminders.run_daily(dt.date(2027, 1, 5))  # again: nothing new
    due = Notification.objects.filter(event_type="measurement.data_due")
    assert sorted(due.values_list("recipient__username", flat=True)) == ["member"]  # the only reporting person
    assert due.get().subject.endswith("2026-W53 is due on 2027-01-06")
    reminders.run_daily(dt.date(2027, 1, 7))
    reminders.run_daily(dt.date(2027, 1, 8))
    overdue = Notification.objects.filter(event_type="measurement.data_overdue")
    assert list(overdue.values_list("recipient__username", "key")) == [
        ("member", f"measurement.data_overdue:{world.coalition.indicators.get().pk}:{world.member_org.pk}:2026-12-28")
    ]


def test_a_report_entered_is_not_chased(world: Any) -> None:
    indicator = _weekly(world)
    actions.do_enter_values(
        mb.access(world.member, world.coalition), indicator, world.member_org, dt.date(2026, 12, 28), [mb.entry(40)]
    )
    reminders.run_daily(dt.date(2027, 1, 8))
    assert not Notification.objects.filter(event_type__startswith="measurement.data_").exists()


def test_indicator_owned_by_a_member_chases_that_member_only(world: Any) -> None:
    second = factories.make_user("second")
    factories.add_member(world.coalition, second, ["member"], organisation=world.other_org)
    _weekly(world, is_shared=False, owner_organisation=world.other_org)
    reminders.run_daily(dt.date(2027, 1, 8))
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"second"}


def _late_page(world: Any, user: Any, today: dt.date, **params: Any) -> Any:
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        return world.client_for(user).get(reverse("measurement:late", args=[world.coalition.pk]), params)


def test_who_is_late_lists_every_member_and_period_with_days_late(world: Any) -> None:
    second = factories.make_user("second")
    factories.add_member(world.coalition, second, ["member"], organisation=world.other_org)
    indicator = _weekly(world)
    actions.do_enter_values(
        mb.access(world.member, world.coalition), indicator, world.member_org, dt.date(2026, 12, 28), [mb.entry(40)]
    )
    # On 12 January 2027: W53 (due 6 January) is 6 days late for Second Org only; W01 (4-10 January, due
    # 13 January) is due in a day for both.
    page = _late_page(world, world.hub, dt.date(2027, 1, 12))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(r.period, name, r.days_late) for r, name in rows] == [
        ("2026-W53", "Second Org", 6),
        ("2027-W01", "Member Org", -1),
        ("2027-W01", "Second Org", -1),
    ]
    assert "6 days late" in page.content.decode() and "due in 1 day" in page.content.decode()
    only = _late_page(world, world.hub, dt.date(2027, 1, 12), organisation=world.member_org.pk)
    assert [(r.period, name) for r, name in only.context["rows"]] == [("2027-W01", "Member Org")]
    other = mb.make_indicator(world.coalition, "Volunteers", frequency="monthly", is_shared=True)
    assert any(
        r.indicator_id == other.pk for r, _name in _late_page(world, world.hub, dt.date(2027, 1, 12)).context["rows"]
    )
    filtered = _late_page(world, world.hub, dt.date(2027, 1, 12), indicator=indicator.pk)
    assert {r.indicator_id for r, _name in filtered.context["rows"]} == {indicator.pk}


def test_who_is_late_exports_csv(world: Any) -> None:
    _weekly(world)
    response = _late_page(world, world.hub, dt.date(2027, 1, 12), format="csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Indicator,Member,Period,Period ends,Due on,Days late,State"
    assert lines[1] == "Meals served,Member Org,2026-W53,2027-01-03,2027-01-06,6,Overdue"
    assert lines[2] == "Meals served,Member Org,2027-W01,2027-01-10,2027-01-13,0,Due soon"


def test_who_is_late_is_the_hubs_and_linked_from_the_measure_menu(world: Any) -> None:
    _weekly(world)
    url = reverse("measurement:late", args=[world.coalition.pk])
    assert world.client_for(world.member).get(url).status_code == 403
    assert world.client_for(world.facilitator).get(url).status_code == 403
    dashboard = reverse("measurement:dashboard", args=[world.coalition.pk])
    assert f'href="{url}"' in world.client_for(world.hub).get(dashboard).content.decode()
    assert f'href="{url}"' not in world.client_for(world.member).get(dashboard).content.decode()


def test_weekly_indicator_opens_its_entry_grid_by_iso_week(world: Any) -> None:
    indicator = _weekly(world)
    url = reverse("measurement:entry_grid", args=[world.coalition.pk, indicator.pk, "2026-W53"])
    page = world.client_for(world.member).get(url)
    assert page.status_code == 200
    assert world.client_for(world.member).get(url.replace("2026-W53", "2026-W54")).status_code == 404


def test_weekly_values_import_by_iso_week_and_chart_by_week(world: Any) -> None:
    from coalition.measurement import imports, queries

    indicator = _weekly(world)
    data = (
        b"indicator,period,organisation,value\n"
        b"Meals served,2026-W53,Member Org,40\n"
        b"Meals served,2027-W01,Member Org,35\n"
        b"Meals served,2027-01-06,Member Org,1\n"  # a Wednesday: not the start of a week
    )
    batch, preview = imports.do_import_values(mb.hub_access(world.coalition), data, "meals.csv")
    assert batch is None and [(e.line, e.column) for e in preview.errors] == [(4, "period")]
    assert "2025-W03" in preview.errors[0].reason  # the example shown is a week label
    batch, preview = imports.do_import_values(mb.hub_access(world.coalition), data.rsplit(b"\n", 2)[0] + b"\n", "m.csv")
    assert batch is not None and batch.created == 2
    assert [(p.label, p.value) for p in queries.series(indicator)] == [("2026-W53", 40), ("2027-W01", 35)]


def test_a_long_weekly_life_offers_at_most_520_targets_around_today(world: Any) -> None:
    from coalition.measurement.views.indicators import target_periods

    indicator = mb.make_indicator(
        world.coalition, "Weekly", frequency="weekly", starts_on=dt.date(2022, 1, 3), ends_on=dt.date(2035, 12, 30)
    )
    found = target_periods(indicator, dt.date(2026, 6, 3))
    assert len(found) == 520
    assert found[0] <= dt.date(2021, 6, 3) or found[0] == dt.date(2022, 1, 3)
    assert dt.date(2026, 6, 1) in found and found == sorted(found)
