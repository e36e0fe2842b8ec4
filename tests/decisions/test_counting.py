"""Counting rules against independent oracles: hand-computed fixtures, published worked examples and a
brute-force search over every order of breaking ties."""

from __future__ import annotations

import itertools
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition.decisions import counting as c

CANDIDATES = ("A", "B", "C", "D")


def rankings(candidates: Sequence[str] = CANDIDATES, *, full: bool = False) -> st.SearchStrategy[tuple[str, ...]]:
    """A ballot: a permutation of the candidates, cut short unless ``full``."""
    perms = st.permutations(list(candidates))
    if full:
        return perms.map(tuple)
    return st.tuples(perms, st.integers(0, len(candidates))).map(lambda pair: tuple(pair[0][: pair[1]]))


def brute_force_irv_winners(candidates: Sequence[str], ballots: Sequence[Sequence[str]]) -> set[str]:
    """Every winner instant runoff can give under SOME order of breaking ties for last place: a plain
    recursive search, recounting every ballot from scratch."""
    winners: set[str] = set()

    def explore(remaining: frozenset[str]) -> None:
        tops = [next((x for x in b if x in remaining), None) for b in ballots]
        votes = {x: sum(1 for t in tops if t == x) for x in remaining}
        live = sum(votes.values())
        majority = [x for x in remaining if 2 * votes[x] > live]
        if majority or len(remaining) == 1:
            winners.update(majority or remaining)
            return
        least = min(votes.values())
        for x in remaining:
            if votes[x] == least:
                explore(remaining - {x})

    explore(frozenset(candidates))
    return winners


# --- instant runoff ------------------------------------------------------------------------------------------


def test_irv_tennessee_capital_example() -> None:
    """The Wikipedia "Tennessee capital" example: Memphis leads first preferences but Knoxville wins the runoff
    (Chattanooga out, then Nashville; Knoxville 58 to Memphis 42)."""
    ballots = (
        [("M", "N", "C", "K")] * 42
        + [("N", "C", "K", "M")] * 26
        + [("C", "K", "N", "M")] * 15
        + [("K", "C", "N", "M")] * 17
    )
    result = c.count_instant_runoff(["M", "N", "C", "K"], ballots)
    assert result.winner == "K"
    assert [r.tallies for r in result.rounds] == [
        {"M": 42, "N": 26, "C": 15, "K": 17},
        {"M": 42, "N": 26, "K": 32},
        {"M": 42, "K": 58},
    ]
    assert [r.excluded for r in result.rounds] == [("C",), ("N",), ()]


def test_irv_counts_exhausted_ballots_in_every_round() -> None:
    # A 4, B 3, C 2: C is out, one of its ballots goes on to B, the other is exhausted. Round 2: A 4, B 4 tie
    # for last; B had fewer in round 1, so B is out and its ballots, naming no one else, are exhausted too.
    ballots = [("A",)] * 4 + [("B",)] * 3 + [("C", "B"), ("C",)]
    result = c.count_instant_runoff(["A", "B", "C"], ballots)
    assert [(r.tallies, r.exhausted) for r in result.rounds] == [
        ({"A": 4, "B": 3, "C": 2}, 0),
        ({"A": 4, "B": 4}, 1),
        ({"A": 4}, 5),
    ]
    assert result.winner == "A"


def test_irv_two_left_with_equal_votes_and_equal_history_are_a_tie() -> None:
    result = c.count_instant_runoff(["A", "B"], [("A",), ("B",)])
    assert result.winner is None
    assert result.tied == ("A", "B")


def test_irv_unbreakable_tie_for_last_that_changes_the_winner_gives_the_tied_set() -> None:
    # A 4, B 3, C 3. Excluding B sends 3 to C (C 6 wins); excluding C sends 3 to A (A 7 wins).
    ballots = [("A",)] * 4 + [("B", "C")] * 3 + [("C", "A")] * 3
    result = c.count_instant_runoff(["A", "B", "C"], ballots)
    assert result.winner is None
    assert set(result.tied) == {"A", "C"}
    assert result.rounds[-1].note == "tie"


def test_irv_zero_vote_candidates_are_excluded_together() -> None:
    ballots = [("A",)] * 2 + [("B",)]
    result = c.count_instant_runoff(["A", "B", "C", "D"], ballots)
    assert result.winner == "A"  # A has a majority of the continuing votes at once
    result = c.count_instant_runoff(["A", "B", "C", "D", "E"], [("A",), ("B", "A"), ("E",)] * 2)
    assert result.rounds[0].excluded == ("C", "D")


