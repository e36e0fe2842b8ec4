"""The derived figures (``rollups``) stay equal to a full recomputation, whatever the writes, and the
figures read from them equal those read from the stored values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.measurement import actions, imports, periods, queries, rollups
from coalition.measurement.models import MemberFigure, MemberPeriodValue, PeriodFigure
from tests import factories
from tests.measurement.builders import START, entry, hub_access, make_category, make_indicator, options_of

pytestmark = pytest.mark.django_db
QUARTERS = [periods.shift(periods.QUARTERLY, START, n) for n in range(3)]
DERIVED = (MemberPeriodValue, PeriodFigure, MemberFigure)


def _snapshot(indicator_id: int) -> dict[str, set[tuple]]:
    """Every derived row of an indicator, without ids, with figures rounded as the queries read them."""
    found = {}
    for model in DERIVED:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        rows = model.objects.filter(indicator_id=indicator_id).values_list(*fields)
        found[model.__name__] = {
            tuple(v.quantize(Decimal("0.0001")) if isinstance(v, Decimal) else v for v in row) for row in rows
        }
    return found


# One write: (organisation index, quarter index, cells: total or None, female, male, "blank" clears all),
# or a review step on a member's quarter.
WRITE = st.tuples(
    st.sampled_from(["enter", "clear", "submit", "approve", "return"]),
    st.integers(0, 2),
    st.integers(0, 2),
    st.one_of(st.none(), st.integers(0, 90)),
    st.tuples(st.integers(0, 90), st.integers(0, 90)),
)


def _cell(verb: str, kind: str, amount: int, *options: int):
    if verb == "clear":
        return entry(None, *options)
    if kind == "percentage":
        return entry(None, *options, numerator=amount, denominator=amount + 1 + amount % 3)
    return entry(amount, *options)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(WRITE, min_size=1, max_size=12), kind=st.sampled_from(["count", "percentage"]))
def test_derived_figures_equal_a_full_recomputation_after_any_writes(world, writes, kind) -> None:
    with transaction.atomic():
        hub = hub_access(world.coalition)
        organisations = [world.member_org, world.other_org, factories.make_stakeholder(world.coalition, "Third")]
        sex = make_category(world.coalition)
        female, male = options_of(sex)
        indicator = make_indicator(world.coalition, kind=kind, time_aggregation="latest")
        actions.do_set_indicator_categories(hub, indicator, [sex])
        for verb, org, quarter, total, (f, m) in writes:
            organisation, start = organisations[org], QUARTERS[quarter]
            submission = actions.submission_for(indicator, organisation.pk, start)
            state = submission.state if submission else "draft"
            if verb in ("enter", "clear") and state == "draft":
                cells = [_cell(verb, kind, f, female), _cell(verb, kind, m, male)]
                if total is not None or verb == "clear":
                    cells.append(_cell(verb, kind, total or 0))
                actions.do_enter_values(hub, indicator, organisation, start, cells)
            elif (
                verb == "submit"
                and state == "draft"
                and submission
                and indicator.values.filter(organisation=organisation, period_start=start).exists()
            ):
                actions.do_submit_period(hub, indicator, organisation, start)
            elif verb == "approve" and state == "submitted":
                actions.do_approve_period(hub, submission)
            elif verb == "return" and state in ("submitted", "approved"):
                actions.do_return_period(hub, submission, reason="Check the numbers")
        kept = _snapshot(indicator.pk)
        rollups.rebuild([indicator.pk])
        assert kept == _snapshot(indicator.pk)
        transaction.set_rollback(True)


RULES = st.tuples(st.sampled_from(["sum", "average", "latest"]), st.sampled_from(["sum", "average", "max"]))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amounts=st.lists(st.integers(0, 60), min_size=36, max_size=36),
    rules=RULES,
    kind=st.sampled_from(["count", "percentage"]),
)
def test_figures_from_derived_rows_equal_figures_from_stored_values(world, amounts, rules, kind) -> None:
    """Without a scope the queries read the derived figures; with every member named (or a period
    range), the members' rows or the stored values. Both must agree, breakdowns by one of two
    categories included, where cells fold together (averages and maxima then read the values)."""
    time_rule, member_rule = rules
    if kind == "percentage" and time_rule == "sum":
        time_rule = "average"
    with transaction.atomic():
        hub = hub_access(world.coalition)
        organisations = [world.member_org, world.other_org]
        sex = make_category(world.coalition)
        age = make_category(world.coalition, "Age", ("Young", "Old"))
        indicator = make_indicator(
            world.coalition, kind=kind, time_aggregation=time_rule, member_aggregation=member_rule
        )
        actions.do_set_indicator_categories(hub, indicator, [sex, age])
        cells = [(s, a) for s in options_of(sex) for a in options_of(age)]
        numbers = iter(amounts)
        for organisation in organisations:
            for start in QUARTERS[:2]:
                entries = []
                for options in cells:
                    amount = next(numbers)
                    if kind == "percentage":
                        entries.append(entry(None, *options, numerator=amount, denominator=amount + 1 + amount % 5))
                    else:
                        entries.append(entry(amount, *options))
                if amount % 3 == 0 and kind == "count":  # some members also give a total, which then counts
                    entries.append(entry(next(numbers)))
                actions.do_enter_values(hub, indicator, organisation, start, entries)
        everyone = queries.Scope(organisation_ids=[o.pk for o in organisations])
        derived = queries.ALL
        assert queries.series(indicator, derived) == queries.series(indicator, everyone)
        assert queries.by_member(indicator, derived) == queries.by_member(indicator, queries.Scope(since=QUARTERS[0]))
        for categories in ([sex], [age], [sex, age]):
            assert queries.table(indicator, categories, derived) == queries.table(indicator, categories, everyone)
        transaction.set_rollback(True)


def test_an_import_refreshes_the_figures_of_every_row_it_writes(world) -> None:
    hub = hub_access(world.coalition)
    indicator = make_indicator(world.coalition, "Meals served")
    rows = ["indicator,period,organisation,value"]
    for start in QUARTERS:
        for n, organisation in enumerate([world.member_org, world.other_org]):
            rows.append(f"Meals served,{periods.label('quarterly', start)},{organisation.name},{10 * (n + 1)}")
    batch, preview = imports.do_import_values(hub, "\n".join(rows).encode(), "meals.csv")
    assert batch is not None, preview.grouped
    assert [p.value for p in queries.series(indicator)] == [Decimal(30)] * 3
    assert queries.by_member(indicator) == {world.member_org.pk: Decimal(30), world.other_org.pk: Decimal(60)}
    kept = _snapshot(indicator.pk)
    rollups.rebuild([indicator.pk])
    assert kept == _snapshot(indicator.pk)


def test_only_reviewed_periods_reach_the_reviewed_figures(world) -> None:
    hub = hub_access(world.coalition)
    indicator = make_indicator(world.coalition, "Visits")
    for organisation, amount in ((world.member_org, 4), (world.other_org, 6)):
        actions.do_enter_values(hub, indicator, organisation, START, [entry(amount)])
    submission = actions.do_submit_period(hub, indicator, world.member_org, START)
    reviewed = queries.Scope(approved_only=True)
    assert queries.series(indicator, reviewed) == []
    actions.do_approve_period(hub, submission)
    assert [p.value for p in queries.series(indicator, reviewed)] == [Decimal(4)]
    assert queries.by_member(indicator, reviewed) == {world.member_org.pk: Decimal(4)}
    assert [p.value for p in queries.series(indicator)] == [Decimal(10)]


def test_a_refresh_touches_only_the_named_periods_and_members(world) -> None:
    """Rows of other periods are left alone (so a saved grid costs a handful of rows, not the indicator)."""
    indicator = make_indicator(world.coalition, "Hours")
    actions.do_enter_values(hub_access(world.coalition), indicator, world.member_org, START, [entry(5)])
    with connection.cursor() as cursor:  # tamper with a derived row the next write must not touch
        cursor.execute("UPDATE measurement_memberperiodvalue SET value = 99 WHERE indicator_id = %s", [indicator.pk])
    later = QUARTERS[1]
    actions.do_enter_values(hub_access(world.coalition), indicator, world.other_org, later, [entry(7)])
    by_period = dict(MemberPeriodValue.objects.filter(indicator=indicator).values_list("period_start", "value"))
    assert by_period == {START: Decimal(99), later: Decimal(7)}
    rollups.rebuild([indicator.pk])
    assert MemberPeriodValue.objects.get(indicator=indicator, period_start=START).value == Decimal(5)
    assert isinstance(START, dt.date)
