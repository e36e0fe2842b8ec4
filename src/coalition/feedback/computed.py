"""Survey results as cohesion indicator values: each scale question of the bank becomes a computed figure
(``feedback.<key>``), the average score (1–5) of the answers given in rounds that closed in the period. ``None``
when fewer answers than the coalition's minimum were given, so a figure never rests on a handful of people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition
from coalition.feedback import bank, calc
from coalition.feedback.models import ListeningSettings, RoundStatus, SurveyAnswer
from coalition.measurement.computed import Computation, register_computation
from coalition.measurement.models import Kind


def minimum_answers(coalition: Coalition) -> int:
    found = ListeningSettings.objects.filter(coalition=coalition).values_list("min_answers", flat=True).first()
    return found or 5


def scale_values(coalition: Coalition, key: str, start: dt.date, end: dt.date) -> list[int]:
    """The answers to bank question ``key`` in the coalition's rounds that closed from ``start`` to ``end``."""
    found = SurveyAnswer.objects.filter(
        question__bank_key=key,
        question__round__coalition=coalition,
        question__round__status__in=[RoundStatus.OPEN, RoundStatus.CLOSED],
        question__round__closes_on__range=(start, end),
        number__isnull=False,
    ).values_list("number", flat=True)
    return [number for number in found if number is not None]


def compute_for(key: str) -> Callable[[Coalition, dt.date, dt.date], Decimal | None]:
    def compute(coalition: Coalition, start: dt.date, end: dt.date) -> Decimal | None:
        return calc.mean_score(scale_values(coalition, key, start, end), minimum_answers(coalition))

    return compute


def _records(coalition: Coalition, start: dt.date, end: dt.date) -> str | None:
    return reverse("feedback:surveys", args=[coalition.pk])


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
                records_url=_records,
            )
        )
