"""Polls for tests, made through the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from coalition.coalitions.models import Coalition, Membership
from coalition.decisions import actions
from coalition.decisions.models import Electorate, Kind, Poll, Reasons


def hub_of(coalition: Coalition) -> Any:
    return Membership.objects.filter(coalition=coalition, roles__role="hub").first().user  # type: ignore[union-attr]


def poll(
    coalition: Coalition,
    kind: str = Kind.CONSENT,
    *,
    options: tuple[str, ...] = (),
    actor: Any = None,
    **fields: Any,
) -> Poll:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": f"{kind} poll",
        "details": "",
        "kind": kind,
        "electorate": Electorate.PEOPLE,
        "working_group": None,
        "quorum_percent": 0,
        "majority_rule": "simple",
        "max_choices": 1,
        "seats": 1,
        "budget": 10,
        "opens_at": now - dt.timedelta(minutes=1),
        "closes_at": now + dt.timedelta(days=7),
        "is_anonymous": False,
        "reasons": Reasons.OPTIONAL,
        **fields,
    }
    slots = [(label, None) for label in options]
    if kind == Kind.TIME:
        slots = [(label, now + dt.timedelta(days=10 + i)) for i, label in enumerate(options)]
    return actions.do_create_poll(actor or hub_of(coalition), coalition, options=slots, **values)


def membership(coalition: Coalition, user: Any) -> Membership:
    return Membership.objects.get(coalition=coalition, user=user)


def option_ids(made: Poll) -> dict[str, int]:
    return {o.label: o.pk for o in made.options.all()}
