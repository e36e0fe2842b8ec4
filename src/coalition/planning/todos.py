"""Co-design's part of "what needs me" and of the cycle overview (registered in ``PlanningConfig.ready``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition, WorkingGroup
from coalition.core.permissions import Perm
from coalition.notifications.todos import Seat, Step, Todo, seats_with
from coalition.planning import actions, notices
from coalition.planning.models import AgendaVersion, Assessment, Ballot, DotVote, Priority, ProblemNode, Signature


def agenda_to_sign(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """The newest published agenda and charter version of each coalition that this person has not signed."""
    signers = {seat.coalition_id: seat for seat in seats_with(seats, Perm.SIGN_CHARTER)}
    if not signers:
        return []
    newer = AgendaVersion.objects.filter(
        coalition_id=OuterRef("coalition_id"), status=AgendaVersion.Status.PUBLISHED, number__gt=OuterRef("number")
    )
    signed = Signature.objects.filter(
        version=OuterRef("pk"), membership_id__in=[s.membership_id for s in signers.values()]
    )
    rows = (
        AgendaVersion.objects.filter(coalition_id__in=signers, status=AgendaVersion.Status.PUBLISHED)
        .filter(~Exists(newer), ~Exists(signed))
        .values_list("pk", "coalition_id", "number")
    )
    return [
        Todo(
            coalition_id,
            "planning.sign_agenda",
            _("Sign the common agenda and charter, version %(number)s") % {"number": number},
            reverse("planning:agenda", kwargs={"coalition_id": coalition_id}),  # where the current version is signed
        )
        for _pk, coalition_id, number in rows
    ]


def votes_to_cast(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Open dot votes this person may vote in and has not placed any dot in yet; "closing soon" within 48
    hours of its closing time, gone once that time has passed."""
    voters = {seat.coalition_id: seat for seat in seats_with(seats, Perm.VOTE_PRIORITY)}
    if not voters:
        return []
    now = notices.moment_on(today)
    membership_ids = [s.membership_id for s in voters.values()]
    voted = Ballot.objects.filter(vote=OuterRef("pk"), voter_id__in=membership_ids, dots_spent__gt=0)
    in_group = WorkingGroup.objects.filter(
        coalition_id=OuterRef("coalition_id"), is_codesign_group=True, members__in=membership_ids
    )
    rows = (
        DotVote.objects.filter(coalition_id__in=voters, status=DotVote.Status.OPEN)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .annotate(in_group=Exists(in_group))
        .filter(~Exists(voted))
        .only("pk", "coalition_id", "title", "codesign_group_only", "closes_at")
    )
    return [
        Todo(
            vote.coalition_id,
            "planning.vote",
            (
                _("Vote on priorities, closing soon: %(title)s")
                if notices.closing_soon(vote, now)
                else _("Vote on priorities: %(title)s")
            )
            % {"title": vote.title},
            reverse("planning:vote", kwargs={"coalition_id": vote.coalition_id, "vote_id": vote.pk}),
            due_on=timezone.localdate(vote.closes_at) if vote.closes_at else None,
        )
        for vote in rows
        if not vote.codesign_group_only or vote.in_group
    ]


def codesign_steps(coalition_id: int) -> list[Step]:
    facts = Coalition.objects.filter(pk=coalition_id).values(
        assessed=Exists(Assessment.objects.filter(coalition_id=coalition_id, held_on__isnull=False)),
        core=Exists(ProblemNode.objects.filter(coalition_id=coalition_id, kind="core", is_archived=False)),
        chosen=Exists(Priority.objects.filter(coalition_id=coalition_id, status=Priority.Status.CHOSEN)),
        published=Exists(
            AgendaVersion.objects.filter(coalition_id=coalition_id, status=AgendaVersion.Status.PUBLISHED)
        ),
    )
    return _steps(coalition_id, facts[0]) if facts else []


def _steps(coalition_id: int, facts: Mapping[str, Any]) -> list[Step]:
    def url(name: str) -> str:
        return reverse(name, kwargs={"coalition_id": coalition_id})

    return [
        Step("assess", _("Rapid assessment held"), bool(facts["assessed"]), url("planning:assessment")),
        Step("codesign", _("Core problem agreed"), bool(facts["core"]), url("planning:problem_tree")),
        Step("codesign", _("Priorities chosen"), bool(facts["chosen"]), url("planning:priorities")),
        Step("codesign", _("Common agenda published"), bool(facts["published"]), url("planning:agenda")),
    ]


def vote_deadlines(today: dt.date) -> int:
    """The daily task: "closing soon" once for each open vote closing within 48 hours, then close the votes
    whose time has come (each raising "closed"). Returns the messages written about closing soon."""
    now = notices.moment_on(today)
    soon = DotVote.objects.filter(
        status=DotVote.Status.OPEN, closes_at__gt=now, closes_at__lte=now + notices.CLOSING_SOON
    ).select_related("coalition")
    raised = sum(notices.vote_changed(notices.VOTE_CLOSING_SOON, vote) for vote in soon)
    actions.do_close_votes_due(now)
    return raised
