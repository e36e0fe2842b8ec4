"""Isolation factories: create an object of the given coalition for each URL keyword of this app."""

from coalition.stakeholders.models import ContactPerson
from tests import factories


def _contact(coalition):
    stakeholder = factories.make_stakeholder(coalition)
    return ContactPerson.objects.create(stakeholder=stakeholder, name="Contact").pk


FACTORIES = {
    "stakeholder_id": lambda coalition: factories.make_stakeholder(coalition).pk,
    "contact_id": _contact,
}