def test_irv_refuses_repeated_or_unknown_candidates() -> None:
    with pytest.raises(ValueError):
        c.count_instant_runoff(["A", "B"], [("A", "A")])
    with pytest.raises(ValueError):
        c.count_instant_runoff(["A", "B"], [("Z",)])


@settings(max_examples=300, deadline=None)
@given(st.lists(rankings(), max_size=14))
def test_irv_winner_is_one_brute_force_allows_and_a_tie_only_when_brute_force_finds_several(
    ballots: list[tuple[str, ...]],
) -> None:
    result = c.count_instant_runoff(CANDIDATES, ballots)
    possible = brute_force_irv_winners(CANDIDATES, ballots)
    if result.winner is not None:
        assert result.winner in possible
    else:
        assert len(result.tied) > 1
        assert set(result.tied) <= possible
    if len(possible) == 1:
        assert result.winner == next(iter(possible))


@settings(max_examples=200, deadline=None)
@given(st.lists(rankings(), max_size=14))
def test_irv_rounds_account_for_every_ballot(ballots: list[tuple[str, ...]]) -> None:
    result = c.count_instant_runoff(CANDIDATES, ballots)
    for earlier, later in itertools.pairwise(result.rounds):
        assert sum(later.tallies.values()) + later.exhausted == len(ballots)
        assert later.exhausted >= earlier.exhausted
        assert set(later.tallies) == set(earlier.tallies) - set(earlier.excluded)


@settings(max_examples=200, deadline=None)
@given(st.lists(rankings(full=True), min_size=1, max_size=14))
def test_irv_never_elects_a_condorcet_loser(ballots: list[tuple[str, ...]]) -> None:
    def beats(x: str, y: str) -> bool:
        return sum(1 for b in ballots if b.index(x) < b.index(y)) * 2 > len(ballots)

    result = c.count_instant_runoff(CANDIDATES, ballots)
    for loser in CANDIDATES:
        if all(beats(other, loser) for other in CANDIDATES if other != loser):
            assert result.winner != loser


def test_irv_counts_100000_ballots_of_12_candidates_within_a_second() -> None:
    rng = random.Random(16)
    candidates = [f"c{i}" for i in range(12)]
    ballots = [tuple(rng.sample(candidates, rng.randint(1, 12))) for _ in range(100_000)]
    start = time.perf_counter()
    result = c.count_instant_runoff(candidates, ballots)
    elapsed = time.perf_counter() - start
    assert result.winner is not None
    assert sum(result.rounds[0].tallies.values()) == 100_000
    assert elapsed < 1.0, f"{elapsed:.2f} s"


# --- single transferable vote ------------------------------------------------------------------------------


def test_stv_wikipedia_food_election() -> None:
    """The worked example of the English Wikipedia article "Single transferable vote" (the party food election,
    20 guests, 3 seats, Droop quota 6): Chocolate is elected at once, its surplus of 6 goes 4 to Strawberries and
    2 to Sweets, Pears is excluded and Oranges reaches the quota, Sweets is excluded and Strawberries wins the last
    seat. Elected: Chocolate, Oranges, Strawberries."""
    ballots = (
        [("Oranges", "Pears")] * 4
        + [("Pears", "Oranges")] * 2
        + [("Chocolate", "Strawberries")] * 8
        + [("Chocolate", "Sweets")] * 4
        + [("Strawberries",)]
        + [("Sweets",)]
    )
    candidates = ["Oranges", "Pears", "Chocolate", "Strawberries", "Sweets"]
    result = c.count_stv(candidates, ballots, seats=3)
    assert c.droop_quota(20, 3) == 6
    assert result.elected == ("Chocolate", "Oranges", "Strawberries")
    assert result.rounds[0].tallies == {"Oranges": 4, "Pears": 2, "Chocolate": 12, "Strawberries": 1, "Sweets": 1}
    assert result.rounds[1].tallies == {"Oranges": 4, "Pears": 2, "Strawberries": 5, "Sweets": 3}
    assert result.rounds[1].excluded == ("Pears",)
    assert result.rounds[2].tallies == {"Oranges": 6, "Strawberries": 5, "Sweets": 3}


def test_stv_transfers_fractions_exactly() -> None:
    # 7 ballots, 2 seats: quota 3. A has 5 -> surplus 2 passes on at 2/5 per ballot: B gets 3 x 2/5 = 6/5.
    ballots = [("A", "B")] * 3 + [("A", "C")] * 2 + [("D",)] * 2
    result = c.count_stv(["A", "B", "C", "D"], ballots, seats=2)
    assert result.rounds[1].tallies == {"B": Fraction(6, 5), "C": Fraction(4, 5), "D": 2}
    assert result.elected == ("A", "D")


