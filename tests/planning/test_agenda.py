"""Common agenda and charter: drafts, immutable published versions, signing and re-signing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coalition.coalitions import actions as coalition_actions
from coalition.coalitions.actions import StaleVersion
from coalition.core.models import AuditEvent
from coalition.planning import actions, queries
from coalition.planning.models import AgendaVersion, Signature
from tests.planning.factories import (
    access_for,
    hub_access,
    make_indicator,
    make_priority,
    make_published_agenda,
)


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"planning:{name}", args=[world.coalition.pk, *args])


def _sign(world: Any, user: Any, version: AgendaVersion) -> None:
    actions.do_sign_agenda(access_for(user, world.coalition), version)


def test_publishing_numbers_versions_and_freezes_names(world: Any) -> None:
    priority = make_priority(world.coalition, "Reading clubs")
    indicator = make_indicator(world.coalition, "Children reading at grade level")
    v1 = make_published_agenda(world.coalition, priorities=[priority], indicators=[indicator])
    assert (v1.number, v1.status) == (1, "published")
    assert v1.frozen["priorities"] == ["Reading clubs"] and v1.frozen["indicators"] == [indicator.name]
    priority.title = "Renamed later"
    priority.save()
    v1.refresh_from_db()
    assert v1.frozen["priorities"] == ["Reading clubs"]
    v2 = make_published_agenda(world.coalition, vision="Changed")
    assert v2.number == 2 and queries.current_agenda(world.coalition) == v2


def test_a_published_version_cannot_be_edited_or_published_again(world: Any) -> None:
    v1 = make_published_agenda(world.coalition)
    with pytest.raises(ValidationError):
        actions.do_publish_agenda(hub_access(world.coalition), v1)
    draft = actions.do_save_agenda_draft(hub_access(world.coalition), vision="New vision")
    assert draft.pk != v1.pk
    v1.refresh_from_db()
    assert v1.vision == "Every child has somewhere safe to go."


def test_publishing_needs_problem_vision_coordinator_and_charter(world: Any) -> None:
    draft = actions.do_save_agenda_draft(hub_access(world.coalition), vision="Only a vision")
    with pytest.raises(ValidationError) as raised:
        actions.do_publish_agenda(hub_access(world.coalition), draft)
    assert "named coordinator" in str(raised.value)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_stale_draft_save_is_refused(world: Any) -> None:
    access = hub_access(world.coalition)
    draft = actions.do_save_agenda_draft(access, vision="A")
    actions.do_save_agenda_draft(access, expected_lock_version=draft.lock_version, vision="B")
    with pytest.raises(StaleVersion):
        actions.do_save_agenda_draft(access, expected_lock_version=draft.lock_version, vision="C")
    assert queries.agenda_draft(world.coalition).vision == "B"


def test_a_new_version_asks_everyone_to_sign_again(world: Any) -> None:
    v1 = make_published_agenda(world.coalition)
    _sign(world, world.member, v1)
    _sign(world, world.hub, v1)
    assert queries.charter_signatory_share(world.coalition) == (2, 3)  # hub, facilitator, member; not the observer
    v2 = make_published_agenda(world.coalition, vision="Sharper vision")
    assert queries.charter_signatory_share(world.coalition) == (0, 3)
    rows = {row.membership.user: row for row in queries.signatories(world.coalition)}
    assert rows[world.member].last_signed_number == 1 and not rows[world.member].signed_current
    with pytest.raises(ValidationError):
        _sign(world, world.member, v1)  # only the current version can be signed
    _sign(world, world.member, v2)
    assert queries.charter_signatory_share(world.coalition) == (1, 3)
    assert Signature.objects.filter(version=v1).count() == 2  # earlier signatures stay on record


def test_signing_twice_is_refused(world: Any) -> None:
    v1 = make_published_agenda(world.coalition)
    _sign(world, world.member, v1)
    with pytest.raises(ValidationError):
        _sign(world, world.member, v1)
    assert Signature.objects.count() == 1


def test_observers_cannot_sign_and_are_not_counted(world: Any) -> None:
    v1 = make_published_agenda(world.coalition)
    with pytest.raises(PermissionDenied):
        _sign(world, world.observer, v1)
    assert world.observer not in [row.membership.user for row in queries.signatories(world.coalition)]


def test_share_before_anything_is_published(world: Any) -> None:
    assert queries.charter_signatory_share(world.coalition) == (0, 3)


def test_only_codesign_group_or_agenda_editors_edit_the_draft(world: Any) -> None:
    member = access_for(world.member, world.coalition)
    with pytest.raises(PermissionDenied):
        actions.do_save_agenda_draft(member, vision="Member's idea")
    coalition_actions.do_save_working_group(
        world.hub, world.coalition, name="Co-design", is_codesign_group=True, members=[member.membership]
    )
    draft = actions.do_save_agenda_draft(member, vision="Member's idea")
    assert draft.vision == "Member's idea"
    steering = coalition_actions.do_add_membership(world.hub, world.coalition, world.outsider, roles=["steering"])
    actions.do_save_agenda_draft(access_for(steering.user, world.coalition), vision="Steering edit")


def test_an_observer_in_the_codesign_group_still_only_reads(world: Any) -> None:
    observer = access_for(world.observer, world.coalition)
    coalition_actions.do_save_working_group(
        world.hub, world.coalition, name="Co-design", is_codesign_group=True, members=[observer.membership]
    )
    with pytest.raises(PermissionDenied):
        actions.do_save_agenda_draft(observer, vision="Observer's idea")


def test_coordinator_from_another_coalition_is_refused(world: Any) -> None:
    foreign = world.other.memberships.first()
    with pytest.raises(PermissionDenied):
        actions.do_save_agenda_draft(hub_access(world.coalition), coordinator=foreign)


# --- Pages -----------------------------------------------------------------------------------------


def test_hub_drafts_and_publishes_and_member_signs_through_the_pages(world: Any) -> None:
    hub = world.client_for(world.hub)
    priority = make_priority(world.coalition, "Homework help", status="chosen")
    form = hub.get(_url(world, "agenda_edit")).content.decode()
    assert "Homework help" in form
    response = hub.post(
        _url(world, "agenda_edit"),
        {
            "problem_statement": "Kids are alone after school",
            "vision": "Safe afternoons for all",
            "priorities": [priority.pk],
            "coordinator": world.coalition.memberships.get(user=world.hub).pk,
            "charter_text": "We meet monthly.",
            "participation_expectations": "Two of three meetings",
        },
    )
    assert response.status_code == 302
    hub.post(_url(world, "agenda_publish"))
    version = AgendaVersion.objects.get(status="published")
    member = world.client_for(world.member)
    page = member.get(_url(world, "agenda")).content.decode()
    assert "Sign version 1" in page and "Two of three meetings" in page and "Edit the draft" not in page
    member.post(_url(world, "agenda_sign", version.pk))
    page = member.get(_url(world, "agenda")).content.decode()
    assert "You signed version 1" in page and "1 of 3 members have signed version 1" in page
    detail = world.client_for(world.observer).get(_url(world, "agenda_version", version.pk)).content.decode()
    assert "Homework help" in detail and "member" in detail


@pytest.mark.parametrize(
    ("persona", "expected"), [(None, 302), ("outsider", 404), ("observer", 403), ("member", 403), ("hub", 302)]
)
def test_who_may_save_the_draft(world: Any, persona: str | None, expected: int) -> None:
    user = getattr(world, persona) if persona else None
    events = AuditEvent.objects.count()
    response = world.client_for(user).post(_url(world, "agenda_edit"), {"vision": "Changed"})
    assert response.status_code == expected
    assert AgendaVersion.objects.exists() == (persona == "hub")
    if persona != "hub":
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("persona", "expected"),
    [(None, 302), ("outsider", 404), ("observer", 403), ("member", 302), ("facilitator", 302), ("hub", 302)],
)
def test_who_may_sign(world: Any, persona: str | None, expected: int) -> None:
    version = make_published_agenda(world.coalition)
    user = getattr(world, persona) if persona else None
    assert world.client_for(user).post(_url(world, "agenda_sign", version.pk)).status_code == expected
    assert Signature.objects.exists() == (persona in ("member", "facilitator", "hub"))


def _join_codesign_group(world: Any) -> None:
    member = access_for(world.member, world.coalition).membership
    coalition_actions.do_save_working_group(
        world.hub, world.coalition, name="Co-design", is_codesign_group=True, members=[member]
    )


@pytest.mark.parametrize(
    ("persona", "in_group", "expected"),
    [
        (None, False, 302),
        ("outsider", False, 404),
        ("observer", False, 403),
        ("member", False, 403),
        ("member", True, 302),
        ("facilitator", False, 302),
        ("hub", False, 302),
    ],
)
def test_who_may_publish_the_agenda(world: Any, persona: str | None, in_group: bool, expected: int) -> None:
    if in_group:
        _join_codesign_group(world)
    hub = hub_access(world.coalition)
    actions.do_save_agenda_draft(
        hub,
        problem_statement="Alone after school",
        vision="Safe afternoons",
        charter_text="We meet monthly.",
        coordinator=hub.membership,
    )
    user = getattr(world, persona) if persona else None
    response = world.client_for(user).post(_url(world, "agenda_publish"))
    assert response.status_code == expected
    assert AgendaVersion.objects.filter(status="published").exists() == (persona is not None and expected == 302)


def test_a_codesign_group_member_drafts_and_publishes_through_the_pages(world: Any) -> None:
    _join_codesign_group(world)
    member = world.client_for(world.member)
    assert "Draft the common agenda" in member.get(_url(world, "agenda")).content.decode()
    response = member.post(
        _url(world, "agenda_edit"),
        {
            "problem_statement": "Kids are alone after school",
            "vision": "Safe afternoons for all",
            "coordinator": world.coalition.memberships.get(user=world.hub).pk,
            "charter_text": "We meet monthly.",
        },
    )
    assert response.status_code == 302
    assert member.post(_url(world, "agenda_publish")).status_code == 302
    version = AgendaVersion.objects.get(status="published")
    assert version.published_by.user == world.member


@pytest.mark.parametrize("persona", ["observer", "member", "facilitator", "hub"])
def test_everyone_in_the_coalition_reads_the_agenda_and_who_signed(world: Any, persona: str) -> None:
    version = make_published_agenda(world.coalition)
    _sign(world, world.member, version)
    page = world.client_for(getattr(world, persona)).get(_url(world, "agenda")).content.decode()
    assert "Who has signed" in page and "1 of 3 members" in page
