"""Who may change which joint-action record. Views call these after ``coalition_view`` has checked the
coarse permission; a refusal is a ``PermissionDenied`` (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from coalition.coalitions.access import Access
from coalition.core.permissions import Perm
from coalition.joint_action.models import Action, MemberActivity


def can_manage(access: Access) -> bool:
    """Hub and facilitator: plans, objectives, activity types, and every action and activity."""
    return access.can(Perm.MANAGE_ACTIONS)


def can_act_for(access: Access, organisation_id: int | None) -> bool:
    """Whether the person may write on behalf of this organisation (their own, or any if they manage)."""
    if can_manage(access):
        return True
    return access.can(Perm.EDIT_ACTIONS) and organisation_id is not None and organisation_id == access.organisation_id


def can_create_actions(access: Access) -> bool:
    return can_manage(access) or (access.can(Perm.EDIT_ACTIONS) and access.organisation_id is not None)


def can_edit_action(access: Access, action: Action) -> bool:
    """Members edit the actions their organisation leads; managers edit any."""
    return can_act_for(access, action.lead_id)


def can_edit_activity(access: Access, activity: MemberActivity) -> bool:
    return can_act_for(access, activity.member_id)


def can_set_contribution(access: Access, action: Action, member_id: int | None) -> bool:
    """The action's editors set anyone's contribution; a member may always pledge its own organisation's."""
    return can_edit_action(access, action) or can_act_for(access, member_id)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