def test_droop_quota_boundaries() -> None:
    assert [c.droop_quota(n, 1) for n in (0, 1, 2, 3, 4)] == [1, 1, 2, 2, 3]
    assert c.droop_quota(100, 3) == 26
    assert c.droop_quota(99, 3) == 25


@settings(max_examples=200, deadline=None)
@given(st.lists(rankings(), max_size=16), st.integers(1, 3))
def test_stv_conserves_every_vote_and_fills_the_seats(ballots: list[tuple[str, ...]], seats: int) -> None:
    result = c.count_stv(CANDIDATES, ballots, seats=seats)
    valid = sum(1 for b in ballots if b)
    quota = c.droop_quota(valid, seats)
    assert len(result.elected) == seats
    assert len(set(result.elected)) == seats
    elected_before = 0
    for round_ in result.rounds:  # the quota stays with each candidate elected in an earlier round
        held = sum(round_.tallies.values(), Fraction(0)) + round_.exhausted + quota * elected_before
        assert held == len(ballots)
        elected_before += len(round_.elected)
    first = Counter(b[0] for b in ballots if b)
    for candidate, votes in first.items():
        if votes >= quota:
            assert candidate in result.elected


@settings(max_examples=200, deadline=None)
@given(st.lists(rankings(full=True), min_size=1, max_size=14))
def test_stv_with_one_seat_agrees_with_instant_runoff_when_no_tie_matters(ballots: list[tuple[str, ...]]) -> None:
    possible = brute_force_irv_winners(CANDIDATES, ballots)
    if len(possible) == 1:
        assert c.count_stv(CANDIDATES, ballots, seats=1).elected == tuple(possible)


# --- yes-or-no rules, quorum ---------------------------------------------------------------------------------


def test_consent_one_objection_blocks() -> None:
    assert c.count_consent([c.CONSENT] * 9).passed
    assert not c.count_consent([c.CONSENT] * 9 + [c.OBJECT]).passed
    assert not c.count_consent([]).passed


def test_consensus_block_stops_and_stand_aside_does_not() -> None:
    assert c.count_consensus([c.AGREE, c.STAND_ASIDE, c.STAND_ASIDE]).passed
    assert not c.count_consensus([c.AGREE] * 5 + [c.BLOCK]).passed
    assert not c.count_consensus([c.STAND_ASIDE]).passed
    assert c.count_consensus([c.AGREE, c.STAND_ASIDE, c.BLOCK]).counts == {"agree": 1, "stand_aside": 1, "block": 1}


def test_majority_fixtures_at_the_boundary() -> None:
    two_thirds = Fraction(2, 3)
    votes = [c.YES] * 6 + [c.NO] * 3
    assert c.count_majority(votes, threshold=two_thirds, strict=False).passed  # 6 of 9 is two thirds
    assert not c.count_majority(votes[1:] + [c.NO], threshold=two_thirds, strict=False).passed  # 5 of 9
    assert not c.count_majority([c.YES, c.NO], threshold=Fraction(1, 2), strict=True).passed  # a tie fails
    assert c.count_majority([c.YES] * 2 + [c.NO] + [c.ABSTAIN] * 5, threshold=Fraction(1, 2), strict=True).passed
    # of the electorate: 6 yes of an electorate of 10 is not two thirds; 7 is
    assert not c.count_majority(votes, threshold=two_thirds, strict=False, electorate=10).passed
    assert c.count_majority([c.YES] * 7, threshold=two_thirds, strict=False, electorate=10).passed


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 20), st.integers(1, 6), st.integers(1, 6))
def test_majority_matches_integer_arithmetic(yes: int, no: int, abstain: int, num: int, den: int) -> None:
    threshold = Fraction(min(num, den), den)
    answers = [c.YES] * yes + [c.NO] * no + [c.ABSTAIN] * abstain
    cast = yes + no
    strict = c.count_majority(answers, threshold=threshold, strict=True).passed
    at_least = c.count_majority(answers, threshold=threshold, strict=False).passed
    assert strict == (cast > 0 and yes * den > min(num, den) * cast)
    assert at_least == (cast > 0 and yes * den >= min(num, den) * cast)
    electorate = cast + abstain + 3
    of_all = c.count_majority(answers, threshold=threshold, strict=False, electorate=electorate).passed
    assert of_all == (yes * den >= min(num, den) * electorate)


