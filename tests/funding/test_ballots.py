"""A voter's within-budget set, changed proposal by proposal: whatever the sequence of changes, the stored set is
the one a simple model of the rule gives (a change that would break the budget or empty the set is refused) and
is among the sets a brute-force search finds within the budget."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.funding import actions
from coalition.funding.models import Call, CallBallot, Phase, Proposal
from tests.funding import builders

BUDGET = Decimal("700")
COSTS = ["300", "250", "400", "150", "100"]


def _call(world: Any) -> tuple[Call, list[Proposal], Any]:
    """The same call for every example (made on the first): five proposals, one voter who is party to none."""
    call = Call.objects.filter(coalition=world.coalition).first()
    if call is None:
        call = builders.call(world.coalition, budget=str(BUDGET), phase=Phase.OPEN)
        for i, cost in enumerate(COSTS):
            builders.proposal(call, builders.member(world.coalition, f"author{i}"), cost, title=f"P{i}")
        builders.advance_to(call, Phase.VOTING)
        builders.member(world.coalition, "voter")
    voter = call.coalition.memberships.get(user__username="voter")
    return call, list(call.proposals.order_by("pk")), voter


def _feasible(costs: list[Decimal]) -> set[frozenset[int]]:
    """Every non-empty set of proposal positions whose total fits the budget, by enumeration."""
    return {
        frozenset(chosen)
        for size in range(1, len(costs) + 1)
        for chosen in itertools.combinations(range(len(costs)), size)
        if sum((costs[i] for i in chosen), Decimal(0)) <= BUDGET
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(COSTS) - 1), st.booleans()), min_size=1, max_size=12))
@pytest.mark.django_db
def test_the_stored_set_follows_the_rule_and_always_fits(world: Any, changes: list[tuple[int, bool]]) -> None:
    call, proposals, voter = _call(world)
    CallBallot.objects.filter(call=call).delete()  # the ballots of the previous example
    costs = [Decimal(c) for c in COSTS]
    feasible = _feasible(costs)
    expected: frozenset[int] = frozenset()
    for position, chosen in changes:
        wanted = expected | {position} if chosen else expected - {position}
        accepted = wanted in feasible
        try:
            actions.do_toggle_choice(voter.user, voter, call, proposals[position], chosen=chosen)
        except ValidationError:
            assert not accepted
        else:
            assert accepted
            expected = wanted
    current = CallBallot.objects.filter(call=call, membership=voter, is_current=True).first()
    index = {p.pk: i for i, p in enumerate(proposals)}
    stored = frozenset(index[pk] for pk in current.choice["proposals"]) if current else frozenset()
    assert stored == expected
    for ballot in CallBallot.objects.filter(call=call, membership=voter):
        assert frozenset(index[pk] for pk in ballot.choice["proposals"]) in feasible
        assert ballot.total == sum((costs[index[pk]] for pk in ballot.choice["proposals"]), Decimal(0))
