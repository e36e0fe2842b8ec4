"""The selection rule and the tally, against brute force and hand-worked cases."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.funding.calc import Candidate, as_of, balances, review_means, select, tally

D = Decimal


def test_a_hand_worked_selection_skips_what_no_longer_fits() -> None:
    # budget 100: A (60, 5 votes) fits; B (50, 4 votes) no longer fits and is skipped; C (40, 3) fits; D (10, 0)
    # has no support and is never funded.
    candidates = [
        Candidate(1, D(60), Fraction(5)),
        Candidate(2, D(50), Fraction(4)),
        Candidate(3, D(40), Fraction(3)),
        Candidate(4, D(10), Fraction(0)),
    ]
    assert select(candidates, D(100)) == [(1, D(60)), (3, D(40))]
    # with part-funding, B receives the 40 left, and C nothing
    assert select(candidates, D(100), part_funding=True) == [(1, D(60)), (2, D(40))]


def test_ties_go_to_the_better_review_then_the_smaller_request_then_the_earlier() -> None:
    candidates = [
        Candidate(1, D(50), Fraction(2), Fraction(3)),
        Candidate(2, D(50), Fraction(2), Fraction(4)),
        Candidate(3, D(40), Fraction(2), Fraction(3)),
    ]
    assert select(candidates, D(50)) == [(2, D(50))]
    assert select(candidates, D(90)) == [(2, D(50)), (3, D(40))]
    same = [Candidate(5, D(30), Fraction(1)), Candidate(4, D(30), Fraction(1))]
    assert select(same, D(30)) == [(4, D(30))]


candidate_lists = st.lists(
    st.tuples(st.integers(1, 9), st.integers(0, 4), st.integers(0, 3)), min_size=0, max_size=6
).map(
    lambda rows: [
        Candidate(i + 1, D(cost), Fraction(votes), Fraction(review)) for i, (cost, votes, review) in enumerate(rows)
    ]
)


small_lists = st.lists(st.tuples(st.integers(1, 6), st.integers(0, 3), st.integers(0, 2)), min_size=0, max_size=4).map(
    lambda rows: [
        Candidate(i + 1, D(cost), Fraction(votes), Fraction(review)) for i, (cost, votes, review) in enumerate(rows)
    ]
)


def _order_key(c: Candidate) -> tuple[Any, ...]:
    return (-c.support, -c.review, c.cost, c.id)


def brute_force(candidates: list[Candidate], budget: Decimal) -> list[tuple[int, Decimal]]:
    """Among every subset of supported proposals that fits the budget, the one preferred position by position in
    rank order (the first-ranked proposal if at all possible, then the second…)."""
    order = sorted((c for c in candidates if c.support > 0), key=_order_key)
    best: tuple[bool, ...] | None = None
    for mask in itertools.product([True, False], repeat=len(order)):
        fits = sum((c.cost for c, keep in zip(order, mask, strict=True) if keep), D(0)) <= budget
        if fits and (best is None or mask > best):
            best = mask
    return [(c.id, c.cost) for c, keep in zip(order, best or (), strict=False) if keep]


def brute_force_part(candidates: list[Candidate], budget: int) -> list[tuple[int, Decimal]]:
    """Every whole-unit allocation (each proposal from nothing to its full request) within the budget; the one
    that gives most to the first-ranked proposal, then to the second…, where only one may be partial."""
    order = sorted((c for c in candidates if c.support > 0), key=_order_key)
    best: tuple[int, ...] | None = None
    for amounts in itertools.product(*[range(int(c.cost) + 1) for c in order]):
        partial = sum(1 for c, a in zip(order, amounts, strict=True) if 0 < a < c.cost)
        if sum(amounts) <= budget and partial <= 1 and (best is None or amounts > best):
            best = amounts
    return [(c.id, D(a)) for c, a in zip(order, best or (), strict=False) if a]


@settings(max_examples=200, deadline=None)
@given(candidate_lists, st.integers(0, 25))
def test_selection_equals_a_brute_force_search_of_the_same_rule(candidates: list[Candidate], budget: int) -> None:
    assert select(candidates, D(budget)) == brute_force(candidates, D(budget))


@settings(max_examples=100, deadline=None)
@given(small_lists, st.integers(0, 15))
def test_part_funding_equals_a_brute_force_search(candidates: list[Candidate], budget: int) -> None:
    assert select(candidates, D(budget), part_funding=True) == brute_force_part(candidates, budget)


@given(candidate_lists, st.decimals(min_value=0, max_value=40, places=2), st.booleans())
def test_no_award_set_exceeds_the_budget(candidates: list[Candidate], budget: Decimal, part: bool) -> None:
    awards = select(candidates, budget, part_funding=part)
    assert sum((a for _id, a in awards), D(0)) <= budget
    costs = {c.id: c.cost for c in candidates}
    assert all(0 < a <= costs[i] for i, a in awards)
    assert len({i for i, _a in awards}) == len(awards)


ballots_strategy = st.lists(
    st.tuples(st.integers(1, 5), st.sets(st.integers(1, 4))), min_size=0, max_size=8, unique_by=lambda b: b[0]
)


@given(ballots_strategy, st.sets(st.tuples(st.integers(1, 5), st.integers(1, 4))))
def test_recused_approvals_never_count(ballots: list[tuple[int, set[int]]], recused: set[tuple[int, int]]) -> None:
    found = tally("within_budget", [(v, {"proposals": sorted(s)}) for v, s in ballots], recused, [1, 2, 3, 4])
    for proposal in (1, 2, 3, 4):
        expected = sum(1 for voter, chosen in ballots if proposal in chosen and (voter, proposal) not in recused)
        assert found[proposal] == expected


@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.dictionaries(st.integers(1, 3), st.integers(0, 5))),
        max_size=8,
        unique_by=lambda b: b[0],
    ),
    st.sets(st.tuples(st.integers(1, 5), st.integers(1, 3))),
)
def test_recused_scores_never_count(ballots: list[tuple[int, dict[int, int]]], recused: set[tuple[int, int]]) -> None:
    choices = [(v, {"scores": {str(p): s for p, s in scores.items()}}) for v, scores in ballots]
    found = tally("score", choices, recused, [1, 2, 3])
    for proposal in (1, 2, 3):
        counted = [s[proposal] for v, s in ballots if proposal in s and (v, proposal) not in recused]
        assert found[proposal] == (Fraction(sum(counted), len(counted)) if counted else 0)


@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(0, 5)), max_size=10, unique_by=lambda r: r[:2]
    ),
    st.sets(st.tuples(st.integers(1, 4), st.integers(1, 3))),
)
def test_recused_reviews_never_count(reviews: list[tuple[int, int, int]], recused: set[tuple[int, int]]) -> None:
    found = review_means(reviews, recused)
    for proposal in (1, 2, 3):
        counted = [s for r, p, s in reviews if p == proposal and (r, p) not in recused]
        if counted:
            assert found[proposal] == Fraction(sum(counted), len(counted))
        else:
            assert proposal not in found
    # a recused reviewer's score may be anything: the result is the same as without their review
    changed = [(r, p, 5 - s if (r, p) in recused else s) for r, p, s in reviews]
    assert review_means(changed, recused) == found


dated_entries = st.lists(
    st.tuples(
        st.sampled_from([1, 2]),  # fund
        st.sampled_from(["EUR", "USD"]),
        st.sampled_from(["received", "granted"]),
        st.integers(-10_000, 10_000),  # cents (a reversal is negative)
        st.integers(0, 9),  # day
    ),
    max_size=20,
)


def _rows(entries: list[tuple[int, str, str, int, int]]) -> list[dict[str, Any]]:
    """The GROUP BY of entries, by hand: sum and number per fund, currency and bucket."""
    found: dict[tuple[int, str, str], dict[str, Any]] = {}
    for fund, currency, bucket, cents, _day in entries:
        key = (fund, currency, bucket)
        row = found.setdefault(
            key,
            {
                "fund_id": fund,
                "restriction": "unrestricted",
                "priority_id": None,
                "currency": currency,
                "bucket": bucket,
                "total": 0,
                "entries": 0,
            },
        )
        row["total"] += cents
        row["entries"] += 1
    return list(found.values())


@given(dated_entries, st.integers(-1, 10))
def test_a_balance_at_a_date_equals_the_sum_of_the_entries_up_to_it(
    entries: list[tuple[int, str, str, int, int]], day: int
) -> None:
    upto = [e for e in entries if e[4] <= day]
    later = [e for e in entries if e[4] > day]
    assert as_of(_rows(entries), _rows(later)) == balances(_rows(upto))
