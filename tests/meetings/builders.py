"""Builders for meetings tests: they go through the actions, as the product does."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from coalition.coalitions.models import Coalition
from coalition.meetings import actions
from coalition.meetings.models import AgendaItem, Forum, Meeting, MeetingSeries, Paper
from tests.joint_action.builders import hub_of

_seq = itertools.count(1)


def soon(days: int = 7, hour: int = 17) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return actions.local_start(day, dt.time(hour, 0), "Europe/London")


def meeting(coalition: Coalition, *, forum: str = Forum.COALITION, starts_at: dt.datetime | None = None,
            **fields: Any) -> Meeting:  # fmt: skip
    return actions.do_save_meeting(
        hub_of(coalition),
        coalition,
        title=fields.pop("title", f"Meeting {next(_seq)}"),
        forum=forum,
        working_group=fields.pop("working_group", None),
        starts_at=starts_at or soon(),
        duration_minutes=fields.pop("duration_minutes", 90),
        timezone=fields.pop("timezone", "Europe/London"),
        place=fields.pop("place", "Town hall"),
        call_link=fields.pop("call_link", ""),
    )


def series(coalition: Coalition, **fields: Any) -> MeetingSeries:
    values: dict[str, Any] = {
        "title": f"Coordination {next(_seq)}",
        "forum": Forum.COALITION,
        "working_group": None,
        "frequency": "biweekly",
        "weekday": 1,
        "week_of_month": None,
        "first_date": timezone.localdate(),
        "until": timezone.localdate() + dt.timedelta(days=60),
        "start_time": dt.time(17, 0),
        "duration_minutes": 90,
        "timezone": "Europe/London",
        "place": "Youth centre",
        "call_link": "",
    }
    values.update(fields)
    return actions.do_save_series(hub_of(coalition), coalition, **values)


class _HubAccess:
    """Just enough of an ``Access`` for ``do_propose_item`` called by the hub."""

    def __init__(self, coalition: Coalition) -> None:
        self.membership = coalition.memberships.filter(roles__role="hub").first()
        self.user = self.membership.user

    def can(self, perm: str) -> bool:
        return True


def item(coalition: Coalition, *, in_meeting: Meeting | None = None, **fields: Any) -> AgendaItem:
    target = in_meeting or meeting(coalition)
    return actions.do_propose_item(
        _HubAccess(coalition),  # type: ignore[arg-type]
        target,
        title=fields.pop("title", f"Item {next(_seq)}"),
        purpose=fields.pop("purpose", "discuss"),
        minutes_needed=fields.pop("minutes_needed", 10),
        description=fields.pop("description", ""),
        papers=fields.pop("papers", ()),
    )


def paper(coalition: Coalition, *, in_meeting: Meeting | None = None) -> Paper:
    made = item(
        coalition, in_meeting=in_meeting, papers=[actions.Upload("budget.pdf", b"%PDF-1.4 test", "application/pdf")]
    )
    return made.papers.get()
