"""Shared measurement's event types (declared in ``MeasurementConfig.ready``), raised by the review actions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coalition.coalitions.models import Membership
from coalition.measurement import periods
from coalition.measurement.models import Submission
from coalition.notifications.events import raise_event
from coalition.notifications.registry import EventType, Payload, declare

DATA_RETURNED = "measurement.data_returned"
DATA_APPROVED = "measurement.data_approved"


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
        url=reverse(
            "measurement:entry_grid",
            kwargs={"coalition_id": submission.coalition_id, "indicator_id": indicator.pk, "period": period},
        ),
    )
