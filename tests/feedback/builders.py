"""Small builders for the listening tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coalition.coalitions.models import Coalition
from coalition.feedback import actions
from coalition.feedback.models import Feedback, SurveyRound
from tests import factories

DAY = dt.date(2026, 3, 10)


def feedback(coalition: Coalition, text: str = "The park lights are out.", **fields: Any) -> Feedback:
    fields.setdefault("channel", "public_form")
    fields.setdefault("topic", "safety")
    fields.setdefault("received_on", DAY)
    made, _code = actions.do_submit_feedback(coalition, text=text, **fields)
    return made


def survey(
    coalition: Coalition,
    *,
    anonymous: bool = True,
    keys: tuple[str, ...] = ("satisfaction", "comment"),
    opened: bool = False,
    **fields: Any,
) -> SurveyRound:
    hub = coalition.memberships.filter(roles__role="hub").first()
    fields.setdefault("title", "Spring round")
    fields.setdefault("opens_on", DAY)
    fields.setdefault("closes_on", DAY + dt.timedelta(days=14))
    made = actions.do_create_round(
        hub.user if hub else None, coalition, is_anonymous=anonymous, bank_keys=keys, **fields
    )
    if opened:
        actions.do_open_round(hub.user if hub else None, made)
    return made


def members(coalition: Coalition, count: int, role: str = "member", sector: str = "civil_society") -> list[Any]:
    org = factories.make_stakeholder(coalition, sector=sector, engagement="member")
    return [factories.add_member(coalition, roles=[role], organisation=org) for _ in range(count)]
