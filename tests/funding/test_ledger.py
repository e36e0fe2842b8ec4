"""The ledger: append-only, reversals and conversions, balances that always equal the sum of their entries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.funding import actions, ledger
from coalition.funding.models import EntryKind, LedgerEntry, LedgerTotal, Restriction, SourceType
from coalition.planning.models import Priority
from tests.funding import builders

TODAY = dt.date.today()


def test_an_entry_is_never_edited_nor_deleted(world: Any) -> None:
    fund = builders.fund(world.coalition)
    entry = builders.receive(fund, "100.00")
    entry.amount = Decimal("1")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("5"))
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")


def test_a_reversal_cancels_its_entry_and_cannot_be_repeated(world: Any) -> None:
    fund = builders.fund(world.coalition)
    entry = builders.receive(fund, "250.00")
    builders.receive(fund, "40.00")
    reversal = actions.do_reverse_entry(world.hub, entry, reason="Typed twice")
    assert reversal.amount == Decimal("-250.00") and reversal.reverses == entry and reversal.bucket == "received"
    [balance] = ledger.balances(world.coalition.pk)
    assert balance.received == Decimal("40.00")
    with pytest.raises(ValidationError):
        actions.do_reverse_entry(world.hub, entry, reason="again")
    with pytest.raises(ValidationError):
        actions.do_reverse_entry(world.hub, reversal, reason="undo the undo")


def test_balances_keep_currencies_and_restrictions_apart(world: Any) -> None:
    fund = builders.fund(world.coalition)
    priority = Priority.objects.create(coalition=world.coalition, title="Reading")
    builders.receive(fund, "100.00")
    builders.receive(fund, "30.00", "USD")
    builders.receive(fund, "20.00", restriction=Restriction.PRIORITY, priority=priority)
    builders.receive(fund, "5.00", restriction=Restriction.COORDINATION)
    found = {(b.restriction, b.currency): b.received for b in ledger.balances(world.coalition.pk)}
    assert found == {
        ("unrestricted", "EUR"): Decimal("100.00"),
        ("unrestricted", "USD"): Decimal("30.00"),
        ("priority", "EUR"): Decimal("20.00"),
        ("coordination", "EUR"): Decimal("5.00"),
    }


def test_a_conversion_is_two_legs_with_the_rate_and_its_source(world: Any) -> None:
    fund = builders.fund(world.coalition)
    builders.receive(fund, "200.00", "USD")
    out, into = actions.do_convert(
        world.hub,
        fund,
        occurred_on=TODAY,
        amount=Decimal("100.00"),
        from_currency="usd",
        to_currency="EUR",
        rate=Decimal("0.9235"),
        rate_source="ECB reference rate",
    )
    assert (out.amount, out.currency, into.amount, into.currency) == (
        Decimal("-100.00"),
        "USD",
        Decimal("92.35"),
        "EUR",
    )
    held = {b.currency: b.held for b in ledger.balances(world.coalition.pk)}
    assert held == {"USD": Decimal("100.00"), "EUR": Decimal("92.35")}
    with pytest.raises(ValidationError) as refused:
        actions.do_convert(
            world.hub,
            fund,
            occurred_on=TODAY,
            amount=Decimal("500"),
            from_currency="USD",
            to_currency="EUR",
            rate=Decimal("1"),
            rate_source="x",
        )
    assert "amount" in refused.value.message_dict
    actions.do_reverse_entry(world.hub, out, reason="Wrong rate")
    held = {b.currency: b.held for b in ledger.balances(world.coalition.pk)}
    assert held == {"USD": Decimal("200.00"), "EUR": Decimal("0.00")}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value": "-3"}, "amount"),
        ({"value": "1.001"}, "amount"),
        ({"currency": "EURO"}, "currency"),
        ({"kind": EntryKind.IN_KIND, "description": ""}, "description"),
        ({"source_type": ""}, "source_type"),
        ({"restriction": Restriction.PRIORITY}, "priority"),
    ],
)
def test_bad_entries_are_refused_on_their_field(world: Any, fields: dict[str, Any], field: str) -> None:
    fund = builders.fund(world.coalition)
    with pytest.raises(ValidationError) as refused:
        builders.receive(fund, fields.pop("value", "10.00"), **fields)
    assert field in refused.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_balances_take_one_query_however_many_entries(world: Any) -> None:
    fund = builders.fund(world.coalition)
    builders.receive(fund, "1.00")
    with CaptureQueriesContext(connection) as few:
        ledger.balances(world.coalition.pk)
    for i in range(30):
        builders.receive(
            fund, "2.00", "USD" if i % 2 else "EUR", restriction=Restriction.COORDINATION if i % 3 else "unrestricted"
        )
    with CaptureQueriesContext(connection) as many:
        ledger.balances(world.coalition.pk)
    assert len(few) == len(many) == 1


def test_running_totals_equal_the_entries_and_a_rebuild_changes_nothing(world: Any) -> None:
    fund = builders.fund(world.coalition)
    priority = Priority.objects.create(coalition=world.coalition, title="Reading")
    builders.receive(fund, "100.00")
    builders.receive(fund, "20.00", restriction=Restriction.PRIORITY, priority=priority)
    builders.receive(fund, "20.00", restriction=Restriction.PRIORITY, priority=priority)
    builders.receive(fund, "200.00", "USD")
    actions.do_convert(
        world.hub,
        fund,
        occurred_on=TODAY,
        amount=Decimal("50.00"),
        from_currency="USD",
        to_currency="EUR",
        rate=Decimal("0.9"),
        rate_source="ECB",
    )
    actions.do_reverse_entry(world.hub, builders.receive(fund, "7.00"), reason="Typed twice")
    kept = ledger.balances(world.coalition.pk)
    # one row per group and bucket: EUR received, EUR converted, USD received, USD converted, priority received
    assert LedgerTotal.objects.filter(coalition=world.coalition).count() == 5
    assert kept == ledger.balances(world.coalition.pk, until=TODAY)
    held = {(b.restriction, b.currency): b.held for b in kept}
    assert held == {
        ("unrestricted", "EUR"): Decimal("145.00"),
        ("unrestricted", "USD"): Decimal("150.00"),
        ("priority", "EUR"): Decimal("40.00"),
    }
    assert actions.do_rebuild_totals(world.hub, world.coalition) == 5
    assert ledger.balances(world.coalition.pk) == kept


KINDS = [EntryKind.PLEDGE, EntryKind.RECEIPT, EntryKind.IN_KIND, EntryKind.GRANT, EntryKind.DISBURSEMENT]
FIELD_OF = {
    EntryKind.PLEDGE: "pledged",
    EntryKind.RECEIPT: "received",
    EntryKind.IN_KIND: "in_kind",
    EntryKind.GRANT: "granted",
    EntryKind.DISBURSEMENT: "disbursed",
}
entry_strategy = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(["EUR", "USD"]),
    st.sampled_from([Restriction.UNRESTRICTED, Restriction.COORDINATION]),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
    st.booleans(),  # reversed afterwards
    st.integers(min_value=-40, max_value=0),  # days ago
)


@pytest.mark.django_db(transaction=True)
@settings(
    max_examples=15,
    deadline=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(generated=st.lists(entry_strategy, min_size=0, max_size=12), cut=st.integers(min_value=-40, max_value=0))
def test_every_balance_equals_the_python_sum_of_its_entries(world: Any, generated: list[Any], cut: int) -> None:
    LedgerEntry.objects.all()._raw_delete(LedgerEntry.objects.db)  # the ledger of the previous example
    LedgerTotal.objects.all().delete()
    fund = builders.fund(world.coalition) if not world.coalition.funds.exists() else world.coalition.funds.get()
    expected: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    until: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    cut_day = TODAY + dt.timedelta(days=cut)
    for kind, currency, restriction, amount, reversed_, days in generated:
        day = TODAY + dt.timedelta(days=days)
        entry = actions.do_record_entry(
            world.hub,
            fund,
            kind=kind,
            occurred_on=day,
            amount=amount,
            currency=currency,
            restriction=restriction,
            source_type=SourceType.MEMBER,
            source_name="Someone",
            description="Things",
        )
        expected[(restriction, currency, FIELD_OF[kind])] += amount
        if day <= cut_day:
            until[(restriction, currency, FIELD_OF[kind])] += amount
        if reversed_:
            actions.do_reverse_entry(world.hub, entry, reason="correction", occurred_on=TODAY)
            expected[(restriction, currency, FIELD_OF[kind])] -= amount
            if cut_day >= TODAY:
                until[(restriction, currency, FIELD_OF[kind])] -= amount
    for oracle, found in (
        (expected, ledger.balances(world.coalition.pk)),  # the running totals
        (expected, ledger.balances(world.coalition.pk, until=TODAY)),  # the entries summed
        (until, ledger.balances(world.coalition.pk, until=cut_day)),
    ):
        seen: dict[tuple[str, str, str], Decimal] = {}
        for balance in found:
            for name in FIELD_OF.values():
                seen[(balance.restriction, balance.currency, name)] = getattr(balance, name)
            key = (balance.restriction, balance.currency)
            assert balance.held == oracle[(*key, "received")] - oracle[(*key, "disbursed")]
            assert balance.uncommitted == oracle[(*key, "received")] - oracle[(*key, "granted")]
        assert {k: v for k, v in seen.items() if v} == {k: v for k, v in oracle.items() if v}


def test_resources_mobilised_counts_receipts_in_kind_and_action_pledges(world: Any) -> None:
    from coalition.joint_action.models import Action, ActivityType, Contribution, JointActionPlan

    fund = builders.fund(world.coalition)
    builders.receive(fund, "100.00")
    builders.receive(fund, "7.50", "USD")
    builders.receive(fund, "60.00", kind=EntryKind.IN_KIND, description="Hall for a week")
    builders.receive(fund, "999.00", kind=EntryKind.PLEDGE)  # counted once received, not when pledged
    old = builders.receive(fund, "50.00", occurred_on=TODAY - dt.timedelta(days=400))
    plan = JointActionPlan.objects.create(coalition=world.coalition, title="Plan")
    kind = ActivityType.objects.create(coalition=world.coalition, name="Club")
    action = Action.objects.create(
        coalition=world.coalition,
        plan=plan,
        title="A",
        activity_type=kind,
        place="Here",
        lead=world.member_org,
        starts_on=TODAY,
        due_on=TODAY,
    )
    Contribution.objects.create(
        coalition=world.coalition, action=action, member=world.member_org, amount=Decimal("1500"), currency="USD"
    )
    Contribution.objects.create(coalition=world.coalition, action=action, member=world.other_org, in_kind="Staff")
    found = ledger.resources_mobilised(world.coalition, TODAY - dt.timedelta(days=30), TODAY)
    assert found == {"EUR": Decimal("160.00"), "USD": Decimal("1507.50")}
    assert old.occurred_on < TODAY - dt.timedelta(days=30)

    from coalition.measurement.computed import computation

    registered = computation("funding.resources_mobilised")
    assert registered is not None
    assert registered.compute(world.coalition, TODAY - dt.timedelta(days=30), TODAY) == Decimal("160.00")


def test_the_rebuild_command_puts_drifted_totals_right(world: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    fund = builders.fund(world.coalition)
    builders.receive(fund, "100.00")
    builders.receive(fund, "30.00", "USD")
    right = ledger.balances(world.coalition.pk)
    LedgerTotal.objects.filter(currency="USD").update(cents=1)  # as if an entry had bypassed the actions
    LedgerTotal.objects.filter(currency="EUR").delete()
    assert ledger.balances(world.coalition.pk) != right
    out = StringIO()
    call_command("funding", "rebuild-totals", stdout=out)
    assert out.getvalue().strip() == "rebuild-totals: 2 totals"
    assert ledger.balances(world.coalition.pk) == right
