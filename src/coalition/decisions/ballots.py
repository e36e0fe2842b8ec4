"""What a ballot holds for each kind of poll, how it is checked, and how a closed poll's ballots are counted.

A ballot's ``choice`` is plain JSON: ``{"answer": "consent"}`` for the kinds that answer one proposal,
``{"options": [ids]}`` for approval, ``{"ranking": [ids]}`` for ranked choice and STV, and ``{"scores"|"points"|
"slots": {id: value}}`` for score, dot vote and time polls. Counting is done by ``counting`` over that JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coalition.decisions import counting
from coalition.decisions.models import MAJORITY_THRESHOLDS, Kind, Poll

ANSWERS: dict[str, tuple[str, ...]] = {
    Kind.CONSENT: (counting.CONSENT, counting.OBJECT),
    Kind.CONSENSUS: (counting.AGREE, counting.STAND_ASIDE, counting.BLOCK),
    Kind.MAJORITY: (counting.YES, counting.NO, counting.ABSTAIN),
}
# Answers that always need a reason, whatever the poll's setting.
REASONED = frozenset({counting.OBJECT, counting.BLOCK})
SLOT_ANSWERS = (counting.AVAILABLE, counting.IF_NEED_BE, counting.UNAVAILABLE)


def _refuse(message: str) -> ValidationError:
    return ValidationError({"choice": message})


def _ids(raw: Any, options: Sequence[int]) -> list[int]:
    if not isinstance(raw, list) or not all(isinstance(x, int) and x in options for x in raw):
        raise _refuse(_("Choose among the poll's options."))
    if len(set(raw)) != len(raw):
        raise _refuse(_("Each option may be chosen once."))
    return raw


def _per_option(raw: Any, options: Sequence[int], allowed: Callable[[Any], bool]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _refuse(_("Answer for the poll's options."))
    known = {str(o) for o in options}
    if not set(raw) <= known or not all(allowed(v) for v in raw.values()):
        raise _refuse(_("An answer is not one this poll accepts."))
    return dict(raw)


def _clean_answer(poll: Poll, options: Sequence[int], choice: Mapping[str, Any]) -> dict[str, Any]:
    if choice.get("answer") not in ANSWERS[poll.kind]:
        raise _refuse(_("Choose one of the answers."))
    return {"answer": choice["answer"]}


def _clean_approval(poll: Poll, options: Sequence[int], choice: Mapping[str, Any]) -> dict[str, Any]:
    chosen = _ids(choice.get("options"), options)
    if not chosen or len(chosen) > poll.max_choices:
        raise _refuse(_("Choose between one and %(n)s options.") % {"n": poll.max_choices})
    return {"options": chosen}


def _clean_ranking(poll: Poll, options: Sequence[int], choice: Mapping[str, Any]) -> dict[str, Any]:
    ranking = _ids(choice.get("ranking"), options)
    if not ranking:
        raise _refuse(_("Rank at least one option."))
    return {"ranking": ranking}


def _clean_scores(poll: Poll, options: Sequence[int], choice: Mapping[str, Any]) -> dict[str, Any]:
    in_range = lambda v: isinstance(v, int) and counting.SCORE_MIN <= v <= counting.SCORE_MAX  # noqa: E731
    scores = _per_option(choice.get("scores"), options, in_range)
    if not scores:
        raise _refuse(_("Score at least one option."))
    return {"scores": scores}


def _clean_points(poll: Poll, options: Sequence[int], choice: Mapping[str, Any]) -> dict[str, Any]:
    points = _per_option(choice.get("points"), options, lambda v: isinstance(v, int) and 0 <= v <= poll.budget)
    if sum(points.values()) > poll.budget or not any(points.values()):
        raise _refuse(_("Spread between 1 and %(n)s points.") % {"n": poll.budget})
    return {"points": points}


def _clean_slots(poll: Poll, options: Sequence[int], choice: Mapping[str, Any]) -> dict[str, Any]:
    return {"slots": _per_option(choice.get("slots"), options, lambda v: v in SLOT_ANSWERS)}


CLEANERS: dict[str, Callable[[Poll, Sequence[int], Mapping[str, Any]], dict[str, Any]]] = {
    Kind.CONSENT: _clean_answer,
    Kind.CONSENSUS: _clean_answer,
    Kind.MAJORITY: _clean_answer,
    Kind.APPROVAL: _clean_approval,
    Kind.RANKED: _clean_ranking,
    Kind.STV: _clean_ranking,
    Kind.SCORE: _clean_scores,
    Kind.POINTS: _clean_points,
    Kind.TIME: _clean_slots,
}


def clean_choice(poll: Poll, options: Sequence[int], choice: Mapping[str, Any]) -> dict[str, Any]:
    """The ballot's content as stored, or ValidationError on ``choice`` when this poll cannot accept it."""
    return CLEANERS[poll.kind](poll, options, choice)


def needs_reason(choice: Mapping[str, Any]) -> bool:
    return choice.get("answer") in REASONED


# --- counting a closed poll --------------------------------------------------------------------------------------