def test_quorum_fixtures() -> None:
    assert c.quorum_met(3, 9, Fraction(1, 3))
    assert not c.quorum_met(2, 9, Fraction(1, 3))
    assert c.quorum_met(0, 0, Fraction(0))
    assert not c.quorum_met(0, 0, Fraction(1, 2))
    assert not c.quorum_met(5, 10, Fraction(51, 100))


@given(st.integers(0, 200), st.integers(0, 200), st.integers(0, 100))
def test_quorum_matches_integer_arithmetic(turnout: int, electorate: int, percent: int) -> None:
    expected = percent == 0 or (electorate > 0 and turnout * 100 >= percent * electorate)
    assert c.quorum_met(turnout, electorate, Fraction(percent, 100)) == expected


# --- approval, points, score, time poll -------------------------------------------------------------------


@given(st.lists(st.sets(st.sampled_from(CANDIDATES), max_size=2)))
def test_approval_matches_a_loop_count(ballots: list[set[str]]) -> None:
    result = c.count_approval(CANDIDATES, ballots, max_choices=2)
    for candidate in CANDIDATES:
        assert result.totals[candidate] == len([b for b in ballots if candidate in b])
    top = max(result.totals.values())
    assert result.leaders == tuple(x for x in CANDIDATES if result.totals[x] == top)


def test_approval_refuses_too_many_choices_and_reports_ties() -> None:
    with pytest.raises(ValueError):
        c.count_approval(CANDIDATES, [{"A", "B", "C"}], max_choices=2)
    result = c.count_approval(CANDIDATES, [{"A", "B"}, {"B", "A"}, {"C"}], max_choices=2)
    assert result.leaders == ("A", "B") and result.winner is None


def test_points_fixture_and_budget() -> None:
    result = c.count_points(CANDIDATES, [{"A": 3, "B": 2}, {"B": 5}, {"C": 1, "D": 1}], budget=5)
    assert result.totals == {"A": 3, "B": 7, "C": 1, "D": 1}
    assert result.winner == "B"
    with pytest.raises(ValueError):
        c.count_points(CANDIDATES, [{"A": 6}], budget=5)
    with pytest.raises(ValueError):
        c.count_points(CANDIDATES, [{"A": -1, "B": 2}], budget=5)


@given(st.lists(st.dictionaries(st.sampled_from(CANDIDATES), st.integers(0, 5)), max_size=12))
def test_scores_match_the_statistics_module(ballots: list[dict[str, int]]) -> None:
    result = c.count_scores(CANDIDATES, ballots)
    for candidate in CANDIDATES:
        given_scores = [Fraction(b[candidate]) for b in ballots if candidate in b]
        assert result.means[candidate] == (statistics.mean(given_scores) if given_scores else 0)
        assert result.medians[candidate] == (statistics.median(given_scores) if given_scores else 0)
    assert result.leaders
    best = max(result.means.values())
    assert all(result.means[x] == best for x in result.leaders)


def test_scores_tie_on_mean_broken_by_median() -> None:
    # A: 0, 5, 5 (mean 10/3, median 5); B: 3, 3, 4 (mean 10/3, median 3)
    ballots = [{"A": 0, "B": 3}, {"A": 5, "B": 3}, {"A": 5, "B": 4}]
    result = c.count_scores(["A", "B"], ballots)
    assert result.means == {"A": Fraction(10, 3), "B": Fraction(10, 3)}
    assert result.winner == "A"
    with pytest.raises(ValueError):
        c.count_scores(["A"], [{"A": 6}])


def test_time_poll_prefers_more_yes_then_more_if_need_be_then_the_earliest() -> None:
    slots = ["mon", "tue", "wed"]
    ballots = [
        {"mon": c.AVAILABLE, "tue": c.AVAILABLE, "wed": c.IF_NEED_BE},
        {"mon": c.UNAVAILABLE, "tue": c.IF_NEED_BE, "wed": c.AVAILABLE},
        {"mon": c.AVAILABLE, "tue": c.AVAILABLE},
    ]
    result = c.count_time_poll(slots, ballots)
    assert result.available == {"mon": 2, "tue": 2, "wed": 1}
    assert result.best == "tue"  # same yes as Monday, one more "if need be"
    tied = c.count_time_poll(slots, [{"mon": c.AVAILABLE, "wed": c.AVAILABLE}])
    assert tied.leaders == ("mon", "wed") and tied.best == "mon"
