"""Stakeholder writes by those allowed go through (one audit event each); members are offered no edit buttons.

Who may open which screen (and that a refused write changes nothing) is the generated matrix in
``tests/test_authorization_matrix.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coalition.core.models import AuditEvent
from coalition.stakeholders.models import ContactPerson


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
