"""Shared measurement's part of "what needs me" and of the cycle overview (``MeasurementConfig.ready``).

Data is due by the indicator's due rule (``deadlines``): each complete period still chased (``late``) that the
person's organisation has not entered is a to-do, overdue after its due date, and gone once a value is in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.coalitions.models import Coalition
from coalition.core.permissions import Perm
from coalition.measurement import late, periods
from coalition.measurement.models import Indicator, Submission
from coalition.notifications.todos import Seat, Step, Todo, count_per_coalition, seats_with

State = Submission.State


def entry_url(coalition_id: int, indicator_id: int, frequency: str, start: dt.date) -> str:
    return reverse(
        "measurement:entry_grid",
        kwargs={"coalition_id": coalition_id, "indicator_id": indicator_id, "period": periods.label(frequency, start)},
    )


def data_due(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Each chased period of each indicator the person's organisation reports on, not yet entered."""
    reporters = {
        s.coalition_id: [s.organisation_id] for s in seats_with(seats, Perm.ENTER_OWN_DATA) if s.organisation_id
    }
    return [
        Todo(
            report.coalition_id,
            "measurement.data_due",
            _("Enter %(indicator)s for %(period)s") % {"indicator": report.indicator, "period": report.period},
            entry_url(report.coalition_id, report.indicator_id, report.frequency, report.period_start),
            due_on=report.due_on,
            overdue=report.overdue,
        )
        for report in late.open_reports(reporters, today)
    ]


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
            entry_url(coalition_id, indicator_id, frequency, start),
            overdue=True,
        )
        for coalition_id, indicator_id, name, frequency, start in rows
    ]


def approvals_waiting(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """For those who approve data: how many submitted periods wait for review, per coalition."""
    reviewers = [s.coalition_id for s in seats_with(seats, Perm.APPROVE_DATA)]
    if not reviewers:
        return []
    return count_per_coalition(
        Submission.objects.filter(coalition_id__in=reviewers, state=State.SUBMITTED),
        "measurement.approve",
        gettext_lazy("Review %(count)s submitted data periods"),
        "measurement:review",
    )


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
