"""The rules held by joint-action actions: validation, audit, stale saves, contributions, the workplan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coalition.coalitions.actions import StaleVersion
from coalition.core.models import AuditEvent
from coalition.joint_action import actions, calc
from coalition.joint_action.models import Action, Contribution, WorkplanTask
from tests import factories
from tests.joint_action import builders

pytestmark = pytest.mark.django_db
TODAY = builders.TODAY


def test_creating_an_action_is_audited(world: Any) -> None:
    action = builders.action(world.coalition, lead=world.member_org)
    event = AuditEvent.objects.get(verb="action.created", object_id=str(action.pk))
    assert event.coalition == world.coalition
    assert event.after["lead_id"] == world.member_org.pk


def test_lead_must_be_a_member_organisation_of_the_coalition(world: Any) -> None:
    outsider_org = factories.make_stakeholder(world.other, "Elsewhere", engagement="member")
    prospect = factories.make_stakeholder(world.coalition, "Only identified", engagement="identified")
    for org in (outsider_org, prospect):
        with pytest.raises(ValidationError) as caught:
            builders.action(world.coalition, lead=org)
        assert "lead" in caught.value.message_dict


def test_an_organisation_represented_by_a_membership_can_lead(world: Any) -> None:
    represented = factories.make_stakeholder(world.coalition, "Represented", engagement="contacted")
    factories.add_member(world.coalition, organisation=represented)
    assert builders.action(world.coalition, lead=represented).lead == represented


def test_activity_type_and_objective_must_belong_to_the_coalition_and_plan(world: Any) -> None:
    foreign_type = builders.activity_type(world.other, "Sports")
    plan = builders.plan(world.coalition)
    other_objective = builders.objective(world.coalition)  # in another plan
    fields = {
        "title": "X",
        "place": "North",
        "lead_id": world.member_org.pk,
        "starts_on": TODAY,
        "due_on": TODAY,
    }
    with pytest.raises(ValidationError) as caught:
        actions.do_create_action(world.hub, plan, activity_type_id=foreign_type.pk, **fields)
    assert "activity_type" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.do_create_action(
            world.hub,
            plan,
            activity_type_id=builders.activity_type(world.coalition).pk,
            objective_id=other_objective.pk,
            **fields,
        )
    assert "objective" in caught.value.message_dict


def test_due_date_cannot_precede_start(world: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        builders.action(world.coalition, starts_on=TODAY, due_on=TODAY - dt.timedelta(days=1))
    assert "due_on" in caught.value.message_dict


def test_dropping_requires_a_reason_and_keeps_it(world: Any) -> None:
    action = builders.action(world.coalition)
    with pytest.raises(ValidationError) as caught:
        actions.do_update_action(world.hub, action, status="dropped", dropped_reason="  ")
    assert "dropped_reason" in caught.value.message_dict
    action = actions.do_update_action(world.hub, action, status="dropped", dropped_reason="Another group does it")
    assert action.dropped_reason == "Another group does it"
    reopened = actions.do_update_action(world.hub, action, status="planned")
    assert reopened.dropped_reason == ""


def test_done_requires_a_completion_date_not_in_the_future(world: Any) -> None:
    action = builders.action(world.coalition, starts_on=TODAY - dt.timedelta(days=10))
    with pytest.raises(ValidationError) as caught:
        actions.do_update_action(world.hub, action, status="done")
    assert "completed_on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        actions.do_update_action(world.hub, action, status="done", completed_on=TODAY + dt.timedelta(days=1))
    done = actions.do_update_action(world.hub, action, status="done", completed_on=TODAY)
    assert done.completed_on == TODAY
    assert actions.do_update_action(world.hub, done, status="under_way").completed_on is None


def test_database_refuses_a_dropped_action_without_reason(world: Any) -> None:
    action = builders.action(world.coalition)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="dropped", dropped_reason="")


def test_saving_from_a_stale_version_is_refused_and_changes_nothing(world: Any) -> None:
    action = builders.action(world.coalition, title="First")
    actions.do_update_action(world.hub, action, expected_version=1, title="Second")
    with pytest.raises(StaleVersion):
        actions.do_update_action(world.hub, action, expected_version=1, title="Third")
    assert Action.objects.get(pk=action.pk).title == "Second"


def test_place_uses_the_coalitions_spelling(world: Any) -> None:
    world.coalition.places = "Millbrook Estate, Riverside"
    world.coalition.save()
    action = builders.action(world.coalition, place="  millbrook   estate ")
    assert action.place == "Millbrook Estate"
    assert builders.action(world.coalition, place="Hill  Top").place == "Hill Top"


def test_contribution_money_needs_an_iso_currency(world: Any) -> None:
    action = builders.action(world.coalition)
    with pytest.raises(ValidationError):
        actions.do_set_contribution(world.hub, action, world.member_org, amount=Decimal("10"), currency="euro")
    with pytest.raises(ValidationError):
        actions.do_set_contribution(world.hub, action, world.member_org, amount=None, currency="EUR")
    with pytest.raises(ValidationError):
        actions.do_set_contribution(world.hub, action, world.member_org, amount=Decimal("-1"), currency="EUR")
    saved = actions.do_set_contribution(world.hub, action, world.member_org, amount=Decimal("12.5"), currency="eur")
    assert (saved.amount, saved.currency) == (Decimal("12.50"), "EUR")


def test_setting_a_contribution_twice_replaces_it(world: Any) -> None:
    action = builders.action(world.coalition)
    actions.do_set_contribution(world.hub, action, world.member_org, amount=Decimal("5"), currency="USD")
    actions.do_set_contribution(world.hub, action, world.member_org, in_kind="Two volunteers")
    only = Contribution.objects.get(action=action)
    assert (only.amount, only.currency, only.in_kind) == (None, "", "Two volunteers")
    actions.do_remove_contribution(world.hub, only)
    assert not Contribution.objects.filter(action=action).exists()
    assert AuditEvent.objects.filter(verb="contribution.removed").count() == 1


def test_workplan_is_seeded_from_the_template_and_can_be_ticked_and_redated(world: Any) -> None:
    start = dt.date(2026, 1, 5)
    workplan = actions.do_start_workplan(world.hub, world.coalition, start)
    tasks = list(workplan.tasks.order_by("id"))
    assert len(tasks) == len(calc.LAUNCH_TEMPLATE)
    assert tasks[0].starts_on == start
    with pytest.raises(ValidationError):
        actions.do_start_workplan(world.hub, world.coalition, start)
    ticked = actions.do_tick_task(world.hub, tasks[0], True)
    assert ticked.done_on == dt.date.today()
    assert ticked.done_by == world.hub
    unticked = actions.do_tick_task(world.hub, ticked, False)
    assert unticked.done_on is None and unticked.done_by is None
    redated = actions.do_save_task(world.hub, workplan, task=tasks[1], due_on=dt.date(2026, 3, 1))
    assert WorkplanTask.objects.get(pk=redated.pk).due_on == dt.date(2026, 3, 1)
    with pytest.raises(ValidationError):
        actions.do_save_task(world.hub, workplan, task=tasks[1], due_on=start - dt.timedelta(days=10))
    added = actions.do_save_task(world.hub, workplan, title="Print flyers", starts_on=start, due_on=start)
    assert added.workplan == workplan
    assert AuditEvent.objects.filter(verb__startswith="workplan").count() >= 4


def test_suggested_activity_types_are_added_once(world: Any) -> None:
    first = actions.do_add_suggested_activity_types(world.hub, world.coalition)
    assert len(first) == len(actions.SUGGESTED_ACTIVITY_TYPES)
    assert actions.do_add_suggested_activity_types(world.hub, world.coalition) == []
    with pytest.raises(ValidationError):
        actions.do_add_activity_type(world.hub, world.coalition, "reading CLUB")


def test_deleting_a_coalition_removes_its_joint_action_records(world: Any) -> None:
    action = builders.action(world.coalition)
    actions.do_set_contribution(world.hub, action, world.member_org, in_kind="Room")
    builders.member_activity(world.coalition)
    builders.workplan_task(world.coalition)
    world.coalition.delete()
    assert not Action.objects.exists()
    assert not WorkplanTask.objects.exists()
