"""Funding's part of the notification engine (declared in ``FundingConfig.ready``), raised by the actions inside
their transaction: a call opens for proposals (to those who may propose), member choice opens (to those who vote
in it), a call is decided (to every member who sees the fund), a reviewer is assigned (to that person), and the
outcome of each proposal (to the people of its lead and partner organisations and whoever submitted it, one
message each listing their own proposals). No message ever carries what anyone chose. In "what needs me": calls
to choose in, for each voter who has not chosen yet, and reviews to write, for each assigned reviewer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coalition.coalitions.models import Membership
from coalition.core.permissions import Perm, roles_holding
from coalition.decisions import queries as decision_queries
from coalition.funding import queries
from coalition.funding.models import Award, Call, CallBallot, Phase, Proposal, ProposalStatus, Review, Reviewer
from coalition.notifications.events import raise_event, raise_event_each
from coalition.notifications.registry import Delivery, EventType, Payload, declare
from coalition.notifications.todos import Seat, Todo

CALL_OPENED, VOTING_OPENED, CALL_DECIDED, REVIEWER_ASSIGNED, OUTCOME = (
    "funding.call_opened",
    "funding.voting_opened",
    "funding.call_decided",
    "funding.reviewer_assigned",
    "funding.proposal_outcome",
)


def call_url(call: Call) -> str:
    return reverse("funding:call", kwargs={"coalition_id": call.coalition_id, "call_id": call.pk})


def _payload(call: Call) -> dict[str, Any]:
    return {
        "call_id": call.pk,
        "coalition": call.coalition.name,
        "title": call.title,
        "budget": f"{call.budget} {call.fund.currency}",
        "voting_on": call.voting_on.isoformat(),
        "decision_on": call.decision_on.isoformat(),
        "review_on": call.review_on.isoformat() if call.review_on else "",
    }


def _holding(coalition_id: int, roles: list[str]) -> list[int]:
    return list(
        Membership.objects.filter(coalition_id=coalition_id, is_active=True, roles__role__in=roles)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _proposers(payload: Payload) -> list[int]:
    call = Call.objects.get(pk=payload["call_id"])
    return _holding(call.coalition_id, roles_holding(Perm.PROPOSE_FUNDING))


def _voters(payload: Payload) -> list[int]:
    call = Call.objects.get(pk=payload["call_id"])
    return _holding(call.coalition_id, decision_queries.voting_roles(call.coalition_id))


def _readers(payload: Payload) -> list[int]:
    call = Call.objects.get(pk=payload["call_id"])
    return _holding(call.coalition_id, roles_holding(Perm.VIEW_FUNDING))


def _reviewer(payload: Payload) -> list[int]:
    return list(Reviewer.objects.filter(pk=payload["reviewer_id"]).values_list("membership__user_id", flat=True))


def _named(payload: Payload) -> list[int]:
    """Outcome messages are raised per person (``raise_event_each``); this type has no recipients of its own."""
    return []


def declare_all() -> None:
    declare(
        EventType(
            CALL_OPENED,
            gettext_lazy("A call for proposals opened"),
            gettext_lazy("%(coalition)s: call for proposals “%(title)s”"),
            gettext_lazy(
                "The call “%(title)s” (%(budget)s) is open for proposals, alone or with partners. "
                "Member choice starts on %(voting_on)s."
            ),
            _proposers,
        )
    )
    declare(
        EventType(
            VOTING_OPENED,
            gettext_lazy("Member choice opened in a call for proposals"),
            gettext_lazy("%(coalition)s: choose in “%(title)s”"),
            gettext_lazy(
                "The proposals to “%(title)s” (%(budget)s) await your choice. The decision is planned for "
                "%(decision_on)s."
            ),
            _voters,
        )
    )
    declare(
        EventType(
            CALL_DECIDED,
            gettext_lazy("A call for proposals was decided"),
            gettext_lazy("%(coalition)s: “%(title)s” is decided"),
            gettext_lazy(
                "The decision on “%(title)s” is recorded: the awards, the rule and the reasons are on the call's page."
            ),
            _readers,
            default=Delivery.DIGEST,
        )
    )
    declare(
        EventType(
            REVIEWER_ASSIGNED,
            gettext_lazy("You are asked to review proposals"),
            gettext_lazy("%(coalition)s: review the proposals to “%(title)s”"),
            gettext_lazy(
                "You are a reviewer of the call “%(title)s”. Review starts on %(review_on)s, against the call's "
                "published criteria; you do not review your own organisation's proposals."
            ),
            _reviewer,
        )
    )
    declare(
        EventType(
            OUTCOME,
            gettext_lazy("The outcome of your proposal"),
            gettext_lazy("%(coalition)s: the outcome of your proposal to “%(title)s”"),
            gettext_lazy("The call “%(title)s” is decided.\n\n%(outcomes)s"),
            _named,
        )
    )


def _raise(name: str, call: Call, **extra: Any) -> int:
    return raise_event(
        name,
        key=f"{name}:{call.pk}",
        payload={**_payload(call), **extra},
        coalition_id=call.coalition_id,
        url=call_url(call),
    )


def phase_entered(call: Call) -> None:
    """Tell members of the phases that ask something of them, and everyone of the decision."""
    if call.phase == Phase.OPEN:
        _raise(CALL_OPENED, call)
    elif call.phase == Phase.VOTING:
        _raise(VOTING_OPENED, call)
    elif call.phase == Phase.DECIDED:
        _raise(CALL_DECIDED, call)
        tell_proposers(call)


def reviewer_assigned(reviewer: Reviewer) -> None:
    call = reviewer.call
    raise_event(
        REVIEWER_ASSIGNED,
        key=f"{REVIEWER_ASSIGNED}:{reviewer.pk}",
        payload={**_payload(call), "reviewer_id": reviewer.pk},
        coalition_id=call.coalition_id,
        url=call_url(call),
    )


def outcome_line(proposal: Proposal, award: Award | None) -> str:
    if proposal.status == ProposalStatus.FUNDED and award is not None:
        return _("“%(title)s”: funded, %(amount)s %(cur)s.") % {
            "title": proposal.title,
            "amount": award.amount,
            "cur": award.currency,
        }
    if proposal.status == ProposalStatus.PART_FUNDED and award is not None:
        return _("“%(title)s”: part-funded, %(amount)s %(cur)s of %(requested)s requested.") % {
            "title": proposal.title,
            "amount": award.amount,
            "cur": award.currency,
            "requested": proposal.requested,
        }
    return _("“%(title)s”: not funded this time.") % {"title": proposal.title}


def tell_proposers(call: Call) -> int:
    """One message per person party to a decided proposal: the people of its lead and partner organisations and
    whoever submitted it, each listing the outcome of their own proposals."""
    proposals = list(call.proposals.exclude(status=ProposalStatus.WITHDRAWN).prefetch_related("partners"))
    awards = {a.proposal_id: a for a in Award.objects.filter(call=call)}
    orgs: dict[int, set[int]] = defaultdict(set)
    for proposal in proposals:
        for org in [proposal.lead_id, *(p.pk for p in proposal.partners.all())]:
            orgs[org].add(proposal.pk)
    people: dict[int, set[int]] = defaultdict(set)
    for user_id, org in Membership.objects.filter(
        coalition_id=call.coalition_id, is_active=True, organisation_id__in=list(orgs)
    ).values_list("user_id", "organisation_id"):
        people[user_id] |= orgs[org]
    for proposal in proposals:
        if proposal.submitted_by_id is not None:
            people[proposal.submitted_by_id].add(proposal.pk)
    by_id = {p.pk: p for p in proposals}
    base = _payload(call)
    payloads = {
        user_id: {
            **base,
            "outcomes": "\n".join(outcome_line(by_id[pid], awards.get(pid)) for pid in sorted(ids)),
        }
        for user_id, ids in people.items()
    }
    return raise_event_each(
        OUTCOME, key=f"{OUTCOME}:{call.pk}", payloads=payloads, coalition_id=call.coalition_id, url=call_url(call)
    )


# --- what needs me -------------------------------------------------------------------------------------------


def calls_to_choose_in(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Calls in member choice where the person votes and has no current ballot yet."""
    voters = {
        s.coalition_id: s
        for s in seats
        if s.can(Perm.VOTE) or (s.can(Perm.VOTE_IF_ALLOWED) and decision_queries.facilitator_may_vote(s.coalition_id))
    }
    if not voters:
        return []
    calls = list(Call.objects.filter(coalition_id__in=voters, phase=Phase.VOTING))
    chosen = set(
        CallBallot.objects.filter(
            call__in=calls, is_current=True, membership_id__in=[s.membership_id for s in voters.values()]
        ).values_list("call_id", flat=True)
    )
    return [
        Todo(
            call.coalition_id,
            "funding.choose",
            _("Choose among the proposals to “%(title)s”") % {"title": call.title},
            call_url(call),
            due_on=call.decision_on,
            overdue=call.decision_on < today,
        )
        for call in calls
        if call.pk not in chosen
    ]


def reviews_to_write(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """For an assigned reviewer of a call in review: one to-do per call while some proposal awaits their review
    (proposals they are recused from aside)."""
    memberships = {s.membership_id for s in seats}
    todos = []
    assigned = Reviewer.objects.filter(membership_id__in=memberships, call__phase=Phase.REVIEW).select_related(
        "call", "membership"
    )
    for reviewer in assigned:
        call = reviewer.call
        live = list(queries.live_proposals(call))
        recused = queries.recused_proposals(reviewer.membership, call)
        done = set(
            Review.objects.filter(reviewer=reviewer.membership, proposal__in=live).values_list("proposal_id", flat=True)
        )
        waiting = [p for p in live if p.pk not in recused and p.pk not in done]
        if waiting:
            label = ngettext(
                "Review %(count)s proposal to “%(title)s”", "Review %(count)s proposals to “%(title)s”", len(waiting)
            ) % {"count": len(waiting), "title": call.title}
            todos.append(Todo(call.coalition_id, "funding.review", label, call_url(call), due_on=call.voting_on))
    return todos
