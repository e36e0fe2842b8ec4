"""Priorities and dot voting: the budget rule, counting, who votes, and the kept result."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from coalition.coalitions import actions as coalition_actions
from coalition.core.models import AuditEvent
from coalition.planning import actions, calc
from coalition.planning.models import Ballot, BallotDot, DotVote, Priority
from tests import factories as base
from tests.planning.factories import access_for, hub_access, make_indicator, make_priority, make_vote


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"planning:{name}", args=[world.coalition.pk, *args])


# --- Pure rules ---------------------------------------------------------------------------------------


@given(
    allocation=st.dictionaries(st.integers(1, 6), st.integers(-2, 8), max_size=6),
    budget=st.integers(1, 10),
)
def test_an_allocation_is_valid_exactly_when_it_fits_the_budget_and_the_ballot(
    allocation: dict[int, int], budget: int
) -> None:
    ballot_ids = {1, 2, 3, 4}
    error = calc.allocation_error(allocation, budget, ballot_ids)
    fits = (
        all(v >= 0 for v in allocation.values())
        and all(k in ballot_ids for k, v in allocation.items() if v)
        and sum(allocation.values()) <= budget
    )
    assert (error is None) == fits


@given(st.lists(st.dictionaries(st.integers(1, 5), st.integers(0, 4), max_size=5), max_size=12))
def test_tally_counts_every_dot_and_ranks_by_dots(ballots: list[dict[int, int]]) -> None:
    ranked = calc.tally(ballots, [1, 2, 3, 4, 5])
    assert sum(r.dots for r in ranked) == sum(sum(b.values()) for b in ballots)
    assert [r.dots for r in ranked] == sorted((r.dots for r in ranked), reverse=True)
    assert ranked[0].rank == 1
    for before, after in zip(ranked, ranked[1:], strict=False):
        assert after.rank == (before.rank if after.dots == before.dots else ranked.index(after) + 1)
    for r in ranked:
        assert r.voters == sum(1 for b in ballots if b.get(r.priority_id, 0) > 0)


def test_ties_share_a_rank() -> None:
    ranked = calc.tally([{1: 2, 2: 2}, {3: 1}], [1, 2, 3, 4])
    assert [(r.priority_id, r.rank) for r in ranked] == [(1, 1), (2, 1), (3, 3), (4, 4)]


# --- The budget is never exceeded, whatever sequence of votes ------------------------------------------


class DotBudgetProperty(HypothesisTestCase):
    """Any sequence of ballots (valid or not) leaves every stored ballot within the budget, and a refused
    ballot changes nothing."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.tuples(st.integers(0, 2), st.lists(st.integers(-1, 4), min_size=3, max_size=3)), min_size=1, max_size=8
        )
    )
    def test_dot_budget_is_never_exceeded(self, steps: list[tuple[int, list[int]]]) -> None:
        coalition = base.make_coalition()
        voters = [access_for(base.add_member(coalition).user, coalition) for _ in range(3)]
        vote = make_vote(coalition, budget=4, priorities=3)
        ids = sorted(vote.priorities.values_list("pk", flat=True))
        for who, counts in steps:
            allocation = dict(zip(ids, counts, strict=True))
            before = sorted(BallotDot.objects.filter(ballot__vote=vote).values_list("ballot_id", "priority_id", "dots"))
            try:
                actions.do_place_dots(voters[who], vote, allocation)
            except ValidationError:
                after = sorted(
                    BallotDot.objects.filter(ballot__vote=vote).values_list("ballot_id", "priority_id", "dots")
                )
                assert after == before
                assert sum(counts) > 4 or min(counts) < 0
            else:
                assert sum(counts) <= 4 and min(counts) >= 0
            for ballot in Ballot.objects.filter(vote=vote):
                stored = sum(ballot.dots.values_list("dots", flat=True))
                assert stored == ballot.dots_spent <= vote.budget


