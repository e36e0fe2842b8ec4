"""The messages meetings send, declared to the notifications engine (``MeetingsConfig.ready``): a published
agenda with its iCalendar invitation, a cancellation, and the follow-up once the minutes are approved (one
message per invitee with the decisions and that person's own action items)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.meetings import ical, queries
from coalition.meetings.models import ActionItem, AgendaItem, Meeting
from coalition.notifications.registry import Attachment, EventType, Payload, declare

AGENDA_PUBLISHED = "meetings.agenda_published"
MEETING_CANCELLED = "meetings.meeting_cancelled"
FOLLOW_UP = "meetings.follow_up"


def _when(meeting: Meeting) -> str:
    return f"{formats.date_format(meeting.local_start, 'DATETIME_FORMAT')} ({meeting.timezone})"


# Lazy: written when each recipient's message is, in that recipient's language (month names, date order).
when = lazy(_when, str)


def agenda_text(items: Sequence[AgendaItem], carried: Sequence[ActionItem]) -> str:
    lines = [
        f"{number}. {item.title} — {item.get_purpose_display()}, {item.minutes_needed} min"
        for number, item in enumerate(items, start=1)
    ]
    if carried:
        lines.append("")
        lines.append(_("Open action items carried over:"))
        lines += [f"- {c.action.title} ({c.action.lead.name}, {c.action.due_on:%Y-%m-%d})" for c in carried]
    return "\n".join(lines)


def _invitees(payload: Payload) -> list[int]:
    meeting = Meeting.objects.get(pk=payload["meeting_id"])
    return list(queries.invitees(meeting).values_list("user_id", flat=True))


def _meeting_id(key: str) -> int:
    return int(key.split(":")[1])


def _calendar_file(key: str, recipient_id: int, *, cancel: bool) -> Sequence[Attachment]:
    meeting = Meeting.objects.filter(pk=_meeting_id(key)).first()
    if meeting is None:
        return ()
    email = get_user_model().objects.filter(pk=recipient_id).values_list("email", flat=True).first() or ""
    description = "" if cancel else agenda_text(queries.agenda(meeting), list(queries.carried_items(meeting)))
    text = ical.invitation(meeting, email, description, cancel=cancel)
    method = "CANCEL" if cancel else "REQUEST"
    return [("invite.ics", text, f"{ical.CONTENT_TYPE}; method={method}; charset=utf-8")]


def _invitation(key: str, recipient_id: int) -> Sequence[Attachment]:
    return _calendar_file(key, recipient_id, cancel=False)


def _cancellation(key: str, recipient_id: int) -> Sequence[Attachment]:
    return _calendar_file(key, recipient_id, cancel=True)


def declare_all() -> None:
    declare(
        EventType(
            AGENDA_PUBLISHED,
            gettext_lazy("A meeting's agenda is published"),
            gettext_lazy("%(coalition)s: agenda for %(meeting)s, %(when)s"),
            gettext_lazy(
                "The agenda for %(meeting)s is ready.\n\nWhen: %(when)s\nWhere: %(where)s\n\n%(agenda)s\n\n"
                "The attached invitation adds the meeting to your calendar."
            ),
            _invitees,
            attachments=_invitation,
        )
    )
    declare(
        EventType(
            MEETING_CANCELLED,
            gettext_lazy("A meeting is cancelled"),
            gettext_lazy("%(coalition)s: %(meeting)s on %(when)s is cancelled"),
            gettext_lazy("%(meeting)s planned for %(when)s will not take place."),
            _invitees,
            attachments=_cancellation,
        )
    )
    declare(
        EventType(
            FOLLOW_UP,
            gettext_lazy("Minutes approved: decisions and your action items"),
            gettext_lazy("%(coalition)s: minutes of %(meeting)s"),
            gettext_lazy(
                "The minutes of %(meeting)s (%(when)s) are approved.\n\nDecisions taken:\n%(decisions)s\n\n"
                "Your action items:\n%(actions)s"
            ),
            _invitees,
        )
    )
