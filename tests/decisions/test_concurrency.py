"""20 simultaneous ballots from one voter leave one ballot: the database's unique constraint decides (run on
SQLite here and on PostgreSQL with DATABASE_URL=postgres://...)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from coalition.decisions import actions
from coalition.decisions.models import Ballot, Kind, Participation
from tests.decisions import builders

THREADS = 20


def _race(world: Any, poll: Any) -> tuple[int, list[BaseException]]:
    membership = builders.membership(world.coalition, world.member)
    start = threading.Barrier(THREADS)
    accepted: list[int] = []
    errors: list[BaseException] = []

    def vote(i: int) -> None:
        try:
            start.wait()
            actions.do_cast_ballot(world.member, membership, poll, choice={"answer": "yes" if i % 2 else "no"})
            accepted.append(i)
        except ValidationError:
            pass  # refused: the voter's ballot is already in
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(accepted), errors


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_anonymous_ballots_leave_one(world: Any) -> None:
    poll = builders.poll(world.coalition, Kind.MAJORITY, is_anonymous=True)
    accepted, errors = _race(world, poll)
    assert errors == []
    assert accepted == 1
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.filter(poll=poll).count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_named_ballots_leave_one_current_ballot(world: Any) -> None:
    poll = builders.poll(world.coalition, Kind.MAJORITY)
    _accepted, errors = _race(world, poll)
    assert errors == []
    assert Participation.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.filter(poll=poll, is_current=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_closed_poll_refuses_every_ballot_of_a_race(world: Any) -> None:
    poll = actions.do_close_poll(world.hub, builders.poll(world.coalition, Kind.MAJORITY))
    accepted, errors = _race(world, poll)
    assert (accepted, errors) == (0, [])
    assert not Ballot.objects.filter(poll=poll).exists()
