from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from coalition.core.models import AuditEvent
from coalition.stakeholders import actions
from coalition.stakeholders.models import Stakeholder


def test_create_records_an_audit_event(world: Any) -> None:
    stakeholder = actions.do_create_stakeholder(
        world.hub, world.coalition, name="  City Hall ", sector="government", power=5, interest=2
    )
    assert stakeholder.name == "City Hall"
    event = AuditEvent.objects.get(verb="stakeholder.created")
    assert event.actor == world.hub and event.coalition == world.coalition
    assert event.after["power"] == 5 and event.after["engagement"] == "identified"


def test_create_validates_ratings_and_choices(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_create_stakeholder(world.hub, world.coalition, name="X", sector="aliens", power=7)
    assert {"sector", "power"} <= set(error.value.message_dict)
    assert not Stakeholder.objects.filter(name="X").exists()


def test_names_are_unique_per_coalition_but_not_across(world: Any) -> None:
    with pytest.raises(ValidationError):
        actions.do_create_stakeholder(world.hub, world.coalition, name="MEMBER org", sector="private")
    actions.do_create_stakeholder(world.outsider, world.other, name="Member Org", sector="private")


def test_update_audits_only_what_changed(world: Any) -> None:
    actions.do_update_stakeholder(world.hub, world.other_org, interest=5, notes="Keen")
    event = AuditEvent.objects.get(verb="stakeholder.updated")
    assert set(event.after) == {"interest", "notes"}
    actions.do_update_stakeholder(world.hub, world.other_org, interest=5)
    assert AuditEvent.objects.filter(verb="stakeholder.updated").count() == 1


def test_update_refuses_engagement_and_unknown_fields(world: Any) -> None:
    with pytest.raises(ValueError):
        actions.do_update_stakeholder(world.hub, world.other_org, engagement="member")
    with pytest.raises(ValueError):
        actions.do_update_stakeholder(world.hub, world.other_org, coalition_id=world.other.pk)


def test_renaming_to_an_existing_name_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError):
        actions.do_update_stakeholder(world.hub, world.other_org, name="member org")
    actions.do_update_stakeholder(world.hub, world.other_org, name="SECOND ORG")  # its own name, new case


def test_engagement_moves_are_audited_with_the_note(world: Any) -> None:
    stakeholder = actions.do_create_stakeholder(world.hub, world.coalition, name="Clinic", sector="government")
    for step in ("contacted", "consulted", "member"):
        actions.do_change_engagement(world.hub, stakeholder, step, note=f"now {step}")
    moves = AuditEvent.objects.filter(verb="stakeholder.engagement_changed").order_by("id")
    assert [(e.before["engagement"], e.after["engagement"]) for e in moves] == [
        ("identified", "contacted"),
        ("contacted", "consulted"),
        ("consulted", "member"),
    ]
    assert moves.last().note == "now member"


def test_engagement_rejects_unknown_or_unchanged_status(world: Any) -> None:
    with pytest.raises(ValidationError):
        actions.do_change_engagement(world.hub, world.other_org, "friend")
    with pytest.raises(ValidationError):
        actions.do_change_engagement(world.hub, world.other_org, "member")


def test_archive_is_reversible_and_audited(world: Any) -> None:
    actions.do_archive_stakeholder(world.hub, world.other_org)
    actions.do_archive_stakeholder(world.hub, world.other_org)  # no second event
    actions.do_restore_stakeholder(world.hub, world.other_org)
    verbs = list(
        AuditEvent.objects.filter(
            object_type="stakeholders.stakeholder", object_id=str(world.other_org.pk)
        ).values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["stakeholder.archived", "stakeholder.restored"]
    world.other_org.refresh_from_db()
    assert not world.other_org.is_archived


def test_contacts_and_interviews_are_audited(world: Any) -> None:
    contact = actions.do_add_contact(world.hub, world.other_org, name="Rosa", email="rosa@example.org")
    actions.do_update_contact(world.hub, contact, position="Director")
    actions.do_record_interview(world.hub, world.other_org, held_on=dt.date(2026, 1, 2), summary="Notes")
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"stakeholder.contact_added", "stakeholder.contact_updated", "stakeholder.interview_recorded"} <= verbs
    with pytest.raises(ValidationError):
        actions.do_add_contact(world.hub, world.other_org, name="", email="not-an-email")
