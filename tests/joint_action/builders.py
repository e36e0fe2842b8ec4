"""Builders for joint-action tests: they go through the actions, as the product does."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from coalition.coalitions.models import Coalition
from coalition.joint_action import actions
from coalition.joint_action.models import (
    Action,
    ActivityType,
    Contribution,
    JointActionPlan,
    LaunchWorkplan,
    MemberActivity,
    Objective,
    WorkplanTask,
)
from coalition.stakeholders.models import Stakeholder
from tests import factories

_seq = itertools.count(1)
TODAY = dt.date.today()


def hub_of(coalition: Coalition) -> Any:
    return coalition.memberships.filter(roles__role="hub").first().user


def activity_type(coalition: Coalition, name: str = "Reading club") -> ActivityType:
    found = ActivityType.objects.filter(coalition=coalition, name__iexact=name).first()
    return found or actions.do_add_activity_type(hub_of(coalition), coalition, name)


def member_org(coalition: Coalition, name: str | None = None) -> Stakeholder:
    name = name or f"Member org {next(_seq)}"
    found = Stakeholder.objects.filter(coalition=coalition, name=name).first()
    return found or factories.make_stakeholder(coalition, name, engagement="member")


def plan(coalition: Coalition, title: str | None = None) -> JointActionPlan:
    return actions.do_save_plan(hub_of(coalition), coalition, title=title or f"Plan {next(_seq)}")


def objective(coalition: Coalition) -> Objective:
    return actions.do_save_objective(hub_of(coalition), plan(coalition), text="Every child reads")


def action(
    coalition: Coalition,
    *,
    in_plan: JointActionPlan | None = None,
    lead: Stakeholder | None = None,
    kind: str = "Reading club",
    place: str = "North",
    starts_on: dt.date | None = None,
    due_on: dt.date | None = None,
    **fields: Any,
) -> Action:
    starts_on = starts_on or TODAY
    return actions.do_create_action(
        hub_of(coalition),
        in_plan or plan(coalition),
        title=fields.pop("title", f"Action {next(_seq)}"),
        activity_type_id=activity_type(coalition, kind).pk,
        place=place,
        lead_id=(lead or member_org(coalition)).pk,
        starts_on=starts_on,
        due_on=due_on or starts_on + dt.timedelta(days=30),
        **fields,
    )


def contribution(coalition: Coalition) -> Contribution:
    target = action(coalition)
    return actions.do_set_contribution(
        hub_of(coalition), target, member_org(coalition), amount=None, currency="", in_kind="A room"
    )


def member_activity(
    coalition: Coalition,
    *,
    member: Stakeholder | None = None,
    kind: str = "Reading club",
    place: str = "North",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> MemberActivity:
    return actions.do_save_member_activity(
        hub_of(coalition),
        coalition,
        member_id=(member or member_org(coalition)).pk,
        title=f"Activity {next(_seq)}",
        activity_type_id=activity_type(coalition, kind).pk,
        place=place,
        starts_on=starts_on or TODAY,
        ends_on=ends_on,
    )


def workplan_task(coalition: Coalition) -> WorkplanTask:
    workplan = LaunchWorkplan.objects.filter(coalition=coalition).first()
    workplan = workplan or actions.do_start_workplan(hub_of(coalition), coalition, TODAY)
    return workplan.tasks.first()
