"""Decisions' part of the notification engine and of "what needs me" (registered in ``DecisionsConfig.ready``).

Events: a poll opened, a poll closing within a day (to those who have not voted), a poll closed, its outcome
recorded, a decision due for review. To-dos: polls to vote in; for those who run polls, outcomes to record
and decisions to review. No event or to-do ever carries what anyone voted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.coalitions.models import Membership
from coalition.core.permissions import Perm, roles_holding
from coalition.decisions import queries
from coalition.decisions.models import DecisionSettings, Electorate, Participation, Poll, Recusal
from coalition.notifications.events import raise_event
from coalition.notifications.registry import Delivery, EventType, Payload, declare
from coalition.notifications.todos import Seat, Todo, seats_with

OPENED, CLOSING, CLOSED, OUTCOME, REVIEW = (
    "decisions.poll_opened",
    "decisions.poll_closing",
    "decisions.poll_closed",
    "decisions.outcome_recorded",
    "decisions.review_due",
)
REVIEW_SOON_DAYS = 7


def poll_url(poll: Poll) -> str:
    return reverse("decisions:poll", kwargs={"coalition_id": poll.coalition_id, "poll_id": poll.pk})


def _payload(poll: Poll) -> dict[str, Any]:
    return {
        "poll_id": poll.pk,
        "coalition": poll.coalition.name,
        "title": poll.title,
        "closes_at": timezone.localtime(poll.closes_at).strftime("%Y-%m-%d %H:%M"),
        "review_on": poll.review_on.isoformat() if poll.review_on else "",
    }


def _electorate_users(payload: Payload) -> list[int]:
    poll = Poll.objects.get(pk=payload["poll_id"])
    return list(queries.electorate_members(poll).values_list("user_id", flat=True))


def _not_voted_users(payload: Payload) -> list[int]:
    poll = Poll.objects.get(pk=payload["poll_id"])
    voted = set(poll.participations.values_list("voter_key", flat=True))
    return [m.user_id for m in queries.electorate_members(poll) if queries.voter_key(poll, m) not in voted]


def _members_and_runners(payload: Payload) -> list[int]:
    poll = Poll.objects.get(pk=payload["poll_id"])
    readers = roles_holding(Perm.VIEW_DECISIONS)
    return list(
        Membership.objects.filter(coalition_id=poll.coalition_id, is_active=True, roles__role__in=readers)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _runners(payload: Payload) -> list[int]:
    poll = Poll.objects.get(pk=payload["poll_id"])
    return list(
        Membership.objects.filter(
            coalition_id=poll.coalition_id, is_active=True, roles__role__in=roles_holding(Perm.RUN_POLLS)
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def declare_all() -> None:
    declare(
        EventType(
            OPENED,
            gettext_lazy("A poll opened"),
            gettext_lazy("%(coalition)s: vote on “%(title)s”"),
            gettext_lazy("A poll you vote in is open: “%(title)s”. It closes at %(closes_at)s."),
            _electorate_users,
        )
    )
    declare(
        EventType(
            CLOSING,
            gettext_lazy("A poll closes soon and you have not voted"),
            gettext_lazy("%(coalition)s: “%(title)s” closes at %(closes_at)s"),
            gettext_lazy("The poll “%(title)s” closes at %(closes_at)s and your vote is not in yet."),
            _not_voted_users,
        )
    )
    declare(
        EventType(
            CLOSED,
            gettext_lazy("A poll closed"),
            gettext_lazy("%(coalition)s: “%(title)s” has closed"),
            gettext_lazy("The poll “%(title)s” has closed; its result is on the poll's page."),
            _electorate_users,
            default=Delivery.DIGEST,
        )
    )
    declare(
        EventType(
            OUTCOME,
            gettext_lazy("The outcome of a decision was recorded"),
            gettext_lazy("%(coalition)s: outcome of “%(title)s”"),
            gettext_lazy("The outcome of “%(title)s” is recorded in the decision log."),
            _members_and_runners,
            default=Delivery.DIGEST,
        )
    )
    declare(
        EventType(
            REVIEW,
            gettext_lazy("A decision is due for review"),
            gettext_lazy("%(coalition)s: review “%(title)s”"),
            gettext_lazy("The decision “%(title)s” was to be reviewed on %(review_on)s."),
            _runners,
        )
    )


def _raise(name: str, poll: Poll, key_suffix: str = "") -> int:
    return raise_event(
        name,
        key=f"{name}:{poll.pk}{key_suffix}",
        payload=_payload(poll),
        coalition_id=poll.coalition_id,
        url=poll_url(poll),
    )


def poll_opened(poll: Poll) -> None:
    _raise(OPENED, poll)


def poll_closed(poll: Poll) -> None:
    _raise(CLOSED, poll)


def outcome_recorded(poll: Poll) -> None:
    _raise(OUTCOME, poll, f":{poll.outcome_recorded_at.isoformat() if poll.outcome_recorded_at else ''}")


def schedule_closing(poll: Poll) -> None:
    """With a task backend that can defer (the database one), close the poll at its time; the daily hook and
    ``manage.py decisions close`` close any poll that is still open after its time either way."""
    from coalition.decisions.tasks import close_poll

    if close_poll.get_backend().supports_defer:
        task = close_poll.using(run_after=poll.closes_at)
        transaction.on_commit(lambda: task.enqueue(poll.pk), robust=True)


# --- daily checks ------------------------------------------------------------------------------------------------


def remind_closing(today: dt.date) -> int:
    """Tell those who have not voted, once, when a poll closes within the next day."""
    soon = timezone.now() + dt.timedelta(days=1)
    raised = 0
    for poll in Poll.objects.filter(closed_at__isnull=True, closes_at__lte=soon).select_related("coalition"):
        raised += _raise(CLOSING, poll)
    return raised


def remind_reviews(today: dt.date) -> int:
    """Raise "review due" once a decision's review date has come."""
    raised = 0
    for poll in Poll.objects.filter(review_on__lte=today).select_related("coalition"):
        raised += _raise(REVIEW, poll, f":{poll.review_on}")
    return raised


