"""The demo coalition's decisions: closed and open polls of every type, one that missed its quorum, and a consent
proposal blocked by a reasoned objection and then amended and adopted. Everything goes through the actions;
closed polls are closed by the facilitator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from coalition.coalitions.models import Membership
from coalition.decisions import actions, queries
from coalition.decisions.models import Electorate, Kind, Poll
from coalition.stakeholders.demo_context import DemoContext

Chooser = Callable[[int, list[int]], dict[str, Any]]

OBJECTION = "The agreement lets partners pass on residents' records without asking them; it needs a consent step first."


def _open(ctx: DemoContext, kind: str, title: str, details: str, options: tuple[str, ...] = (), **fields: Any) -> Poll:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": title,
        "details": details,
        "kind": kind,
        "electorate": Electorate.PEOPLE,
        "quorum_percent": 30,
        "majority_rule": "simple",
        "max_choices": 1,
        "seats": 1,
        "budget": 10,
        "opens_at": now - dt.timedelta(days=3),
        "closes_at": now + dt.timedelta(days=4),
        "is_anonymous": False,
        "reasons": "optional",
        **fields,
    }
    slots: list[tuple[str, dt.datetime | None]] = [(label, None) for label in options]
    if kind == Kind.TIME:
        slots = [(label, dt.datetime.fromisoformat(label).replace(tzinfo=dt.UTC)) for label in options]
    return actions.do_create_poll(ctx.facilitator, ctx.coalition, options=slots, **values)


def _vote(poll: Poll, choose: Chooser, voters: int | None = None, reason: Callable[[int], str] = lambda i: "") -> None:
    option_ids = list(poll.options.values_list("pk", flat=True))
    members: list[Membership] = list(queries.electorate_members(poll).select_related("user").order_by("pk"))
    for i, membership in enumerate(members[:voters]):
        if poll.electorate == Electorate.ORGANISATIONS and queries.standing(poll, membership).voted:
            continue
        actions.do_cast_ballot(membership.user, membership, poll, choice=choose(i, option_ids), reason=reason(i))


def _close(ctx: DemoContext, poll: Poll, outcome: str = "", why: str = "", **fields: Any) -> Poll:
    closed = actions.do_close_poll(ctx.facilitator, poll)
    if outcome:
        actions.do_record_outcome(ctx.facilitator, closed, outcome_statement=outcome, outcome_reasoning=why, **fields)
    return closed


def _consent_then_amended(ctx: DemoContext) -> None:
    first = _open(
        ctx,
        Kind.CONSENT,
        "Adopt the data-sharing agreement",
        "Partners share attendance and outcome records monthly under one agreement.",
    )
    _vote(
        first,
        lambda i, _o: {"answer": "object" if i == 1 else "consent"},
        reason=lambda i: OBJECTION if i == 1 else "",
    )
    first = _close(
        ctx,
        first,
        "Not adopted: blocked by a reasoned objection.",
        "An objection showed residents were not asked; the agreement goes back with a consent step.",
    )
    amended = _open(
        ctx,
        Kind.CONSENT,
        "Adopt the data-sharing agreement (amended)",
        "As before, with residents asked for their consent before any record is shared.",
        amends=first,
    )
    _vote(amended, lambda i, _o: {"answer": "consent"})
    _close(
        ctx,
        amended,
        "Adopted with the consent step.",
        "No objection remained.",
        next_steps="The hub circulates the signed agreement.",
        review_on=ctx.today + dt.timedelta(days=180),
    )


def _closed_polls(ctx: DemoContext) -> None:
    consensus = _open(ctx, Kind.CONSENSUS, "Join the city-wide literacy campaign", "Add our name and logo.")
    _vote(consensus, lambda i, _o: {"answer": "stand_aside" if i % 4 == 3 else "agree"})
    _close(ctx, consensus, "We join the campaign.", "Consensus, with two partners standing aside.")

    majority = _open(
        ctx, Kind.MAJORITY, "Meet on Thursdays from next term", "Move the monthly meeting.", majority_rule="two_thirds"
    )
    _vote(majority, lambda i, _o: {"answer": ("yes", "yes", "no", "abstain")[i % 4]})
    _close(ctx, majority, "Meetings stay on Tuesdays.", "Two thirds of the votes cast were not reached.")

    approval = _open(
        ctx,
        Kind.APPROVAL,
        "Themes for the spring summit",
        "Choose up to two.",
        ("Reading at home", "Safe routes", "Youth jobs", "Health"),
        max_choices=2,
    )
    _vote(approval, lambda i, o: {"options": [o[i % 4], o[(i + 1) % 4]] if i % 3 else [o[0]]})
    _close(ctx, approval, "The summit's themes are chosen.", "Most approvals.")

    ranked = _open(
        ctx,
        Kind.RANKED,
        "Where to hold the summer festival",
        "Rank the sites.",
        ("Riverside Park", "Library lawn", "School yard"),
        is_anonymous=True,
    )
    _vote(ranked, lambda i, o: {"ranking": [o[i % 3], o[(i + 2) % 3]] if i % 2 else [o[(i + 1) % 3]]})
    _close(ctx, ranked, "The festival site is chosen by instant runoff.", "Anonymous ranked ballots.")

    stv = _open(
        ctx,
        Kind.STV,
        "Two community seats on the steering committee",
        "Single transferable vote, Droop quota.",
        ("Lydia", "Marco", "Priya", "Samuel"),
        seats=2,
    )
    _vote(stv, lambda i, o: {"ranking": [o[i % 4], o[(i + 1) % 4], o[(i + 3) % 4]]})
    _close(ctx, stv, "Two community representatives elected.", "STV count below.")

    missed = _open(
        ctx,
        Kind.MAJORITY,
        "Approve the annual report",
        "The report goes to funders next month.",
        quorum_percent=75,
    )
    _vote(missed, lambda i, _o: {"answer": "yes"}, voters=2)
    _close(ctx, missed)


def _open_polls(ctx: DemoContext) -> None:
    score = _open(
        ctx,
        Kind.SCORE,
        "Rate the draft communications plan",
        "0 poor, 5 excellent.",
        ("Newsletter", "Radio", "Posters"),
    )
    _vote(score, lambda i, o: {"scores": {str(x): (i + n) % 6 for n, x in enumerate(o)}}, voters=3)
    points = _open(
        ctx,
        Kind.POINTS,
        "Share the small-grants pot",
        "Ten points each.",
        ("Homework clubs", "Holiday meals", "Walking buses"),
        is_anonymous=True,
    )
    _vote(points, lambda i, o: {"points": {str(o[i % 3]): 6, str(o[(i + 1) % 3]): 4}}, voters=4)
    slot = (ctx.today + dt.timedelta(days=20)).isoformat()
    _open(
        ctx,
        Kind.TIME,
        "A slot for the autumn learning pause",
        "Say which times suit.",
        (f"{slot} 10:00", f"{slot} 14:00", f"{slot} 18:00"),
    )
    _open(ctx, Kind.CONSENT, "Publish the quarterly dashboard", "On the public page.", is_anonymous=True)
    _open(
        ctx,
        Kind.MAJORITY,
        "One vote per member: adopt the revised charter",
        "Each member organisation votes once.",
        electorate=Electorate.ORGANISATIONS,
        majority_rule="two_thirds",
    )


def seed(ctx: DemoContext) -> None:
    _consent_then_amended(ctx)
    _closed_polls(ctx)
    _open_polls(ctx)
