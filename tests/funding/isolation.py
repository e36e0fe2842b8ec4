"""Isolation factories: one object per URL keyword of the funding app, made in the given coalition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coalition.funding.models import (
    Award,
    Bucket,
    Call,
    EntryKind,
    Fund,
    Instalment,
    LedgerEntry,
    Proposal,
    Resource,
)
from coalition.stakeholders.models import Stakeholder


def _fund(coalition: Any) -> Fund:
    return Fund.objects.get_or_create(coalition=coalition, name="Isolation fund", defaults={"currency": "EUR"})[0]


def _call(coalition: Any) -> Call:
    today = timezone.localdate()
    return Call.objects.create(
        coalition=coalition,
        fund=_fund(coalition),
        title="Isolation call",
        budget=Decimal("100"),
        opens_on=today,
        voting_on=today,
        decision_on=today,
        implementation_on=today,
        closes_on=today + dt.timedelta(days=1),
    )


def _org(coalition: Any) -> Stakeholder:
    return Stakeholder.objects.create(coalition=coalition, name="Isolation org", sector="civil_society")


def _proposal(coalition: Any) -> Proposal:
    return Proposal.objects.create(
        coalition=coalition,
        call=_call(coalition),
        title="Isolation proposal",
        summary="x",
        lead=_org(coalition),
        requested=Decimal("10"),
    )


def _award(coalition: Any) -> Award:
    proposal = _proposal(coalition)
    return Award.objects.create(
        coalition=coalition, call=proposal.call, proposal=proposal, amount=Decimal("10"), currency="EUR"
    )


def _entry(coalition: Any) -> int:
    entry = LedgerEntry(
        coalition=coalition,
        fund=_fund(coalition),
        kind=EntryKind.RECEIPT,
        bucket=Bucket.RECEIVED,
        occurred_on=timezone.localdate(),
        amount=Decimal("5"),
        currency="EUR",
        source_type="donor",
        source_name="x",
    )
    entry.save()
    return entry.pk


FACTORIES: dict[str, Callable[[Any], int]] = {
    "entry_id": _entry,
    "resource_id": lambda c: (
        Resource.objects.create(coalition=c, offered_by=_org(c), kind="room", description="Hall").pk
    ),
    "call_id": lambda c: _call(c).pk,
    "proposal_id": lambda c: _proposal(c).pk,
    "award_id": lambda c: _award(c).pk,
    "instalment_id": lambda c: (
        Instalment.objects.create(award=_award(c), due_on=timezone.localdate(), amount=Decimal("5")).pk
    ),
}

# Bodies the hub's POST would have saved: a refused POST of these changes nothing.
POST_DATA: dict[str, Callable[[Any], dict[str, Any]]] = {
    "funding:fund_new": lambda c: {"name": "Sneaky fund", "currency": "EUR"},
    "funding:resources": lambda c: {
        "offered_by": _org(c).pk,
        "kind": "room",
        "description": "Sneaky hall",
        "availability": "",
        "contact": "",
    },
    "funding:entry_reverse": lambda c: {"reason": "Sneaky"},
    "funding:proposal_conflict": lambda c: {"reason": "I chair it"},
}
