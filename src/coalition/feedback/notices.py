"""The messages the listening app sends, declared to the notifications engine (``FeedbackConfig.ready``): a survey
round opens, and a reminder to those who have not answered three days before it closes. Recipients are given
when the event is raised (the members asked, less those who already answered)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from coalition.notifications.registry import EventType, Payload, declare

ROUND_OPENED = "feedback.round_opened"
ROUND_REMINDER = "feedback.round_reminder"


def _nobody(payload: Payload) -> list[int]:
    return []


def declare_all() -> None:
    declare(
        EventType(
            ROUND_OPENED,
            gettext_lazy("A member survey opens"),
            gettext_lazy("%(coalition)s: %(round)s is open"),
            gettext_lazy(
                "The member survey %(round)s is open until %(closes_on)s. It takes a few minutes; "
                "your answers shape how the coalition works."
            ),
            _nobody,
        )
    )
    declare(
        EventType(
            ROUND_REMINDER,
            gettext_lazy("Reminder: a member survey closes soon"),
            gettext_lazy("%(coalition)s: %(round)s closes on %(closes_on)s"),
            gettext_lazy("You have not answered %(round)s yet. It closes on %(closes_on)s."),
            _nobody,
        )
    )