def test_the_database_refuses_a_ballot_beyond_its_budget(world: Any) -> None:
    vote = make_vote(world.coalition, budget=3)
    membership = world.coalition.memberships.get(user=world.member)
    ballot = Ballot.objects.create(vote=vote, voter=membership, budget=3)
    ballot.dots_spent = 4
    with pytest.raises(IntegrityError), transaction.atomic():
        ballot.save()


def test_several_dots_on_one_priority_and_changing_your_mind(world: Any) -> None:
    vote = make_vote(world.coalition, budget=3)
    first, second, _third = vote.priorities.order_by("pk")
    member = access_for(world.member, world.coalition)
    actions.do_place_dots(member, vote, {first.pk: 3})
    actions.do_place_dots(member, vote, {first.pk: 1, second.pk: 2})
    ballot = Ballot.objects.get(vote=vote)
    assert dict(ballot.dots.values_list("priority_id", "dots")) == {first.pk: 1, second.pk: 2}
    assert ballot.dots_spent == 3


def test_dots_on_a_priority_not_on_the_ballot_are_refused(world: Any) -> None:
    vote = make_vote(world.coalition)
    outside = make_priority(world.coalition, "Not on the ballot")
    with pytest.raises(ValidationError):
        actions.do_place_dots(access_for(world.member, world.coalition), vote, {outside.pk: 1})


@pytest.mark.parametrize("persona", ["facilitator", "observer"])
def test_facilitators_and_observers_cannot_vote(world: Any, persona: str) -> None:
    vote = make_vote(world.coalition)
    with pytest.raises(PermissionDenied):
        actions.do_place_dots(access_for(getattr(world, persona), world.coalition), vote, {})
    assert not Ballot.objects.exists()


def test_a_codesign_only_vote_admits_only_the_group(world: Any) -> None:
    vote = make_vote(world.coalition, codesign_group_only=True)
    pk = vote.priorities.first().pk
    member = access_for(world.member, world.coalition)
    with pytest.raises(PermissionDenied):
        actions.do_place_dots(member, vote, {pk: 1})
    coalition_actions.do_save_working_group(
        world.hub, world.coalition, name="Co-design", is_codesign_group=True, members=[member.membership]
    )
    actions.do_place_dots(member, vote, {pk: 1})


def test_closing_keeps_the_ranking_and_refuses_later_dots(world: Any) -> None:
    vote = make_vote(world.coalition, budget=3)
    a, b, c = vote.priorities.order_by("pk")
    actions.do_place_dots(access_for(world.member, world.coalition), vote, {b.pk: 2, a.pk: 1})
    actions.do_place_dots(hub_access(world.coalition), vote, {b.pk: 1, c.pk: 2})
    closed = actions.do_close_dot_vote(hub_access(world.coalition), vote)
    assert [(row["title"], row["dots"], row["rank"]) for row in closed.result["ranking"]] == [
        (b.title, 3, 1),
        (c.title, 2, 2),
        (a.title, 1, 3),
    ]
    assert closed.result["ballots"] == 2
    with pytest.raises(ValidationError):
        actions.do_place_dots(access_for(world.member, world.coalition), closed, {a.pk: 1})
    assert AuditEvent.objects.filter(verb="dot_vote.closed").exists()


def test_only_one_vote_open_at_a_time_and_members_cannot_open_one(world: Any) -> None:
    priorities = [make_priority(world.coalition) for _ in range(2)]
    actions.do_open_dot_vote(hub_access(world.coalition), title="Round 1", budget=2, priorities=priorities)
    with pytest.raises(ValidationError):
        actions.do_open_dot_vote(hub_access(world.coalition), title="Round 2", budget=2, priorities=priorities)
    with pytest.raises(PermissionDenied):
        actions.do_close_dot_vote(access_for(world.member, world.coalition), DotVote.objects.get())