def close_due(today: dt.date) -> int:
    from coalition.decisions.actions import do_close_due_polls

    return do_close_due_polls()


# --- what needs me -----------------------------------------------------------------------------------------------


def _eligible(poll: Poll, seat: Seat, allowed: set[int], groups: set[tuple[int, int]]) -> bool:
    may_vote = seat.can(Perm.VOTE) or (seat.can(Perm.VOTE_IF_ALLOWED) and poll.coalition_id in allowed)
    if not may_vote:
        return False
    if poll.electorate == Electorate.WORKING_GROUP:
        return (seat.membership_id, poll.working_group_id or 0) in groups
    if poll.electorate == Electorate.STEERING:
        return seat.can(Perm.STEERING_SEAT)
    return poll.electorate != Electorate.ORGANISATIONS or seat.organisation_id is not None


def polls_to_vote_in(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """Open polls the person may vote in and has not (for their organisation, in a poll of one vote each)."""
    voters = [s for s in seats if s.can(Perm.VOTE) or s.can(Perm.VOTE_IF_ALLOWED)]
    if not voters:
        return []
    by_coalition = {s.coalition_id: s for s in voters}
    open_polls = list(
        Poll.objects.filter(
            coalition_id__in=by_coalition,
            closed_at__isnull=True,
            opens_at__lte=timezone.now(),
            closes_at__gt=timezone.now(),
        )
    )
    if not open_polls:
        return []
    memberships = [s.membership_id for s in voters]
    keys = {f"m{s.membership_id}" for s in voters} | {f"o{s.organisation_id}" for s in voters if s.organisation_id}
    done = set(
        Participation.objects.filter(poll__in=open_polls, voter_key__in=keys).values_list("poll_id", "voter_key")
    )
    recused = set(
        Recusal.objects.filter(poll__in=open_polls, membership_id__in=memberships).values_list("poll_id", flat=True)
    )
    allowed = set(
        DecisionSettings.objects.filter(coalition_id__in=by_coalition, facilitator_may_vote=True).values_list(
            "coalition_id", flat=True
        )
    )
    groups = set(
        Membership.working_groups.through.objects.filter(membership_id__in=memberships).values_list(
            "membership_id", "workinggroup_id"
        )
    )
    todos = []
    for poll in open_polls:
        seat = by_coalition[poll.coalition_id]
        key = f"o{seat.organisation_id}" if poll.electorate == Electorate.ORGANISATIONS else f"m{seat.membership_id}"
        if (poll.pk, key) in done or poll.pk in recused or not _eligible(poll, seat, allowed, groups):
            continue
        todos.append(
            Todo(
                poll.coalition_id,
                "decisions.vote",
                _("Vote: %(title)s") % {"title": poll.title},
                poll_url(poll),
                due_on=timezone.localtime(poll.closes_at).date(),
            )
        )
    return todos


def outcomes_to_record(user: Any, seats: Sequence[Seat], today: dt.date) -> list[Todo]:
    """For those who run polls: closed polls without an outcome, and decisions due for review within a week."""
    runners = [s.coalition_id for s in seats_with(seats, Perm.RUN_POLLS)]
    if not runners:
        return []
    todos = []
    for poll in Poll.objects.filter(
        coalition_id__in=runners, closed_at__isnull=False, outcome_recorded_at__isnull=True
    ):
        todos.append(
            Todo(
                poll.coalition_id,
                "decisions.outcome",
                _("Record the outcome of “%(title)s”") % {"title": poll.title},
                poll_url(poll),
            )
        )
    due = Poll.objects.filter(coalition_id__in=runners, review_on__lte=today + dt.timedelta(days=REVIEW_SOON_DAYS))
    for poll in due:
        review_on = poll.review_on or today
        label = _("Review the decision “%(title)s”") % {"title": poll.title}
        todos.append(Todo(poll.coalition_id, "decisions.review", label, poll_url(poll), review_on, review_on < today))
    return todos
