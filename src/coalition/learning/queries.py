"""Reads with rules: when the next pause is due, the adaptation log, which stories a use may show, the
outcome filter. Views, exports, the brief and the API share them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from coalition.coalitions.models import Coalition
from coalition.learning.models import Adaptation, LearningSettings, Outcome, Pause, Selection, Story

DEFAULT_INTERVAL_WEEKS = 8


def interval_weeks(coalition: Coalition) -> int:
    found = LearningSettings.objects.filter(coalition=coalition).values_list("interval_weeks", flat=True).first()
    return found or DEFAULT_INTERVAL_WEEKS


def last_pause(coalition: Coalition) -> Pause | None:
    return Pause.objects.filter(coalition=coalition).order_by("-held_on", "-pk").first()


def next_pause_due(coalition: Coalition, weeks: int | None = None, last_held: dt.date | None = None) -> dt.date:
    """The last pause's date (or, before any, the coalition's start or creation) plus the interval."""
    weeks = interval_weeks(coalition) if weeks is None else weeks
    if last_held is None:
        last = last_pause(coalition)
        last_held = last.held_on if last else (coalition.starts_on or coalition.created_at.date())
    return last_held + dt.timedelta(weeks=weeks)


def default_period(coalition: Coalition, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period a new pause covers: from the day after the last pause (or one interval back) to today."""
    last = last_pause(coalition)
    start = last.held_on + dt.timedelta(days=1) if last else today - dt.timedelta(weeks=interval_weeks(coalition))
    return min(start, today), today


def adaptation_log(coalition: Coalition, kind: str = "") -> QuerySet[Adaptation]:
    found = Adaptation.objects.filter(coalition=coalition).select_related("pause", "applied_by")
    return found.filter(kind=kind) if kind else found


def stories(coalition: Coalition, use: str) -> QuerySet[Story]:
    """The stories ``use`` may show (consent decides, see ``StoryQuerySet.for_use``)."""
    return Story.objects.filter(coalition=coalition).for_use(use).select_related("domain")


def selections(coalition: Coalition, use: str) -> QuerySet[Selection]:
    """A round's picks, without any story whose storyteller has since withdrawn consent for ``use``."""
    return Selection.objects.filter(
        round__coalition=coalition, story__in=Story.objects.filter(coalition=coalition).for_use(use)
    ).select_related("story", "domain", "round")


@dataclass(frozen=True)
class OutcomeFilter:
    q: str = ""
    priority: int | None = None
    indicator: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def outcomes(coalition: Coalition, filters: OutcomeFilter = OutcomeFilter()) -> QuerySet[Outcome]:  # noqa: B008
    found = Outcome.objects.filter(coalition=coalition).prefetch_related("priorities", "indicators")
    if filters.q:
        found = found.filter(
            Q(description__icontains=filters.q)
            | Q(social_actor__icontains=filters.q)
            | Q(place__icontains=filters.q)
            | Q(contribution__icontains=filters.q)
        )
    if filters.priority:
        found = found.filter(priorities__pk=filters.priority)
    if filters.indicator:
        found = found.filter(indicators__pk=filters.indicator)
    if filters.since:
        found = found.filter(happened_on__gte=filters.since)
    if filters.until:
        found = found.filter(happened_on__lte=filters.until)
    return found.distinct()
