"""Who is told what as a call moves on: opened, member choice, decided; reviewers of their assignment; proposers
of their outcome (each their own proposals only). Expectations are written out by hand from the personas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from coalition.coalitions.models import Membership
from coalition.funding import actions
from coalition.funding.models import Award, ChoiceStyle, Phase
from coalition.notifications.models import Notification
from tests.funding import builders


def _told(event: str) -> dict[str, str]:
    return dict(Notification.objects.filter(event_type=event).values_list("recipient__username", "body"))


def _m(world: Any, user: Any) -> Membership:
    return Membership.objects.get(coalition=world.coalition, user=user)


def test_opening_tells_those_who_may_propose_once(world: Any) -> None:
    call = builders.call(world.coalition, title="Reading together")
    assert _told("funding.call_opened") == {}  # drafting tells nobody
    builders.advance_to(call, Phase.OPEN)
    told = _told("funding.call_opened")
    # hub and member may propose; the facilitator and the observer may not
    assert set(told) == {"hub", "member"}
    assert "Reading together" in told["member"] and "1000.00 EUR" in told["member"]
    row = Notification.objects.get(event_type="funding.call_opened", recipient=world.member)
    assert row.url == f"/c/{world.coalition.pk}/funding/calls/{call.pk}/"
    assert row.coalition_id == world.coalition.pk


def test_member_choice_tells_the_voters(world: Any) -> None:
    call = builders.call(world.coalition, phase=Phase.OPEN)
    builders.proposal(call, _m(world, world.member), "100")
    assert _told("funding.voting_opened") == {}
    builders.advance_to(call, Phase.VOTING)
    assert set(_told("funding.voting_opened")) == {"hub", "member"}


def test_a_reviewer_is_told_of_the_assignment_once(world: Any) -> None:
    review_on = timezone.localdate()
    call = builders.call(world.coalition, with_review=True, review_on=review_on, criteria="Reach; cost.")
    facilitator = _m(world, world.facilitator)
    actions.do_assign_reviewer(world.hub, call, facilitator)
    actions.do_assign_reviewer(world.hub, call, facilitator)  # again: nothing new
    told = _told("funding.reviewer_assigned")
    assert list(told) == ["facilitator"]
    assert review_on.isoformat() in told["facilitator"]


def test_the_decision_tells_every_reader_and_each_proposer_their_own_outcome(world: Any) -> None:
    call = builders.call(world.coalition, budget="500", phase=Phase.OPEN)
    member = _m(world, world.member)
    partner = builders.member(world.coalition, "partner")
    other = builders.member(world.coalition, "other")
    joint = builders.proposal(call, member, "300", title="Homework club", partners=[partner.organisation])
    builders.proposal(call, other, "400", title="Bus trips")
    builders.advance_to(call, Phase.VOTING)
    actions.do_cast_call_ballot(world.hub, _m(world, world.hub), call, choice={"proposals": [joint.pk]})
    actions.do_cast_call_ballot(other.user, other, call, choice={"proposals": [joint.pk]})
    # the rule funds the joint proposal (2 votes, 300) and nothing else: bus trips (0 votes) is not funded
    actions.do_decide_call(world.hub, call)
    decided = _told("funding.call_decided")
    assert set(decided) == {"hub", "facilitator", "member", "observer", "partner", "other"}
    outcomes = _told("funding.proposal_outcome")
    assert set(outcomes) == {"member", "partner", "other"}
    assert "“Homework club”: funded, 300.00 EUR." in outcomes["member"]
    assert outcomes["partner"] == outcomes["member"]
    assert "“Bus trips”: not funded this time." in outcomes["other"]
    assert "Bus trips" not in outcomes["member"] and "Homework club" not in outcomes["other"]
    assert Notification.objects.get(event_type="funding.call_decided", recipient=world.member).status == "digest"


def test_part_funding_is_told_with_both_amounts(world: Any) -> None:
    call = builders.call(
        world.coalition, budget="500", phase=Phase.OPEN, part_funding=True, choice_style=ChoiceStyle.APPROVAL
    )
    first = builders.proposal(call, builders.member(world.coalition, "first"), "300", title="Garden")
    second = builders.proposal(call, _m(world, world.member), "300", title="Choir")
    builders.advance_to(call, Phase.VOTING)
    actions.do_cast_call_ballot(world.hub, _m(world, world.hub), call, choice={"proposals": [first.pk, second.pk]})
    voter = builders.member(world.coalition, "voter")
    actions.do_cast_call_ballot(voter.user, voter, call, choice={"proposals": [first.pk]})
    # Garden (2 approvals) gets its 300; Choir (1) no longer fits and receives the 200 left
    actions.do_decide_call(world.hub, call)
    outcomes = _told("funding.proposal_outcome")
    assert outcomes["member"] == (
        "The call “Small grants” is decided.\n\n“Choir”: part-funded, 200.00 EUR of 300.00 requested."
    )
    assert outcomes["first"] == "The call “Small grants” is decided.\n\n“Garden”: funded, 300.00 EUR."
    assert Award.objects.get(proposal=second).amount == Decimal("200.00")


def _todos(world: Any, user: Any) -> list[str]:
    from coalition.core.permissions import permissions_for_roles
    from coalition.notifications import todos
    from coalition.notifications.todos import Seat

    seats = [
        Seat(
            m.coalition_id,
            m.coalition.name,
            m.pk,
            m.organisation_id,
            frozenset(map(str, permissions_for_roles(m.role_codes))),
        )
        for m in Membership.objects.filter(user=user, is_active=True).select_related("coalition")
    ]
    return [t.label for t in todos.collect(user, seats, timezone.localdate()) if t.kind.startswith("funding")]


def test_voters_are_asked_to_choose_until_they_have(world: Any) -> None:
    call = builders.call(world.coalition, phase=Phase.OPEN, title="Reading together")
    proposal = builders.proposal(call, builders.member(world.coalition, "lead"), "100")
    assert _todos(world, world.member) == []
    builders.advance_to(call, Phase.VOTING)
    assert _todos(world, world.member) == ["Choose among the proposals to “Reading together”"]
    assert _todos(world, world.observer) == [] and _todos(world, world.facilitator) == []
    actions.do_cast_call_ballot(world.member, _m(world, world.member), call, choice={"proposals": [proposal.pk]})
    assert _todos(world, world.member) == []


def test_a_reviewer_is_asked_to_review_what_awaits_them(world: Any) -> None:
    call = builders.call(
        world.coalition, with_review=True, review_on=timezone.localdate(), criteria="Reach.", phase=Phase.OPEN
    )
    builders.proposal(call, _m(world, world.member), "100", title="Own")
    other = builders.proposal(call, builders.member(world.coalition, "lead"), "100", title="Other")
    actions.do_assign_reviewer(world.hub, call, _m(world, world.member))
    assert _todos(world, world.member) == []  # not in review yet
    builders.advance_to(call, Phase.REVIEW)
    # the member's own organisation's proposal is not theirs to review: one waits
    assert _todos(world, world.member) == ["Review 1 proposal to “Small grants”"]
    actions.do_review(world.member, _m(world, world.member), other, score=4, reasons="Clear plan.")
    assert _todos(world, world.member) == []
