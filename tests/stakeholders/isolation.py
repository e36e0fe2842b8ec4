"""Isolation factories: create an object of the given coalition for each URL keyword of this app.

Keywords of one route name related objects: the contact belongs to the stakeholder the route names."""

from coalition.coalitions.models import Coalition
from coalition.stakeholders.models import ContactPerson, Stakeholder
from tests import factories

TARGET = "Isolation target"


def _stakeholder(coalition: Coalition) -> Stakeholder:
    found = Stakeholder.objects.filter(coalition=coalition, name=TARGET).first()
    return found or factories.make_stakeholder(coalition, TARGET)


def _contact(coalition: Coalition) -> int:
    return ContactPerson.objects.get_or_create(stakeholder=_stakeholder(coalition), name="Contact")[0].pk


FACTORIES = {
    "stakeholder_id": lambda coalition: _stakeholder(coalition).pk,
    "contact_id": _contact,
}

_ORGANISATION = {"kind": "organisation", "sector": "private", "level": "local", "power": 3, "interest": 3}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing (tests/test_authorization_matrix.py).
POST_DATA = {
    "stakeholders:create": lambda coalition: {"name": "New Org", "engagement": "identified", **_ORGANISATION},
    "stakeholders:edit": lambda coalition: {"name": "Renamed", **_ORGANISATION},
    "stakeholders:engagement": lambda coalition: {"engagement": "declined"},
    "stakeholders:contact_add": lambda coalition: {"name": "Someone"},
    "stakeholders:contact_edit": lambda coalition: {"name": "Changed"},
    "stakeholders:interview_add": lambda coalition: {"held_on": "2026-01-01", "summary": "Notes"},
}
