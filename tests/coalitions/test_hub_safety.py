"""Only a hub gives, takes away or deactivates a hub, on every path, and a coalition always keeps an active hub.

Security checklist item 7 / issue 12 item 1: as the demo facilitator, posting one's own roles with
``roles=facilitator&roles=hub`` used to succeed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coalition.coalitions import actions
from coalition.coalitions.models import Membership
from coalition.core.models import AuditEvent
from tests import factories


def _membership(world: Any, user: Any) -> Membership:
    return Membership.objects.get(coalition=world.coalition, user=user)


def _roles(world: Any) -> list[tuple[int, bool, list[str]]]:
    return [(m.pk, m.is_active, m.role_codes) for m in Membership.objects.order_by("pk").prefetch_related("roles")]


def test_facilitator_cannot_make_themself_hub_through_the_roles_page(world: Any) -> None:
    own = _membership(world, world.facilitator)
    before, events = _roles(world), AuditEvent.objects.count()
    response = world.client_for(world.facilitator).post(
        reverse("coalitions:member_roles", args=[world.coalition.pk, own.pk]), {"roles": ["facilitator", "hub"]}
    )
    assert response.status_code == 400  # the form, with the refusal as its error
    assert "Only a hub coordinator can give, take away or deactivate the hub role." in response.content.decode()
    assert _roles(world) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "change",
    [
        lambda w, m: actions.do_set_roles(w.facilitator, m(w.member), ["member", "hub"]),
        lambda w, m: actions.do_set_roles(w.facilitator, m(w.hub), ["member"]),
        lambda w, m: actions.do_deactivate_membership(w.facilitator, m(w.hub)),
        lambda w, m: actions.do_invite_member(
            w.facilitator, w.coalition, email="new@example.org", roles=["hub"], base_url="/"
        ),
    ],
    ids=["grant", "remove", "deactivate", "invite"],
)
def test_a_facilitator_changes_no_hub_on_any_path(world: Any, change: Any) -> None:
    factories.add_member(world.coalition, factories.make_user("second-hub"), ["hub"])  # the last-hub rule aside
    before, events = _roles(world), AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="Only a hub coordinator"):
        change(world, lambda user: _membership(world, user))
    assert _roles(world) == before
    assert AuditEvent.objects.count() == events


def test_a_facilitator_cannot_bring_back_a_former_hub(world: Any) -> None:
    former = factories.add_member(world.coalition, factories.make_user("old-hub"), ["hub"])
    actions.do_deactivate_membership(world.hub, former)
    response = world.client_for(world.facilitator).post(
        reverse("coalitions:member_reactivate", args=[world.coalition.pk, former.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.get(pk=former.pk).is_active


def test_a_hub_grants_and_removes_the_hub_role(world: Any) -> None:
    target = _membership(world, world.facilitator)
    actions.do_set_roles(world.hub, target, ["facilitator", "hub"])
    assert target.role_codes == ["facilitator", "hub"]
    actions.do_set_roles(world.hub, target, ["facilitator"])
    assert _membership(world, world.facilitator).role_codes == ["facilitator"]


def test_a_facilitator_still_changes_other_roles(world: Any) -> None:
    target = _membership(world, world.observer)
    actions.do_set_roles(world.facilitator, target, ["member"])
    assert _membership(world, world.observer).role_codes == ["member"]


def test_the_last_hub_cannot_step_down_from_the_page(world: Any) -> None:
    own = _membership(world, world.hub)
    response = world.client_for(world.hub).post(
        reverse("coalitions:member_roles", args=[world.coalition.pk, own.pk]), {"roles": ["member"]}
    )
    assert response.status_code == 400  # the form, with the refusal as its error
    assert "at least one hub coordinator" in response.content.decode()
    assert _membership(world, world.hub).role_codes == ["hub"]
