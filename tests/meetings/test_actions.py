"""Meetings' rules with hand-written expectations: series and their occurrences, agenda, publishing with an
iCalendar invitation, attendance and quorum, decisions, action items as commitments, the follow-up."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalition.coalitions.access import get_access
from coalition.joint_action import queries as joint_queries
from coalition.joint_action.models import Action
from coalition.meetings import actions, queries
from coalition.meetings.models import AgendaItem, Forum, Meeting
from coalition.notifications import delivery
from coalition.notifications.models import Notification
from tests import factories
from tests.meetings import builders

LONDON = ZoneInfo("Europe/London")


def test_a_series_makes_its_occurrences_and_keeps_moved_and_cancelled_ones(world: Any) -> None:
    first = timezone.localdate() + dt.timedelta(days=1)
    series = builders.series(world.coalition, first_date=first, until=first + dt.timedelta(days=55), frequency="weekly",
                             weekday=first.weekday())  # fmt: skip
    meetings = list(series.meetings.order_by("starts_at"))
    assert [m.local_start.date() for m in meetings] == [first + dt.timedelta(days=7 * k) for k in range(8)]
    assert all(m.local_start.time() == dt.time(17, 0) for m in meetings)
    moved, cancelled = meetings[2], meetings[4]
    new_start = moved.starts_at + dt.timedelta(days=1, hours=1)
    actions.do_save_meeting(world.hub, world.coalition, meeting=moved, starts_at=new_start)
    actions.do_cancel_meeting(world.hub, cancelled)
    # Changing the series (its time) replaces untouched future occurrences only.
    actions.do_save_series(world.hub, world.coalition, series=series, start_time=dt.time(18, 30))
    after = list(series.meetings.order_by("original_start"))
    assert len(after) == 8  # no occurrence made twice, none lost
    by_original = {m.original_start: m for m in after}
    assert by_original[moved.original_start].starts_at == new_start
    assert by_original[cancelled.original_start].status == Meeting.Status.CANCELLED
    others = [m for m in after if m.pk not in (moved.pk, cancelled.pk)]
    assert all(m.local_start.time() == dt.time(18, 30) for m in others)


def test_a_series_refuses_an_unknown_time_zone_and_a_monthly_rhythm_without_its_week(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        builders.series(world.coalition, timezone="Mars/Olympus")
    assert list(refused.value.message_dict) == ["timezone"]
    with pytest.raises(ValidationError) as refused:
        builders.series(world.coalition, frequency="monthly", week_of_month=None)
    assert list(refused.value.message_dict) == ["week_of_month"]


def test_members_propose_before_the_deadline_and_those_who_run_meetings_accept(world: Any) -> None:
    meeting = builders.meeting(world.coalition)
    member = get_access(world.member, world.coalition.pk)
    item = actions.do_propose_item(member, meeting, title="Summer plans", purpose="decide", minutes_needed=15)
    assert item.status == AgendaItem.Status.PROPOSED
    meeting.proposals_close_at = timezone.now() - dt.timedelta(minutes=1)
    meeting.save()
    with pytest.raises(ValidationError):
        actions.do_propose_item(member, meeting, title="Too late", purpose="inform", minutes_needed=5)
    hub = get_access(world.hub, world.coalition.pk)
    late = actions.do_propose_item(hub, meeting, title="Urgent", purpose="inform", minutes_needed=5)
    assert late.status == AgendaItem.Status.ACCEPTED


def _publish(world: Any, meeting: Meeting) -> None:
    item = builders.item(world.coalition, in_meeting=meeting, title="Budget")
    actions.do_triage_item(world.hub, item, status="accepted", position=1, minutes_needed=20)
    actions.do_publish_agenda(world.facilitator, meeting)


def test_publishing_sends_invitees_the_agenda_with_an_invitation_that_parses_back(world: Any) -> None:
    start = actions.local_start(timezone.localdate() + dt.timedelta(days=10), dt.time(17, 30), "Europe/London")
    meeting = builders.meeting(world.coalition, starts_at=start, title="Coordination")
    _publish(world, meeting)
    invited = set(queries.invitees(meeting).values_list("user__email", flat=True))
    assert {world.member.email, world.hub.email, world.observer.email} <= invited
    assert world.outsider.email not in invited
    delivery.deliver_pending()
    sent = [m for m in mail.outbox if "Coordination" in m.subject]
    assert {m.to[0] for m in sent} == invited
    message = next(m for m in sent if m.to[0] == world.member.email)
    assert "Budget" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert filename == "invite.ics" and "method=REQUEST" in mimetype
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt == start and event["DTSTART"].dt.astimezone(LONDON).time() == dt.time(17, 30)
    assert event["DTEND"].dt - event["DTSTART"].dt == dt.timedelta(minutes=90)
    assert str(event["ATTENDEE"]) == f"mailto:{world.member.email}"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"


def test_a_steering_committee_meeting_invites_the_committee_and_those_who_run_meetings(world: Any) -> None:
    steering = factories.add_member(world.coalition, factories.make_user("steer"), ["steering"])
    meeting = builders.meeting(world.coalition, forum=Forum.STEERING)
    invited = set(queries.invitees(meeting).values_list("pk", flat=True))
    member = get_access(world.member, world.coalition.pk).membership
    assert steering.pk in invited and member.pk not in invited
    assert get_access(world.hub, world.coalition.pk).membership.pk in invited


def test_attendance_quorum_decisions_and_the_decision_log_rows(world: Any) -> None:
    meeting = builders.meeting(world.coalition)
    invitees = list(queries.invitees(meeting))
    rows = {m.pk: ("present" if i < 2 else "absent", m.organisation_id) for i, m in enumerate(invitees)}
    actions.do_record_attendance(world.hub, meeting, rows)
    # five invitees (hub, facilitator, member, observer + the hub's and facilitator's roles): 50 % rounds up to 3
    assert len(invitees) == 4
    assert queries.quorum(meeting, 4, 2) == {"share": 50, "needed": 2, "present": 2, "met": True}
    assert queries.quorum(meeting, 5, 2)["needed"] == 3
    stranger = factories.add_member(world.other, factories.make_user("far"), ["member"])
    with pytest.raises(ValidationError):
        actions.do_record_attendance(world.hub, meeting, {stranger.pk: ("present", None)})
    actions.do_record_decision(world.hub, meeting, item=None, text="Adopt the summer plan", rule="consent",
                               result="adopted", reasoning="No objections.")  # fmt: skip
    rows_out = queries.meeting_decisions(world.coalition)
    assert rows_out == [
        {
            "date": meeting.local_start.date(),
            "forum": "coalition",
            "forum_label": "Whole coalition",
            "meeting": meeting.title,
            "decision": "Adopt the summer plan",
            "rule": "consent",
            "result": "adopted",
            "reasoning": "No objections.",
            "link": f"/c/{world.coalition.pk}/meetings/{meeting.pk}/",
        }
    ]
    assert queries.meeting_decisions(world.other) == []


def test_an_action_item_is_a_joint_action_commitment_of_its_owner(world: Any) -> None:
    meeting = builders.meeting(world.coalition)
    linked = actions.do_add_action_item(world.hub, meeting, title="Book the hall", owner=world.member_org,
                                        due_on=meeting.local_start.date() + dt.timedelta(days=14))  # fmt: skip
    action = Action.objects.get(pk=linked.action_id)
    assert action.lead == world.member_org and action.title == "Book the hall"
    assert list(joint_queries.actions_of_member(world.coalition, world.member_org)) == [action]
    assert action.meeting_item.meeting == meeting
    # the commitment's page names the meeting that agreed it
    page = world.client_for(world.member).get(f"/c/{world.coalition.pk}/action/actions/{action.pk}/")
    assert f"/c/{world.coalition.pk}/meetings/{meeting.pk}/" in page.content.decode()
    # undone, it is carried to the next agenda of the same kind
    later = builders.meeting(world.coalition, starts_at=meeting.starts_at + dt.timedelta(days=14))
    assert [c.action_id for c in queries.carried_items(later)] == [action.pk]
    actions.do_record_attendance(world.hub, meeting, {})
    with pytest.raises(ValidationError) as refused:
        actions.do_add_action_item(world.hub, meeting, title="x", owner=world.member_org,
                                   due_on=meeting.local_start.date() - dt.timedelta(days=1))  # fmt: skip
    assert list(refused.value.message_dict) == ["due_on"]


def _held(world: Any, extra_members: int = 0) -> Meeting:
    for i in range(extra_members):
        factories.add_member(world.coalition, factories.make_user(f"extra{i}-{extra_members}"), ["member"])
    meeting = builders.meeting(world.coalition, starts_at=timezone.now() - dt.timedelta(hours=3))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
    meeting.refresh_from_db()
    return meeting


def test_approving_the_minutes_sends_each_invitee_one_message_with_their_own_action_items(world: Any) -> None:
    meeting = _held(world)
    actions.do_record_decision(world.hub, meeting, item=None, text="Meet monthly in summer", rule="majority",
                               result="adopted", reasoning="")  # fmt: skip
    actions.do_add_action_item(world.hub, meeting, title="Book the hall", owner=world.member_org,
                               due_on=timezone.localdate() + dt.timedelta(days=7))  # fmt: skip
    queued = actions.do_approve_minutes(world.hub, meeting)
    assert queued == queries.invitees(meeting).count() == 4
    rows = {n.recipient_id: n for n in Notification.objects.filter(event_type="meetings.follow_up")}
    assert len(rows) == 4
    assert "Meet monthly in summer" in rows[world.member.pk].body
    assert "Book the hall" in rows[world.member.pk].body
    assert "Book the hall" not in rows[world.observer.pk].body
    with pytest.raises(ValidationError):
        actions.do_approve_minutes(world.hub, meeting)
    with pytest.raises(ValidationError):
        actions.do_record_decision(world.hub, meeting, item=None, text="late", rule="consent", result="adopted",
                                   reasoning="")  # fmt: skip


@pytest.mark.parametrize("extra", [0, 25])
def test_queuing_the_follow_up_takes_the_same_queries_for_few_or_many_invitees(world: Any, extra: int) -> None:
    meeting = _held(world, extra)
    for i in range(3):
        actions.do_add_action_item(world.hub, meeting, title=f"Task {i}", owner=world.member_org,
                                   due_on=timezone.localdate() + dt.timedelta(days=7))  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        actions.do_approve_minutes(world.hub, meeting)
    assert len(captured.captured_queries) == FOLLOW_UP_QUERIES


FOLLOW_UP_QUERIES = 11  # with the one that reads the invitees' languages


def test_the_calendar_feed_parses_back_and_revoking_stops_the_old_address(world: Any) -> None:
    from coalition.meetings import feed

    start = actions.local_start(timezone.localdate() + dt.timedelta(days=3), dt.time(9, 0), "America/New_York")
    open_meeting = builders.meeting(world.coalition, starts_at=start, timezone="America/New_York", title="Open")
    builders.meeting(world.coalition, forum=Forum.STEERING, title="Closed")
    membership = get_access(world.member, world.coalition.pk).membership
    url = feed.feed_url(membership).split("127.0.0.1:8000")[-1]
    anonymous = world.client_for(None)
    response = anonymous.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Open"}  # the steering committee's meeting is not theirs
    assert events["Open"]["DTSTART"].dt == open_meeting.starts_at
    assert events["Open"]["DTSTART"].params["TZID"] == "America/New_York"
    assert events["Open"]["DTSTART"].dt.astimezone(ZoneInfo("America/New_York")).hour == 9
    actions.do_revoke_feed(world.member, membership)
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(feed.feed_url(membership).split("127.0.0.1:8000")[-1]).status_code == 200
    assert anonymous.get(url.replace(".ics", "x.ics")).status_code == 404


def test_those_who_run_meetings_are_asked_to_publish_an_agenda_due_this_week(world: Any) -> None:
    from coalition.meetings import links
    from coalition.notifications.todos import Seat

    meeting = builders.meeting(world.coalition, starts_at=builders.soon(days=3))
    builders.meeting(world.coalition, starts_at=builders.soon(days=20))  # too far ahead to ask yet
    seat = Seat(world.coalition.pk, world.coalition.name, 1, None, frozenset({"meetings.run"}))
    todos = links.agendas_to_publish(world.hub, [seat], timezone.localdate())
    assert [t.url for t in todos] == [f"/c/{world.coalition.pk}/meetings/{meeting.pk}/"]
    member_seat = Seat(world.coalition.pk, world.coalition.name, 2, None, frozenset({"meetings.view"}))
    assert links.agendas_to_publish(world.member, [member_seat], timezone.localdate()) == []
    _publish(world, meeting)
    assert links.agendas_to_publish(world.hub, [seat], timezone.localdate()) == []


def test_the_daily_run_keeps_a_series_a_year_ahead(world: Any) -> None:
    first = timezone.localdate()
    series = builders.series(world.coalition, first_date=first, until=None, frequency="weekly", weekday=first.weekday())
    made = series.meetings.count()
    assert actions.do_extend_series(first) == 0  # nothing new today
    assert actions.do_extend_series(first + dt.timedelta(days=14)) == 2  # two weeks later: two more weeks
    assert series.meetings.count() == made + 2
