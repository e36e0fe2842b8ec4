"""Pure calculations over plain data: response times per month and survey aggregates with their threshold.

A survey aggregate is shown only when it is computed from at least ``n`` answers, for the whole round and for a
subgroup alike; subgroups are also held back so that the total less the shown ones never gives away a group of
fewer than ``n`` (see ``shown_groups``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


def month_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"


@dataclass(frozen=True)
class MonthFigures:
    month: str
    received: int
    median_days_to_answer: float | None
    median_days_to_close: float | None


def response_times(rows: Iterable[tuple[dt.date, dt.date | None, dt.date | None]]) -> list[MonthFigures]:
    """Per month of receipt, from ``(received_on, answered_on, closed_on)`` rows: how many came in and the
    median days to the first answer and to closing (of those answered / closed)."""
    received: Counter[str] = Counter()
    answered: dict[str, list[int]] = defaultdict(list)
    closed: dict[str, list[int]] = defaultdict(list)
    for received_on, answered_on, closed_on in rows:
        month = month_of(received_on)
        received[month] += 1
        if answered_on is not None:
            answered[month].append((answered_on - received_on).days)
        if closed_on is not None:
            closed[month].append((closed_on - received_on).days)
    return [
        MonthFigures(
            month,
            received[month],
            float(statistics.median(answered[month])) if answered[month] else None,
            float(statistics.median(closed[month])) if closed[month] else None,
        )
        for month in sorted(received)
    ]


def mean_score(values: Sequence[int], minimum: int) -> Decimal | None:
    """The average of ``values`` to two decimals, or ``None`` below ``minimum`` answers."""
    if len(values) < max(minimum, 1):
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PlainResponse:
    """A response as the aggregate needs it: its subgroup attributes and answers by question name."""

    role: str
    sector: str
    numbers: Mapping[str, int] = field(default_factory=dict)
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)


@dataclass
class QuestionResult:
    name: str
    count: int  # answers to this question in the selection (shown only when ``shown``)
    shown: bool
    mean: Decimal | None = None
    distribution: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)


@dataclass
class Aggregate:
    responses: int
    shown: bool
    questions: dict[str, QuestionResult] = field(default_factory=dict)


def shown_groups(counts: Mapping[str, int], minimum: int) -> set[str]:
    """Which groups of one partition of a round (by role, or by sector) may be shown, beside the round's total.

    A group with fewer than ``minimum`` responses is hidden; when the hidden ones add up to between 1 and
    ``minimum`` - 1 (the total less the shown groups would give them away), the smallest shown groups are hidden
    too until they add up to at least ``minimum``."""
    hidden = {name for name, count in counts.items() if count < minimum}
    hidden_sum = sum(counts[name] for name in hidden)
    for name in sorted((n for n in counts if n not in hidden), key=lambda n: (counts[n], n)):
        if hidden_sum == 0 or hidden_sum >= minimum:
            break
        hidden.add(name)
        hidden_sum += counts[name]
    return {name for name in counts if name not in hidden}


GROUPINGS = ("role", "sector")


def aggregate(
    responses: Sequence[PlainResponse],
    questions: Sequence[tuple[str, str]],
    minimum: int,
    *,
    grouping: str = "",
    group: str = "",
    with_texts: bool = False,
) -> Aggregate:
    """Results of ``questions`` (name, kind) over all responses, or over the subgroup whose ``grouping``
    ("role" or "sector") is ``group``. Nothing is filled in for a selection that may not be shown."""
    minimum = max(minimum, 1)
    if grouping:
        if grouping not in GROUPINGS:
            return Aggregate(0, False)
        counts = Counter(getattr(r, grouping) for r in responses)
        if group not in shown_groups(counts, minimum) or len(responses) < minimum:
            return Aggregate(0, False)
        selected = [r for r in responses if getattr(r, grouping) == group]
    else:
        selected = list(responses)
    if len(selected) < minimum:
        return Aggregate(0, False)
    result = Aggregate(len(selected), True)
    for name, kind in questions:
        if kind == "scale":
            values = [r.numbers[name] for r in selected if name in r.numbers]
            item = QuestionResult(name, len(values), len(values) >= minimum)
            if item.shown:
                item.mean = mean_score(values, minimum)
                item.distribution = {str(k): v for k, v in sorted(Counter(values).items())}
        elif kind in ("single", "multiple"):
            answered = [r.choices[name] for r in selected if name in r.choices]
            item = QuestionResult(name, len(answered), len(answered) >= minimum)
            if item.shown:
                item.distribution = dict(sorted(Counter(v for picked in answered for v in picked).items()))
        else:
            texts = [r.texts[name] for r in selected if r.texts.get(name)]
            item = QuestionResult(name, len(texts), with_texts and len(texts) >= minimum)
            if item.shown:
                item.texts = sorted(texts)
        if not item.shown:
            item.count = 0
        result.questions[name] = item
    return result


def trend(per_round: Sequence[tuple[str, Sequence[int]]], minimum: int) -> list[tuple[str, Decimal | None]]:
    """The mean of one scale question in each round (label, values), ``None`` where too few answered."""
    return [(label, mean_score(values, minimum)) for label, values in per_round]


@dataclass(frozen=True)
class FeedbackRow:
    """One piece of feedback as the period summary needs it: no text, nobody's details."""

    topic: str
    channel: str
    received_on: dt.date
    answered_on: dt.date | None
    closed_on: dt.date | None


@dataclass(frozen=True)
class Counts:
    received: int = 0
    answered: int = 0
    closed: int = 0


@dataclass(frozen=True)
class PeriodSummary:
    totals: Counts
    by_topic: dict[str, Counts]
    by_channel: dict[str, Counts]
    median_days_to_answer: float | None
    median_days_to_close: float | None


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def period_summary(rows: Iterable[FeedbackRow], start: dt.date, end: dt.date) -> PeriodSummary:
    """What came in, was first answered and was closed from ``start`` to ``end`` (each counted by the day it
    happened), by topic and by channel, with the median days from receipt to the first answer and to closing of
    those answered and closed in the period."""
    received: Counter[tuple[str, str]] = Counter()
    answered: Counter[tuple[str, str]] = Counter()
    closed: Counter[tuple[str, str]] = Counter()
    to_answer: list[int] = []
    to_close: list[int] = []
    for row in rows:
        key = (row.topic, row.channel)
        if start <= row.received_on <= end:
            received[key] += 1
        if row.answered_on is not None and start <= row.answered_on <= end:
            answered[key] += 1
            to_answer.append((row.answered_on - row.received_on).days)
        if row.closed_on is not None and start <= row.closed_on <= end:
            closed[key] += 1
            to_close.append((row.closed_on - row.received_on).days)

    def by(position: int) -> dict[str, Counts]:
        names = sorted({key[position] for counter in (received, answered, closed) for key in counter})
        return {
            name: Counts(
                *(sum(n for key, n in counter.items() if key[position] == name) for counter in (received, answered, closed))
            )
            for name in names
        }

    totals = Counts(sum(received.values()), sum(answered.values()), sum(closed.values()))
    return PeriodSummary(totals, by(0), by(1), _median(to_answer), _median(to_close))
