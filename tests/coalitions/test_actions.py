"""Rules of the coalition actions: optimistic concurrency, at least one hub, valid roles, scoped working groups,
and an audit event with before/after values for every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coalition.coalitions import actions
from coalition.coalitions.models import Coalition, Membership
from coalition.core.models import AuditEvent
from tests import factories


def _membership(world: Any, user: Any) -> Membership:
    return Membership.objects.get(coalition=world.coalition, user=user)


def _last_event(verb: str) -> AuditEvent:
    return AuditEvent.objects.filter(verb=verb).latest("id")


def test_update_coalition_bumps_version_and_records_before_after(world: Any) -> None:
    saved = actions.do_update_coalition(
        world.hub, world.coalition, expected_version=1, name="Renamed", phase="launching"
    )
    assert saved.version == 2
    event = _last_event("coalition.updated")
    assert event.before == {"name": "Coalition A", "phase": "preparing"}
    assert event.after == {"name": "Renamed", "phase": "launching"}
    assert event.actor == world.hub and event.coalition == world.coalition


def test_update_from_a_stale_version_is_refused_and_keeps_the_newer_data(world: Any) -> None:
    actions.do_update_coalition(world.hub, world.coalition, expected_version=1, name="First save")
    events = AuditEvent.objects.count()
    with pytest.raises(actions.StaleVersion):
        actions.do_update_coalition(world.facilitator, world.coalition, expected_version=1, name="Late save")
    coalition = Coalition.objects.get(pk=world.coalition.pk)
    assert (coalition.name, coalition.version) == ("First save", 2)
    assert AuditEvent.objects.count() == events


def test_update_coalition_refuses_values_out_of_range(world: Any) -> None:
    with pytest.raises(ValidationError):
        actions.do_update_coalition(world.hub, world.coalition, small_cell_threshold=0)
    assert Coalition.objects.get(pk=world.coalition.pk).small_cell_threshold == 5


def test_update_coalition_refuses_unknown_fields(world: Any) -> None:
    with pytest.raises(ValueError):
        actions.do_update_coalition(world.hub, world.coalition, version=99)


def test_roles_change_records_before_and_after(world: Any) -> None:
    actions.do_set_roles(world.hub, _membership(world, world.member), ["member", "steering"])
    event = _last_event("membership.roles_changed")
    assert event.before == {"roles": ["member"]}
    assert event.after == {"roles": ["member", "steering"]}


def test_last_hub_cannot_drop_the_hub_role(world: Any) -> None:
    hub = _membership(world, world.hub)
    with pytest.raises(ValidationError, match="at least one hub"):
        actions.do_set_roles(world.hub, hub, ["member"])
    assert _membership(world, world.hub).role_codes == ["hub"]


def test_hub_can_hand_over_once_another_hub_exists(world: Any) -> None:
    actions.do_set_roles(world.hub, _membership(world, world.facilitator), ["facilitator", "hub"])
    actions.do_set_roles(world.hub, _membership(world, world.hub), ["member"])
    assert _membership(world, world.hub).role_codes == ["member"]


def test_a_deactivated_hub_does_not_count_as_the_remaining_hub(world: Any) -> None:
    second = factories.add_member(world.coalition, roles=["hub"])
    actions.do_deactivate_membership(world.hub, second)
    with pytest.raises(ValidationError):
        actions.do_set_roles(world.hub, _membership(world, world.hub), ["member"])


@pytest.mark.parametrize("roles", [[], ["overlord"]])
def test_roles_must_be_known_and_not_empty(world: Any, roles: list[str]) -> None:
    with pytest.raises(ValidationError):
        actions.do_set_roles(world.hub, _membership(world, world.member), roles)
    assert _membership(world, world.member).role_codes == ["member"]


def test_last_hub_cannot_be_deactivated(world: Any) -> None:
    with pytest.raises(ValidationError, match="last hub"):
        actions.do_deactivate_membership(world.hub, _membership(world, world.hub))
    assert _membership(world, world.hub).is_active


def test_deactivate_and_reactivate_keep_roles_and_record_both_ways(world: Any) -> None:
    membership = _membership(world, world.member)
    actions.do_deactivate_membership(world.hub, membership)
    assert not _membership(world, world.member).is_active
    assert _last_event("membership.deactivated").after == {"is_active": False}
    actions.do_reactivate_membership(world.hub, membership)
    restored = _membership(world, world.member)
    assert restored.is_active and restored.role_codes == ["member"]
    event = _last_event("membership.reactivated")
    assert (event.before, event.after) == ({"is_active": False}, {"is_active": True})


def test_update_membership_records_organisation_and_title(world: Any) -> None:
    actions.do_update_membership(
        world.hub, _membership(world, world.member), organisation=world.other_org, title="Chair"
    )
    event = _last_event("membership.updated")
    assert event.before == {"organisation_id": world.member_org.pk, "title": ""}
    assert event.after == {"organisation_id": world.other_org.pk, "title": "Chair"}


def test_membership_organisation_from_another_coalition_is_refused(world: Any) -> None:
    foreign_org = factories.make_stakeholder(world.other)
    with pytest.raises(ValidationError):
        actions.do_update_membership(world.hub, _membership(world, world.member), organisation=foreign_org)
    assert _membership(world, world.member).organisation == world.member_org


def test_working_group_members_from_another_coalition_are_refused(world: Any) -> None:
    foreign = Membership.objects.get(coalition=world.other, user=world.outsider)
    with pytest.raises(PermissionDenied):
        actions.do_save_working_group(world.hub, world.coalition, name="Mixed", members=[foreign])
    assert not world.coalition.working_groups.exists()


def test_working_group_save_records_members_before_and_after(world: Any) -> None:
    member = _membership(world, world.member)
    group = actions.do_save_working_group(world.hub, world.coalition, name="Data", is_codesign_group=True)
    created = _last_event("working_group.created")
    assert created.before is None and created.after["name"] == "Data" and created.after["members"] == []
    actions.do_save_working_group(world.hub, world.coalition, group=group, name="Data", members=[member])
    updated = _last_event("working_group.updated")
    assert updated.before == {"members": [], "is_codesign_group": True}
    assert updated.after == {"members": [member.pk], "is_codesign_group": False}


def test_working_group_names_are_unique_within_a_coalition(world: Any) -> None:
    actions.do_save_working_group(world.hub, world.coalition, name="Data")
    with pytest.raises(ValidationError):
        actions.do_save_working_group(world.hub, world.coalition, name="Data")
    actions.do_save_working_group(world.outsider, world.other, name="Data")


def test_time_frame_dates_are_stored(world: Any) -> None:
    saved = actions.do_update_coalition(
        world.hub, world.coalition, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 1, 1)
    )
    assert _last_event("coalition.updated").after == {"starts_on": "2026-01-01", "ends_on": "2027-01-01"}
    assert saved.ends_on == dt.date(2027, 1, 1)
