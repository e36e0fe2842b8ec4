"""20 simultaneous changes of one voter's within-budget set never store a set over the budget (run on SQLite here
and on PostgreSQL with DATABASE_URL=postgres://...)."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from coalition.funding import actions
from coalition.funding.models import CallBallot, Phase
from tests.funding import builders

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_additions_never_store_a_set_over_budget(world: Any) -> None:
    call = builders.call(world.coalition, budget="1000", phase=Phase.OPEN)
    authors = [builders.member(world.coalition, f"author{i}") for i in range(THREADS)]
    # each proposal fits alone (300); any four together (1200) exceed the budget
    proposals = [builders.proposal(call, author, "300", title=f"P{i}") for i, author in enumerate(authors)]
    builders.advance_to(call, Phase.VOTING)
    voter = builders.member(world.coalition, "voter")
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def add(i: int) -> None:
        try:
            start.wait()
            actions.do_toggle_choice(voter.user, voter, call, proposals[i], chosen=True)
        except ValidationError:
            pass  # refused: the set would no longer fit
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    current = CallBallot.objects.filter(call=call, membership=voter, is_current=True)
    assert current.count() == 1
    requested = {p.pk: p.requested for p in proposals}
    for ballot in CallBallot.objects.filter(call=call, membership=voter):
        assert sum((requested[i] for i in ballot.choice["proposals"]), Decimal(0)) <= Decimal("1000")
    assert len(current.get().choice["proposals"]) == 3


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_entries_all_reach_the_running_total(world: Any) -> None:
    from coalition.funding import ledger

    fund = builders.fund(world.coalition)
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def receive(i: int) -> None:
        try:
            start.wait()
            builders.receive(fund, f"{i + 1}.00", "USD" if i % 2 else "EUR")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=receive, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # EUR: 1 + 3 + ... + 19 = 100; USD: 2 + 4 + ... + 20 = 110
    found = {b.currency: b.received for b in ledger.balances(world.coalition.pk)}
    assert found == {"EUR": Decimal("100.00"), "USD": Decimal("110.00")}
