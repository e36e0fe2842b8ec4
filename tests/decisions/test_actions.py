"""Poll rules with hand-written expectations: who votes, one vote each, recusal, closing, quorum, outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coalition.core.models import AuditEvent
from coalition.decisions import actions, queries
from coalition.decisions.models import Ballot, Electorate, Kind, Participation, Poll
from coalition.notifications.models import Notification
from tests import factories
from tests.decisions import builders


def _vote(world: Any, user: Any, made: Poll, **choice: Any) -> None:
    reason = choice.pop("reason", "")
    actions.do_cast_ballot(user, builders.membership(world.coalition, user), made, choice=choice, reason=reason)


def _voters(world: Any, n: int, **kwargs: Any) -> list[Any]:
    return [
        factories.add_member(world.coalition, factories.make_user(f"voter{i}"), ["member"], **kwargs).user
        for i in range(n)
    ]


def test_a_consent_proposal_is_blocked_by_one_reasoned_objection(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.CONSENT)
    voters = _voters(world, 3)
    for user in voters[:2]:
        _vote(world, user, made, answer="consent")
    with pytest.raises(ValidationError) as refused:
        _vote(world, voters[2], made, answer="object")
    assert list(refused.value.message_dict) == ["reason"]
    _vote(world, voters[2], made, answer="object", reason="It leaves the tenants' union out.")
    closed = actions.do_close_poll(world.hub, made)
    assert closed.result is not None and closed.result["passed"] is False
    assert closed.turnout == 3


def test_a_named_vote_can_be_changed_until_closing_and_keeps_its_history(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.MAJORITY)
    _vote(world, world.member, made, answer="no")
    _vote(world, world.member, made, answer="yes")
    assert Ballot.objects.filter(poll=made).count() == 2
    assert Ballot.objects.get(poll=made, is_current=True).choice == {"answer": "yes"}
    assert AuditEvent.objects.filter(verb="ballot.changed").count() == 1
    closed = actions.do_close_poll(world.hub, made)
    assert closed.result is not None and closed.result["passed"] is True
    with pytest.raises(ValidationError):
        _vote(world, world.member, made, answer="no")
    assert Ballot.objects.filter(poll=made).count() == 2


def test_an_anonymous_ballot_is_final(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.MAJORITY, is_anonymous=True)
    _vote(world, world.member, made, answer="yes")
    with pytest.raises(ValidationError):
        _vote(world, world.member, made, answer="no")
    assert Ballot.objects.filter(poll=made).count() == 1


def test_the_facilitator_votes_only_where_the_coalition_allows_it(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.MAJORITY)
    with pytest.raises(ValidationError):
        _vote(world, world.facilitator, made, answer="yes")
    actions.do_save_decision_settings(world.hub, world.coalition, facilitator_may_vote=True)
    _vote(world, world.facilitator, made, answer="yes")
    assert made.participations.count() == 1


def test_observers_are_not_in_the_electorate(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.MAJORITY)
    members = set(queries.electorate_members(made).values_list("user__username", flat=True))
    assert members == {"hub", "member"}
    with pytest.raises(ValidationError):
        _vote(world, world.observer, made, answer="yes")


def test_one_vote_per_organisation(world: Any) -> None:
    colleague = factories.add_member(
        world.coalition, factories.make_user("colleague"), ["member"], organisation=world.member_org
    ).user
    made = builders.poll(world.coalition, Kind.MAJORITY, electorate=Electorate.ORGANISATIONS, is_anonymous=True)
    assert queries.electorate_size(made) == 1  # only Member Org has people who vote
    _vote(world, world.member, made, answer="yes")
    with pytest.raises(ValidationError):
        _vote(world, colleague, made, answer="no")
    assert Ballot.objects.filter(poll=made).count() == 1


def test_a_working_group_poll_is_for_its_members(world: Any) -> None:
    group = world.coalition.working_groups.create(name="Housing")
    group.members.add(builders.membership(world.coalition, world.member))
    made = builders.poll(world.coalition, Kind.MAJORITY, electorate=Electorate.WORKING_GROUP, working_group=group)
    assert list(queries.electorate_members(made).values_list("user__username", flat=True)) == ["member"]
    with pytest.raises(ValidationError):
        _vote(world, world.hub, made, answer="yes")


def test_a_recused_voter_cannot_vote_and_an_earlier_named_ballot_is_not_counted(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.MAJORITY)
    _vote(world, world.member, made, answer="yes")
    _vote(world, world.hub, made, answer="no")
    actions.do_declare_recusal(
        world.member, builders.membership(world.coalition, world.member), made, reason="My org bids"
    )
    with pytest.raises(ValidationError):
        _vote(world, world.member, made, answer="yes")
    closed = actions.do_close_poll(world.hub, made)
    assert closed.result is not None
    assert closed.result["rows"][:2] == [["yes", "0"], ["no", "1"]]
    assert (closed.turnout, closed.electorate_size) == (1, 1)


def test_recusal_after_an_anonymous_ballot_is_refused(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.CONSENT, is_anonymous=True)
    _vote(world, world.member, made, answer="consent")
    with pytest.raises(ValidationError):
        actions.do_declare_recusal(world.member, builders.membership(world.coalition, world.member), made, reason="x")


def test_a_poll_that_misses_quorum_decides_nothing(world: Any) -> None:
    _voters(world, 2)  # electorate: hub, member, voter0, voter1 = 4; quorum 75% needs 3
    made = builders.poll(world.coalition, Kind.MAJORITY, quorum_percent=75)
    _vote(world, world.member, made, answer="yes")
    _vote(world, world.hub, made, answer="yes")
    closed = actions.do_close_poll(world.hub, made)
    assert closed.quorum_met is False
    assert closed.result is not None and closed.result["passed"] is None


def test_quorum_at_its_exact_boundary(world: Any) -> None:
    voters = _voters(world, 2)  # electorate 4; 75% is exactly 3
    made = builders.poll(world.coalition, Kind.MAJORITY, quorum_percent=75)
    for user in [world.member, world.hub, voters[0]]:
        _vote(world, user, made, answer="yes")
    assert actions.do_close_poll(world.hub, made).quorum_met is True


def test_a_ranked_poll_closes_with_the_instant_runoff_winner(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.RANKED, options=("Park", "Library", "Clinic"))
    ids = builders.option_ids(made)
    voters = _voters(world, 3)
    ballots = [["Park", "Clinic"], ["Library", "Clinic"], ["Clinic", "Library"], ["Clinic"], ["Library"]]
    for user, ranking in zip([world.member, world.hub, *voters], ballots, strict=True):
        _vote(world, user, made, ranking=[ids[x] for x in ranking])
    closed = actions.do_close_poll(world.hub, made)
    # round 1: Park 1, Library 2, Clinic 2; Park out -> Clinic 3 of 5
    assert closed.result is not None and closed.result["winners"] == [ids["Clinic"]]
    assert [r["excluded"] for r in closed.result["rounds"]] == [["Park"], []]


def test_ballots_are_refused_before_opening_and_after_closing(world: Any) -> None:
    later = timezone.now() + dt.timedelta(days=1)
    made = builders.poll(world.coalition, Kind.MAJORITY, opens_at=later, closes_at=later + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        _vote(world, world.member, made, answer="yes")
    open_poll = builders.poll(world.coalition, Kind.MAJORITY)
    actions.do_close_poll(world.hub, open_poll)
    with pytest.raises(ValidationError):
        _vote(world, world.member, open_poll, answer="yes")
    assert not Participation.objects.exists()


def test_due_polls_close_on_schedule(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.CONSENT)
    assert actions.do_close_due_polls(timezone.now()) == 0
    assert actions.do_close_due_polls(made.closes_at + dt.timedelta(seconds=1)) == 1
    made.refresh_from_db()
    assert made.closed_at is not None


def test_the_unique_constraints_are_in_the_database(world: Any) -> None:
    made = builders.poll(world.coalition, Kind.MAJORITY)
    member = builders.membership(world.coalition, world.member)
    first = Participation.objects.create(poll=made, membership=member, voter_key="m1", voted_on=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(poll=made, membership=member, voter_key="m1", voted_on=timezone.localdate())
    Ballot.objects.create(poll=made, participation=first, choice={"answer": "yes"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(poll=made, participation=first, choice={"answer": "no"})


def test_outcome_with_review_date_and_linked_actions(world: Any) -> None:
    from tests.joint_action import builders as ja

    made = builders.poll(world.coalition, Kind.CONSENT)
    with pytest.raises(ValidationError):
        actions.do_record_outcome(world.hub, made, outcome_statement="Too early")
    made = actions.do_close_poll(world.hub, made)
    action = ja.action(world.coalition)
    with pytest.raises(ValidationError) as refused:
        actions.do_record_outcome(world.hub, made, outcome_statement=" ")
    assert list(refused.value.message_dict) == ["outcome_statement"]
    review = timezone.localdate() + dt.timedelta(days=90)
    actions.do_record_outcome(
        world.hub,
        made,
        outcome_statement="Adopted",
        outcome_reasoning="No objection",
        review_on=review,
        actions=[action],
    )
    made.refresh_from_db()
    assert list(made.actions.all()) == [action]
    assert Notification.objects.filter(event_type="decisions.outcome_recorded").exists()


def test_opening_a_poll_tells_its_electorate(world: Any) -> None:
    builders.poll(world.coalition, Kind.CONSENT)
    told = set(
        Notification.objects.filter(event_type="decisions.poll_opened").values_list("recipient__username", flat=True)
    )
    assert told == {"hub", "member"}


def test_a_poll_needs_options_and_a_closing_after_opening(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        builders.poll(world.coalition, Kind.RANKED, options=("Only one",))
    assert "options" in refused.value.message_dict
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        builders.poll(world.coalition, Kind.CONSENT, opens_at=now, closes_at=now - dt.timedelta(hours=1))
    assert "closes_at" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        builders.poll(world.coalition, Kind.STV, options=("A", "B"), seats=2)
    assert "seats" in refused.value.message_dict
