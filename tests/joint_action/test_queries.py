"""Database queries: the duplication check agrees with the pure rule, who does what where, cohesion figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from coalition.joint_action import actions, calc, queries
from coalition.joint_action.models import Action, MemberActivity
from tests import factories
from tests.joint_action import builders

BASE = dt.date(2026, 3, 1)
TODAY = builders.TODAY


class OverlapQueryAgreesWithPureRule(HypothesisTestCase):
    """The database query returns exactly what ``calc.find_overlaps`` returns over the same rows."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.tuples(
                st.booleans(),  # action or member activity
                st.sampled_from(["Reading club", "Sports"]),
                st.sampled_from(["North", "South"]),
                st.integers(0, 40),
                st.one_of(st.none(), st.integers(0, 15)),
                st.sampled_from(["planned", "dropped"]),
            ),
            min_size=1,
            max_size=8,
        ),
        st.integers(0, 40),
        st.one_of(st.none(), st.integers(0, 15)),
    )
    def test_overlap_query(self, rows: list, cand_start: int, cand_len: int | None) -> None:
        coalition = factories.make_coalition()
        lead = builders.member_org(coalition, "Lead")
        plan = builders.plan(coalition)
        occupations = []
        for is_action, kind, place, start, length, status in rows:
            starts_on = BASE + dt.timedelta(days=start)
            if is_action:
                obj = builders.action(
                    coalition,
                    in_plan=plan,
                    lead=lead,
                    kind=kind,
                    place=place,
                    starts_on=starts_on,
                    due_on=starts_on + dt.timedelta(days=length or 0),
                    status=status,
                    dropped_reason="no" if status == "dropped" else "",
                )
                if status != "dropped":
                    occupations.append(calc.Occupation(("action", obj.pk), kind, place, obj.starts_on, obj.due_on))
            else:
                ends_on = None if length is None else starts_on + dt.timedelta(days=length)
                obj = builders.member_activity(
                    coalition, member=lead, kind=kind, place=place, starts_on=starts_on, ends_on=ends_on
                )
                occupations.append(calc.Occupation(("activity", obj.pk), kind, place, starts_on, ends_on))
        cand_starts = BASE + dt.timedelta(days=cand_start)
        cand_ends = None if cand_len is None else cand_starts + dt.timedelta(days=cand_len)
        reading = builders.activity_type(coalition, "Reading club")
        found = queries.overlapping_entries(
            coalition, activity_type_id=reading.pk, place="north", starts_on=cand_starts, ends_on=cand_ends
        )
        expected = calc.find_overlaps(
            calc.Occupation(None, "Reading club", "north", cand_starts, cand_ends), occupations
        )
        assert sorted((e.kind, e.pk) for e in found) == sorted(o.key for o in expected)


@pytest.mark.django_db
def test_an_action_does_not_overlap_itself_and_ignores_other_coalitions(world: Any) -> None:
    first = builders.action(world.coalition, place="North", starts_on=BASE, due_on=BASE + dt.timedelta(days=10))
    assert queries.overlaps_for_action(first) == []
    builders.action(world.other, place="North", starts_on=BASE, due_on=BASE + dt.timedelta(days=10))
    assert queries.overlaps_for_action(first) == []
    second = builders.action(world.coalition, place="NORTH", starts_on=BASE + dt.timedelta(days=10))
    assert [e.pk for e in queries.overlaps_for_action(first)] == [second.pk]
    actions.do_update_action(world.hub, second, status="dropped", dropped_reason="merged")
    assert queries.overlaps_for_action(first) == []


