"""Database aggregation agrees with the pure functions, and the dashboard figures read right."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.measurement import actions, calc, periods, queries, rollups, summary
from coalition.measurement.models import DataValue, Kind, MemberAggregation, OptionCombination, TimeAggregation
from tests import factories
from tests.measurement.builders import START, entry, hub_access, make_category, make_indicator, options_of

pytestmark = pytest.mark.django_db
QUARTERS = [periods.shift(periods.QUARTERLY, START, n) for n in range(4)]
TOLERANCE = Decimal("0.001")

# Per (member, quarter): nothing, a total, a breakdown by sex, or both (which may disagree).
SHAPES = st.sampled_from(["none", "total", "cells", "both"])
AMOUNT = st.integers(min_value=0, max_value=500)
CELL = st.fixed_dictionaries({"shape": SHAPES, "total": AMOUNT, "cells": st.tuples(AMOUNT, AMOUNT)})
DATASETS = st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=3, max_size=3)


def _close(a: Decimal | None, b: Decimal | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= TOLERANCE)


def _percentage_pair(amount: int) -> tuple[Decimal, Decimal]:
    return Decimal(amount), Decimal(amount + amount % 7 + 1)


@pytest.fixture
def setup(world):
    sex = make_category(world.coalition)
    organisations = [world.member_org, world.other_org, factories.make_stakeholder(world.coalition, "Third")]
    return world, sex, organisations


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=DATASETS,
    kind=st.sampled_from([Kind.COUNT, Kind.PERCENTAGE]),
    time_rule=st.sampled_from(TimeAggregation),
    member_rule=st.sampled_from(MemberAggregation),
)
def test_database_aggregation_matches_the_pure_functions(setup, data, kind, time_rule, member_rule) -> None:
    world, sex, organisations = setup
    if kind == Kind.PERCENTAGE and time_rule == TimeAggregation.SUM:
        time_rule = TimeAggregation.AVERAGE
    with transaction.atomic():
        indicator = make_indicator(
            world.coalition, kind=kind, time_aggregation=time_rule, member_aggregation=member_rule
        )
        actions.do_set_indicator_categories(hub_access(world.coalition), indicator, [sex])
        female, male = options_of(sex)
        combos = actions.ensure_combinations(world.coalition, [(), (female,), (male,)])
        rows = []
        # Pure reference: member values per period, then across members, then over time.
        per_period: dict[dt.date, list] = defaultdict(list)
        per_member: dict[int, list] = defaultdict(list)
        member_at: dict[int, dict[dt.date, Any]] = defaultdict(dict)  # member → period → its value
        per_option: dict[int, dict[dt.date, list]] = {female: defaultdict(list), male: defaultdict(list)}
        cells_at: dict[int, dict[dt.date, dict[int, Any]]] = defaultdict(dict)  # member → period → option → cell
        for org, quarters in zip(organisations, data, strict=True):
            for start, cell in zip(QUARTERS, quarters, strict=True):
                stored = []
                if cell["shape"] in ("total", "both"):
                    stored.append(((), cell["total"]))
                if cell["shape"] in ("cells", "both"):
                    stored += [((female,), cell["cells"][0]), ((male,), cell["cells"][1])]
                for options, amount in stored:
                    if kind == "percentage":
                        num, den = _percentage_pair(amount)
                        value = calc.percentage(num, den)
                    else:
                        num = den = None
                        value = Decimal(amount)
                    rows.append(
                        DataValue(
                            coalition=world.coalition,
                            indicator=indicator,
                            organisation=org,
                            period_start=start,
                            combination_id=combos[OptionCombination.key_for(options)],
                            value=value,
                            numerator=num,
                            denominator=den,
                        )
                    )
                if not stored:
                    continue
                if kind == "percentage":
                    pairs = [_percentage_pair(a) for o, a in stored if o == ()] or [
                        _percentage_pair(a) for o, a in stored
                    ]
                    num = sum((n for n, _d in pairs), Decimal(0))
                    den = sum((d for _n, d in pairs), Decimal(0))
                    per_period[start].append((num, den))
                    member_at[org.pk][start] = (num, den)
                    member = calc.percentage(num, den)
                    for options, amount in stored:
                        if options:
                            per_option[options[0]][start].append(_percentage_pair(amount))
                            cells_at[org.pk].setdefault(start, {})[options[0]] = _percentage_pair(amount)
                else:
                    total = next((Decimal(a) for o, a in stored if o == ()), None)
                    member = calc.member_value(total, [Decimal(a) for o, a in stored if o])
                    per_period[start].append(member)
                    member_at[org.pk][start] = member
                    for options, amount in stored:
                        if options:
                            per_option[options[0]][start].append(Decimal(amount))
                            cells_at[org.pk].setdefault(start, {})[options[0]] = Decimal(amount)
                per_member[org.pk].append(member)
        DataValue.objects.bulk_create(rows)
        rollups.rebuild([indicator.pk])  # written around the actions, so derive the figures here

        def across(values: list) -> Decimal | None:
            if kind == "percentage":
                return calc.ratio_across_members(member_rule, values)
            return calc.across_members(member_rule, values)

        def carried(start: dt.date) -> list:
            """Each member's value at ``start``: its own, else its most recent earlier one (ADR 6)."""
            found = []
            for by_start in member_at.values():
                earlier = [s for s in by_start if s <= start]
                if earlier:
                    found.append(by_start[max(earlier)])
            return found

        if time_rule == TimeAggregation.LATEST:
            expected_series = [(s, across(carried(s))) for s in QUARTERS if per_period[s]]
        else:
            expected_series = [(s, across(per_period[s])) for s in QUARTERS if per_period[s]]
        got = queries.series(indicator)
        assert [p.period_start for p in got] == [s for s, _v in expected_series]
        for n, (point, (_start, value)) in enumerate(zip(got, expected_series, strict=True)):
            assert _close(point.value, value), (point, value)
            assert _close(point.to_date, calc.over_time(time_rule, [v for _s, v in expected_series[: n + 1]]))
        members = queries.by_member(indicator)
        assert set(members) == set(per_member)
        for org_id, values in per_member.items():
            assert _close(members[org_id], calc.over_time(time_rule, values))
        options = queries.by_option(indicator, sex)
        for option, by_start in per_option.items():
            if time_rule == TimeAggregation.LATEST:  # each member's cells of its last period with a value (ADR 6)
                last = [cells_at[org].get(max(starts), {}) for org, starts in member_at.items()]
                expected = across([cell[option] for cell in last if option in cell])
            else:
                expected = calc.over_time(time_rule, [across(by_start[s]) for s in QUARTERS if by_start[s]])
            assert _close(options.get(option), expected), (option, options, expected)
        transaction.set_rollback(True)


