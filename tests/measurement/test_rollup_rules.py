"""The roll-up rules when some members have not reported (docs/adr/0006), with hand-computed answers.

Issue 13 cases: a late report must not collapse a "latest value" figure (A = 60 in June, B = 500 in May
and not yet in June gives 560, not 60); a missing member must not turn a sum's trend down; a period's
progress reads the indicator's direction; and the scorecard, the members table and the brief agree
whatever the reporting gaps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.coalitions.models import Coalition
from coalition.measurement import actions, calc, periods, presenters, queries, summary
from coalition.measurement.models import Direction, Indicator, MemberAggregation, TimeAggregation
from coalition.stakeholders.models import Stakeholder
from tests import factories
from tests.measurement.builders import entry, hub_access, make_category, make_indicator, options_of

pytestmark = pytest.mark.django_db
MAY, JUNE, JULY = dt.date(2025, 5, 1), dt.date(2025, 6, 1), dt.date(2025, 7, 1)


@pytest.fixture
def members(world) -> tuple[Coalition, Stakeholder, Stakeholder]:
    """Two reporting members: A (the world's member organisation) and B."""
    factories.add_member(world.coalition, factories.make_user("second"), ["member"], organisation=world.other_org)
    return world.coalition, world.member_org, world.other_org


def _indicator(coalition: Coalition, time_rule: TimeAggregation, **fields: object) -> Indicator:
    return make_indicator(
        coalition,
        frequency="monthly",
        starts_on=MAY,
        is_shared=True,
        time_aggregation=time_rule,
        member_aggregation=MemberAggregation.SUM,
        **fields,
    )


def _enter(coalition: Coalition, indicator: Indicator, org: Stakeholder, start: dt.date, value: int) -> None:
    actions.do_enter_values(hub_access(coalition), indicator, org, start, [entry(value)])


def _row(coalition: Coalition) -> queries.ScorecardRow:
    (row,) = queries.scorecard(coalition, shared_only=True)
    return row


def test_a_late_report_carries_the_members_latest_value_forward(members) -> None:
    coalition, a, b = members
    indicator = _indicator(coalition, TimeAggregation.LATEST, unit="places")
    _enter(coalition, indicator, a, MAY, 50)
    _enter(coalition, indicator, b, MAY, 500)
    _enter(coalition, indicator, a, JUNE, 60)  # B has not reported June yet
    row = _row(coalition)
    # By hand: May = 50 + 500 = 550; June = A's 60 + B's May 500 carried = 560.
    assert [(p.period_start, p.value, p.reporters, p.carried) for p in row.points] == [
        (MAY, Decimal(550), 2, 0),
        (JUNE, Decimal(560), 1, 1),
    ]
    assert (row.latest.period_start, row.latest.value, row.to_date) == (JUNE, Decimal(560), Decimal(560))
    assert row.latest.carried_from == MAY and "2025-05" in row.note
    assert (row.trend.direction, row.trend.good) == ("up", True)
    members_table = queries.by_member(indicator)
    assert members_table == {a.pk: Decimal(60), b.pk: Decimal(500)}
    (brief,) = summary.shared_indicator_summary(coalition)
    assert (brief.latest_value, brief.latest_period) == (Decimal(560), "2025-06")


def test_a_missing_member_does_not_turn_a_sum_down(members) -> None:
    coalition, a, b = members
    indicator = _indicator(coalition, TimeAggregation.SUM)
    for start, value_a, value_b in [(MAY, 10, 20), (JUNE, 12, 22)]:
        _enter(coalition, indicator, a, start, value_a)
        _enter(coalition, indicator, b, start, value_b)
    _enter(coalition, indicator, a, JULY, 15)  # B has not reported July
    row = _row(coalition)
    # All expected reporters (the default): July (15, 1 of 2) is incomplete, marked, and not compared.
    assert [(p.value, p.complete) for p in row.points] == [
        (Decimal(30), True),
        (Decimal(34), True),
        (Decimal(15), False),
    ]
    assert (row.latest.period_start, row.latest.value, row.skipped) == (JUNE, Decimal(34), 1)
    assert (row.trend.direction, row.trend.periods) == ("up", 1)
    assert "incomplete" in row.note
    # To date: 30 + 34 + 15 = 79, which is what the members table adds up to (10+12+15, 20+22).
    assert row.to_date == Decimal(79)
    assert queries.by_member(indicator) == {a.pk: Decimal(37), b.pk: Decimal(42)}
    (brief,) = summary.shared_indicator_summary(coalition)
    assert brief.latest_value == Decimal(34)
    # With half of the members enough, July counts: latest 15, trend down for one period.
    Coalition.objects.filter(pk=coalition.pk).update(complete_share=50)
    coalition.refresh_from_db()
    row = _row(coalition)
    assert (row.latest.value, row.trend.direction, row.skipped) == (Decimal(15), "down", 0)


def test_period_progress_reads_the_direction_and_rounds_half_up(members) -> None:
    coalition, a, _b = members
    indicator = _indicator(coalition, TimeAggregation.SUM, direction=Direction.DECREASE)
    actions.do_set_targets(hub_access(coalition), indicator, {MAY: Decimal(55), JUNE: Decimal(8)})
    _enter(coalition, indicator, a, MAY, 60)
    _enter(coalition, indicator, a, JUNE, 64)
    row = queries.scorecard_row(indicator)
    table = presenters.series_panel(indicator, row).table
    progress = [r[table.header.index("Progress (%)")] for r in table.rows]
    # Should decrease: 55 / 60 = 91.67 % → 92 (not 109.09); 8 / 64 = 12.5 % → 13 (half up, not 12).
    assert progress == [Decimal(92), Decimal(13)]


GAPS = st.lists(st.lists(st.one_of(st.none(), st.integers(0, 400)), min_size=4, max_size=4), min_size=3, max_size=3)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=GAPS, time_rule=st.sampled_from(TimeAggregation), share=st.sampled_from([100, 60, 1]))
def test_scorecard_members_table_and_brief_agree_whatever_the_gaps(members, values, time_rule, share) -> None:
    coalition, a, b = members
    with transaction.atomic():
        third = factories.make_stakeholder(coalition, "Third member")
        factories.add_member(coalition, factories.make_user("third"), ["member"], organisation=third)
        Coalition.objects.filter(pk=coalition.pk).update(complete_share=share)
        coalition.refresh_from_db()
        indicator = _indicator(coalition, time_rule)
        months = [periods.shift(periods.MONTHLY, MAY, n) for n in range(4)]
        orgs = [a, b, third]
        for org, row_values in zip(orgs, values, strict=True):
            for start, value in zip(months, row_values, strict=True):
                if value is not None:
                    _enter(coalition, indicator, org, start, value)
        row = _row(coalition)
        members_table = queries.by_member(indicator)
        (brief,) = summary.shared_indicator_summary(coalition)
        # Independent oracle: the rules of ADR 6 written out over the plain lists.
        reported = [[(m, v) for m, v in zip(months, vs, strict=True) if v is not None] for vs in values]
        expected_orgs = sum(1 for r in reported if r)
        with_data = [m for m in months if any(dict(r).get(m) is not None for r in reported)]
        if time_rule == TimeAggregation.LATEST:
            per_period = {
                m: sum((max((x for x in r if x[0] <= m), default=(m, 0))[1] for r in reported), 0) for m in with_data
            }
            comparable = with_data
        else:
            per_period = {m: sum(dict(r).get(m, 0) for r in reported) for m in with_data}
            counts = {m: sum(1 for r in reported if m in dict(r)) for m in with_data}
            comparable = [m for m in with_data if counts[m] * 100 >= expected_orgs * share]
        latest = comparable[-1] if comparable else None
        expected_latest = None if latest is None else per_period[latest]
        if time_rule == TimeAggregation.AVERAGE and latest is not None:
            expected_latest = per_period[latest]  # the across-member sum of that period
        assert (row.latest.value if row.latest else None) == expected_latest
        assert brief.latest_value == (row.latest.value if row.latest else None)
        assert brief.latest_period == (row.latest.label if row.latest else "")
        if time_rule == TimeAggregation.LATEST and with_data:
            assert row.points[-1].value == sum(members_table.values(), Decimal(0))
        if time_rule == TimeAggregation.SUM and with_data:
            assert row.to_date == sum(members_table.values(), Decimal(0))
        assert calc.trend([per_period[m] for m in comparable], Direction.INCREASE) == row.trend
        transaction.set_rollback(True)


def test_a_latest_value_breakdown_carries_each_members_cells_forward(members) -> None:
    coalition, a, b = members
    indicator = _indicator(coalition, TimeAggregation.LATEST, unit="children")
    sex = make_category(coalition)
    female, male = options_of(sex)
    actions.do_set_indicator_categories(hub_access(coalition), indicator, [sex])
    hub = hub_access(coalition)
    for org, start, f, m in [(a, MAY, 10, 20), (b, MAY, 30, 40), (a, JUNE, 12, 25)]:  # B has not reported June
        actions.do_enter_values(hub, indicator, org, start, [entry(f, female), entry(m, male)])
    # By hand: A's June cells and B's May cells: Female 12 + 30 = 42, Male 25 + 40 = 65; together 107,
    # the scorecard's June value (A's 37 + B's 70 carried). Before: June's cells only, 12 and 25.
    assert queries.by_option(indicator, sex) == {female: Decimal(42), male: Decimal(65)}
    row = _row(coalition)
    assert row.latest.value == Decimal(107)
    table = presenters.breakdown_panel(
        indicator, presenters.View(shared=False, threshold=5), [sex], queries.table(indicator, [sex])
    ).table
    assert table.footer == ["Total", Decimal(107)]
