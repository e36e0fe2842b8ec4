"""iCalendar (RFC 5545) for meetings, written with the ``icalendar`` package: the invitation sent with a published
agenda (METHOD:REQUEST, or CANCEL) and each person's feed. Times carry their zone (TZID + VTIMEZONE)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coalition.meetings.models import Meeting

PRODID = "-//Coalition//Meetings//EN"
CONTENT_TYPE = "text/calendar"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{_host()}"


def meeting_url(meeting: Meeting) -> str:
    path = reverse("meetings:meeting", kwargs={"coalition_id": meeting.coalition_id, "meeting_id": meeting.pk})
    return settings.SITE_URL.rstrip("/") + path


def _event(meeting: Meeting, description: str = "") -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.ends_at.astimezone(meeting.zone))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("url", meeting_url(meeting))
    location = ", ".join(part for part in (meeting.place, meeting.call_link) if part)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    return event


def _calendar(method: str | None, events: Iterable[icalendar.Event], name: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def invitation(meeting: Meeting, attendee_email: str, description: str = "", cancel: bool = False) -> str:
    """The invitation (or its cancellation) for one invitee, as iCalendar text."""
    event = _event(meeting, description)
    organiser = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    event.add("organizer", f"mailto:{organiser}")
    if attendee_email:
        event.add("attendee", f"mailto:{attendee_email}", parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"})
    return _calendar("CANCEL" if cancel else "REQUEST", [event]).decode()


def feed(meetings: Iterable[Meeting], name: str) -> bytes:
    """A person's calendar: their meetings (cancelled ones marked so)."""
    return _calendar(None, (_event(meeting) for meeting in meetings), name)
