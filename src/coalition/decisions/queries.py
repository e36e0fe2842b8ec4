"""Reads with rules: who may vote in a poll (its electorate), what a person may see of a poll.

Results exist only once a poll is closed (``Poll.result`` is written by closing); nothing here counts the
ballots of an open poll, and turnout of an anonymous poll is shown only from ``MIN_TURNOUT_SHOWN`` voters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from coalition.coalitions.models import Membership
from coalition.core.permissions import Perm, roles_holding
from coalition.decisions.models import DecisionSettings, Electorate, Participation, Poll, Recusal

MIN_TURNOUT_SHOWN = 3


def facilitator_may_vote(coalition_id: int) -> bool:
    return DecisionSettings.objects.filter(coalition_id=coalition_id, facilitator_may_vote=True).exists()


def voting_roles(coalition_id: int) -> list[str]:
    """The roles whose holders vote: those granted VOTE, and the facilitators' when the coalition allows it."""
    roles = set(roles_holding(Perm.VOTE))
    if facilitator_may_vote(coalition_id):
        roles |= set(roles_holding(Perm.VOTE_IF_ALLOWED))
    return sorted(roles)


def electorate_members(poll: Poll) -> QuerySet[Membership]:
    """The active memberships who may vote in ``poll``, recused ones excluded."""
    members = Membership.objects.filter(
        coalition_id=poll.coalition_id, is_active=True, roles__role__in=voting_roles(poll.coalition_id)
    )
    if poll.electorate == Electorate.WORKING_GROUP:
        members = members.filter(working_groups=poll.working_group_id)
    elif poll.electorate == Electorate.STEERING:
        members = members.filter(roles__role__in=roles_holding(Perm.STEERING_SEAT))
    elif poll.electorate == Electorate.ORGANISATIONS:
        members = members.filter(organisation__isnull=False)
    recused = Recusal.objects.filter(poll=poll).values("membership_id")
    return Membership.objects.filter(pk__in=members.values("pk")).exclude(pk__in=recused)


def electorate_size(poll: Poll) -> int:
    """People, or member organisations for a poll of one vote per organisation."""
    members = electorate_members(poll)
    if poll.electorate == Electorate.ORGANISATIONS:
        return members.values("organisation_id").distinct().count()
    return members.count()


def voter_key(poll: Poll, membership: Membership) -> str:
    """Who a vote counts for: the organisation in a poll of one vote per organisation, else the person."""
    if poll.electorate == Electorate.ORGANISATIONS:
        return f"o{membership.organisation_id}"
    return f"m{membership.pk}"


def counted_participations(poll: Poll) -> QuerySet[Participation]:
    """Participations that count: those of people since recused do not (their named ballots are set aside)."""
    recused = Recusal.objects.filter(poll=poll).values("membership_id")
    return poll.participations.exclude(membership_id__in=recused)


def is_open(poll: Poll) -> bool:
    now = timezone.now()
    return poll.closed_at is None and poll.opens_at <= now < poll.closes_at


@dataclass(frozen=True)
class Standing:
    """Where one member stands in a poll: may they vote, have they voted, are they recused."""

    eligible: bool
    voted: bool
    recusal: Recusal | None


def standing(poll: Poll, membership: Membership) -> Standing:
    recusal = Recusal.objects.filter(poll=poll, membership=membership).first()
    eligible = recusal is None and electorate_members(poll).filter(pk=membership.pk).exists()
    voted = Participation.objects.filter(poll=poll, voter_key=voter_key(poll, membership)).exists()
    return Standing(eligible, voted, recusal)


def turnout_shown(poll: Poll, turnout: int) -> bool:
    """An anonymous poll shows its turnout only once at least three have voted."""
    return not poll.is_anonymous or turnout >= MIN_TURNOUT_SHOWN


def polls(coalition_id: int) -> QuerySet[Poll]:
    return Poll.objects.filter(coalition_id=coalition_id).select_related("working_group")


def open_polls(coalition_id: int) -> QuerySet[Poll]:
    now = timezone.now()
    return polls(coalition_id).filter(closed_at__isnull=True, opens_at__lte=now)


def closed_polls(coalition_id: int, search: str = "") -> QuerySet[Poll]:
    found = polls(coalition_id).filter(closed_at__isnull=False)
    if search:
        found = found.filter(
            Q(title__icontains=search) | Q(outcome_statement__icontains=search) | Q(outcome_reasoning__icontains=search)
        )
    return found
