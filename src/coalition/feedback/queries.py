"""Reads that carry rules: the inbox, the public "You said, we did" list, response times, and survey results
(only ever through ``calc.aggregate``, which holds back anything computed from fewer than the minimum of answers)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from coalition.coalitions.models import Coalition, Membership
from coalition.feedback import actions, bank, calc, computed
from coalition.feedback.models import (
    Feedback,
    ListeningSettings,
    QuestionKind,
    RoundStatus,
    Status,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRound,
)


def inbox(coalition: Coalition, status: str = "") -> QuerySet[Feedback]:
    found = Feedback.objects.filter(coalition=coalition).select_related("assigned_to__user", "assigned_group")
    if status in Status.values:
        found = found.filter(status=status)
    elif status == "open":
        found = found.exclude(status=Status.CLOSED)
    return found.order_by("status", "-urgency", "-received_on", "id")


def you_said_we_did(coalition: Coalition) -> QuerySet[Feedback]:
    return Feedback.objects.filter(coalition=coalition, status=Status.CLOSED, on_public_page=True).order_by(
        "-closed_on", "id"
    )


def public_settings(key: str) -> ListeningSettings | None:
    if not key or len(key) > 40:
        return None
    return ListeningSettings.objects.select_related("coalition").filter(public_key=key).first()


def response_times(coalition: Coalition) -> list[calc.MonthFigures]:
    rows = Feedback.objects.filter(coalition=coalition).values_list("received_on", "answered_on", "closed_on")
    return calc.response_times(rows)


def period_summary(coalition: Coalition, start: dt.date, end: dt.date) -> calc.PeriodSummary:
    """Counts by topic and channel and the median response times of ``start``–``end`` (read without any text)."""
    in_period = Q(received_on__range=(start, end)) | Q(answered_on__range=(start, end)) | Q(closed_on__range=(start, end))
    rows = (
        Feedback.objects.filter(in_period, coalition=coalition)
        .order_by()
        .values_list("topic", "channel", "received_on", "answered_on", "closed_on")
    )
    return calc.period_summary((calc.FeedbackRow(*row) for row in rows), start, end)


# ------------------------------------------------------------------------------------------------ surveys


def rounds(coalition: Coalition, only: Sequence[int] = ()) -> QuerySet[SurveyRound]:
    """The coalition's rounds; only those of ``only`` when it names some."""
    found = SurveyRound.objects.filter(coalition=coalition)
    return found.filter(pk__in=only) if only else found


def open_rounds_for(membership: Membership) -> list[SurveyRound]:
    answered = SurveyParticipation.objects.filter(membership=membership).values("round_id")
    return list(
        SurveyRound.objects.filter(coalition_id=membership.coalition_id, status=RoundStatus.OPEN).exclude(
            pk__in=answered
        )
    )


def has_answered(membership: Membership, survey: SurveyRound) -> bool:
    return SurveyParticipation.objects.filter(membership=membership, round=survey).exists()


def not_answered(survey: SurveyRound) -> list[Membership]:
    """Who has not answered yet: for named rounds only (an anonymous round never lists people)."""
    if survey.is_anonymous:
        return []
    answered = set(SurveyParticipation.objects.filter(round=survey).values_list("membership_id", flat=True))
    return [m for m in actions.respondents(survey.coalition) if m.pk not in answered]


def plain_responses(survey: SurveyRound) -> list[calc.PlainResponse]:
    """Every response of ``survey`` as plain data (two queries)."""
    questions = {q.pk: q for q in survey.questions.all()}
    numbers: dict[int, dict[str, int]] = defaultdict(dict)
    choices: dict[int, dict[str, list[str]]] = defaultdict(dict)
    texts: dict[int, dict[str, str]] = defaultdict(dict)
    for response_id, question_id, number, picked, text in SurveyAnswer.objects.filter(
        response__round=survey
    ).values_list("response_id", "question_id", "number", "choices", "text"):
        question = questions[question_id]
        if question.kind == QuestionKind.SCALE and number is not None:
            numbers[response_id][question.name] = number
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices[response_id][question.name] = list(picked or [])
        elif text:
            texts[response_id][question.name] = text
    return [
        calc.PlainResponse(role, sector, numbers[pk], choices[pk], texts[pk])
        for pk, role, sector in SurveyResponse.objects.filter(round=survey).values_list("pk", "role", "sector")
    ]


