"""Who may change which joint-action record: predicates for pages (what to offer) and the ``Rule``s the
routes declare beside their ``Perm`` (``coalition_view(..., rules=...)``), so a refusal is a 403 decided
by the declaration, never inside a view."""

from __future__ import annotations

from django.http import HttpRequest

from coalition.coalitions.access import Access, Rule, scoped_get
from coalition.core.permissions import Perm
from coalition.joint_action import queries
from coalition.joint_action.models import Action, Contribution, MemberActivity


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


def _represents_a_member(request: HttpRequest, access: Access, **_: object) -> bool:
    organisation_id = access.organisation_id
    return (
        organisation_id is not None
        and queries.member_organisations(access.coalition).filter(pk=organisation_id).exists()
    )


def _leads_action(request: HttpRequest, access: Access, action_id: int, **_: object) -> bool:
    return can_edit_action(access, scoped_get(access, Action, pk=action_id))


def _own_activity(request: HttpRequest, access: Access, activity_id: int, **_: object) -> bool:
    return can_edit_activity(access, scoped_get(access, MemberActivity, pk=activity_id))


def _own_contribution(request: HttpRequest, access: Access, contribution_id: int, **_: object) -> bool:
    contribution = scoped_get(access, Contribution.objects.select_related("action"), pk=contribution_id)
    return can_set_contribution(access, contribution.action, contribution.member_id)


FOR_OWN_ORGANISATION = Rule(
    "members add actions and activities for the member organisation they represent",
    perm=Perm.EDIT_ACTIONS,
    bypass=Perm.MANAGE_ACTIONS,
    check=_represents_a_member,
)
LEADS_ACTION = Rule(
    "members edit the actions their organisation leads",
    perm=Perm.EDIT_ACTIONS,
    bypass=Perm.MANAGE_ACTIONS,
    check=_leads_action,
)
OWN_ACTIVITY = Rule(
    "members edit their own organisation's activities",
    perm=Perm.EDIT_ACTIONS,
    bypass=Perm.MANAGE_ACTIONS,
    check=_own_activity,
)
OWN_CONTRIBUTION = Rule(
    "a contribution is removed by the action's editors or by the contributing organisation",
    perm=Perm.EDIT_ACTIONS,
    bypass=Perm.MANAGE_ACTIONS,
    check=_own_contribution,
)
