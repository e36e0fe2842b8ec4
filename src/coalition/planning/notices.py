"""Co-design's event types: declared here (``declare_all`` runs in ``PlanningConfig.ready``), raised by
the actions and, for votes with a closing time, by the daily task (``vote_deadlines``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition, Membership
from coalition.core.permissions import Perm
from coalition.notifications.events import raise_event
from coalition.notifications.registry import Delivery, EventType, Payload, declare
from coalition.planning import queries
from coalition.planning.models import AgendaVersion, DotVote

AGENDA_PUBLISHED = "planning.agenda_published"
VOTE_OPENED = "planning.vote_opened"
VOTE_CLOSED = "planning.vote_closed"
VOTE_CLOSING_SOON = "planning.vote_closing_soon"
CLOSING_SOON = dt.timedelta(hours=48)


def _signers(payload: Payload) -> list[int]:
    coalition = Coalition.objects.get(pk=payload["coalition_id"])
    return [m.user_id for m in queries.members_with(coalition, Perm.SIGN_CHARTER)]


def _voters(payload: Payload) -> list[int]:
    vote = DotVote.objects.select_related("coalition").get(pk=payload["vote_id"])
    return [m.user_id for m in queries.eligible_voters(vote)]


def _everyone(payload: Payload) -> list[int]:
    return list(
        Membership.objects.filter(coalition_id=payload["coalition_id"], is_active=True).values_list(
            "user_id", flat=True
        )
    )


def declare_all() -> None:
    declare(
        EventType(
            AGENDA_PUBLISHED,
            _("A new common agenda and charter version to sign"),
            _("%(coalition)s: please sign version %(number)s of the common agenda and charter"),
            _(
                "Version %(number)s of the common agenda and charter of %(coalition)s is published. "
                "Every member is asked to read and sign it."
            ),
            _signers,
        )
    )
    declare(
        EventType(
            VOTE_OPENED,
            _("A priority vote opened"),
            _("%(coalition)s: priority vote open — %(title)s"),
            _("The priority vote “%(title)s” is open in %(coalition)s. You have %(budget)s dots to place."),
            _voters,
        )
    )
    declare(
        EventType(
            VOTE_CLOSING_SOON,
            _("A priority vote closes soon"),
            _("%(coalition)s: priority vote closing soon — %(title)s"),
            _(
                "The priority vote “%(title)s” in %(coalition)s closes on %(closes_at)s. If you have not placed "
                "your %(budget)s dots yet, do it before then."
            ),
            _voters,
        )
    )
    declare(
        EventType(
            VOTE_CLOSED,
            _("A priority vote closed, with its result"),
            _("%(coalition)s: result of the priority vote — %(title)s"),
            _("The priority vote “%(title)s” in %(coalition)s is closed. The ranking is on the vote's page."),
            _everyone,
            default=Delivery.DIGEST,
        )
    )


def agenda_published(version: AgendaVersion) -> None:
    coalition = version.coalition
    raise_event(
        AGENDA_PUBLISHED,
        key=f"{AGENDA_PUBLISHED}:{version.pk}",
        payload={"coalition_id": coalition.pk, "coalition": coalition.name, "number": version.number},
        coalition_id=coalition.pk,
        url=reverse("planning:agenda", kwargs={"coalition_id": coalition.pk}),
    )


def moment_on(today: dt.date) -> dt.datetime:
    """The current time of day on ``today`` (the daily task and the to-dos are given a day)."""
    return timezone.localtime().replace(year=today.year, month=today.month, day=today.day)


def closing_soon(vote: DotVote, now: dt.datetime) -> bool:
    return vote.closes_at is not None and now < vote.closes_at <= now + CLOSING_SOON


def vote_changed(name: str, vote: DotVote) -> int:
    coalition = vote.coalition
    closes_at = timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M") if vote.closes_at else ""
    return raise_event(
        name,
        key=f"{name}:{vote.pk}",
        payload={
            "coalition_id": coalition.pk,
            "coalition": coalition.name,
            "vote_id": vote.pk,
            "title": vote.title,
            "budget": vote.budget,
            "closes_at": closes_at,
        },
        coalition_id=coalition.pk,
        url=reverse("planning:vote", kwargs={"coalition_id": coalition.pk, "vote_id": vote.pk}),
    )
