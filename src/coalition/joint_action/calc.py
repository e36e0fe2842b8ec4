"""Pure calculations for joint action: follow-through, date overlaps, the launch phases and the
week-by-week workplan layout. No database access here; every function works on plain values (the launch
template's titles are marked for translation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext_lazy as _

DONE = "done"
DROPPED = "dropped"

# --------------------------------------------------------------------------------------------- follow-through


@dataclass(frozen=True)
class Commitment:
    """The three facts follow-through needs about one action."""

    status: str
    due_on: dt.date
    completed_on: dt.date | None = None


@dataclass(frozen=True)
class FollowThrough:
    due: int
    on_time: int
    late: int
    overdue: int

    @property
    def rate(self) -> Fraction | None:
        """``on_time / due``; ``None`` when nothing has come due yet (never a division by zero)."""
        return Fraction(self.on_time, self.due) if self.due else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


def follow_through(commitments: Iterable[Commitment], as_of: dt.date) -> FollowThrough:
    """How well commitments were kept, as of a date.

    An action *comes due* once it is done (whenever that was) or once its due date has passed without it
    being done (``due_on < as_of``): an action due today is not late yet. Dropped actions never come due: the
    coalition decided, with a recorded reason, not to do them. Of the actions that came due, those done on or
    before their due date are *on time*, those done after it are *late*, and the rest are *overdue*.

    Rate = on time / came due. Finishing early counts at once; an action still open before its due date does
    not count either way.
    """
    on_time = late = overdue = 0
    for item in commitments:
        if item.status == DROPPED:
            continue
        if item.status == DONE and item.completed_on is not None:
            if item.completed_on <= item.due_on:
                on_time += 1
            else:
                late += 1
        elif item.due_on < as_of:
            overdue += 1
    return FollowThrough(due=on_time + late + overdue, on_time=on_time, late=late, overdue=overdue)


# --------------------------------------------------------------------------------------------------- overlaps


@dataclass(frozen=True)
class Occupation:
    """Something running of one activity type at one place over a date span (``ends_on`` None = ongoing)."""

    key: Hashable
    activity_type: Hashable
    place: str
    starts_on: dt.date
    ends_on: dt.date | None


def normalise_place(place: str) -> str:
    """Places match case-insensitively with runs of spaces collapsed."""
    return " ".join(place.split()).casefold()


def periods_overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Whether two date spans share at least one day.

    Both ends are inclusive: a span that ends on 10 May and one that starts on 10 May overlap (both run that
    day); one that ends on 9 May and one that starts on 10 May merely touch and do not. An empty end means
    the span is still running, so it reaches every later date.
    """
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def find_overlaps(candidate: Occupation, others: Iterable[Occupation]) -> list[Occupation]:
    """The others of the same activity type at the same place whose dates overlap the candidate's (not itself)."""
    place = normalise_place(candidate.place)
    return [
        other
        for other in others
        if other.key != candidate.key
        and other.activity_type == candidate.activity_type
        and normalise_place(other.place) == place
        and periods_overlap(candidate.starts_on, candidate.ends_on, other.starts_on, other.ends_on)
    ]


def has_simultaneous(spans: Sequence[tuple[dt.date, dt.date | None]]) -> bool:
    """Whether any two of the spans overlap (a sweep over the spans sorted by start, same rules as above)."""
    reach: dt.date | None = None  # the latest end among the spans seen so far
    for start, end in sorted(spans, key=lambda s: s[0]):
        if reach is not None and start <= reach:
            return True
        end = end or dt.date.max
        reach = end if reach is None else max(reach, end)
    return False


def clip_to_period(
    starts_on: dt.date, ends_on: dt.date | None, period_start: dt.date | None, period_end: dt.date | None
) -> bool:
    """Whether a span falls (at least partly) inside a filter period; missing period ends are unbounded."""
    return (period_end is None or starts_on <= period_end) and (
        period_start is None or ends_on is None or ends_on >= period_start
    )


# ------------------------------------------------------------------------------------------ launch workplan


@dataclass(frozen=True)
class TemplateTask:
    title: Any  # a lazily translated string
    first_day: int  # 1-based day of the launch
    last_day: int


