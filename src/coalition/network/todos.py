"""Relationship mapping's part of "what needs me", its event and its step of the cycle
(registered in ``NetworkConfig.ready``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.coalitions.models import Coalition, Membership
from coalition.core.permissions import Perm
from coalition.network.models import Respondent, SurveyRound
from coalition.notifications.events import raise_event
from coalition.notifications.registry import EventType, Payload, declare
from coalition.notifications.todos import Seat, Step, Todo, seats_with

ROUND_OPENED = "network.round_opened"
WAITING = (Respondent.Status.INVITED, Respondent.Status.CONSENTED)


def survey_to_answer(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Open rounds in which the person's organisation has been asked to answer and has not yet."""
    mine = Q()
    for seat in seats_with(seats, Perm.VIEW_NETWORK):
        if seat.organisation_id:
            mine |= Q(coalition_id=seat.coalition_id, actor__stakeholder_id=seat.organisation_id)
    if not mine:
        return []
    rows = Respondent.objects.filter(
        mine, round__status=SurveyRound.Status.OPEN, status__in=WAITING, submitted_at__isnull=True
    ).values_list("coalition_id", "round__name")
    return [
        Todo(
            coalition_id,
            "network.answer",
            _("Answer the relationship survey “%(round)s” with the personal link sent to you") % {"round": name},
            reverse("network:rounds", kwargs={"coalition_id": coalition_id}),
        )
        for coalition_id, name in rows
    ]


def assess_steps(coalition_id: int) -> list[Step]:
    facts = Coalition.objects.filter(pk=coalition_id).values(
        closed=Exists(SurveyRound.objects.filter(coalition_id=coalition_id, status=SurveyRound.Status.CLOSED))
    )
    if not facts:
        return []
    url = reverse("network:rounds", kwargs={"coalition_id": coalition_id})
    return [Step("assess", _("Relationship survey completed"), bool(facts[0]["closed"]), url)]


def _asked(payload: Payload) -> list[int]:
    """The active people of every organisation asked to answer in the round."""
    organisations = Respondent.objects.filter(round_id=payload["round_id"]).values("actor__stakeholder_id")
    return list(
        Membership.objects.filter(
            coalition_id=payload["coalition_id"], organisation_id__in=organisations, is_active=True
        ).values_list("user_id", flat=True)
    )


def declare_all() -> None:
    declare(
        EventType(
            ROUND_OPENED,
            gettext_lazy("A relationship survey opened"),
            gettext_lazy("%(coalition)s: the relationship survey “%(round)s” is open"),
            gettext_lazy(
                "The relationship survey “%(round)s” of %(coalition)s is open. Answer it with the personal link "
                "the hub sent to your organisation; you choose whether your answers may be named."
            ),
            _asked,
        )
    )


def round_opened(survey: SurveyRound) -> None:
    coalition = survey.coalition
    raise_event(
        ROUND_OPENED,
        key=f"{ROUND_OPENED}:{survey.pk}:{survey.opened_at.isoformat() if survey.opened_at else ''}",
        payload={
            "coalition_id": coalition.pk,
            "coalition": coalition.name,
            "round_id": survey.pk,
            "round": survey.name,
        },
        coalition_id=coalition.pk,
        url=reverse("network:rounds", kwargs={"coalition_id": coalition.pk}),
    )
