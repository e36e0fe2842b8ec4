"""The conditions meeting routes declare beside their ``Perm`` (``coalition_view(..., rules=...)``): a closed
forum's meeting, its agenda and its papers are for its invitees (and those who run meetings)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from coalition.coalitions.access import Access, Rule, scoped_get
from coalition.core.permissions import Perm
from coalition.meetings.models import AgendaItem, Meeting, Paper
from coalition.meetings.queries import may_see


def _meeting_of(access: Access, kwargs: dict[str, Any]) -> Meeting:
    if "paper_id" in kwargs:
        return scoped_get(access, Paper.objects.select_related("item__meeting"), pk=kwargs["paper_id"]).item.meeting
    if "item_id" in kwargs:
        return scoped_get(access, AgendaItem.objects.select_related("meeting"), pk=kwargs["item_id"]).meeting
    return scoped_get(access, Meeting, pk=kwargs["meeting_id"])


def _sees_meeting(request: HttpRequest, access: Access, **kwargs: Any) -> bool:
    return may_see(access, _meeting_of(access, kwargs))


INVITED = Rule(
    "steering committee and working group meetings, and their papers: their invitees only",
    Perm.VIEW_MEETINGS,
    _sees_meeting,
    bypass=Perm.RUN_MEETINGS,
)
INVITED_TO_PROPOSE = Rule(
    "agenda items are proposed by the meeting's invitees (any member for a whole-coalition meeting)",
    Perm.PROPOSE_AGENDA_ITEM,
    _sees_meeting,
    bypass=Perm.RUN_MEETINGS,
)


def _minutes_readable(request: HttpRequest, access: Access, **kwargs: Any) -> bool:
    meeting = _meeting_of(access, kwargs)
    return meeting.minutes_approved_at is not None and may_see(access, meeting)


MINUTES_READABLE = Rule(
    "approved minutes are read by the meeting's readers; drafts by those who run meetings",
    Perm.VIEW_MEETINGS,
    _minutes_readable,
    bypass=Perm.RUN_MEETINGS,
)
