"""The demo coalition's cohesion: two health checks half a year apart, answered by the members, in which
communications and joint work improve while funding for activities slips; then a sustainability plan that
answers the first question and plans the three parts, its funding line linked to the slipping factor and made a
joint action owned by a member organisation.
Everything goes through the actions."""

from __future__ import annotations

import datetime as dt

from coalition.coalitions.access import get_access
from coalition.cohesion import actions
from coalition.cohesion.factors import FACTORS
from coalition.cohesion.models import PlanItem, SustainabilityPlan
from coalition.core.permissions import Perm
from coalition.stakeholders.demo_context import DemoContext

# Each member's scores per factor in the earlier and the later check: a base score, nudged per member so the
# means sit a quarter point above it. Communications and joint work rise, funding falls, the rest hold steady.
EARLIER = {"convening": 4, "government": 3, "range": 3, "geography": 3, "leadership": 4, "funding": 4,
           "communications": 2, "joint_work": 3, "adaptation": 3, "value": 4, "commitment": 3}  # fmt: skip
LATER = {**EARLIER, "communications": 4, "joint_work": 4, "funding": 2}
NUDGE = (0, 1, -1, 0, 1, 0, 0, 1)

FEES = "Membership fees scaled to each organisation's size"  # the line made a joint action
PLAN = (
    ("organisational", "A rotating host organisation for the coalition's money and contracts", "Steering group",
     "A host agreement template; legal advice from a member", "Host agreed for the next two years", 60,
     "leadership"),
    ("activity", "The monthly meeting with agendas out a week ahead", "Hub coordinator",
     "Two hours a week of the coordinator; a room from the library", "Meeting calendar for next year published",
     45, "communications"),
    ("activity", "Learning pauses every eight weeks", "Facilitator", "", "Four pauses held in the year", 240,
     "adaptation"),
    ("financial", FEES, "Treasurer",
     "Fee scale agreed by the members", "First fees collected", 120, "funding"),
    ("financial", "In-kind support: rooms, printing and volunteer hours", "Every member", "Members' own budgets",
     "Pledges recorded for the year", 90, "funding"),
)  # fmt: skip

# The readiness answers given with the decision: follow-through and the hub's skills hold, money does not.
READINESS = {
    "voices": ("partly", "Tenants' groups joined this year; the young people's forum still has no seat."),
    "processes": ("ready", "Agendas go out a week ahead and decisions are minuted."),
    "follow_through": ("ready", "Most actions were done on time this year."),
    "networks": ("partly", "Two members brought in partners; the others rarely do."),
    "trust": ("partly", "Members trust each other more than the way money is handled."),
    "hub_skills": ("ready", "The coordinator facilitates well; fundraising is the gap."),
    "membership": ("not_yet", "Invite the young people's forum; ask two silent members whether they stay."),
}


def _scores(base: dict[str, int], nudge: int) -> dict[str, int | None]:
    return {f.code: min(5, max(1, base[f.code] + nudge)) for f in FACTORS}


def _check(ctx: DemoContext, title: str, days_ago: int, base: dict[str, int]) -> None:
    hub = get_access(ctx.hub, ctx.coalition.pk)
    check = actions.do_start_health_check(hub, title=title, held_on=ctx.today - dt.timedelta(days=days_ago))
    members = ctx.coalition.memberships.filter(is_active=True, user__isnull=False).select_related("user")
    answering = [
        a for m in members.order_by("pk") if (a := get_access(m.user, ctx.coalition.pk)).can(Perm.ANSWER_HEALTH_CHECK)
    ]
    for n, access in enumerate(answering[: len(NUDGE)]):
        actions.do_answer_health_check(access, check, _scores(base, NUDGE[n]))
    actions.do_close_health_check(hub, check)


def seed(ctx: DemoContext) -> None:
    _check(ctx, "Health check, last spring", 200, EARLIER)
    _check(ctx, "Health check, this autumn", 20, LATER)
    hub = get_access(ctx.hub, ctx.coalition.pk)
    actions.do_record_sustainability_decision(
        hub,
        decision=SustainabilityPlan.Decision.TRANSFORM,
        reasons="The members want to keep working together after the launch grant ends, but a lighter structure "
        "that the members host in turn costs less than a secretariat.",
        continues="The monthly meeting, the shared indicators and the learning pauses.",
        review_on=ctx.today + dt.timedelta(days=120),
        readiness=READINESS,
        today=ctx.today,
    )
    for part, what, responsible, resources, milestone, days, factor in PLAN:
        item = actions.do_save_plan_item(
            hub, None, part=part, what=what, responsible=responsible, resources=resources, milestone=milestone,
            due_on=ctx.today + dt.timedelta(days=days), factor=factor,
            status=PlanItem.Status.UNDER_WAY if days < 60 else PlanItem.Status.PLANNED,
        )  # fmt: skip
        if what == FEES:
            # The fee scale becomes a joint action owned by a member organisation: the plan shows its status.
            actions.do_make_plan_item_action(
                hub, item, title="Agree the membership fee scale", lead=ctx.member_organisations[0],
                place=ctx.coalition.place_list[0] if ctx.coalition.place_list else "Coalition meeting",
                starts_on=ctx.today, due_on=item.due_on,
            )  # fmt: skip
