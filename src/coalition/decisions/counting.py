"""Vote counting as pure functions over plain data: no database, no Django, no floats.

Every function states its tie-break rule in its docstring. Shares and thresholds are ``Fraction``s so that
boundaries are exact (two thirds of 9 is 6, never 5.999…). Candidates are any hashable ids; where an order is
needed to break a tie, it is the order of the ``candidates`` sequence the caller gives.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Generic, TypeVar

C = TypeVar("C", bound=Hashable)
# A count of ballots: whole for instant runoff, exact fractions once STV passes surpluses on.
Votes = int | Fraction

# Answers to a consent proposal and to a consensus check.
CONSENT, OBJECT = "consent", "object"
AGREE, STAND_ASIDE, BLOCK = "agree", "stand_aside", "block"
# Answers to a motion put to a majority vote.
YES, NO, ABSTAIN = "yes", "no", "abstain"
# Answers to a time poll: a slot suits, suits if need be, or does not.
AVAILABLE, IF_NEED_BE, UNAVAILABLE = "yes", "maybe", "no"

SCORE_MIN, SCORE_MAX = 0, 5


def quorum_met(turnout: int, electorate: int, share: Fraction) -> bool:
    """Whether ``turnout`` voters out of ``electorate`` reach ``share`` of it (at least, exactly: 1/3 of 9 is 3).

    An empty electorate never reaches a positive quorum; a zero share is always met.
    """
    if share <= 0:
        return True
    if electorate <= 0:
        return False
    return Fraction(turnout, electorate) >= share


@dataclass(frozen=True)
class Verdict:
    """The result of a yes-or-no rule: whether it passed and the count of each answer."""

    passed: bool
    counts: dict[str, int]


def count_consent(answers: Iterable[str]) -> Verdict:
    """Consent: the proposal passes unless someone objects; one objection blocks it.

    No tie is possible. A proposal nobody answered passes only if nobody objected *and* someone consented:
    silence is not consent here (the poll's quorum decides whether turnout was enough).
    """
    counts = Counter(answers)
    passed = counts[OBJECT] == 0 and counts[CONSENT] > 0
    return Verdict(passed, {CONSENT: counts[CONSENT], OBJECT: counts[OBJECT]})


def count_consensus(answers: Iterable[str]) -> Verdict:
    """Consensus check: agree, stand aside or block. One block stops it; otherwise it needs at least one agree.

    Stand-asides are recorded, never counted against the proposal. No tie is possible.
    """
    counts = Counter(answers)
    passed = counts[BLOCK] == 0 and counts[AGREE] > 0
    return Verdict(passed, {AGREE: counts[AGREE], STAND_ASIDE: counts[STAND_ASIDE], BLOCK: counts[BLOCK]})


def count_majority(
    answers: Iterable[str], *, threshold: Fraction, strict: bool, electorate: int | None = None
) -> Verdict:
    """Majority: yes must exceed (``strict``) or reach ``threshold`` of the base.

    The base is the votes cast for or against (abstentions count for turnout, not here) or, when
    ``electorate`` is given, the whole electorate. A simple majority is ``threshold=1/2, strict=True``: a tie
    (yes = no) fails and the status quo stands. A qualified majority is, e.g., ``threshold=2/3,
    strict=False``: 6 yes of 9 passes, 5 does not.
    """
    counts = Counter(answers)
    base = electorate if electorate is not None else counts[YES] + counts[NO]
    share = Fraction(counts[YES], base) if base else Fraction(0)
    passed = base > 0 and (share > threshold if strict else share >= threshold)
    return Verdict(passed, {YES: counts[YES], NO: counts[NO], ABSTAIN: counts[ABSTAIN]})


@dataclass(frozen=True)
class Ranking(Generic[C]):
    """Totals per candidate (in candidate order) and the leaders: one winner, or the tied set."""

    totals: dict[C, int]
    leaders: tuple[C, ...]

    @property
    def winner(self) -> C | None:
        return self.leaders[0] if len(self.leaders) == 1 else None


def _leaders(candidates: Sequence[C], totals: Mapping[C, Votes]) -> tuple[C, ...]:
    if not candidates:
        return ()
    best = max(totals[c] for c in candidates)
    return tuple(c for c in candidates if totals[c] == best)


def _check_known(candidates: Sequence[C], chosen: Iterable[C]) -> None:
    unknown = set(chosen) - set(candidates)
    if unknown:
        raise ValueError(f"unknown candidates: {sorted(map(str, unknown))}")


def count_approval(candidates: Sequence[C], ballots: Iterable[Iterable[C]], *, max_choices: int) -> Ranking[C]:
    """Approval: each ballot approves up to ``max_choices`` candidates (each at most once); most approvals wins.

    Tie-break: none; candidates with equal most approvals are returned together as the tied set.
    """
    totals: Counter[C] = Counter()
    for ballot in ballots:
        chosen = set(ballot)
        if len(chosen) > max_choices:
            raise ValueError("a ballot approves more candidates than allowed")
        _check_known(candidates, chosen)
        totals.update(chosen)
    return Ranking({c: totals[c] for c in candidates}, _leaders(candidates, totals))


def count_points(candidates: Sequence[C], ballots: Iterable[Mapping[C, int]], *, budget: int) -> Ranking[C]:
    """Allocation of points (dot vote): each ballot spreads at most ``budget`` whole non-negative points.

    Most points wins. Tie-break: none; equal most points are returned as the tied set.
    """
    totals: Counter[C] = Counter()
    for ballot in ballots:
        if any(points < 0 for points in ballot.values()) or sum(ballot.values()) > budget:
            raise ValueError("a ballot spends negative points or more than its budget")
        _check_known(candidates, ballot)
        totals.update(ballot)
    return Ranking({c: totals[c] for c in candidates}, _leaders(candidates, totals))


@dataclass(frozen=True)
class ScoreResult(Generic[C]):
    """Mean and median score per candidate (only over ballots that scored it) and the leaders."""

    means: dict[C, Fraction]
    medians: dict[C, Fraction]
    leaders: tuple[C, ...]

    @property
    def winner(self) -> C | None:
        return self.leaders[0] if len(self.leaders) == 1 else None


def count_scores(candidates: Sequence[C], ballots: Iterable[Mapping[C, int]]) -> ScoreResult[C]:
    """Score voting, 0 to 5: the highest mean score wins; a candidate nobody scored has mean and median 0.

    Tie-break: among equal means, the higher median (the middle score; the mean of the two middle ones for an
    even number); still equal, they are returned together as the tied set.
    """
    scores: dict[C, list[int]] = {c: [] for c in candidates}
    for ballot in ballots:
        _check_known(candidates, ballot)
        for candidate, score in ballot.items():
            if not SCORE_MIN <= score <= SCORE_MAX:
                raise ValueError("a score outside 0 to 5")
            scores[candidate].append(score)
    means = {c: Fraction(sum(s), len(s)) if s else Fraction(0) for c, s in scores.items()}
    medians = {
        c: Fraction(statistics.median_low(s) + statistics.median_high(s), 2) if s else Fraction(0)
        for c, s in scores.items()
    }
    best_mean = _leaders(candidates, means)
    return ScoreResult(means, medians, _leaders(best_mean, medians))


@dataclass(frozen=True)
class SlotResult(Generic[C]):
    """Per slot: how many can come, how many can if need be; the best slot and every slot tied with it."""

    available: dict[C, int]
    if_need_be: dict[C, int]
    leaders: tuple[C, ...]

    @property
    def best(self) -> C | None:
        return self.leaders[0] if self.leaders else None


def count_time_poll(slots: Sequence[C], ballots: Iterable[Mapping[C, str]]) -> SlotResult[C]:
    """Time poll: the slot most people can attend wins; a slot nobody marked counts as unavailable.

    Tie-break: more "if need be" answers among slots with equal "yes"; still equal, the earliest slot (slots
    are given in time order) is ``best`` and every tied slot is in ``leaders``.
    """
    yes: Counter[C] = Counter()
    maybe: Counter[C] = Counter()
    for ballot in ballots:
        _check_known(slots, ballot)
        yes.update(s for s, answer in ballot.items() if answer == AVAILABLE)
        maybe.update(s for s, answer in ballot.items() if answer == IF_NEED_BE)
    leaders = _leaders(_leaders(slots, yes), maybe)
    return SlotResult({s: yes[s] for s in slots}, {s: maybe[s] for s in slots}, leaders)


# --- Ranked ballots: instant runoff and single transferable vote -------------------------------------------


@dataclass(frozen=True)
class Round(Generic[C]):
    """One round of a ranked count: the votes of each continuing candidate, the exhausted ballots' value
    (ballots with no continuing preference left), who was elected and who was excluded at its end."""

    tallies: dict[C, Votes]
    exhausted: Votes
    elected: tuple[C, ...] = ()
    excluded: tuple[C, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class RankedResult(Generic[C]):
    """Who won (one for instant runoff, ``seats`` for STV), the set tied for the last place when the count
    cannot separate them, and every round."""

    elected: tuple[C, ...]
    tied: tuple[C, ...]
    rounds: list[Round[C]] = field(default_factory=list)

    @property
    def winner(self) -> C | None:
        return self.elected[0] if len(self.elected) == 1 and not self.tied else None


def group_ballots(candidates: Sequence[C], ballots: Iterable[Sequence[C]]) -> Counter[tuple[C, ...]]:
    """Identical rankings counted once with their number. A ranking naming a candidate twice or an unknown
    candidate is refused; an empty ranking is kept (it is exhausted from the first round)."""
    grouped: Counter[tuple[C, ...]] = Counter(tuple(b) for b in ballots)
    known = set(candidates)
    for ranking in grouped:
        if len(set(ranking)) != len(ranking) or not known.issuperset(ranking):
            raise ValueError("a ranking repeats a candidate or names an unknown one")
    return grouped


class _Piles(Generic[C]):
    """Ballots sorted into piles by their first continuing preference, each with its value. Excluding a
    candidate moves only that candidate's pile, so a count costs about one pass over the ballots."""

    def __init__(self, candidates: Sequence[C], grouped: Mapping[tuple[C, ...], int]) -> None:
        self.continuing: dict[C, None] = dict.fromkeys(candidates)
        self.piles: dict[C, list[tuple[tuple[C, ...], int, Votes]]] = {c: [] for c in candidates}
        self.totals: dict[C, Votes] = dict.fromkeys(candidates, 0)
        self.exhausted: Votes = 0
        self._place([(ranking, 0, n) for ranking, n in grouped.items()])

    def _place(self, entries: Iterable[tuple[tuple[C, ...], int, Votes]]) -> None:
        continuing = self.continuing
        for ranking, position, value in entries:
            while position < len(ranking) and ranking[position] not in continuing:
                position += 1
            if position == len(ranking):
                self.exhausted += value
            else:
                top = ranking[position]
                self.piles[top].append((ranking, position, value))
                self.totals[top] += value

    def remove(self, candidate: C, keep: Fraction = Fraction(0)) -> None:
        """Take ``candidate`` out of the count and pass its pile on; each ballot goes on at ``1 - keep`` of
        its value, where ``keep`` is the share an elected candidate keeps (0 for an exclusion)."""
        del self.continuing[candidate]
        pile = self.piles.pop(candidate)
        del self.totals[candidate]
        passed = 1 - keep
        if passed == 1:
            self._place((ranking, position + 1, value) for ranking, position, value in pile)
        else:
            self._place((ranking, position + 1, value * passed) for ranking, position, value in pile)

    def tallies(self) -> dict[C, Votes]:
        return {c: self.totals[c] for c in self.continuing}


def _lowest(tallies: Mapping[C, Votes], history: Sequence[Round[C]]) -> list[C]:
    """The continuing candidates with the fewest votes, narrowed by the earlier rounds: among those tied, keep
    the ones with the fewest votes in the latest earlier round where they differ ("backwards" tie-break)."""
    least = min(tallies.values())
    tied = [c for c, votes in tallies.items() if votes == least]
    for earlier in reversed(history):
        if len(tied) == 1:
            break
        least = min(earlier.tallies[c] for c in tied)
        tied = [c for c in tied if earlier.tallies[c] == least]
    return tied


def _bulk_exclusion(tallies: Mapping[C, Votes], tied: Sequence[C]) -> bool:
    """Whether the tied lowest can be excluded together: their votes added up stay below every other
    continuing candidate's, so any order of excluding them one by one ends in the same place."""
    others = [votes for c, votes in tallies.items() if c not in tied]
    return bool(others) and sum(tallies[c] for c in tied) < min(others)


def _irv_possible_winners(
    grouped: Mapping[tuple[C, ...], int], remaining: frozenset[C], memo: dict[frozenset[C], frozenset[C]]
) -> frozenset[C]:
    """Every candidate who wins under some order of breaking the remaining ties by exclusion (no backwards
    tie-break here: it is used only once the backwards rule has failed). Memoised on the continuing set."""
    if remaining in memo:
        return memo[remaining]
    tallies: Counter[C] = Counter()
    for ranking, n in grouped.items():
        top = next((c for c in ranking if c in remaining), None)
        if top is not None:
            tallies[top] += n
    tallies.update(dict.fromkeys(remaining, 0))
    leader = max(remaining, key=lambda c: tallies[c])
    if len(remaining) == 1 or 2 * tallies[leader] > sum(tallies.values()):
        winners = frozenset({leader})
    else:
        least = min(tallies[c] for c in remaining)
        tied = [c for c in remaining if tallies[c] == least]
        branches = [remaining - set(tied)] if _bulk_exclusion(tallies, tied) else [remaining - {c} for c in tied]
        winners = frozenset().union(*(_irv_possible_winners(grouped, rest, memo) for rest in branches))
    memo[remaining] = winners
    return winners


def count_instant_runoff(candidates: Sequence[C], ballots: Iterable[Sequence[C]]) -> RankedResult[C]:
    """Instant runoff (ranked choice, one winner). Rankings may be partial; a ballot whose preferences are all
    excluded is exhausted and counted as such in every later round.

    Each round, a candidate with more than half of the continuing (non-exhausted) votes wins; otherwise the
    candidate with the fewest votes is excluded and its ballots pass to their next continuing preference.

    Tie-break for exclusion: (1) among the tied lowest, the one with fewer votes in the latest earlier round
    where they differed; (2) tied lowest whose votes together stay below everyone else's are excluded together
    (the order cannot matter); (3) otherwise every order of exclusion is tried: if all give the same winner,
    the count goes on excluding the first tied in candidate order and the round notes it; if not, the count
    stops and ``tied`` holds every candidate who could win. Two candidates left with equal votes are tied.
    """
    grouped = group_ballots(candidates, ballots)
    piles = _Piles(candidates, grouped)
    rounds: list[Round[C]] = []
    while piles.continuing:
        tallies = piles.tallies()
        continuing_votes = sum(tallies.values())
        leader = max(tallies, key=lambda c: tallies[c])
        if 2 * tallies[leader] > continuing_votes or len(tallies) == 1:
            rounds.append(Round(tallies, piles.exhausted, elected=(leader,)))
            return RankedResult((leader,), (), rounds)
        tied = _lowest(tallies, rounds)
        note = ""
        if len(tied) > 1 and not _bulk_exclusion(tallies, tied):
            possible = _irv_possible_winners(grouped, frozenset(tallies), {})
            if len(possible) > 1:
                rounds.append(Round(tallies, piles.exhausted, note="tie"))
                return RankedResult((), tuple(c for c in candidates if c in possible), rounds)
            tied, note = tied[:1], "tie: every order of exclusion gives the same winner"
        rounds.append(Round(tallies, piles.exhausted, excluded=tuple(tied), note=note))
        for candidate in tied:
            piles.remove(candidate)
    rounds.append(Round({}, piles.exhausted))
    return RankedResult((), (), rounds)


def droop_quota(valid: Fraction | int, seats: int) -> Fraction:
    """The Droop quota: the whole number of votes just above valid / (seats + 1)."""
    return Fraction(int(Fraction(valid) // (seats + 1)) + 1)


def _order_by_votes(
    tallies: Mapping[C, Votes], chosen: Iterable[C], history: Sequence[Round[C]], candidates: Sequence[C]
) -> list[C]:
    """``chosen`` from most to fewest votes; equal votes are ordered by the latest earlier round where they
    differed, then by candidate order."""

    def key(c: C) -> tuple[Votes, tuple[Votes, ...], int]:
        past = tuple(r.tallies.get(c, 0) for r in reversed(history))
        return (-tallies[c], tuple(-v for v in past), candidates.index(c))

    return sorted(chosen, key=key)


def count_stv(candidates: Sequence[C], ballots: Iterable[Sequence[C]], *, seats: int) -> RankedResult[C]:
    """Single transferable vote for ``seats`` seats, Droop quota on the valid (non-empty) ballots.

    Transfer method: weighted inclusive Gregory with exact fractions. When a candidate reaches the quota, every
    ballot they hold passes on at its value × surplus / their total (nothing is rounded). Surpluses are
    transferred one at a time, largest first, before any exclusion. When no one reaches the quota, the
    candidate with the fewest votes is excluded and their ballots pass on at full value. When the continuing
    candidates are no more than the seats left, they are all elected.

    Tie-break (for who is elected first and who is excluded): the latest earlier round where the tied
    candidates' votes differed, then the order of ``candidates`` (the one listed last is excluded first; the
    caller fixes that order in advance, e.g. by lot).
    """
    if seats < 1:
        raise ValueError("at least one seat")
    grouped = group_ballots(candidates, ballots)
    valid = sum(n for ranking, n in grouped.items() if ranking)
    quota = droop_quota(valid, seats)
    piles = _Piles(candidates, grouped)
    elected: list[C] = []
    rounds: list[Round[C]] = []
    while len(elected) < seats and piles.continuing:
        tallies = piles.tallies()
        if len(tallies) <= seats - len(elected):
            newly = _order_by_votes(tallies, tallies, rounds, candidates)
            rounds.append(Round(tallies, piles.exhausted, elected=tuple(newly), note="no more candidates than seats"))
            elected.extend(newly)
            break
        reached = [c for c, votes in tallies.items() if votes >= quota]
        if reached:
            first = _order_by_votes(tallies, reached, rounds, candidates)[0]
            rounds.append(Round(tallies, piles.exhausted, elected=(first,)))
            elected.append(first)
            piles.remove(first, keep=quota / tallies[first])
            continue
        order = _order_by_votes(tallies, tallies, rounds, candidates)
        rounds.append(Round(tallies, piles.exhausted, excluded=(order[-1],)))
        piles.remove(order[-1])
    return RankedResult(tuple(elected), (), rounds)
