"""The demo's joint action tells the intended story."""

from __future__ import annotations

import pytest

from coalition.demo import base
from coalition.joint_action import demo, queries
from coalition.joint_action.models import Action, LaunchWorkplan, MemberActivity

pytestmark = pytest.mark.django_db


def test_demo_seed_has_plans_outcomes_overlaps_and_a_partly_ticked_workplan() -> None:
    ctx = base.seed_base()
    demo.seed(ctx)
    coalition, today = ctx.coalition, ctx.today
    actions = list(Action.objects.filter(coalition=coalition))
    assert queries.joint_plan_count(coalition) == 2
    assert len(actions) >= 15
    assert any(a.done_on_time for a in actions)
    assert any(a.status == "done" and not a.done_on_time for a in actions)
    assert any(a.is_overdue(today) for a in actions)
    dropped = [a for a in actions if a.status == "dropped"]
    assert len(dropped) == 1 and dropped[0].dropped_reason
    assert sum(1 for a in actions if queries.overlaps_for_action(a)) >= 4
    assert {a.lead_id for a in actions} >= {o.pk for o in ctx.member_organisations[:5]}
    assert len({m.place for m in MemberActivity.objects.filter(coalition=coalition)}) >= 4
    tasks = LaunchWorkplan.objects.get(coalition=coalition).tasks.all()
    assert 0 < sum(1 for t in tasks if t.done_on) < len(tasks)
    assert queries.resources_mobilised(coalition)
