"""Accounts' event (an invitation accepted) and its part of "what needs me" (invitations not yet accepted,
for those who manage members); registered in ``AccountsConfig.ready``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.accounts.models import Invitation
from coalition.core.permissions import Perm
from coalition.notifications.events import raise_event
from coalition.notifications.registry import Delivery, EventType, Payload, declare
from coalition.notifications.todos import Seat, Todo, seats_with

INVITATION_ACCEPTED = "accounts.invitation_accepted"


def invitations_pending(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    managers = [s.coalition_id for s in seats_with(seats, Perm.MANAGE_MEMBERS)]
    if not managers:
        return []
    rows = (
        Invitation.objects.usable()
        .filter(coalition_id__in=managers)
        .values("coalition_id")
        .annotate(n=Count("pk"))
        .values_list("coalition_id", "n")
        .order_by("coalition_id")
    )
    return [
        Todo(
            coalition_id,
            "accounts.invitations",
            _("Follow up %(count)s invitations not yet accepted") % {"count": count},
            reverse("invitations:list", kwargs={"coalition_id": coalition_id}),
        )
        for coalition_id, count in rows
    ]


def _inviter(payload: Payload) -> list[int]:
    return [int(payload["inviter_id"])] if payload.get("inviter_id") else []


def declare_all() -> None:
    declare(
        EventType(
            INVITATION_ACCEPTED,
            gettext_lazy("Someone accepted your invitation"),
            gettext_lazy("%(coalition)s: %(name)s accepted your invitation"),
            gettext_lazy("%(name)s accepted your invitation and joined %(coalition)s."),
            _inviter,
            default=Delivery.DIGEST,
        )
    )


def invitation_accepted(invitation: Invitation, user: Any) -> None:
    coalition = invitation.coalition
    raise_event(
        INVITATION_ACCEPTED,
        key=f"{INVITATION_ACCEPTED}:{invitation.pk}",
        payload={
            "coalition": coalition.name,
            "inviter_id": invitation.invited_by_id,
            "name": user.get_full_name() or user.get_username(),
        },
        coalition_id=coalition.pk,
        url=reverse("coalitions:members", kwargs={"coalition_id": coalition.pk}),
    )