@pytest.mark.django_db
def test_who_what_where_shows_gaps_and_overlaps(world: Any) -> None:
    world.coalition.places = "North, South"
    world.coalition.save()
    builders.activity_type(world.coalition, "Sports")
    builders.action(world.coalition, lead=world.member_org, place="North", starts_on=BASE)
    builders.member_activity(world.coalition, member=world.other_org, place="north", starts_on=BASE)
    builders.action(world.coalition, lead=world.member_org, kind="Sports", place="South", starts_on=BASE)
    grid = queries.who_what_where(world.coalition, BASE, BASE + dt.timedelta(days=60))
    states = {(place, cell.activity_type.name): cell.state for place, cells in grid.rows for cell in cells}
    assert states == {
        ("North", "Reading club"): "overlap",
        ("North", "Sports"): "gap",
        ("South", "Reading club"): "gap",
        ("South", "Sports"): "covered",
    }
    assert (grid.gap_count, grid.overlap_count) == (2, 1)
    members = {place: cell.members for place, cells in grid.rows for cell in cells if cell.state == "overlap"}
    assert members == {"North": ["Member Org", "Second Org"]}
    # A period before everything: every cell is a gap.
    earlier = queries.who_what_where(world.coalition, BASE - dt.timedelta(days=30), BASE - dt.timedelta(days=1))
    assert earlier.gap_count == 4
    rows = queries.who_what_where_rows(grid)
    assert len(rows) == 2 + 2 + 1  # two gap rows, two entries in the overlap cell, one in the covered cell


@pytest.mark.django_db
def test_places_used_outside_the_coalition_list_appear_as_rows(world: Any) -> None:
    world.coalition.places = "North"
    world.coalition.save()
    builders.action(world.coalition, place="Hilltop", starts_on=BASE)
    grid = queries.who_what_where(world.coalition, None, None)
    assert grid.places == ["North", "Hilltop"]


@pytest.mark.django_db
def test_cohesion_figures(world: Any) -> None:
    c = world.coalition
    plan = builders.plan(c)
    builders.plan(c)
    archived = builders.plan(c)
    actions.do_save_plan(world.hub, c, plan=archived, is_archived=True)
    done = builders.action(c, in_plan=plan, starts_on=TODAY - dt.timedelta(days=20))
    actions.do_update_action(world.hub, done, status="done", completed_on=TODAY - dt.timedelta(days=2))
    dropped = builders.action(c, in_plan=plan, status="dropped", dropped_reason="n/a")
    open_action = builders.action(c, in_plan=plan)
    for target, member, amount, currency in (
        (done, world.member_org, "100.10", "EUR"),
        (open_action, world.member_org, "50.25", "EUR"),
        (open_action, world.other_org, "20", "USD"),
        (dropped, world.member_org, "999", "EUR"),
    ):
        actions.do_set_contribution(world.hub, target, member, amount=Decimal(amount), currency=currency)
    actions.do_set_contribution(world.hub, done, world.other_org, in_kind="Hall")
    assert queries.joint_plan_count(c) == 2
    assert queries.completed_joint_action_count(c) == 1
    assert queries.completed_joint_action_count(c, start=TODAY) == 0
    assert queries.resources_mobilised(c) == {"EUR": Decimal("150.35"), "USD": Decimal("20.00")}
    assert queries.in_kind_commitment_count(c) == 1
    assert queries.joint_plan_count(world.other) == 0


@pytest.mark.django_db
def test_member_commitments_include_led_and_contributed_actions(world: Any) -> None:
    c = world.coalition
    led = builders.action(
        c, lead=world.member_org, starts_on=TODAY - dt.timedelta(days=40), due_on=TODAY - dt.timedelta(days=5)
    )
    supported = builders.action(
        c, lead=world.other_org, starts_on=TODAY - dt.timedelta(days=40), due_on=TODAY - dt.timedelta(days=10)
    )
    actions.do_set_contribution(world.hub, supported, world.member_org, in_kind="Volunteers")
    actions.do_update_action(world.hub, supported, status="done", completed_on=TODAY - dt.timedelta(days=10))
    builders.action(c, lead=world.other_org)  # not theirs
    mine = list(queries.actions_of_member(c, world.member_org))
    assert {a.pk for a in mine} == {led.pk, supported.pk}
    result = queries.member_follow_through(mine, TODAY)
    assert (result.due, result.on_time, result.overdue, result.percent) == (2, 1, 1, 50)
    assert Action.objects.count() == 3 and MemberActivity.objects.count() == 0
