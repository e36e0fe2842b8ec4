"""Reads with rules: which proposals are live, who is recused from what, who votes, what counts, and the
progress of a call's awards rolled up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet, Sum

from coalition.coalitions.models import Membership
from coalition.decisions import queries as decision_queries
from coalition.funding import calc
from coalition.funding.models import (
    Award,
    Call,
    CallBallot,
    Conflict,
    Instalment,
    LineSpend,
    Milestone,
    ProgressReport,
    Proposal,
    ProposalStatus,
    Review,
)


def calls(coalition_id: int) -> QuerySet[Call]:
    return Call.objects.filter(coalition_id=coalition_id).select_related("fund", "priority")


def live_proposals(call: Call) -> QuerySet[Proposal]:
    return call.proposals.exclude(status=ProposalStatus.WITHDRAWN).order_by("pk")


def parties(proposals: list[Proposal]) -> dict[int, set[int]]:
    """The member organisations party to each proposal: its lead and its partners."""
    found: dict[int, set[int]] = {p.pk: {p.lead_id} for p in proposals}
    through = Proposal.partners.through.objects.filter(proposal_id__in=list(found))
    for proposal_id, stakeholder_id in through.values_list("proposal_id", "stakeholder_id"):
        found[proposal_id].add(stakeholder_id)
    return found


def recusals(call: Call, proposals: list[Proposal], memberships: list[Membership]) -> set[tuple[int, int]]:
    """(membership, proposal) pairs that are recused: a party's people, and anyone who declared a conflict."""
    by_proposal = parties(proposals)
    pairs = {(m.pk, pid) for m in memberships for pid, orgs in by_proposal.items() if m.organisation_id in orgs}
    declared = Conflict.objects.filter(proposal__call=call).values_list("membership_id", "proposal_id")
    return pairs | set(declared)


def recused_proposals(membership: Membership, call: Call) -> set[int]:
    proposals = list(live_proposals(call))
    return {pid for _m, pid in recusals(call, proposals, [membership])}


def is_recused(membership: Membership, proposal: Proposal) -> bool:
    if membership.organisation_id is not None and membership.organisation_id in parties([proposal])[proposal.pk]:
        return True
    return Conflict.objects.filter(proposal=proposal, membership=membership).exists()


def may_vote(call: Call, membership: Membership) -> bool:
    """Members who vote in the coalition's polls vote here too (the decisions engine's electorate rule)."""
    if membership.coalition_id != call.coalition_id or not membership.is_active:
        return False
    roles = decision_queries.voting_roles(call.coalition_id)
    return membership.roles.filter(role__in=roles).exists()


def counted_ballots(call: Call) -> QuerySet[CallBallot]:
    roles = decision_queries.voting_roles(call.coalition_id)
    voters = Membership.objects.filter(coalition_id=call.coalition_id, is_active=True, roles__role__in=roles)
    return call.ballots.filter(is_current=True, membership__in=voters.values("pk")).select_related("membership")


def support(call: Call, proposals: list[Proposal]) -> dict[int, Fraction]:
    ballots = list(counted_ballots(call))
    recused = recusals(call, proposals, [b.membership for b in ballots])
    return calc.tally(
        call.choice_style, [(b.membership_id, b.choice) for b in ballots], recused, [p.pk for p in proposals]
    )


def review_means(call: Call, proposals: list[Proposal]) -> dict[int, Fraction]:
    """Mean review score per reviewed proposal; reviews by someone recused from the proposal never count."""
    reviews = list(Review.objects.filter(proposal__in=proposals).select_related("reviewer"))
    recused = recusals(call, proposals, [r.reviewer for r in reviews])
    return calc.review_means([(r.reviewer_id, r.proposal_id, r.score) for r in reviews], recused)


@dataclass(frozen=True)
class Rollup:
    """A call's awards together: money awarded, scheduled, paid out and spent, milestones reached."""

    awarded: Decimal
    disbursed: Decimal
    spent: Decimal
    milestones_done: int
    milestones: int
    by_status: dict[str, int]

    @property
    def spent_share(self) -> int:
        return int(self.spent * 100 / self.awarded) if self.awarded else 0


def rollup(call: Call) -> Rollup:
    awards = Award.objects.filter(call=call)
    totals = awards.aggregate(awarded=Sum("amount"), spent=Sum("spent"))
    paid = Instalment.objects.filter(award__call=call, paid_entry__isnull=False).aggregate(total=Sum("amount"))
    milestones = Milestone.objects.filter(award__call=call)
    by_status: dict[str, int] = defaultdict(int)
    for status in awards.values_list("status", flat=True):
        by_status[status] += 1
    return Rollup(
        totals["awarded"] or Decimal(0),
        paid["total"] or Decimal(0),
        totals["spent"] or Decimal(0),
        milestones.filter(done_on__isnull=False).count(),
        milestones.count(),
        dict(by_status),
    )


@dataclass(frozen=True)
class LineSpending:
    """One budget line of an awarded proposal beside what the latest report by line says was spent on it."""

    label: str
    budget: Decimal
    spent: Decimal | None

    @property
    def left(self) -> Decimal | None:
        return None if self.spent is None else self.budget - self.spent

    @property
    def over(self) -> bool:
        return self.spent is not None and self.spent > self.budget


def line_spending(award: Award) -> tuple[list[LineSpending], ProgressReport | None]:
    """The proposal's budget lines with the spend of the latest report that gave it line by line (and that
    report; ``None`` and no spend when no report did)."""
    latest = (
        ProgressReport.objects.filter(award=award, line_spends__isnull=False).order_by("-reported_at", "-id").first()
    )
    spent = dict(LineSpend.objects.filter(report=latest).values_list("line_id", "spent")) if latest else {}
    rows = [LineSpending(line.label, line.amount, spent.get(line.pk)) for line in award.proposal.lines.all()]
    return rows, latest
