"""A stakeholder whose person joins as a member counts as a member on the map (issue 12, item 10).

Before: the stakeholder stayed "consulted", so coverage kept calling its group missing.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from coalition.coalitions import actions as coalition_actions
from coalition.core.models import AuditEvent
from coalition.stakeholders.models import Stakeholder
from tests import factories


def _residents_line(world: Any) -> Any:
    page = world.client_for(world.hub).get(reverse("stakeholders:coverage", args=[world.coalition.pk]))
    return next(line for line in page.context["coverage"].groups if line.key == "residents")


def test_accepting_an_invitation_for_an_organisation_makes_it_a_member(world: Any) -> None:
    residents = factories.make_stakeholder(
        world.coalition, "Estate Residents", sector="resident", engagement="consulted"
    )
    assert _residents_line(world).members == 0  # hand count: no member is a resident group yet
    _invitation, link = coalition_actions.do_invite_member(
        world.hub,
        world.coalition,
        email="tenant@example.org",
        roles=["member"],
        organisation=residents,
        base_url="http://testserver/",
        bound_to_email=False,  # the person joining is what matters here, not the address check
    )
    newcomer = factories.make_user("tenant", first_name="Tia", last_name="Tenant")
    coalition_actions.do_accept_invitation(newcomer, link.rstrip("/").rsplit("/", 1)[-1])
    residents.refresh_from_db()
    assert residents.engagement == Stakeholder.Engagement.MEMBER
    event = AuditEvent.objects.get(verb="stakeholder.engagement_changed", object_id=str(residents.pk))
    assert event.before == {"engagement": "consulted"} and event.after == {"engagement": "member"}
    assert event.actor == newcomer and "Tia Tenant" in event.note
    assert _residents_line(world).members == 1


def test_naming_the_organisation_of_an_existing_member_makes_it_a_member(world: Any) -> None:
    shop = factories.make_stakeholder(world.coalition, "Corner Shop", sector="private", engagement="contacted")
    membership = world.coalition.memberships.get(user=world.observer)
    coalition_actions.do_update_membership(world.hub, membership, organisation=shop, title="Owner")
    shop.refresh_from_db()
    assert shop.engagement == Stakeholder.Engagement.MEMBER
    assert AuditEvent.objects.filter(verb="stakeholder.engagement_changed", object_id=str(shop.pk)).count() == 1


def test_an_organisation_already_member_is_left_alone(world: Any) -> None:
    before = AuditEvent.objects.filter(verb="stakeholder.engagement_changed").count()
    factories.add_member(world.coalition, factories.make_user(), ["member"], organisation=world.member_org)
    world.member_org.refresh_from_db()
    assert world.member_org.engagement == Stakeholder.Engagement.MEMBER
    assert AuditEvent.objects.filter(verb="stakeholder.engagement_changed").count() == before


def test_membership_without_an_organisation_changes_no_stakeholder(world: Any) -> None:
    lone = factories.make_stakeholder(world.coalition, "Lone Voice", sector="resident", engagement="consulted")
    factories.add_member(world.coalition, factories.make_user(), ["member"])
    lone.refresh_from_db()
    assert lone.engagement == Stakeholder.Engagement.CONSULTED
