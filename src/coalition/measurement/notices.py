"""Shared measurement's event types (declared in ``MeasurementConfig.ready``): raised by the review actions,
and by the daily task for reports due soon or overdue (``remind_reporters``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Coalition, Membership
from coalition.measurement import late, periods
from coalition.measurement.models import Submission
from coalition.measurement.todos import entry_url
from coalition.notifications.events import raise_event
from coalition.notifications.registry import EventType, Payload, declare

DATA_RETURNED = "measurement.data_returned"
DATA_APPROVED = "measurement.data_approved"
DATA_DUE = "measurement.data_due"
DATA_OVERDUE = "measurement.data_overdue"


def _reporters(payload: Payload) -> list[int]:
    """The active people of the organisation whose data it is."""
    return list(
        Membership.objects.filter(
            coalition_id=payload["coalition_id"], organisation_id=payload["organisation_id"], is_active=True
        ).values_list("user_id", flat=True)
    )


def declare_all() -> None:
    declare(
        EventType(
            DATA_RETURNED,
            _("Your data was returned for correction"),
            _("%(coalition)s: please correct %(indicator)s for %(period)s"),
            _("The hub of %(coalition)s returned %(indicator)s for %(period)s for correction. Reason: %(reason)s"),
            _reporters,
        )
    )
    declare(
        EventType(
            DATA_APPROVED,
            _("Your data was approved"),
            _("%(coalition)s: %(indicator)s for %(period)s approved"),
            _("The hub of %(coalition)s approved the data you submitted for %(indicator)s, %(period)s."),
            _reporters,
        )
    )
    declare(
        EventType(
            DATA_DUE,
            _("Your data is due soon"),
            _("%(coalition)s: %(indicator)s for %(period)s is due on %(due_on)s"),
            _(
                "Your organisation's data for %(indicator)s, %(period)s, is due in %(coalition)s on %(due_on)s. "
                "Enter it before then so the coalition's figures are complete."
            ),
            _reporters,
        )
    )
    declare(
        EventType(
            DATA_OVERDUE,
            _("Your data is overdue"),
            _("%(coalition)s: %(indicator)s for %(period)s is overdue"),
            _(
                "Your organisation's data for %(indicator)s, %(period)s, was due in %(coalition)s on %(due_on)s "
                "and has not been entered. Enter it now, or tell the hub what is in the way."
            ),
            _reporters,
        )
    )


def remind_reporters(today: dt.date) -> int:
    """Raise "due soon" once per organisation, indicator and period when its due date is near, and "overdue"
    once after it; a report entered meanwhile is not chased. Returns the messages written."""
    organisations: dict[int, list[int]] = defaultdict(list)
    for coalition_id, organisation_id in (
        Membership.objects.filter(is_active=True, organisation__isnull=False)
        .values_list("coalition_id", "organisation_id")
        .distinct()
        .order_by("coalition_id", "organisation_id")
    ):
        organisations[coalition_id].append(organisation_id)
    reports = [r for r in late.open_reports(organisations, today) if r.chased]
    names = dict(Coalition.objects.filter(pk__in={r.coalition_id for r in reports}).values_list("pk", "name"))
    raised = 0
    for report in reports:
        name = DATA_OVERDUE if report.overdue else DATA_DUE
        raised += raise_event(
            name,
            key=f"{name}:{report.indicator_id}:{report.organisation_id}:{report.period_start.isoformat()}",
            payload={
                "coalition_id": report.coalition_id,
                "coalition": names[report.coalition_id],
                "organisation_id": report.organisation_id,
                "indicator": report.indicator,
                "period": report.period,
                "due_on": report.due_on.isoformat(),
            },
            coalition_id=report.coalition_id,
            url=entry_url(report.coalition_id, report.indicator_id, report.frequency, report.period_start),
        )
    return raised


def review_decided(name: str, submission: Submission, note: str = "") -> None:
    indicator = submission.indicator
    period = periods.label(indicator.frequency, submission.period_start)
    raise_event(
        name,
        key=f"{name}:{submission.pk}:{submission.updated_at.isoformat()}",
        payload={
            "coalition_id": submission.coalition_id,
            "coalition": indicator.coalition.name,
            "organisation_id": submission.organisation_id,
            "indicator": indicator.name,
            "period": period,
            "reason": note,
        },
        coalition_id=submission.coalition_id,
        url=entry_url(submission.coalition_id, indicator.pk, indicator.frequency, submission.period_start),
    )
