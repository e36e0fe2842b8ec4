"""Authorisation matrix for every stakeholder screen: anonymous / outsider / observer / member / hub.

Read screens are open to every member of the coalition; writes need EDIT_STAKEHOLDERS (hub, facilitator,
convener, steering committee). A refused call changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.stakeholders.models import ContactPerson, Interview, Stakeholder

READ = ["list", "grid", "coverage", "detail", "export"]


def _args(world: Any, name: str) -> list[Any]:
    contact = ContactPerson.objects.get_or_create(stakeholder=world.other_org, name="Contact")[0]
    extra = {
        "detail": [world.other_org.pk],
        "edit": [world.other_org.pk],
        "engagement": [world.other_org.pk],
        "archive": [world.other_org.pk],
        "restore": [world.other_org.pk],
        "contact_add": [world.other_org.pk],
        "contact_edit": [world.other_org.pk, contact.pk],
        "interview_add": [world.other_org.pk],
    }.get(name, [])
    return [world.coalition.pk, *extra]


WRITES = {
    "create": {
        "name": "New Org",
        "kind": "organisation",
        "sector": "private",
        "level": "local",
        "power": 3,
        "interest": 3,
        "engagement": "identified",
    },
    "edit": {
        "name": "Renamed",
        "kind": "organisation",
        "sector": "private",
        "level": "local",
        "power": 3,
        "interest": 3,
    },
    "engagement": {"engagement": "declined"},
    "archive": {},
    "contact_add": {"name": "Someone"},
    "contact_edit": {"name": "Changed"},
    "interview_add": {"held_on": "2026-01-01", "summary": "Notes"},
}


def _state() -> tuple:
    return (
        list(Stakeholder.objects.order_by("pk").values_list("name", "engagement", "is_archived", "sector")),
        list(ContactPerson.objects.order_by("pk").values_list("name")),
        Interview.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("name", READ)
def test_anonymous_is_sent_to_sign_in(world: Any, name: str) -> None:
    response = world.client_for(None).get(reverse(f"stakeholders:{name}", args=_args(world, name)))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", READ)
def test_outsider_gets_404(world: Any, name: str) -> None:
    response = world.client_for(world.outsider).get(reverse(f"stakeholders:{name}", args=_args(world, name)))
    assert response.status_code == 404


@pytest.mark.parametrize("name", READ)
@pytest.mark.parametrize("persona", ["observer", "member", "facilitator", "hub"])
def test_every_member_can_read(world: Any, name: str, persona: str) -> None:
    response = world.client_for(getattr(world, persona)).get(reverse(f"stakeholders:{name}", args=_args(world, name)))
    assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(WRITES))
@pytest.mark.parametrize("persona", [None, "outsider", "observer", "member"])
def test_denied_writes_change_nothing(world: Any, name: str, persona: str | None) -> None:
    user = getattr(world, persona) if persona else None
    target = reverse(f"stakeholders:{name}", args=_args(world, name))
    before = _state()
    client = world.client_for(user)
    response = client.post(target, WRITES[name])
    expected = {None: 302, "outsider": 404, "observer": 403, "member": 403}[persona]
    assert response.status_code == expected
    if name not in ("archive", "engagement"):
        assert client.get(target).status_code == expected
    assert _state() == before


@pytest.mark.parametrize("name", sorted(WRITES))
@pytest.mark.parametrize("persona", ["hub", "facilitator"])
def test_hub_and_facilitator_can_write(world: Any, name: str, persona: str) -> None:
    target = reverse(f"stakeholders:{name}", args=_args(world, name))
    before = AuditEvent.objects.count()
    response = world.client_for(getattr(world, persona)).post(target, WRITES[name])
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.count() == before + 1


def test_member_sees_no_edit_buttons(world: Any) -> None:
    client = world.client_for(world.member)
    page = client.get(reverse("stakeholders:list", args=[world.coalition.pk])).content.decode()
    assert "Add a stakeholder" not in page
    detail = client.get(reverse("stakeholders:detail", args=[world.coalition.pk, world.other_org.pk])).content.decode()
    assert "Change engagement" not in detail and "Archive" not in detail


@pytest.mark.parametrize("name", ["import", "import_template"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [(None, 302), ("outsider", 404), ("observer", 403), ("member", 403), ("facilitator", 200), ("hub", 200)],
)
def test_only_importers_reach_the_import_screens(world: Any, name: str, persona: str | None, expected: int) -> None:
    user = getattr(world, persona) if persona else None
    response = world.client_for(user).get(reverse(f"stakeholders:{name}", args=[world.coalition.pk]))
    assert response.status_code == expected
