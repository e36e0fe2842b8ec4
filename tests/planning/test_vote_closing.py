"""A priority vote with a closing time: "closing soon" on the to-do within 48 hours, the "closing soon" event
once (daily task), the vote closed and "closed" raised once its time has come, and ballots refused after it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coalition.notifications import reminders
from coalition.notifications.models import Notification
from coalition.notifications.seats import seats_of
from coalition.notifications.todos import collect
from coalition.planning import actions
from coalition.planning.models import DotVote
from tests.planning import factories as pf

# Noon on 10 November 2026 (local time): whatever the time of day a check runs, the day before is within
# 48 hours of it (12 to 36 hours) and three days before is not (60 to 84 hours).
CLOSES = timezone.make_aware(dt.datetime(2026, 11, 10, 12, 0))


def _vote_todo(world: Any, today: dt.date) -> Any:
    found = [t for t in collect(world.member, seats_of(world.member), today) if t.kind == "planning.vote"]
    return found[0] if found else None


def test_the_todo_says_closing_soon_in_the_last_48_hours_and_goes_after(world: Any) -> None:
    pf.make_vote(world.coalition, closes_at=CLOSES)
    early = _vote_todo(world, dt.date(2026, 11, 7))
    assert early.label == "Vote on priorities: Rank priorities" and early.due_on == dt.date(2026, 11, 10)
    assert _vote_todo(world, dt.date(2026, 11, 9)).label == "Vote on priorities, closing soon: Rank priorities"
    assert _vote_todo(world, dt.date(2026, 11, 11)) is None  # past its closing time: nothing left to do


def test_daily_task_warns_once_then_closes_the_vote_and_tells_everyone(world: Any) -> None:
    vote = pf.make_vote(world.coalition, closes_at=CLOSES)
    reminders.run_daily(dt.date(2026, 11, 7))
    assert not Notification.objects.filter(event_type="planning.vote_closing_soon").exists()
    reminders.run_daily(dt.date(2026, 11, 9))
    reminders.run_daily(dt.date(2026, 11, 9))  # twice the same day: once
    soon = Notification.objects.filter(event_type="planning.vote_closing_soon")
    assert set(soon.values_list("recipient__username", flat=True)) == {"hub", "member"}  # those who may vote
    assert soon.count() == 2 and "closes on 2026-11-10 12:00" in soon.first().body
    with mock.patch("django.utils.timezone.now", return_value=CLOSES + dt.timedelta(days=1)):
        reminders.run_daily(dt.date(2026, 11, 11))
        reminders.run_daily(dt.date(2026, 11, 12))
    vote.refresh_from_db()
    assert vote.status == DotVote.Status.CLOSED and vote.result["ballots"] == 0
    closed = Notification.objects.filter(event_type="planning.vote_closed")
    assert set(closed.values_list("recipient__username", flat=True)) == {"hub", "facilitator", "member", "observer"}
    assert closed.count() == 4


def test_a_vote_without_closing_time_stays_open(world: Any) -> None:
    vote = pf.make_vote(world.coalition)
    reminders.run_daily(dt.date(2030, 1, 1))
    vote.refresh_from_db()
    assert vote.status == DotVote.Status.OPEN


def test_ballots_are_refused_after_the_closing_time(world: Any) -> None:
    vote = pf.make_vote(world.coalition, closes_at=CLOSES)
    member = pf.access_for(world.member, world.coalition)
    first = vote.priorities.order_by("pk").first()
    with mock.patch("django.utils.timezone.now", return_value=CLOSES - dt.timedelta(minutes=1)):
        actions.do_place_dots(member, vote, {first.pk: 2})
    with mock.patch("django.utils.timezone.now", return_value=CLOSES), pytest.raises(ValidationError):
        actions.do_place_dots(member, vote, {first.pk: 3})
    assert vote.ballots.get().dots_spent == 2


def test_the_closing_time_must_be_in_the_future(world: Any) -> None:
    hub = pf.hub_access(world.coalition)
    priorities = [pf.make_priority(world.coalition) for _ in range(2)]
    with pytest.raises(ValidationError) as refused:
        actions.do_open_dot_vote(
            hub, title="Rank", budget=3, priorities=priorities, closes_at=timezone.now() - dt.timedelta(hours=1)
        )
    assert "closes_at" in refused.value.message_dict
    later = timezone.now() + dt.timedelta(days=3)
    vote = actions.do_open_dot_vote(hub, title="Rank", budget=3, priorities=priorities, closes_at=later)
    assert vote.closes_at == later


def test_hub_opens_a_vote_with_a_closing_time_from_the_form(world: Any) -> None:
    priorities = [pf.make_priority(world.coalition) for _ in range(2)]
    closes = (timezone.localtime() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    response = world.client_for(world.hub).post(
        reverse("planning:vote_open", args=[world.coalition.pk]),
        {
            "title": "Rank them",
            "budget": 3,
            "priorities": [p.pk for p in priorities],
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    vote = DotVote.objects.get(title="Rank them")
    assert vote.closes_at == closes
    page = world.client_for(world.member).get(reverse("planning:vote", args=[world.coalition.pk, vote.pk]))
    assert "Closes" in page.content.decode()
