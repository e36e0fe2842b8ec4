"""The hub's reminder that a learning pause is due: a "what needs me" to-do and a daily notification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.coalitions.models import Coalition, Membership
from coalition.core.permissions import Perm, roles_holding
from coalition.learning import queries
from coalition.notifications.events import raise_event
from coalition.notifications.registry import EventType, Payload, declare
from coalition.notifications.todos import Seat, Todo, seats_with

PAUSE_DUE = "learning.pause_due"


def _url(coalition_id: int) -> str:
    return reverse("learning:pauses", kwargs={"coalition_id": coalition_id})


def pauses_due(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """For those who run learning: a pause whose interval has passed."""
    found = []
    for seat in seats_with(seats, Perm.RUN_LEARNING):
        coalition = Coalition.objects.get(pk=seat.coalition_id)
        due = queries.next_pause_due(coalition)
        if due <= today:
            found.append(
                Todo(
                    seat.coalition_id,
                    "learning.pause",
                    _("Hold a learning pause"),
                    _url(seat.coalition_id),
                    due_on=due,
                    overdue=due < today,
                )
            )
    return found


def _runners(payload: Payload) -> list[int]:
    return list(
        Membership.objects.filter(
            coalition_id=payload["coalition_id"], is_active=True, roles__role__in=roles_holding(Perm.RUN_LEARNING)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def remind_pauses(today: dt.date) -> int:
    """Once per due date and coalition: tell the hub the pause interval has passed."""
    raised = 0
    for coalition in Coalition.objects.all():
        due = queries.next_pause_due(coalition)
        if due <= today:
            raised += raise_event(
                PAUSE_DUE,
                key=f"{PAUSE_DUE}:{coalition.pk}:{due}",
                payload={"coalition_id": coalition.pk, "coalition": coalition.name, "due_on": due.isoformat()},
                coalition_id=coalition.pk,
                url=_url(coalition.pk),
            )
    return raised


def declare_all() -> None:
    declare(
        EventType(
            PAUSE_DUE,
            gettext_lazy("A learning pause is due"),
            gettext_lazy("%(coalition)s: time for a learning pause"),
            gettext_lazy(
                "A learning pause was due on %(due_on)s: review the evidence together, agree what to keep and what "
                "to change."
            ),
            _runners,
        )
    )
