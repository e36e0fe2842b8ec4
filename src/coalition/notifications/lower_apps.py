"""To-dos and event types of the apps below notifications in the layers (accounts, coalitions), which may not
import it: notifications registers them itself (the apps raise their events through ``core.events``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from coalition.accounts.models import Invitation
from coalition.coalitions.models import Membership
from coalition.core import events
from coalition.core.permissions import ROLE_PERMISSIONS, Perm
from coalition.notifications.registry import EventType, Payload, declare
from coalition.notifications.todos import Seat, Todo, count_per_coalition, seats_with


def invitations_pending(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """For those who manage members: invitations sent and not yet accepted, per coalition."""
    managers = [s.coalition_id for s in seats_with(seats, Perm.MANAGE_MEMBERS)]
    if not managers:
        return []
    return count_per_coalition(
        Invitation.objects.usable().filter(coalition_id__in=managers),
        "accounts.invitations",
        _("Follow up %(count)s invitations not yet accepted"),
        "invitations:list",
    )


def _inviter_and_member_managers(payload: Payload) -> list[int]:
    """Who sent the invitation and everyone who manages the coalition's members, but not the newcomer."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_MEMBERS in perms]
    managers = set(
        Membership.objects.filter(
            coalition_id=payload["coalition_id"], is_active=True, roles__role__in=roles
        ).values_list("user_id", flat=True)
    )
    inviter = {int(payload["inviter_id"])} if payload.get("inviter_id") else set()
    return sorted((managers | inviter) - {int(payload["user_id"])})


def declare_all() -> None:
    declare(
        EventType(
            events.INVITATION_ACCEPTED,
            _("Someone accepted an invitation"),
            _("%(coalition)s: %(person)s accepted the invitation and joined"),
            _("%(person)s accepted the invitation sent to %(email)s and is now a member of %(coalition)s."),
            _inviter_and_member_managers,
        )
    )
