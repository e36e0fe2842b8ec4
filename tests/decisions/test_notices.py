"""Decisions in "what needs me" and the daily job: polls to vote in, outcomes to record, reviews, closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from coalition.coalitions.models import Membership
from coalition.core.permissions import permissions_for_roles
from coalition.decisions import actions
from coalition.decisions.models import Electorate, Kind, Poll
from coalition.notifications import reminders, todos
from coalition.notifications.models import Notification
from coalition.notifications.todos import Seat
from tests.decisions import builders


def _seats(user: Any) -> list[Seat]:
    found = []
    for m in Membership.objects.filter(user=user, is_active=True).select_related("coalition"):
        perms = frozenset(str(p) for p in permissions_for_roles(m.role_codes))
        found.append(Seat(m.coalition_id, m.coalition.name, m.pk, m.organisation_id, perms))
    return found


def _labels(user: Any) -> list[str]:
    return [t.label for t in todos.collect(user, _seats(user), timezone.localdate()) if t.kind.startswith("decisions")]


def test_a_member_is_asked_to_vote_until_they_have(world: Any) -> None:
    poll = builders.poll(world.coalition, Kind.MAJORITY, title="Budget")
    assert _labels(world.member) == ["Vote: Budget"]
    assert _labels(world.observer) == [] and _labels(world.facilitator) == []
    membership = builders.membership(world.coalition, world.member)
    actions.do_cast_ballot(world.member, membership, poll, choice={"answer": "yes"})
    assert _labels(world.member) == []


def test_a_steering_poll_asks_only_the_committee(world: Any) -> None:
    builders.poll(world.coalition, Kind.MAJORITY, title="Strategy", electorate=Electorate.STEERING)
    assert _labels(world.member) == []
    assert _labels(world.hub) == ["Vote: Strategy"]


def test_the_daily_job_closes_due_polls_and_raises_reviews(world: Any) -> None:
    poll = builders.poll(world.coalition, Kind.CONSENT, title="Lease")
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    reminders.run_daily(timezone.localdate())
    poll.refresh_from_db()
    assert poll.closed_at is not None
    assert "Record the outcome of “Lease”" in _labels(world.facilitator)
    review = timezone.localdate() + dt.timedelta(days=3)
    actions.do_record_outcome(world.hub, poll, outcome_statement="Signed", review_on=review)
    assert _labels(world.facilitator) == ["Review the decision “Lease”"]
    reminders.run_daily(review)
    reminders.run_daily(review)  # twice: raised once
    told = Notification.objects.filter(event_type="decisions.review_due")
    assert set(told.values_list("recipient__username", flat=True)) == {"hub", "facilitator"}
    assert told.count() == 2