def test_scorecard_reads_latest_value_target_variance_and_trend(world) -> None:
    indicator = make_indicator(world.coalition, "Hours offered", is_shared=True, unit="hours")
    hub = hub_access(world.coalition)
    actions.do_set_targets(hub, indicator, {s: Decimal(100) for s in QUARTERS})
    for start, (a, b) in zip(QUARTERS, [(30, 40), (40, 45), (50, 55)], strict=False):
        actions.do_enter_values(hub, indicator, world.member_org, start, [entry(a)])
        actions.do_enter_values(hub, indicator, world.other_org, start, [entry(b)])
    row = queries.scorecard(world.coalition)[0]
    assert row.latest.label == "2025-Q3"
    assert (row.latest.value, row.target, row.variance) == (Decimal(105), Decimal(100), Decimal(5))
    assert row.status == calc.Status.ON_TRACK
    assert (row.trend.direction, row.trend.periods, row.trend.good) == ("up", 2, True)
    assert (row.to_date, row.life_target) == (Decimal(260), Decimal(400))
    assert row.progress == Decimal(65)
    brief = summary.shared_indicator_summary(world.coalition)
    assert [(s.name, s.latest_period, s.latest_value, s.progress, s.on_track) for s in brief] == [
        ("Hours offered", "2025-Q3", Decimal(105), Decimal(105), True)
    ]


def test_decreasing_indicator_above_target_is_off_track(world) -> None:
    indicator = make_indicator(world.coalition, direction="decrease", time_aggregation="latest", is_shared=True)
    hub = hub_access(world.coalition)
    actions.do_set_targets(hub, indicator, {QUARTERS[0]: Decimal(10)})
    actions.do_enter_values(hub, indicator, world.member_org, QUARTERS[0], [entry(14)])
    (brief,) = summary.shared_indicator_summary(world.coalition)
    assert brief.status == calc.Status.BEHIND and not brief.on_track


