"""Funds, calls and proposals for tests, made through the actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coalition.coalitions.models import Coalition, Membership
from coalition.funding import actions
from coalition.funding.models import Call, ChoiceStyle, EntryKind, Fund, Phase, Proposal, SourceType
from tests import factories


def hub_of(coalition: Coalition) -> Any:
    return Membership.objects.filter(coalition=coalition, roles__role="hub").first().user  # type: ignore[union-attr]


def fund(coalition: Coalition, name: str = "Pooled fund", currency: str = "EUR") -> Fund:
    return actions.do_save_fund(hub_of(coalition), coalition, name=name, currency=currency)


def receive(made: Fund, amount: str, currency: str = "EUR", **fields: Any) -> Any:
    values: dict[str, Any] = {
        "kind": EntryKind.RECEIPT,
        "occurred_on": timezone.localdate(),
        "amount": Decimal(amount),
        "currency": currency,
        "source_type": SourceType.DONOR,
        "source_name": "A donor",
        **fields,
    }
    return actions.do_record_entry(hub_of(made.coalition), made, **values)


def call(coalition: Coalition, *, budget: str = "1000", phase: str = Phase.DRAFTING, **fields: Any) -> Call:
    today = timezone.localdate()
    found = Fund.objects.filter(coalition=coalition).first() or fund(coalition)
    values: dict[str, Any] = {
        "title": "Small grants",
        "purpose": "Joint work on the priorities.",
        "fund": found,
        "budget": Decimal(budget),
        "choice_style": ChoiceStyle.WITHIN_BUDGET,
        "opens_on": today,
        "voting_on": today + dt.timedelta(days=14),
        "decision_on": today + dt.timedelta(days=21),
        "implementation_on": today + dt.timedelta(days=30),
        "closes_on": today + dt.timedelta(days=200),
        **fields,
    }
    hub = hub_of(coalition)
    made = actions.do_save_call(hub, coalition, **values)
    advance_to(made, phase)
    return made


def advance_to(made: Call, phase: str) -> Call:
    hub = hub_of(made.coalition)
    order = [p.value for p in Phase]
    while order.index(made.phase) < order.index(phase):
        actions.do_advance_call(hub, made)
        made.refresh_from_db()
    return made


def member(coalition: Coalition, name: str, roles: tuple[str, ...] = ("member",)) -> Membership:
    org = factories.make_stakeholder(coalition, f"{name} Org", engagement="member")
    return factories.add_member(coalition, factories.make_user(name), list(roles), organisation=org)


def proposal(made: Call, membership: Membership, amount: str, *, title: str = "", **fields: Any) -> Proposal:
    return actions.do_submit_proposal(
        membership.user,
        membership,
        made,
        title=title or f"Proposal for {amount}",
        summary="What we will do.",
        lines=[("Activities", Decimal(amount))],
        **fields,
    )
