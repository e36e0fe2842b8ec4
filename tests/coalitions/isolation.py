"""Isolation factories: create an object of the given coalition for each URL keyword of this app."""

from coalition.coalitions import actions
from coalition.coalitions.models import WorkingGroup
from tests import factories


def _group(coalition):
    hub = coalition.memberships.filter(roles__role="hub").first().user
    return actions.do_save_working_group(hub, coalition, name=f"Group {WorkingGroup.objects.count() + 1}").pk


def _former_member(coalition):
    membership = factories.add_member(coalition)
    hub = coalition.memberships.filter(roles__role="hub").first().user
    return actions.do_deactivate_membership(hub, membership).pk


FACTORIES = {
    "membership_id": lambda coalition: factories.add_member(coalition).pk,
    "group_id": _group,
}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing (tests/test_authorization_matrix.py).
POST_DATA = {
    "coalitions:settings": lambda coalition: {"name": "Taken over", "scope": "local", "phase": "closed", "version": 1},
    "coalitions:member_roles": lambda coalition: {"roles": ["member", "steering"]},
    "coalitions:member_update": lambda coalition: {"title": "Nobody"},
    "coalitions:working_group_create": lambda coalition: {"name": "Sneaky"},
    "coalitions:working_group_edit": lambda coalition: {"name": "Renamed", "members": []},
}

ROUTE_FACTORIES = {"coalitions:member_reactivate": {"membership_id": _former_member}}
