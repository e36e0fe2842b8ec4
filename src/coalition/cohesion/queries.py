"""Reads for the cohesion screens."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise

from coalition.coalitions.access import Rule
from coalition.coalitions.models import Coalition
from coalition.cohesion import figures, results
from coalition.cohesion.computations import CATALOGUE
from coalition.cohesion.models import (
    READINESS_QUESTIONS,
    HealthCheck,
    PlanItem,
    PlanVersion,
    ReadinessAnswer,
    SustainabilityPlan,
)
from coalition.core.permissions import Perm
from coalition.learning.models import Pause
from coalition.measurement import periods
from coalition.measurement.computed import Computation
from coalition.measurement.models import DataValue, Indicator

SHOWN_PERIODS = 4


@dataclass
class PeriodValue:
    start: dt.date
    label: str
    value: Decimal
    records_url: str | None


@dataclass
class CatalogueRow:
    key: str
    label: str | Promise
    computation: Computation | None
    indicator: Indicator | None
    values: list[PeriodValue] = field(default_factory=list)

    @property
    def measured(self) -> bool:
        return self.computation is not None

    @property
    def latest(self) -> PeriodValue | None:
        return self.values[-1] if self.values else None


def catalogue(coalition: Coalition) -> list[CatalogueRow]:
    """Every cohesion figure of the guide: its computation (if some app registered it), its indicator (if the
    coalition added it) and its last few stored values, each with the link to the records it counts."""
    indicators = {
        i.computed_by: i
        for i in Indicator.objects.filter(coalition=coalition, is_archived=False).exclude(computed_by="")
    }
    values: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for indicator_id, start, value in (
        DataValue.objects.filter(indicator__in=[i.pk for i in indicators.values()])
        .order_by("indicator_id", "period_start")
        .values_list("indicator_id", "period_start", "value")
    ):
        values[indicator_id].append((start, value))
    rows = []
    for entry in CATALOGUE:
        found = entry.computation
        indicator = indicators.get(entry.key)
        row = CatalogueRow(entry.key, found.label if found else entry.label, found, indicator)
        if indicator is not None:
            for start, value in values[indicator.pk][-SHOWN_PERIODS:]:
                last = periods.end_of(indicator.frequency, start)
                url = found.records_url(coalition, start, last) if found and found.records_url else None
                row.values.append(PeriodValue(start, indicator.period_label(start), value, url))
        rows.append(row)
    return rows


@dataclass
class Concern:
    """A factor the latest closed health check found a concern (or worth discussing), and the plan's lines
    that answer it."""

    code: str
    label: str | Promise
    band: str
    mean: Decimal | None
    items: list[PlanItem]


def plan_concerns(coalition: Coalition, items: list[PlanItem]) -> tuple[HealthCheck | None, list[Concern]]:
    """The latest closed check and its factors below a strength, each with the plan items linked to it."""
    check = HealthCheck.objects.filter(coalition=coalition, status=HealthCheck.Status.CLOSED).first()
    if check is None:
        return None, []
    found = [
        Concern(row.code, row.label, row.band, row.mean, [i for i in items if i.factor == row.code])
        for row in results.thawed(check)
        if row.band in {"concern", "discuss"}
    ]
    found.sort(key=lambda c: (c.band != "concern", c.mean or Decimal(0)))
    return check, found


ANSWER_CHANGES = ("sustainability.decided", "sustainability.revisited")


def pause_since_answer(plan: SustainabilityPlan) -> Pause | None:
    """The latest learning pause held after the day the first question was last answered: each pause is a
    moment to ask it again."""
    answered = plan.versions.filter(change__in=ANSWER_CHANGES).values_list("saved_at", flat=True).first()
    if answered is None:
        return None
    day = timezone.localdate(answered)
    return Pause.objects.filter(coalition_id=plan.coalition_id, held_on__gt=day).order_by("-held_on", "-pk").first()


_POSITION = {q.code: n for n, q in enumerate(READINESS_QUESTIONS)}


def in_question_order(answers: Iterable[ReadinessAnswer]) -> list[ReadinessAnswer]:
    return sorted(answers, key=lambda a: _POSITION.get(a.question, len(_POSITION)))


@dataclass(frozen=True)
class Answer:
    """One "should the coalition continue?" answer as it was given, with its readiness answers."""

    version: PlanVersion
    decision: str | Promise
    readiness: list[ReadinessAnswer]


def _answer(version: PlanVersion) -> Answer:
    decision = SustainabilityPlan.Decision(version.snapshot["decision"]).label
    return Answer(version, decision, in_question_order(version.readiness.all()))


def answers(plan: SustainabilityPlan) -> list[Answer]:
    """Every answer given to the first question, newest first: the current one, then each before it."""
    return [_answer(v) for v in plan.versions.filter(change__in=ANSWER_CHANGES).prefetch_related("readiness")]


def answer_in_force(version: PlanVersion) -> Answer | None:
    """The answer to the first question the plan stood on at ``version`` (the latest given by then)."""
    given = (
        PlanVersion.objects.filter(plan_id=version.plan_id, change__in=ANSWER_CHANGES, number__lte=version.number)
        .prefetch_related("readiness")
        .first()
    )
    return None if given is None else _answer(given)


def readiness_of(plan: SustainabilityPlan) -> dict[str, tuple[str, str]]:
    """The readiness answers given with the current answer: question code → (rating, note)."""
    latest = plan.versions.filter(change__in=ANSWER_CHANGES).values_list("pk", flat=True).first()
    found = ReadinessAnswer.objects.filter(version_id=latest).values_list("question", "rating", "note")
    return {question: (rating, note) for question, rating, note in found}


MANAGES_JOINT_ACTIONS = Rule(
    "a line of the plan becomes a joint action by someone who also manages joint actions",
    perm=Perm.MANAGE_ACTIONS,
    check=lambda request, access, **_: True,
)


@dataclass(frozen=True)
class HubRound:
    """The hub organisation in one closed network round: how much of the network runs through it."""

    name: str
    closed_on: dt.date
    size: int
    ties: int
    hub_ties: int | None  # None: the hub is not an actor of the round
    tie_share: Decimal | None  # % of the round's ties that involve the hub
    centrality: Decimal | None  # % of the other actors the hub is tied to (degree centrality)
    most_central: bool  # the hub has the most direct ties (alone or with others)


def hub_trend(coalition: Coalition) -> list[HubRound]:
    """The hub's dependence over the closed network rounds, oldest first: falling shares mean the members hold
    together without it."""
    return [
        HubRound(
            r.name,
            r.closed_on,
            r.size,
            r.ties,
            r.hub_ties,
            None if r.hub_ties is None else figures.percent(r.hub_ties, r.ties),
            None if r.hub_share is None else figures.share(r.hub_share),
            r.hub_is_most_central,
        )
        for r in figures.load_rounds(coalition)
    ]