@dataclass(frozen=True)
class QuestionView:
    question: SurveyQuestion
    result: calc.QuestionResult
    rows: list[tuple[str, int]]  # (label, count) of the distribution, in the question's order


def minimum_for(coalition: Coalition) -> int:
    """The coalition's minimum of answers, read without writing (the default until the settings are saved)."""
    return computed.minimum_answers(coalition)


def results(survey: SurveyRound, *, grouping: str = "", group: str = "") -> tuple[calc.Aggregate, list[QuestionView]]:
    """The aggregate results of a round (or one subgroup), never below the coalition's minimum of answers.
    Free text shows only for anonymous rounds."""
    questions = list(survey.questions.all())
    aggregate = calc.aggregate(
        plain_responses(survey),
        [(q.name, q.kind) for q in questions],
        minimum_for(survey.coalition),
        grouping=grouping,
        group=group,
        with_texts=survey.is_anonymous,
    )
    views: list[QuestionView] = []
    if aggregate.shown:
        for question in questions:
            result = aggregate.questions[question.name]
            if question.kind == QuestionKind.SCALE:
                labels: list[tuple[str, Any]] = [(str(k), v) for k, v in bank.SCALE_LABELS.items()]
            else:
                labels = [(c[0], c[1]) for c in question.choices]
            rows = [(str(label), result.distribution.get(value, 0)) for value, label in labels]
            views.append(QuestionView(question, result, rows if result.shown else []))
    return aggregate, views


def closed_in(coalition: Coalition, start: dt.date, end: dt.date, latest: int) -> list[SurveyRound]:
    """The ``latest`` rounds that closed (closing day) from ``start`` to ``end``, newest first."""
    found = SurveyRound.objects.filter(coalition=coalition, status=RoundStatus.CLOSED, closes_on__range=(start, end))
    return list(found.order_by("-closes_on", "-pk")[:latest])


def subgroups(survey: SurveyRound) -> dict[str, list[str]]:
    """The subgroups a round's results can be filtered by (their values appear in the data)."""
    found: dict[str, set[str]] = {"role": set(), "sector": set()}
    for role, sector in SurveyResponse.objects.filter(round=survey).values_list("role", "sector"):
        found["role"].add(role)
        found["sector"].add(sector)
    return {name: sorted(v for v in values if v) for name, values in found.items()}


def trends(coalition: Coalition) -> list[tuple[str, list[tuple[str, Decimal | None]]]]:
    """For each scale question of the bank, its average in each round that asked it (oldest first)."""
    minimum = minimum_for(coalition)
    asked = list(
        SurveyRound.objects.filter(coalition=coalition).exclude(status=RoundStatus.DRAFT).order_by("closes_on", "pk")
    )
    values: dict[tuple[int, str], list[int]] = defaultdict(list)
    for round_id, key, number in SurveyAnswer.objects.filter(
        question__round__in=asked, question__bank_key__in=bank.SCALE_KEYS, number__isnull=False
    ).values_list("question__round_id", "question__bank_key", "number"):
        if number is not None:
            values[(round_id, key)].append(number)
    keys_asked = {key for (_round, key) in values}
    return [
        (
            str(bank.BY_KEY[key].label),
            calc.trend([(r.title, values.get((r.pk, key), [])) for r in asked], minimum),
        )
        for key in bank.SCALE_KEYS
        if key in keys_asked
    ]
