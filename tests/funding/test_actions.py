"""Calls, proposals, reviews, member choice, the decision and awards, with hand-worked expectations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coalition.coalitions.models import Membership
from coalition.core.models import AuditEvent
from coalition.funding import actions, ledger
from coalition.funding.models import (
    Award,
    CallBallot,
    ChoiceStyle,
    Joint,
    Phase,
    ProposalStatus,
    Reviewer,
)
from tests.funding import builders

D = Decimal


def _m(world: Any, user: Any) -> Membership:
    return Membership.objects.get(coalition=world.coalition, user=user)


def test_phases_follow_in_order_and_skip_review_when_there_is_none(world: Any) -> None:
    call = builders.call(world.coalition)
    assert call.phase == Phase.DRAFTING
    actions.do_advance_call(world.hub, call)
    call.refresh_from_db()
    assert call.phase == Phase.OPEN
    with pytest.raises(ValidationError):  # no proposal yet
        actions.do_advance_call(world.hub, call)
    builders.proposal(call, _m(world, world.member), "100")
    actions.do_advance_call(world.hub, call)
    call.refresh_from_db()
    assert call.phase == Phase.VOTING
    with pytest.raises(ValidationError):  # deciding is its own action
        actions.do_advance_call(world.hub, call)
    assert [c.phase for c in call.phase_changes.all()] == ["open", "voting"]


def test_call_rules_are_checked_on_proposals(world: Any) -> None:
    call = builders.call(
        world.coalition, phase=Phase.OPEN, max_per_proposal=D("300"), joint=Joint.REQUIRED, matching_percent=10
    )
    member = _m(world, world.member)
    with pytest.raises(ValidationError) as refused:
        builders.proposal(call, member, "100")
    assert "partners" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        builders.proposal(call, member, "400", partners=[world.other_org], own_contribution=D("40"))
    assert "lines" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        builders.proposal(call, member, "200", partners=[world.other_org], own_contribution=D("19.99"))
    assert "own_contribution" in refused.value.message_dict
    made = builders.proposal(call, member, "200", partners=[world.other_org], own_contribution=D("20"))
    assert made.requested == D("200") and made.lead == world.member_org
    assert list(made.partners.all()) == [world.other_org]


def test_reviewers_are_recused_from_their_own_organisations_proposals(world: Any) -> None:
    call = builders.call(
        world.coalition,
        phase=Phase.OPEN,
        with_review=True,
        criteria="Fit with priorities",
        review_on=timezone.localdate() + dt.timedelta(days=7),
    )
    member = _m(world, world.member)
    other = builders.member(world.coalition, "bea")
    own = builders.proposal(call, member, "100")
    theirs = builders.proposal(call, other, "100")
    actions.do_assign_reviewer(world.hub, call, member)
    builders.advance_to(call, Phase.REVIEW)
    with pytest.raises(ValidationError):
        actions.do_review(world.member, member, own, score=5, reasons="Great")
    actions.do_review(world.member, member, theirs, score=3, reasons="Sound plan")
    outsider_reviewer = _m(world, world.facilitator)
    with pytest.raises(ValidationError):  # not assigned
        actions.do_review(world.facilitator, outsider_reviewer, theirs, score=1, reasons="No")
    assert Reviewer.objects.filter(call=call).count() == 1


def _voting_call(world: Any, **fields: Any) -> tuple[Any, list[Any], list[Membership]]:
    call = builders.call(world.coalition, phase=Phase.OPEN, **fields)
    people = [builders.member(world.coalition, name) for name in ("ana", "ben", "cai")]
    proposals = [
        builders.proposal(call, people[0], "600", title="A"),
        builders.proposal(call, people[1], "500", title="B"),
        builders.proposal(call, people[2], "400", title="C"),
    ]
    builders.advance_to(call, Phase.VOTING)
    return call, proposals, people


def test_parties_cannot_choose_their_own_proposal_and_sets_must_fit(world: Any) -> None:
    call, (a, b, c), (ana, ben, cai) = _voting_call(world)
    with pytest.raises(ValidationError):
        actions.do_cast_call_ballot(ana.user, ana, call, choice={"proposals": [a.pk]})
    with pytest.raises(ValidationError):  # 500 + 600 > 1000
        actions.do_cast_call_ballot(cai.user, cai, call, choice={"proposals": [a.pk, b.pk]})
    actions.do_cast_call_ballot(cai.user, cai, call, choice={"proposals": [a.pk]})
    actions.do_cast_call_ballot(cai.user, cai, call, choice={"proposals": [b.pk]})
    assert CallBallot.objects.filter(call=call, membership=cai).count() == 2
    assert CallBallot.objects.get(call=call, membership=cai, is_current=True).choice == {"proposals": [b.pk]}
    observer = _m(world, world.observer)
    with pytest.raises(ValidationError):
        actions.do_cast_call_ballot(world.observer, observer, call, choice={"proposals": [a.pk]})


def test_the_decision_follows_the_rule_and_grants_in_the_ledger(world: Any) -> None:
    call, (a, b, c), (ana, ben, cai) = _voting_call(world)
    member = _m(world, world.member)
    actions.do_cast_call_ballot(ana.user, ana, call, choice={"proposals": [b.pk, c.pk]})
    actions.do_cast_call_ballot(ben.user, ben, call, choice={"proposals": [a.pk, c.pk]})
    actions.do_cast_call_ballot(cai.user, cai, call, choice={"proposals": [a.pk]})
    actions.do_cast_call_ballot(world.member, member, call, choice={"proposals": [a.pk, c.pk]})
    # support: A 3, C 3 (tie: C asks less, so C first), B 1. Budget 1000: C 400, A 600 → 1000; B skipped.
    decided = actions.do_decide_call(world.hub, call)
    assert decided.phase == Phase.DECIDED and decided.departure_reason == ""
    assert dict(Award.objects.values_list("proposal__title", "amount")) == {"A": D("600"), "C": D("400")}
    b.refresh_from_db()
    assert b.status == ProposalStatus.NOT_FUNDED
    assert [r["support"] for r in decided.result["rows"]] == ["3", "3", "1"]
    [balance] = ledger.balances(world.coalition.pk)
    assert balance.granted == D("1000.00")


def test_a_departure_needs_a_reason_everyone_sees_and_awards_stay_within_budget(world: Any) -> None:
    call, (a, b, c), (ana, ben, cai) = _voting_call(world)
    actions.do_cast_call_ballot(cai.user, cai, call, choice={"proposals": [a.pk]})
    with pytest.raises(ValidationError) as refused:
        actions.do_decide_call(world.hub, call, awards=[(b, D("500"))])
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.do_decide_call(world.hub, call, awards=[(b, D("500")), (c, D("400")), (a, D("101"))], reason="x")
    decided = actions.do_decide_call(world.hub, call, awards=[(b, D("500"))], reason="A's lead has left the coalition")
    assert decided.departure_reason == "A's lead has left the coalition"
    assert AuditEvent.objects.filter(verb="call.decided").get().after["departure_reason"]


def test_disbursing_an_instalment_reduces_the_money_held(world: Any) -> None:
    call, (a, b, c), (ana, ben, cai) = _voting_call(world, choice_style=ChoiceStyle.APPROVAL, max_approvals=1)
    builders.receive(call.fund, "2000.00")
    actions.do_cast_call_ballot(cai.user, cai, call, choice={"proposals": [a.pk]})
    actions.do_decide_call(world.hub, call)
    award = Award.objects.get()
    first = actions.do_schedule_instalment(world.hub, award, due_on=timezone.localdate(), amount=D("400"))
    with pytest.raises(ValidationError):
        actions.do_schedule_instalment(world.hub, award, due_on=timezone.localdate(), amount=D("201"))
    actions.do_disburse(world.hub, first)
    with pytest.raises(ValidationError):
        actions.do_disburse(world.hub, first)
    [balance] = ledger.balances(world.coalition.pk)
    assert (balance.held, balance.uncommitted) == (D("1600.00"), D("1400.00"))
    milestone = actions.do_add_milestone(world.hub, award, title="Kick-off", due_on=timezone.localdate())
    actions.do_report_progress(world.hub, award, status="implementing", spent=D("150"), done=[milestone])
    from coalition.funding.queries import rollup

    found = rollup(call)
    assert (found.awarded, found.disbursed, found.spent, found.milestones_done, found.milestones) == (
        D("600"),
        D("400"),
        D("150"),
        1,
        1,
    )


def _awarded(world: Any) -> Award:
    """An award of 500 for a proposal with two budget lines: books 300, facilitator 200."""
    call = builders.call(world.coalition, phase=Phase.OPEN)
    proposal = actions.do_submit_proposal(
        world.member,
        _m(world, world.member),
        call,
        title="Reading club",
        summary="Weekly sessions.",
        lines=[("Books", D("300")), ("Facilitator", D("200"))],
    )
    builders.advance_to(call, Phase.VOTING)
    actions.do_cast_call_ballot(world.hub, _m(world, world.hub), call, choice={"proposals": [proposal.pk]})
    actions.do_decide_call(world.hub, call)
    return Award.objects.get(proposal=proposal)


def test_spend_is_reported_in_total_or_against_each_budget_line(world: Any) -> None:
    from coalition.funding.queries import line_spending

    award = _awarded(world)
    books, facilitator = award.proposal.lines.all()
    rows, latest = line_spending(award)
    assert [(r.label, r.budget, r.spent) for r in rows] == [("Books", D("300"), None), ("Facilitator", D("200"), None)]
    assert latest is None
    actions.do_report_progress(world.member, award, status="implementing", spent=D("90"))
    assert line_spending(award)[1] is None  # a total only: no line figures
    report = actions.do_report_progress(
        world.member, award, status="implementing", by_line={books.pk: D("320.50"), facilitator.pk: None}
    )
    award.refresh_from_db()
    assert award.spent == D("320.50") == report.spent
    rows, latest = line_spending(award)
    assert latest == report
    assert [(r.spent, r.left, r.over) for r in rows] == [(D("320.50"), D("-20.50"), True), (None, None, False)]
    # a later total-only report leaves the latest line figures shown
    actions.do_report_progress(world.member, award, status="implementing", spent=D("400"))
    assert line_spending(award)[1] == report


@pytest.mark.parametrize(
    ("spent", "by_line", "field"),
    [
        (None, None, "spent"),  # neither a total nor lines
        (D("10"), {"books": D("5")}, "spent"),  # the total contradicts the lines
        (None, {"books": D("-1")}, "by_line"),
        (None, {"books": D("1.005")}, "by_line"),
        (None, {"other": D("5")}, "by_line"),  # a line of another proposal
    ],
)
def test_bad_spend_is_refused_on_its_field(world: Any, spent: Any, by_line: Any, field: str) -> None:
    award = _awarded(world)
    books = award.proposal.lines.get(label="Books")
    keys = {"books": books.pk, "other": 10_000 + books.pk}
    lines = {keys[k]: v for k, v in by_line.items()} if by_line else None
    with pytest.raises(ValidationError) as refused:
        actions.do_report_progress(world.member, award, status="implementing", spent=spent, by_line=lines)
    assert field in refused.value.message_dict
    award.refresh_from_db()
    assert award.spent == D(0) and not award.reports.exists()