def test_chosen_priority_links_shared_indicators_and_setting_aside_unlinks(world: Any) -> None:
    priority = make_priority(world.coalition, "More reading clubs")
    indicator = make_indicator(world.coalition)
    hub = hub_access(world.coalition)
    actions.do_decide_priority(hub, priority, status="chosen", indicators=[indicator])
    assert list(priority.indicators.all()) == [indicator]
    actions.do_decide_priority(hub, priority, status="set_aside", indicators=[indicator])
    assert not priority.indicators.exists()
    foreign = make_indicator(world.other, "Elsewhere")
    with pytest.raises(PermissionDenied):
        actions.do_decide_priority(hub, priority, status="chosen", indicators=[foreign])


# --- Pages -----------------------------------------------------------------------------------------


def test_member_proposes_and_votes_through_the_pages_and_sees_the_result(world: Any) -> None:
    member = world.client_for(world.member)
    member.post(_url(world, "priority_propose"), {"title": "Late buses home"})
    assert Priority.objects.get(title="Late buses home").proposed_by.user == world.member
    make_priority(world.coalition, "Homework club")
    hub = world.client_for(world.hub)
    ids = [Priority.objects.get(title=t).pk for t in ("Late buses home", "Homework club")]
    response = hub.post(_url(world, "vote_open"), {"title": "Round 1", "budget": 3, "priorities": ids})
    vote = DotVote.objects.get()
    assert response.status_code == 302
    page = member.get(_url(world, "priorities")).content.decode()
    assert "Place your dots" in page and "3 dots left" in page
    too_many = member.post(_url(world, "vote", vote.pk), {f"p{ids[0]}": 3, f"p{ids[1]}": 1})
    assert too_many.status_code == 200 and "only 3" in too_many.content.decode()
    assert not Ballot.objects.exists()
    member.post(_url(world, "vote", vote.pk), {f"p{ids[0]}": 2, f"p{ids[1]}": 1})
    assert Ballot.objects.get().dots_spent == 3
    hub.post(_url(world, "vote_close", vote.pk))
    result = member.get(_url(world, "vote", vote.pk)).content.decode()
    assert "Vote record" in result and "Late buses home × 2" in result
    decide = _url(world, "priority_decide", ids[0])
    assert decide not in result  # members see the result; those who run votes record the decision from it
    assert decide in hub.get(_url(world, "vote", vote.pk)).content.decode()


def test_facilitator_sees_why_they_do_not_vote(world: Any) -> None:
    make_vote(world.coalition)
    page = world.client_for(world.facilitator).get(_url(world, "priorities")).content.decode()
    assert "Facilitators stay neutral" in page and "Place your dots" not in page


def test_duplicate_priority_title_shows_an_error(world: Any) -> None:
    make_priority(world.coalition, "Safe routes")
    response = world.client_for(world.member).post(_url(world, "priority_propose"), {"title": "safe routes"})
    assert response.status_code == 200 and b"errorlist" in response.content


@pytest.mark.parametrize(
    ("persona", "expected"), [(None, 302), ("outsider", 404), ("observer", 403), ("facilitator", 403), ("member", 302)]
)
def test_who_may_place_dots(world: Any, persona: str | None, expected: int) -> None:
    vote = make_vote(world.coalition)
    pk = vote.priorities.first().pk
    user = getattr(world, persona) if persona else None
    response = world.client_for(user).post(_url(world, "vote", vote.pk), {f"p{pk}": 1})
    assert response.status_code == expected
    assert Ballot.objects.exists() == (persona == "member")


@pytest.mark.parametrize(
    ("persona", "expected"), [("member", 403), ("observer", 403), ("facilitator", 302), ("hub", 302)]
)
def test_who_may_close_a_vote(world: Any, persona: str, expected: int) -> None:
    vote = make_vote(world.coalition)
    assert world.client_for(getattr(world, persona)).post(_url(world, "vote_close", vote.pk)).status_code == expected
    vote.refresh_from_db()
    assert (vote.status == "closed") == (expected == 302)
