"""Survey results as cohesion indicator values: each scale question of the bank becomes a computed figure
(``feedback.<key>``), the average score (1–5) of the answers given in rounds that closed in the period. ``None``
when fewer answers than the coalition's minimum were given, so a figure never rests on a handful of people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition
from coalition.feedback import bank, calc
from coalition.feedback.models import ListeningSettings, RoundStatus, SurveyAnswer, SurveyRound
from coalition.measurement.computed import Computation, RecordsUrl, register_computation
from coalition.measurement.models import Kind

ROUND_PARAM = "round"  # the survey list shows only the rounds this parameter names (repeated), if any


def minimum_answers(coalition: Coalition) -> int:
    found = ListeningSettings.objects.filter(coalition=coalition).values_list("min_answers", flat=True).first()
    return found or 5


def _counted(coalition: Coalition, key: str, start: dt.date, end: dt.date) -> QuerySet[SurveyAnswer]:
    """The answers to bank question ``key`` in the coalition's rounds that closed from ``start`` to ``end``."""
    return SurveyAnswer.objects.filter(
        question__bank_key=key,
        question__round__coalition=coalition,
        question__round__status__in=[RoundStatus.OPEN, RoundStatus.CLOSED],
        question__round__closes_on__range=(start, end),
        number__isnull=False,
    )


def scale_values(coalition: Coalition, key: str, start: dt.date, end: dt.date) -> list[int]:
    found = _counted(coalition, key, start, end).values_list("number", flat=True)
    return [number for number in found if number is not None]


def counted_rounds(coalition: Coalition, key: str, start: dt.date, end: dt.date) -> list[int]:
    """The rounds whose answers the figure of ``key`` for the period counts, by closing date."""
    answered = _counted(coalition, key, start, end).values("question__round_id")
    return list(SurveyRound.objects.filter(pk__in=answered).order_by("closes_on", "pk").values_list("pk", flat=True))


def compute_for(key: str) -> Callable[[Coalition, dt.date, dt.date], Decimal | None]:
    def compute(coalition: Coalition, start: dt.date, end: dt.date) -> Decimal | None:
        return calc.mean_score(scale_values(coalition, key, start, end), minimum_answers(coalition))

    return compute


def records_for(key: str) -> RecordsUrl:
    """Where a period's figure links: the results of the one round it counts, or the survey list showing only
    the rounds it counts; nothing when it counts none."""

    def url(coalition: Coalition, start: dt.date, end: dt.date) -> str | None:
        rounds = counted_rounds(coalition, key, start, end)
        if len(rounds) == 1:
            return reverse("feedback:results", args=[coalition.pk, rounds[0]])
        if not rounds:
            return None
        return f"{reverse('feedback:surveys', args=[coalition.pk])}?{urlencode([(ROUND_PARAM, r) for r in rounds])}"

    return url


def register_all() -> None:
    for key in bank.SCALE_KEYS:
        question = bank.BY_KEY[key]
        register_computation(
            Computation(
                key=f"feedback.{key}",
                label=question.label,
                definition=format_lazy(
                    "{} “{}” {}",
                    _("Average answer (1 = not at all, 5 = completely) of members to"),
                    question.text,
                    _("in the survey rounds closing in the period; empty below the coalition's minimum of answers."),
                ),
                kind=Kind.SCORE,
                compute=compute_for(key),
                unit="/ 5",
                records_url=records_for(key),
            )
        )