def test_completeness_lists_missing_member_periods(world) -> None:
    indicator = make_indicator(world.coalition, ends_on=dt.date(2025, 9, 30))
    hub = hub_access(world.coalition)
    actions.do_enter_values(hub, indicator, world.member_org, QUARTERS[0], [entry(1)])
    actions.do_enter_values(hub, indicator, world.member_org, QUARTERS[2], [entry(1)])
    actions.do_submit_period(hub, indicator, world.member_org, QUARTERS[2])
    result = queries.completeness(
        indicator, until=dt.date(2026, 6, 30), organisations=[world.member_org, world.other_org]
    )
    assert result.labels == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert [r.states for r in result.rows] == [
        ["draft", "missing", "submitted"],
        ["missing", "missing", "missing"],
    ]
    assert result.missing == 4
    assert result.rate == Decimal("33.3333")
    assert queries.reporting_organisations(world.coalition) == [world.member_org]
    assert queries.missing_reports(world.coalition, dt.date(2025, 9, 30)) == {indicator.pk: 1}


def test_total_and_breakdown_that_disagree_are_flagged_not_added(world) -> None:
    sex = make_category(world.coalition)
    indicator = make_indicator(world.coalition)
    hub = hub_access(world.coalition)
    actions.do_set_indicator_categories(hub, indicator, [sex])
    female, male = options_of(sex)
    actions.do_enter_values(hub, indicator, world.member_org, START, [entry(10), entry(4, female), entry(5, male)])
    actions.do_enter_values(hub, indicator, world.other_org, START, [entry(9), entry(4, female), entry(5, male)])
    (issue,) = queries.consistency_issues(indicator)
    assert (issue.organisation_id, issue.total, issue.breakdown, issue.difference) == (
        world.member_org.pk,
        Decimal(10),
        Decimal(9),
        Decimal(1),
    )
    assert queries.series(indicator)[0].value == Decimal(19)


def test_two_way_table_across_categories(world) -> None:
    sex, age = make_category(world.coalition), make_category(world.coalition, "Age", ("young", "old"))
    indicator = make_indicator(world.coalition)
    hub = hub_access(world.coalition)
    actions.do_set_indicator_categories(hub, indicator, [sex, age])
    (f, m), (y, o) = options_of(sex), options_of(age)
    cells = [entry(1, f, y), entry(2, f, o), entry(3, m, y), entry(4, m, o)]
    actions.do_enter_values(hub, indicator, world.member_org, START, cells)
    actions.do_enter_values(hub, indicator, world.other_org, START, cells)
    assert queries.table(indicator, [sex, age]) == {(f, y): 2, (f, o): 4, (m, y): 6, (m, o): 8}
    assert queries.by_option(indicator, age, queries.Scope(organisation_ids=[world.member_org.pk])) == {y: 4, o: 6}


def test_a_breakdown_with_no_data_yet_is_empty_on_every_engine(world) -> None:
    sex = make_category(world.coalition)
    indicator = make_indicator(world.coalition)
    actions.do_set_indicator_categories(hub_access(world.coalition), indicator, [sex])
    assert queries.table(indicator, [sex]) == {}
    assert queries.table_many([(indicator, [sex])]) == {indicator.pk: {}}


def test_active_indicators_arrive_with_their_breakdown_and_targets(world, django_assert_num_queries) -> None:
    sex = make_category(world.coalition)
    age = make_category(world.coalition, "Age", ("Under 18", "18 and over"))
    access = hub_access(world.coalition)
    broken = make_indicator(world.coalition, "Broken down", is_shared=True)
    actions.do_set_indicator_categories(access, broken, [sex, age])
    make_indicator(world.coalition, "Plain")
    actions.do_set_indicator_categories(access, make_indicator(world.coalition, "By sex"), [sex])
    with django_assert_num_queries(4):  # indicators, targets, which categories they use, those with their options
        found = queries.active_indicators(world.coalition)
    with django_assert_num_queries(0):
        shape = {i.name: [(c.name, [o.name for o in c.option_list]) for c in i.breakdown] for i in found}
        assert all(i.coalition is world.coalition and i.target_by_period == {} for i in found)
    assert shape == {
        "Broken down": [("Age", ["Under 18", "18 and over"]), ("Sex", ["Female", "Male"])],  # the categories' order
        "Plain": [],
        "By sex": [("Sex", ["Female", "Male"])],
    }
