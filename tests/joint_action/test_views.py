"""Views and the authorisation matrix: anonymous / outsider / observer / member / facilitator / hub.

A member edits only the actions (and activities) its organisation leads; hub and facilitator edit any;
observers read; outsiders get 404; every refused call changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.core.models import AuditEvent
from coalition.joint_action import actions
from coalition.joint_action.models import (
    Action,
    ActivityType,
    Contribution,
    JointActionPlan,
    MemberActivity,
    WorkplanTask,
)
from tests.joint_action import builders

pytestmark = pytest.mark.django_db
TODAY = builders.TODAY


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"joint_action:{name}", args=[world.coalition.pk, *args])


def _client(world: Any, persona: str) -> Any:
    return world.client_for(None if persona == "anonymous" else getattr(world, persona))


def _action_post(action: Action, **changes: Any) -> dict[str, Any]:
    data = {
        "objective": action.objective_id or "",
        "title": action.title,
        "description": action.description,
        "activity_type": action.activity_type_id,
        "place": action.place,
        "lead": action.lead_id,
        "starts_on": action.starts_on.isoformat(),
        "due_on": action.due_on.isoformat(),
        "status": action.status,
        "completed_on": action.completed_on.isoformat() if action.completed_on else "",
        "dropped_reason": action.dropped_reason,
        "version": action.version,
    }
    data.update(changes)
    return data


def _refused(response: Any, persona: str) -> None:
    expected = {"anonymous": 302, "outsider": 404, "observer": 403, "member": 403}[persona]
    assert response.status_code == expected
    if persona == "anonymous":
        assert "/accounts/login/" in response["Location"]


# ----------------------------------------------------------------------------------------------- actions


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "observer", "member"])
def test_only_the_lead_organisation_and_managers_edit_an_action(world: Any, persona: str) -> None:
    action = builders.action(world.coalition, lead=world.other_org, title="Theirs")
    events = AuditEvent.objects.count()
    response = _client(world, persona).post(_url(world, "action_edit", action.pk), _action_post(action, title="Mine"))
    _refused(response, persona)
    assert Action.objects.get(pk=action.pk).title == "Theirs"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("persona", ["member", "hub", "facilitator"])
def test_lead_member_hub_and_facilitator_can_edit(world: Any, persona: str) -> None:
    action = builders.action(world.coalition, lead=world.member_org, title="Ours")
    response = _client(world, persona).post(
        _url(world, "action_edit", action.pk), _action_post(action, title="Renamed")
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Renamed"


def test_member_cannot_hand_its_action_to_another_organisation(world: Any) -> None:
    action = builders.action(world.coalition, lead=world.member_org)
    response = world.client_for(world.member).post(
        _url(world, "action_edit", action.pk), _action_post(action, lead=world.other_org.pk)
    )
    assert response.status_code == 200  # the form refuses a lead outside the member's choices
    assert Action.objects.get(pk=action.pk).lead == world.member_org


def test_member_creates_an_action_led_by_its_own_organisation_only(world: Any) -> None:
    plan = builders.plan(world.coalition)
    kind = builders.activity_type(world.coalition)
    client = world.client_for(world.member)
    data = {
        "title": "Reading club",
        "activity_type": kind.pk,
        "place": "North",
        "starts_on": TODAY.isoformat(),
        "due_on": (TODAY + dt.timedelta(days=5)).isoformat(),
        "status": "planned",
    }
    response = client.post(_url(world, "action_new", plan.pk), {**data, "lead": world.other_org.pk})
    assert response.status_code == 200
    assert not Action.objects.exists()
    response = client.post(_url(world, "action_new", plan.pk), {**data, "lead": world.member_org.pk})
    assert response.status_code == 302
    assert Action.objects.get().lead == world.member_org


def test_observer_cannot_create_actions(world: Any) -> None:
    plan = builders.plan(world.coalition)
    response = world.client_for(world.observer).get(_url(world, "action_new", plan.pk))
    assert response.status_code == 403


def test_saving_an_overlapping_action_warns_but_saves(world: Any) -> None:
    existing = builders.action(world.coalition, lead=world.other_org, place="North", title="Library club")
    kind = existing.activity_type
    response = world.client_for(world.member).post(
        _url(world, "action_new", existing.plan_id),
        {
            "title": "Our reading club",
            "activity_type": kind.pk,
            "place": "north",
            "lead": world.member_org.pk,
            "starts_on": (existing.due_on - dt.timedelta(days=3)).isoformat(),
            "due_on": (existing.due_on + dt.timedelta(days=10)).isoformat(),
            "status": "planned",
        },
        follow=True,
    )
    page = response.content.decode()
    assert Action.objects.filter(title="Our reading club").exists()
    assert "Possible duplication" in page
    assert "Library club" in page


def test_editing_from_a_stale_form_answers_409_and_keeps_the_newer_save(world: Any) -> None:
    action = builders.action(world.coalition, lead=world.member_org, title="Start")
    stale = _action_post(action, title="Old tab")
    client = world.client_for(world.hub)
    client.post(_url(world, "action_edit", action.pk), _action_post(action, title="New tab"))
    response = client.post(_url(world, "action_edit", action.pk), stale)
    assert response.status_code == 409
    assert Action.objects.get(pk=action.pk).title == "New tab"


def test_dropping_without_reason_shows_the_error_on_the_form(world: Any) -> None:
    action = builders.action(world.coalition, lead=world.member_org)
    response = world.client_for(world.member).post(
        _url(world, "action_edit", action.pk), _action_post(action, status="dropped", dropped_reason="")
    )
    assert response.status_code == 200
    assert "Say why the action was dropped." in response.content.decode()
    assert Action.objects.get(pk=action.pk).status == "planned"


# ------------------------------------------------------------------------------------------ contributions


def test_member_pledges_its_own_resources_to_another_members_action(world: Any) -> None:
    action = builders.action(world.coalition, lead=world.other_org)
    response = world.client_for(world.member).post(
        _url(world, "contribution_set", action.pk),
        {"member": world.member_org.pk, "amount": "250", "currency": "eur", "in_kind": ""},
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get(action=action)
    assert (contribution.member, str(contribution.amount), contribution.currency) == (world.member_org, "250.00", "EUR")


def test_member_cannot_commit_or_withdraw_for_another_organisation(world: Any) -> None:
    action = builders.action(world.coalition, lead=world.other_org)
    theirs = actions.do_set_contribution(world.hub, action, world.other_org, in_kind="Hall")
    events = AuditEvent.objects.count()
    client = world.client_for(world.member)
    response = client.post(
        _url(world, "contribution_set", action.pk), {"member": world.other_org.pk, "in_kind": "Something else"}
    )
    assert response.status_code == 302  # not a choice offered to this member: the form refuses it
    assert client.post(_url(world, "contribution_remove", theirs.pk)).status_code == 403
    assert Contribution.objects.get(pk=theirs.pk).in_kind == "Hall"
    assert AuditEvent.objects.count() == events


def test_observer_cannot_commit(world: Any) -> None:
    action = builders.action(world.coalition, lead=world.other_org)
    response = world.client_for(world.observer).post(
        _url(world, "contribution_set", action.pk), {"member": world.member_org.pk, "in_kind": "x"}
    )
    assert response.status_code == 403
    assert not Contribution.objects.exists()


# ---------------------------------------------------------------------------------------- plans and types


@pytest.mark.parametrize("persona", ["hub", "facilitator"])
def test_hub_and_facilitator_create_plans_and_objectives(world: Any, persona: str) -> None:
    client = _client(world, persona)
    response = client.post(_url(world, "plan_new"), {"title": "Every child reads"})
    plan = JointActionPlan.objects.get()
    assert response.status_code == 302
    client.post(_url(world, "objective_new", plan.pk), {"text": "A reading club in each neighbourhood"})
    assert plan.objectives.get().text == "A reading club in each neighbourhood"


def test_objective_links_to_a_priority_of_the_same_coalition_only(world: Any) -> None:
    from coalition.planning.models import Priority

    own = Priority.objects.create(coalition=world.coalition, title="Reading", status="chosen")
    foreign = Priority.objects.create(coalition=world.other, title="Air")
    plan = builders.plan(world.coalition)
    client = world.client_for(world.hub)
    client.post(_url(world, "objective_new", plan.pk), {"text": "Clubs", "priority": foreign.pk})
    assert not plan.objectives.exists()
    client.post(_url(world, "objective_new", plan.pk), {"text": "Clubs", "priority": own.pk})
    assert plan.objectives.get().priority == own
    assert "Serves the priority" in client.get(_url(world, "plan", plan.pk)).content.decode()


def test_members_cannot_add_activity_types(world: Any) -> None:
    response = world.client_for(world.member).post(_url(world, "activity_types"), {"name": "Chess"})
    assert response.status_code == 403
    response = world.client_for(world.member).post(_url(world, "activity_types"), {"suggested": "1"})
    assert response.status_code == 403
    assert not ActivityType.objects.exists()
    world.client_for(world.hub).post(_url(world, "activity_types"), {"suggested": "1"})
    assert ActivityType.objects.filter(coalition=world.coalition).count() > 5


# ---------------------------------------------------------------------------------------- member activities


def test_member_records_and_edits_only_its_own_activities(world: Any) -> None:
    kind = builders.activity_type(world.coalition)
    client = world.client_for(world.member)
    data = {"title": "Story time", "activity_type": kind.pk, "place": "North", "starts_on": TODAY.isoformat()}
    assert client.post(_url(world, "activity_new"), {**data, "member": world.other_org.pk}).status_code == 200
    assert not MemberActivity.objects.exists()
    assert client.post(_url(world, "activity_new"), {**data, "member": world.member_org.pk}).status_code == 302
    theirs = builders.member_activity(world.coalition, member=world.other_org)
    events = AuditEvent.objects.count()
    response = client.post(_url(world, "activity_edit", theirs.pk), {**data, "member": world.member_org.pk})
    assert response.status_code == 403
    assert MemberActivity.objects.get(pk=theirs.pk).member == world.other_org
    assert AuditEvent.objects.count() == events


def test_recording_an_overlapping_activity_warns(world: Any) -> None:
    builders.action(world.coalition, lead=world.other_org, place="North", title="Joint club")
    kind = builders.activity_type(world.coalition)
    response = world.client_for(world.member).post(
        _url(world, "activity_new"),
        {
            "member": world.member_org.pk,
            "title": "Our club",
            "activity_type": kind.pk,
            "place": "North",
            "starts_on": TODAY.isoformat(),
        },
        follow=True,
    )
    assert "Possible duplication" in response.content.decode()
    assert "Joint club" in response.content.decode()


def test_observer_cannot_record_activities(world: Any) -> None:
    assert world.client_for(world.observer).get(_url(world, "activity_new")).status_code == 403


# -------------------------------------------------------------------------------------- who does what where


def test_who_what_where_csv_is_filtered_and_safe(world: Any) -> None:
    world.coalition.places = "North, South"
    world.coalition.save()
    builders.action(world.coalition, lead=world.member_org, place="North", title="=HYPERLINK(1)", starts_on=TODAY)
    builders.action(world.coalition, place="South", starts_on=TODAY + dt.timedelta(days=200))
    client = world.client_for(world.observer)
    response = client.get(
        _url(world, "who_what_where"),
        {"start": TODAY.isoformat(), "end": (TODAY + dt.timedelta(days=30)).isoformat(), "format": "csv"},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 2  # header, North covered, South gap (the later action is outside the period)
    assert lines[2].startswith("South,Reading club,,") and lines[2].endswith("gap")


def test_who_what_where_rejects_a_backwards_period(world: Any) -> None:
    response = world.client_for(world.member).get(
        _url(world, "who_what_where"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "must not come before its start" in response.content.decode()


# ----------------------------------------------------------------------------------------------- workplan


def test_hub_starts_ticks_redates_adds_and_removes_tasks(world: Any) -> None:
    client = world.client_for(world.hub)
    client.post(_url(world, "workplan_start"), {"starts_on": TODAY.isoformat()})
    task = WorkplanTask.objects.order_by("id").first()
    client.post(_url(world, "task_tick", task.pk), {"done": "1"})
    assert WorkplanTask.objects.get(pk=task.pk).done_on == TODAY
    new_due = (TODAY + dt.timedelta(days=100)).isoformat()
    client.post(
        _url(world, "task_edit", task.pk),
        {"title": "Confirm the hub", "starts_on": TODAY.isoformat(), "due_on": new_due, "done_on": ""},
    )
    task.refresh_from_db()
    assert (task.title, task.due_on.isoformat(), task.done_on) == ("Confirm the hub", new_due, None)
    client.post(_url(world, "task_new"), {"title": "Print flyers", "starts_on": TODAY, "due_on": TODAY})
    assert WorkplanTask.objects.filter(title="Print flyers").exists()
    client.post(_url(world, "task_edit", task.pk), {"remove": "1"})
    assert WorkplanTask.objects.get(pk=task.pk).is_removed
    page = client.get(_url(world, "workplan")).content.decode()
    assert "<svg" in page and "Print flyers" in page and "Confirm the hub" not in page
    assert 'class="today"' in page


# ------------------------------------------------------------------------------------------ commitments


def test_member_page_shows_follow_through_as_done_on_time_over_due(world: Any) -> None:
    today = timezone.localdate()
    started = today - dt.timedelta(days=60)
    on_time = builders.action(
        world.coalition, lead=world.member_org, starts_on=started, due_on=today - dt.timedelta(days=20)
    )
    late = builders.action(
        world.coalition, lead=world.member_org, starts_on=started, due_on=today - dt.timedelta(days=30)
    )
    builders.action(world.coalition, lead=world.member_org, starts_on=started, due_on=today - dt.timedelta(days=10))
    builders.action(world.coalition, lead=world.member_org, starts_on=started, due_on=today + dt.timedelta(days=10))
    dropped = builders.action(
        world.coalition, lead=world.member_org, starts_on=started, due_on=today - dt.timedelta(days=5)
    )
    actions.do_update_action(world.hub, on_time, status="done", completed_on=today - dt.timedelta(days=25))
    actions.do_update_action(world.hub, late, status="done", completed_on=today - dt.timedelta(days=2))
    actions.do_update_action(world.hub, dropped, status="dropped", dropped_reason="Funding fell through")
    response = _client(world, "observer").get(_url(world, "member_commitments", world.member_org.pk))
    follow_through = response.context["follow_through"]
    assert (follow_through.due, follow_through.on_time, follow_through.late, follow_through.overdue) == (3, 1, 1, 1)
    assert "<strong>33 %</strong> follow-through" in response.content.decode()
