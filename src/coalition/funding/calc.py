"""Pure calculations of the fund: balances from bucket totals, the order proposals are ranked in, and the
selection rule that turns a ranking into awards. No database, no floats.

Selection rule (documented on every decided call): proposals are taken in order of member support (approvals,
mean score or the number of within-budget sets that include them), ties broken by the mean review score, then by
the smaller request, then by the earlier submission. Each is funded in full if it still fits in what is left of
the budget, and skipped if it no longer fits; with part-funding, the first that no longer fits receives what is
left instead, which exhausts the budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

ZERO = Decimal(0)


@dataclass(frozen=True)
class Balance:
    """The totals of one (fund, restriction, priority, currency) group, one per bucket."""

    fund_id: int
    restriction: str
    priority_id: int | None
    currency: str
    pledged: Decimal = ZERO
    received: Decimal = ZERO
    in_kind: Decimal = ZERO
    granted: Decimal = ZERO
    disbursed: Decimal = ZERO
    converted: Decimal = ZERO

    @property
    def held(self) -> Decimal:
        """Money in hand: received, plus or minus conversions, less what was paid out."""
        return self.received + self.converted - self.disbursed

    @property
    def uncommitted(self) -> Decimal:
        """Money in hand not yet granted: received, plus or minus conversions, less what was granted."""
        return self.received + self.converted - self.granted


def from_cents(total: int | None) -> Decimal:
    return Decimal(int(total or 0)).scaleb(-2)


BUCKET_NAMES = ("pledged", "received", "in_kind", "granted", "disbursed", "converted")
GroupKey = tuple[int, str, int | None, str]


def balances(rows: Iterable[Mapping[str, Any]]) -> list[Balance]:
    """Pivot rows of ``fund_id, restriction, priority_id, currency, bucket, total`` (total in cents; one per group and bucket)
    into one ``Balance`` per group, ordered by fund, restriction, priority and currency."""
    groups: dict[GroupKey, dict[str, Decimal]] = {}
    for row in rows:
        key: GroupKey = (
            int(row["fund_id"]),
            str(row["restriction"]),
            row["priority_id"],
            str(row["currency"]),
        )
        totals = groups.setdefault(key, {})
        bucket = str(row["bucket"])
        totals[bucket] = totals.get(bucket, ZERO) + from_cents(row["total"])
    return [
        Balance(fund, restriction, priority, currency, **totals)
        for (fund, restriction, priority, currency), totals in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0, kv[0][3])
        )
    ]


def _row_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["fund_id"], row["restriction"], row["priority_id"], row["currency"], row["bucket"])


def as_of(totals: Iterable[Mapping[str, Any]], later: Iterable[Mapping[str, Any]]) -> list[Balance]:
    """Balances at a date from the running totals and the entries dated after it (rows as for ``balances``, each
    with its number of ``entries``): every total less its later entries; a bucket none of whose entries is dated
    by then is left out, so a group appears once it has an entry."""
    kept = {_row_key(row): dict(row) for row in totals}
    for row in later:
        found = kept[_row_key(row)]
        found["total"] = int(found["total"] or 0) - int(row["total"] or 0)
        found["entries"] -= row["entries"]
    return balances(row for row in kept.values() if row["entries"] > 0)


@dataclass(frozen=True)
class Candidate:
    """A proposal as the selection rule sees it."""

    id: int
    cost: Decimal
    support: Fraction
    review: Fraction = Fraction(0)


def ranked(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Most support first; then the higher mean review score, the smaller request, the earlier id."""
    return sorted(candidates, key=lambda c: (-c.support, -c.review, c.cost, c.id))


def select(
    candidates: Iterable[Candidate], budget: Decimal, *, part_funding: bool = False
) -> list[tuple[int, Decimal]]:
    """The awards the rule gives, as (proposal id, amount) in ranked order; their total never exceeds ``budget``.
    Proposals without any support are never funded."""
    left = budget
    awards: list[tuple[int, Decimal]] = []
    for candidate in ranked(candidates):
        if candidate.support <= 0 or left <= 0:
            continue
        if candidate.cost <= left:
            awards.append((candidate.id, candidate.cost))
            left -= candidate.cost
        elif part_funding:
            awards.append((candidate.id, left))
            left = ZERO
    return awards


def fits(costs: Sequence[Decimal], budget: Decimal) -> bool:
    return sum(costs, ZERO) <= budget


# --- member support ------------------------------------------------------------------------------------------

APPROVAL_STYLES = frozenset({"approval", "within_budget"})


def tally(
    style: str,
    ballots: Iterable[tuple[int, Mapping[str, Any]]],
    recused: set[tuple[int, int]],
    candidates: Sequence[int],
) -> dict[int, Fraction]:
    """Support per proposal from (voter, choice) ballots, with what a voter gave a proposal they are recused from
    set aside: approvals (approval and within-budget styles, counted by the decisions engine's approval count) or
    the mean score (0 to 5, over the voters who scored it)."""
    from coalition.decisions import counting

    kept: list[tuple[int, Mapping[str, Any]]] = list(ballots)
    if style in APPROVAL_STYLES:
        sets = [[p for p in choice.get("proposals", []) if (voter, p) not in recused] for voter, choice in kept]
        result = counting.count_approval(list(candidates), sets, max_choices=max(len(candidates), 1))
        return {c: Fraction(result.totals[c]) for c in candidates}
    scored = [
        {int(p): int(s) for p, s in choice.get("scores", {}).items() if (voter, int(p)) not in recused}
        for voter, choice in kept
    ]
    means = counting.count_scores(list(candidates), scored).means
    return {c: Fraction(means[c]) for c in candidates}


def mean(values: Sequence[int]) -> Fraction:
    return Fraction(sum(values), len(values)) if values else Fraction(0)


def review_means(reviews: Iterable[tuple[int, int, int]], recused: set[tuple[int, int]]) -> dict[int, Fraction]:
    """Mean score per reviewed proposal from (reviewer, proposal, score) reviews; a review by someone recused from
    the proposal never counts, and a proposal with no review that counts has no mean."""
    scores: dict[int, list[int]] = {}
    for reviewer, proposal, score in reviews:
        if (reviewer, proposal) not in recused:
            scores.setdefault(proposal, []).append(score)
    return {proposal: mean(values) for proposal, values in scores.items()}