# The 90-day launch checklist, in our own words: a first month to get organised and agree the basics, a second
# to start working together, a third to look back and decide what comes next.
LAUNCH_TEMPLATE: tuple[TemplateTask, ...] = (
    TemplateTask(_("Confirm which organisation hosts the hub and who coordinates"), 1, 7),
    TemplateTask(_("List stakeholders across sectors and rate their power and interest"), 1, 14),
    TemplateTask(_("Walk the neighbourhood for a one-day scan of assets"), 8, 14),
    TemplateTask(_("Hold the launch meeting with a representative mix of partners"), 15, 21),
    TemplateTask(_("Agree the common agenda and a few priorities"), 15, 28),
    TemplateTask(_("Choose up to three shared indicators and their baselines"), 22, 30),
    TemplateTask(_("Name a coordinator and agree how decisions will be made"), 22, 30),
    TemplateTask(_("Agree a joint action plan and who leads each action"), 31, 42),
    TemplateTask(_("Start a small pilot with two or three members"), 35, 60),
    TemplateTask(_("Set up simple routines for members to report data"), 31, 45),
    TemplateTask(_("Hold coordination meetings every two weeks"), 31, 60),
    TemplateTask(_("Find a fiscal sponsor or small pooled fund for coordination costs"), 40, 60),
    TemplateTask(_("Check early data and adjust roles where needed"), 50, 60),
    TemplateTask(_("Gather participant feedback on the pilot"), 61, 75),
    TemplateTask(_("Hold a learning pause on indicators, feedback and spending"), 76, 84),
    TemplateTask(_("Decide whether to refine, expand or seek longer-term funding"), 80, 88),
    TemplateTask(_("Share a one-page summary of decisions with all partners"), 85, 90),
)

PHASES = ((1, 30), (31, 60), (61, 90))


def launch_day(starts_on: dt.date, day: dt.date) -> int:
    """The 1-based day of the launch that ``day`` falls on."""
    return (day - starts_on).days + 1


def launch_phase(starts_on: dt.date, due_on: dt.date) -> int:
    """Which 30-day block a task due on ``due_on`` belongs to: 0 (days 1–30), 1 (31–60), 2 (61–90), 3 (after).

    Tasks due before day 1 count in the first block.
    """
    day = launch_day(starts_on, due_on)
    for index, (_first, last) in enumerate(PHASES):
        if day <= last:
            return index
    return len(PHASES)


def template_dates(starts_on: dt.date, task: TemplateTask) -> tuple[dt.date, dt.date]:
    return starts_on + dt.timedelta(days=task.first_day - 1), starts_on + dt.timedelta(days=task.last_day - 1)


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Bar:
    item: Any
    row: int
    first_week: int  # 0-based week column
    last_week: int
    state: str  # "done", "overdue" or "open"


@dataclass(frozen=True)
class GanttLayout:
    weeks: list[dt.date]  # Monday of each column
    bars: list[Bar]
    today_week: int | None  # column holding today, if shown
    today_offset: Fraction | None  # position of today inside its week, 0 (Monday) to 6/7 (Sunday)


def task_state(due_on: dt.date, done_on: dt.date | None, today: dt.date) -> str:
    if done_on is not None:
        return "done"
    return "overdue" if due_on < today else "open"


def gantt_layout(tasks: Sequence[tuple[Any, dt.date, dt.date, dt.date | None]], today: dt.date) -> GanttLayout:
    """Lay out ``(item, starts_on, due_on, done_on)`` tasks week by week (Monday-based columns), one row each."""
    if not tasks:
        return GanttLayout([], [], None, None)
    first = week_start(min(t[1] for t in tasks))
    last = week_start(max(t[2] for t in tasks))
    count = (last - first).days // 7 + 1
    weeks = [first + dt.timedelta(weeks=i) for i in range(count)]
    bars = [
        Bar(
            item=item,
            row=row,
            first_week=(week_start(start) - first).days // 7,
            last_week=(week_start(due) - first).days // 7,
            state=task_state(due, done, today),
        )
        for row, (item, start, due, done) in enumerate(tasks)
    ]
    today_week = (week_start(today) - first).days // 7
    if not 0 <= today_week < count:
        return GanttLayout(weeks, bars, None, None)
    return GanttLayout(weeks, bars, today_week, Fraction(today.weekday(), 7))
