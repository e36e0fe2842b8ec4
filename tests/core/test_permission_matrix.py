"""Who may do what.

(a) The role × permission table, written out here by hand and compared with ``ROLE_PERMISSIONS``: a new
``Perm`` (or role) without a row (or column) here fails, so every grant is a deliberate, reviewed change.

(b) The authorisation matrix of the coalition pages: anonymous → sign in, outsider → 404, observer and member →
403 on hub-only pages and on every write (and nothing changes), hub and facilitator → 200.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coalition.coalitions import actions
from coalition.coalitions.models import Coalition, Membership, MembershipRole, WorkingGroup
from coalition.core.models import AuditEvent
from coalition.core.permissions import ROLE_PERMISSIONS, Perm, Role, permissions_for_roles
from tests import factories

# (a) ---------------------------------------------------------------------------------------------------------------

ROLES = ("hub", "facilitator", "convener", "steering", "member", "observer")
Y, N = True, False

TABLE: dict[Perm, tuple[bool, ...]] = {
    #                          hub facilitator convener steering member observer
    Perm.VIEW:                 (Y, Y, Y, Y, Y, Y),
    Perm.CHANGE_SETTINGS:      (Y, Y, N, N, N, N),
    Perm.MANAGE_MEMBERS:       (Y, Y, N, N, N, N),
    Perm.VIEW_AUDIT:           (Y, Y, N, N, N, N),
    Perm.VIEW_STAKEHOLDERS:    (Y, Y, Y, Y, Y, Y),
    Perm.EDIT_STAKEHOLDERS:    (Y, Y, Y, Y, N, N),
    Perm.IMPORT_STAKEHOLDERS:  (Y, Y, N, N, N, N),
    Perm.VIEW_MEASUREMENT:     (Y, Y, Y, Y, Y, Y),
    Perm.DEFINE_INDICATORS:    (Y, Y, N, N, N, N),
    Perm.ENTER_OWN_DATA:       (Y, Y, Y, Y, Y, N),
    Perm.ENTER_ANY_DATA:       (Y, N, N, N, N, N),
    Perm.APPROVE_DATA:         (Y, N, N, N, N, N),
    Perm.VIEW_UNSUPPRESSED:    (Y, Y, N, N, N, N),
    Perm.VIEW_NETWORK:         (Y, Y, Y, Y, Y, Y),
    Perm.MANAGE_SURVEYS:       (Y, Y, N, N, N, N),
    Perm.VIEW_PLANNING:        (Y, Y, Y, Y, Y, Y),
    Perm.EDIT_AGENDA:          (Y, Y, N, Y, N, N),
    Perm.SIGN_CHARTER:         (Y, Y, Y, Y, Y, N),
    Perm.PROPOSE_PRIORITY:     (Y, Y, Y, Y, Y, N),
    Perm.VOTE_PRIORITY:        (Y, N, Y, Y, Y, N),
    Perm.RUN_PRIORITY_VOTE:    (Y, Y, N, N, N, N),
    Perm.EDIT_ACTIONS:         (Y, Y, Y, Y, Y, N),
    Perm.MANAGE_WORKPLAN:      (Y, Y, N, N, N, N),
    Perm.MANAGE_ACTIONS:       (Y, Y, N, N, N, N),
}  # fmt: skip


def test_every_permission_has_a_row() -> None:
    missing = sorted(set(Perm) - set(TABLE))
    assert not missing, f"add a row to TABLE for {missing}"


def test_every_role_has_a_column() -> None:
    assert set(ROLES) == set(Role.values) == set(ROLE_PERMISSIONS)


@pytest.mark.parametrize("perm", list(Perm), ids=str)
def test_role_permissions_match_the_table(perm: Perm) -> None:
    expected = {role for role, granted in zip(ROLES, TABLE[perm], strict=True) if granted}
    actual = {role for role in ROLES if perm in ROLE_PERMISSIONS[role]}
    assert actual == expected


def test_unknown_roles_grant_nothing() -> None:
    assert permissions_for_roles(["admin", "superuser"]) == frozenset()


# (b) ---------------------------------------------------------------------------------------------------------------


def _membership(world: Any, user: Any) -> Membership:
    return Membership.objects.get(coalition=world.coalition, user=user)


@pytest.fixture
def group(world: Any) -> WorkingGroup:
    return actions.do_save_working_group(
        world.hub, world.coalition, name="Data", members=[_membership(world, world.member)]
    )


@pytest.fixture
def former(world: Any) -> Membership:
    membership = factories.add_member(world.coalition)
    return actions.do_deactivate_membership(world.hub, membership)


def _args(world: Any, name: str, group: WorkingGroup, former: Membership) -> list[Any]:
    target = _membership(world, world.hub).pk
    extra = {
        "member": [target],
        "member_roles": [target],
        "member_update": [target],
        "member_deactivate": [target],
        "member_reactivate": [former.pk],
        "working_group": [group.pk],
        "working_group_edit": [group.pk],
    }.get(name, [])
    return [world.coalition.pk, *extra]


OPEN_PAGES = ["overview", "members", "members_export", "working_groups", "working_group"]
HUB_PAGES = [
    "settings",
    "former_members",
    "member",
    "member_deactivate",
    "working_group_create",
    "working_group_edit",
    "audit",
    "audit_export",
]
WRITES = {
    "settings": {"name": "Taken over", "scope": "local", "phase": "closed", "version": 1},
    "member_roles": {"roles": ["member"]},
    "member_update": {"title": "Nobody"},
    "member_deactivate": {},
    "member_reactivate": {},
    "working_group_create": {"name": "Sneaky"},
    "working_group_edit": {"name": "Renamed", "members": []},
}


def _state() -> tuple:
    return (
        list(Coalition.objects.order_by("pk").values_list("name", "phase", "version")),
        list(Membership.objects.order_by("pk").values_list("is_active", "organisation_id", "title")),
        list(MembershipRole.objects.order_by("membership_id", "role").values_list("membership_id", "role")),
        list(WorkingGroup.objects.order_by("pk").values_list("name", "is_codesign_group")),
        list(WorkingGroup.members.through.objects.order_by("pk").values_list("workinggroup_id", "membership_id")),
        AuditEvent.objects.count(),
    )


def _url(world: Any, name: str, group: WorkingGroup, former: Membership) -> str:
    return reverse(f"coalitions:{name}", args=_args(world, name, group, former))


@pytest.mark.parametrize("name", OPEN_PAGES + HUB_PAGES + list(WRITES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(world: Any, group: Any, former: Any, name: str, method: str) -> None:
    before = _state()
    response = getattr(world.client_for(None), method)(_url(world, name, group, former), WRITES.get(name, {}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _state() == before


@pytest.mark.parametrize("name", OPEN_PAGES + HUB_PAGES + list(WRITES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404(world: Any, group: Any, former: Any, name: str, method: str) -> None:
    before = _state()
    response = getattr(world.client_for(world.outsider), method)(_url(world, name, group, former), WRITES.get(name, {}))
    assert response.status_code == 404
    assert _state() == before


@pytest.mark.parametrize("persona", ["observer", "member", "hub", "facilitator"])
@pytest.mark.parametrize("name", OPEN_PAGES)
def test_every_member_opens_the_open_pages(world: Any, group: Any, former: Any, name: str, persona: str) -> None:
    response = world.client_for(getattr(world, persona)).get(_url(world, name, group, former))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["hub", "facilitator"])
@pytest.mark.parametrize("name", HUB_PAGES)
def test_hub_and_facilitator_open_the_hub_pages(world: Any, group: Any, former: Any, name: str, persona: str) -> None:
    response = world.client_for(getattr(world, persona)).get(_url(world, name, group, former))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["observer", "member"])
@pytest.mark.parametrize("name", HUB_PAGES)
def test_observer_and_member_get_403_on_hub_pages(world: Any, group: Any, former: Any, name: str, persona: str) -> None:
    before = _state()
    response = world.client_for(getattr(world, persona)).get(_url(world, name, group, former))
    assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize("persona", ["observer", "member"])
@pytest.mark.parametrize("name", list(WRITES))
def test_observer_and_member_cannot_write_and_nothing_changes(
    world: Any, group: Any, former: Any, name: str, persona: str
) -> None:
    before = _state()
    response = world.client_for(getattr(world, persona)).post(_url(world, name, group, former), WRITES[name])
    assert response.status_code == 403
    assert _state() == before


def test_member_cannot_change_roles(world: Any) -> None:
    target = _membership(world, world.observer)
    response = world.client_for(world.member).post(
        reverse("coalitions:member_roles", args=[world.coalition.pk, target.pk]), {"roles": ["hub"]}
    )
    assert response.status_code == 403
    assert _membership(world, world.observer).role_codes == ["observer"]
    assert not AuditEvent.objects.filter(verb="membership.roles_changed").exists()


def test_member_cannot_give_themselves_the_hub_role(world: Any) -> None:
    own = _membership(world, world.member)
    response = world.client_for(world.member).post(
        reverse("coalitions:member_roles", args=[world.coalition.pk, own.pk]), {"roles": ["hub"]}
    )
    assert response.status_code == 403
    assert _membership(world, world.member).role_codes == ["member"]


def test_observer_cannot_change_settings(world: Any) -> None:
    response = world.client_for(world.observer).post(
        reverse("coalitions:settings", args=[world.coalition.pk]), WRITES["settings"]
    )
    assert response.status_code == 403
    assert Coalition.objects.get(pk=world.coalition.pk).name == "Coalition A"


@pytest.mark.parametrize("persona", ["hub", "facilitator"])
@pytest.mark.parametrize("name", ["member_roles", "member_update", "member_reactivate", "working_group_edit"])
def test_hub_and_facilitator_writes_go_through(world: Any, group: Any, former: Any, name: str, persona: str) -> None:
    data = {**WRITES[name], "roles": ["hub", "member"]} if name == "member_roles" else WRITES[name]
    response = world.client_for(getattr(world, persona)).post(_url(world, name, group, former), data)
    assert response.status_code == 302
