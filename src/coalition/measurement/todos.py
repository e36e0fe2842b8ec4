"""Shared measurement's part of "what needs me" and of the cycle overview (``MeasurementConfig.ready``).

Data is due ``DUE_DAYS`` after the period it covers ends (the last complete period of each shared indicator
and of each indicator the person's organisation owns); it is overdue after that, and the to-do is gone once
the organisation has entered a value for the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Case, Count, DateField, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from coalition.coalitions.models import Coalition
from coalition.core.permissions import Perm
from coalition.measurement import periods
from coalition.measurement.models import DataValue, Frequency, Indicator, Submission
from coalition.notifications.todos import Seat, Step, Todo, seats_with

DUE_DAYS = 10
State = Submission.State


def last_complete_period(frequency: str, today: dt.date) -> dt.date:
    return periods.shift(frequency, periods.start_of(frequency, today), -1)


def due_date(frequency: str, period_start: dt.date) -> dt.date:
    return periods.end_of(frequency, period_start) + dt.timedelta(days=DUE_DAYS)


def _entry_url(coalition_id: int, indicator_id: int, frequency: str, start: dt.date) -> str:
    return reverse(
        "measurement:entry_grid",
        kwargs={"coalition_id": coalition_id, "indicator_id": indicator_id, "period": periods.label(frequency, start)},
    )


def data_due(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """The last complete period of each indicator the person's organisation reports on, not yet entered."""
    reporters = [s for s in seats_with(seats, Perm.ENTER_OWN_DATA) if s.organisation_id]
    if not reporters:
        return []
    period = Case(
        *[When(frequency=f, then=Value(last_complete_period(f, today))) for f in Frequency.values],
        output_field=DateField(),
    )
    organisation = Case(
        *[When(coalition_id=s.coalition_id, then=Value(s.organisation_id)) for s in reporters],
        output_field=IntegerField(),
    )
    entered = DataValue.objects.filter(
        indicator=OuterRef("pk"), period_start=OuterRef("due_period"), organisation_id=OuterRef("reporter")
    )
    rows = (
        Indicator.objects.filter(coalition_id__in=[s.coalition_id for s in reporters], is_archived=False)
        .annotate(due_period=period, reporter=organisation)
        .filter(Q(is_shared=True) | Q(owner_organisation_id=F("reporter")))
        .filter(~Exists(entered))
        .values_list("pk", "coalition_id", "name", "frequency", "due_period", "starts_on", "ends_on")
    )
    todos = []
    for pk, coalition_id, name, frequency, start, starts_on, ends_on in rows:
        if start < periods.start_of(frequency, starts_on) or (ends_on and start > ends_on):
            continue
        due = due_date(frequency, start)
        todos.append(
            Todo(
                coalition_id,
                "measurement.data_due",
                _("Enter %(indicator)s for %(period)s")
                % {"indicator": name, "period": periods.label(frequency, start)},
                _entry_url(coalition_id, pk, frequency, start),
                due_on=due,
                overdue=today > due,
            )
        )
    return todos


def data_returned(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Periods of the person's organisation sent back for correction (a draft that had been submitted)."""
    reporters = [s for s in seats_with(seats, Perm.ENTER_OWN_DATA) if s.organisation_id]
    if not reporters:
        return []
    mine = Q()
    for seat in reporters:
        mine |= Q(coalition_id=seat.coalition_id, organisation_id=seat.organisation_id)
    rows = (
        Submission.objects.filter(mine, state=State.DRAFT, submitted_at__isnull=False)
        .values_list("coalition_id", "indicator_id", "indicator__name", "indicator__frequency", "period_start")
        .order_by("period_start")
    )
    return [
        Todo(
            coalition_id,
            "measurement.data_returned",
            _("Correct %(indicator)s for %(period)s: returned by the hub")
            % {"indicator": name, "period": periods.label(frequency, start)},
            _entry_url(coalition_id, indicator_id, frequency, start),
            overdue=True,
        )
        for coalition_id, indicator_id, name, frequency, start in rows
    ]


def approvals_waiting(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """For those who approve data: how many submitted periods wait for review, per coalition."""
    reviewers = [s.coalition_id for s in seats_with(seats, Perm.APPROVE_DATA)]
    if not reviewers:
        return []
    rows = (
        Submission.objects.filter(coalition_id__in=reviewers, state=State.SUBMITTED)
        .values("coalition_id")
        .annotate(n=Count("pk"))
        .values_list("coalition_id", "n")
        .order_by("coalition_id")
    )
    return [
        Todo(
            coalition_id,
            "measurement.approve",
            _("Review %(count)s submitted data periods") % {"count": count},
            reverse("measurement:review", kwargs={"coalition_id": coalition_id}),
        )
        for coalition_id, count in rows
    ]


def measure_steps(coalition_id: int) -> list[Step]:
    facts = Coalition.objects.filter(pk=coalition_id).values(
        shared=Exists(Indicator.objects.filter(coalition_id=coalition_id, is_shared=True, is_archived=False)),
        approved=Exists(Submission.objects.filter(coalition_id=coalition_id, state__in=[State.APPROVED, State.LOCKED])),
    )
    if not facts:
        return []
    return [
        Step(
            "measure",
            _("Shared indicators defined"),
            bool(facts[0]["shared"]),
            reverse("measurement:indicators", kwargs={"coalition_id": coalition_id}),
        ),
        Step(
            "measure",
            _("First data approved"),
            bool(facts[0]["approved"]),
            reverse("measurement:dashboard", kwargs={"coalition_id": coalition_id}),
        ),
    ]