def shown(value: counting.Votes) -> str:
    """A count as people read it: whole numbers as they are, fractions to two decimals (display only)."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


Labels = dict[int, str]


def _verdict(poll: Poll, choices: Sequence[Mapping[str, Any]], electorate: int, labels: Labels) -> dict[str, Any]:
    answers = [c["answer"] for c in choices]
    if poll.kind == Kind.MAJORITY:
        threshold, strict, of_electorate = MAJORITY_THRESHOLDS[poll.majority_rule]
        verdict = counting.count_majority(
            answers, threshold=threshold, strict=strict, electorate=electorate if of_electorate else None
        )
    else:
        verdict = (counting.count_consent if poll.kind == Kind.CONSENT else counting.count_consensus)(answers)
    return {"passed": verdict.passed, "rows": [[answer, str(n)] for answer, n in verdict.counts.items()]}


def _ranking(poll: Poll, choices: Sequence[Mapping[str, Any]], electorate: int, labels: Labels) -> dict[str, Any]:
    candidates = list(labels)
    ballots = [c["ranking"] for c in choices]
    if poll.kind == Kind.STV:
        result = counting.count_stv(candidates, ballots, seats=poll.seats)
    else:
        result = counting.count_instant_runoff(candidates, ballots)
    rounds = [
        {
            "tallies": [[labels[c], shown(v)] for c, v in r.tallies.items()],
            "exhausted": shown(r.exhausted),
            "elected": [labels[c] for c in r.elected],
            "excluded": [labels[c] for c in r.excluded],
        }
        for r in result.rounds
    ]
    first = result.rounds[0].tallies if result.rounds else {}
    rows = [[labels[c], shown(first.get(c, 0))] for c in candidates]
    return {"winners": list(result.elected), "tied": list(result.tied), "rounds": rounds, "rows": rows}


def _ranking_of(ranking: counting.Ranking[int], labels: Labels) -> dict[str, Any]:
    rows = [[labels[c], shown(v)] for c, v in ranking.totals.items()]
    leaders = list(ranking.leaders)
    return {"winners": leaders if len(leaders) == 1 else [], "tied": leaders if len(leaders) > 1 else [], "rows": rows}


def _approval(poll: Poll, choices: Sequence[Mapping[str, Any]], electorate: int, labels: Labels) -> dict[str, Any]:
    ballots = [c["options"] for c in choices]
    return _ranking_of(counting.count_approval(list(labels), ballots, max_choices=poll.max_choices), labels)


def _keyed(choices: Sequence[Mapping[str, Any]], key: str) -> list[dict[int, Any]]:
    return [{int(k): v for k, v in c[key].items()} for c in choices]


def _points(poll: Poll, choices: Sequence[Mapping[str, Any]], electorate: int, labels: Labels) -> dict[str, Any]:
    return _ranking_of(counting.count_points(list(labels), _keyed(choices, "points"), budget=poll.budget), labels)


def _scores(poll: Poll, choices: Sequence[Mapping[str, Any]], electorate: int, labels: Labels) -> dict[str, Any]:
    result = counting.count_scores(list(labels), _keyed(choices, "scores"))
    leaders = list(result.leaders)
    rows = [[labels[c], shown(result.means[c]), shown(result.medians[c])] for c in labels]
    return {"winners": leaders if len(leaders) == 1 else [], "tied": leaders if len(leaders) > 1 else [], "rows": rows}


def _slots(poll: Poll, choices: Sequence[Mapping[str, Any]], electorate: int, labels: Labels) -> dict[str, Any]:
    result = counting.count_time_poll(list(labels), _keyed(choices, "slots"))
    rows = [[labels[s], str(result.available[s]), str(result.if_need_be[s])] for s in labels]
    return {"winners": [result.best] if result.best is not None else [], "tied": [], "rows": rows}


COUNTERS: dict[str, Callable[[Poll, Sequence[Mapping[str, Any]], int, Labels], dict[str, Any]]] = {
    Kind.CONSENT: _verdict,
    Kind.CONSENSUS: _verdict,
    Kind.MAJORITY: _verdict,
    Kind.APPROVAL: _approval,
    Kind.RANKED: _ranking,
    Kind.STV: _ranking,
    Kind.SCORE: _scores,
    Kind.POINTS: _points,
    Kind.TIME: _slots,
}


def count(poll: Poll, choices: Sequence[Mapping[str, Any]], electorate: int, labels: Labels) -> dict[str, Any]:
    """The poll's result as stored JSON: ``passed`` (yes-or-no kinds) or ``winners``/``tied`` (option ids),
    ``rows`` of counts per answer or option and, for ranked kinds, every round."""
    result = COUNTERS[poll.kind](poll, choices, electorate, labels)
    result.setdefault("passed", None)
    result.setdefault("winners", [])
    result.setdefault("tied", [])
    return result


def describe(choice: Mapping[str, Any], labels: Mapping[int, str], answer_labels: Mapping[str, Any]) -> str:
    """A ballot in words, for the named ballots shown once a poll is closed."""
    if "answer" in choice:
        return str(answer_labels.get(choice["answer"], choice["answer"]))
    if "options" in choice:
        return ", ".join(labels.get(i, "?") for i in choice["options"])
    if "ranking" in choice:
        return " > ".join(labels.get(i, "?") for i in choice["ranking"])
    key = next(iter(choice))
    return ", ".join(f"{labels.get(int(k), '?')}: {answer_labels.get(v, v)}" for k, v in choice[key].items())
