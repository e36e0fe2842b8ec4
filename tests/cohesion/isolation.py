"""Isolation factories for cohesion: one object of the given coalition per URL keyword."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from coalition.cohesion.models import READINESS_QUESTIONS, HealthCheck, PlanItem, PlanVersion, SustainabilityPlan


def _check(coalition: Any) -> int:
    return HealthCheck.objects.create(coalition=coalition, title="Check", held_on=timezone.localdate()).pk


def _plan(coalition: Any) -> SustainabilityPlan:
    plan, _ = SustainabilityPlan.objects.get_or_create(
        coalition=coalition,
        defaults={"decision": "continue", "reasons": "Still needed.", "review_on": timezone.localdate()},
    )
    return plan


def _item(coalition: Any) -> int:
    return PlanItem.objects.create(
        coalition=coalition, plan=_plan(coalition), part="financial", what="Membership fees",
        responsible="Treasurer", milestone="Fees agreed", due_on=timezone.localdate(),
    ).pk  # fmt: skip


def _version(coalition: Any) -> int:
    plan = _plan(coalition)
    return PlanVersion.objects.create(
        coalition=coalition, plan=plan, number=plan.versions.count() + 1, change="sustainability.decided",
        snapshot={"decision": "continue", "reasons": "Still needed.", "continues": "", "review_on": "2030-01-01",
                  "items": []},
    ).pk  # fmt: skip


FACTORIES: dict[str, Callable[[Any], int]] = {"check_id": _check}
# ``item_id`` and ``version_id`` are meetings' and planning's keywords too: given per route.
ROUTE_FACTORIES: dict[str, dict[str, Callable[[Any], int]]] = {
    **{f"cohesion:{name}": {"item_id": _item} for name in ("sustainability_item", "sustainability_item_action")},
    "cohesion:sustainability_version": {"version_id": _version},
}


def _item_body(coalition: Any) -> dict[str, str]:
    _plan(coalition)  # a line can only be added to a plan whose first question is answered
    soon = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    return {"part": "activity", "what": "Sneaky line", "responsible": "Someone", "milestone": "Done",
            "due_on": soon, "status": "planned", "factor": ""}  # fmt: skip


# Bodies the hub's POST would have saved: a refused POST of these changes nothing.
POST_DATA: dict[str, Callable[[Any], dict[str, str]]] = {
    "cohesion:indicators": lambda coalition: {"key": "cohesion.joint_plans"},
    "cohesion:health": lambda coalition: {"title": "Sneaky check"},
    "cohesion:health_check": lambda coalition: {"convening": "5", "value": "4"},
    "cohesion:sustainability_decide": lambda coalition: {
        "decision": "close_well",
        "reasons": "Sneaky",
        "continues": "",
        "review_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        **{q.rating_key: "ready" for q in READINESS_QUESTIONS},
    },  # fmt: skip
    "cohesion:sustainability_item_new": _item_body,
    "cohesion:sustainability_item": _item_body,
    # unlinking is accepted (it makes a version of the plan), so a refused one must leave every row as it was
    "cohesion:sustainability_item_action": lambda coalition: {"link": "1", "action": ""},
}
