"""What meetings adds to other apps' pages (registered in ``MeetingsConfig.ready``): the common agenda's meeting
rhythm shows the real series, a commitment shows the meeting that agreed it, and those who run meetings see
agendas still to publish among their to-dos."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from coalition.core.extensions import Link
from coalition.core.permissions import Perm
from coalition.joint_action.models import Action
from coalition.meetings.models import ActionItem, Meeting, MeetingSeries
from coalition.notifications.todos import Seat, Todo, seats_with

SOON_DAYS = 7


def rhythm(coalition_id: int) -> list[Link]:
    series = MeetingSeries.objects.filter(coalition_id=coalition_id, is_archived=False).order_by("title")
    url = reverse("meetings:list", kwargs={"coalition_id": coalition_id})
    return [
        Link(
            s.title,
            url,
            f"{s.get_frequency_display()}, {s.get_weekday_display()}"
            + (f" ({s.get_week_of_month_display()})" if s.week_of_month else "")
            + f", {s.start_time:%H:%M} {s.timezone}",
        )
        for s in series
    ]


def origin(action: Action) -> list[Link]:
    linked = ActionItem.objects.filter(action=action).select_related("meeting").first()
    if linked is None:
        return []
    meeting = linked.meeting
    url = reverse("meetings:meeting", kwargs={"coalition_id": meeting.coalition_id, "meeting_id": meeting.pk})
    return [Link(meeting.title, url, formats.date_format(meeting.local_start, "DATE_FORMAT"))]


def agendas_to_publish(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Meetings in the coming week whose agenda is not published, for those who run meetings."""
    runners = [s.coalition_id for s in seats_with(seats, Perm.RUN_MEETINGS)]
    if not runners:
        return []
    soon = dt.datetime.combine(today + dt.timedelta(days=SOON_DAYS), dt.time.max, tzinfo=dt.UTC)
    rows = Meeting.objects.filter(
        coalition_id__in=runners,
        status=Meeting.Status.SCHEDULED,
        agenda_published_at__isnull=True,
        starts_at__gte=dt.datetime.combine(today, dt.time.min, tzinfo=dt.UTC),
        starts_at__lte=soon,
    ).values_list("pk", "coalition_id", "title", "starts_at")
    return [
        Todo(
            coalition_id,
            "meetings.agenda",
            _("Publish the agenda of “%(title)s”") % {"title": title},
            reverse("meetings:meeting", kwargs={"coalition_id": coalition_id, "meeting_id": pk}),
            due_on=starts_at.date(),
        )
        for pk, coalition_id, title, starts_at in rows
    ]
