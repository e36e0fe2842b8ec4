"""The demo coalition's meetings: a year of coordination meetings every second Tuesday and a monthly steering
committee, with agendas, realistic attendance (two members drifting away, one coming back), minutes, decisions
and action items in every state; the next meeting has a member's proposal waiting to be placed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from coalition.coalitions.access import Access, get_access
from coalition.joint_action import actions as joint_actions
from coalition.meetings import actions, queries
from coalition.meetings.models import Forum, Meeting
from coalition.stakeholders.demo_context import DemoContext

ZONE = "Europe/London"
# username -> chance of attending in the first, middle and last third of the year
DRIFT = {"priya": (0.9, 0.5, 0.15), "owen": (0.8, 0.55, 0.3), "lydia": (0.85, 0.05, 0.9)}
USUAL = (0.85, 0.85, 0.85)
TOPICS = (
    ("Round of updates from members", "inform", 20, "Each member shared news; the library reported more children at the clubs."),
    ("Reading clubs: rooms for the autumn", "discuss", 25, "Rooms are short in the south.\n\n- the parish offers its hall\n- the school can open on Thursdays"),
    ("Safe routes home: volunteers", "decide", 20, "Volunteers are needed on two routes. **Agreed** to ask the tenants' association."),
    ("Data for the shared indicators", "inform", 15, "Two members have not reported for the last quarter; the hub will help them."),
    ("Summer programme", "discuss", 30, "Ideas gathered for a joint summer programme; see the paper."),
)  # fmt: skip
DECISIONS = (
    ("Open a second reading club in Eastgate South", "consent", "adopted", "No objections after discussion."),
    ("Move coordination meetings online in August", "majority", "adopted", "Eight for, two against."),
    ("Fund a shared van for outings", "consensus", "postponed", "Costs to be checked first."),
    ("Join the city's youth network", "qualified", "rejected", "Fewer than two thirds in favour."),
)
ACTIONS = (
    "Book the parish hall for the autumn clubs",
    "Draft the volunteer rota for safe routes",
    "Share the reporting template with new members",
    "Collect quotes for the summer programme",
    "Write to the city about the youth network",
)


def _first_weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _chance(username: str, fraction: float) -> float:
    profile = DRIFT.get(username, USUAL)
    return profile[min(2, int(fraction * 3))]


def _attendance(ctx: DemoContext, meeting: Meeting, fraction: float) -> None:
    rows: dict[int, tuple[str, int | None]] = {}
    for membership in queries.invitees(meeting):
        roll = ctx.rng.random()
        if roll < _chance(membership.user.username, fraction):
            status = "present"
        else:
            status = "excused" if ctx.rng.random() < 0.4 else "absent"
        rows[membership.pk] = (status, membership.organisation_id)
    actions.do_record_attendance(ctx.hub, meeting, rows)


def _action_state(ctx: DemoContext, action: Any, index: int) -> None:
    """Spread action items over every state: done on time, done late, under way, not started, dropped."""
    today = ctx.today
    state = index % 5
    if state == 0 and action.due_on <= today:
        joint_actions.do_update_action(
            ctx.hub, action, status="done", completed_on=action.due_on - dt.timedelta(days=2)
        )
    elif state == 1 and action.due_on + dt.timedelta(days=6) <= today:
        joint_actions.do_update_action(
            ctx.hub, action, status="done", completed_on=action.due_on + dt.timedelta(days=6)
        )
    elif state == 2:
        joint_actions.do_update_action(ctx.hub, action, status="under_way")
    elif state == 4:
        joint_actions.do_update_action(ctx.hub, action, status="dropped", dropped_reason="Overtaken by events.")


def _hold(ctx: DemoContext, hub: Access, meeting: Meeting, number: int, fraction: float) -> None:
    """A past meeting: agenda published ahead (usually in time), attendance, minutes, decision, action item."""
    owners = ctx.member_organisations
    for k in range(2 + number % 2):
        title, purpose, minutes, text = TOPICS[(number + k) % len(TOPICS)]
        item = actions.do_propose_item(hub, meeting, title=title, purpose=purpose, minutes_needed=minutes)
        actions.do_save_minutes(ctx.hub, item, text)
    actions.do_publish_agenda(ctx.hub, meeting)
    ahead = dt.timedelta(days=2 if number % 6 == 5 else 7)  # one agenda in six goes out late
    Meeting.objects.filter(pk=meeting.pk).update(agenda_published_at=meeting.starts_at - ahead)
    _attendance(ctx, meeting, fraction)
    if number % 3 == 0:
        text, rule, result, reasoning = DECISIONS[(number // 3) % len(DECISIONS)]
        actions.do_record_decision(
            ctx.hub, meeting, item=None, text=text, rule=rule, result=result, reasoning=reasoning
        )
    if number % 2 == 0:
        linked = actions.do_add_action_item(
            ctx.hub,
            meeting,
            title=ACTIONS[(number // 2) % len(ACTIONS)],
            owner=owners[number % len(owners)],
            due_on=meeting.local_start.date() + dt.timedelta(days=14),
        )
        _action_state(ctx, linked.action, number // 2)


def _past(series_meetings: Any, now: dt.datetime) -> list[Meeting]:
    return list(series_meetings.filter(starts_at__lt=now, status=Meeting.Status.SCHEDULED).order_by("starts_at"))


def seed(ctx: DemoContext) -> None:
    hub = get_access(ctx.hub, ctx.coalition.pk)
    year_ago = ctx.today - dt.timedelta(days=364)
    coordination = actions.do_save_series(
        ctx.hub, ctx.coalition, title="Coordination meeting", forum=Forum.COALITION, working_group=None,
        frequency="biweekly", weekday=1, week_of_month=None, first_date=_first_weekday_on_or_after(year_ago, 1),
        until=None, start_time=dt.time(17, 0), duration_minutes=90, timezone=ZONE,
        place="Eastgate Youth Centre, main hall", call_link="https://meet.example.org/eastgate-coordination",
    )  # fmt: skip
    steering = actions.do_save_series(
        ctx.hub, ctx.coalition, title="Steering committee", forum=Forum.STEERING, working_group=None,
        frequency="monthly", weekday=3, week_of_month=1, first_date=year_ago, until=None,
        start_time=dt.time(18, 0), duration_minutes=60, timezone=ZONE, place="Eastgate Public Library, room 2",
        call_link="",
    )  # fmt: skip
    now = timezone.now()
    held = _past(coordination.meetings, now)
    # A holiday week was called off before it happened (marked cancelled afterwards in the demo's past).
    Meeting.objects.filter(pk=held[len(held) // 2].pk).update(status=Meeting.Status.CANCELLED)
    for number, meeting in enumerate(_past(coordination.meetings, now)):
        _hold(ctx, hub, meeting, number, number / max(1, len(held)))
    for number, meeting in enumerate(_past(steering.meetings, now)):
        _hold(ctx, hub, meeting, number + 1, 0.5)
    last = _past(coordination.meetings, now)[-1]
    for meeting in [*_past(coordination.meetings, now), *_past(steering.meetings, now)]:
        if meeting.pk != last.pk:  # the latest minutes wait for approval
            actions.do_approve_minutes(ctx.hub, meeting)
    upcoming = list(coordination.meetings.filter(starts_at__gte=now).order_by("starts_at")[:3])
    if len(upcoming) == 3:
        member = get_access(ctx.member, ctx.coalition.pk)
        actions.do_propose_item(member, upcoming[0], title="Holiday clubs: who opens when", purpose="discuss",
                                minutes_needed=20, description="A shared calendar of holiday openings.")  # fmt: skip
        actions.do_propose_item(hub, upcoming[0], title="Round of updates from members", purpose="inform",
                                minutes_needed=20)  # fmt: skip
        moved_to = upcoming[1].starts_at + dt.timedelta(days=1)
        actions.do_save_meeting(ctx.hub, ctx.coalition, meeting=upcoming[1], starts_at=moved_to)
        actions.do_cancel_meeting(ctx.hub, upcoming[2])
