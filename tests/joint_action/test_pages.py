"""Every joint-action page renders for the hub, a member and an observer, with data and when empty."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.joint_action import builders

pytestmark = pytest.mark.django_db


def _pages(world: Any) -> list[str]:
    c = world.coalition
    action = builders.action(c, lead=world.member_org, place="North")
    builders.action(c, in_plan=action.plan, lead=world.other_org, place="north")
    activity = builders.member_activity(c, member=world.member_org)
    task = builders.workplan_task(c)
    cid = c.pk
    return [
        reverse("joint_action:plans", args=[cid]),
        reverse("joint_action:plans", args=[cid]) + "?archived=1",
        reverse("joint_action:plan", args=[cid, action.plan_id]),
        reverse("joint_action:action", args=[cid, action.pk]),
        reverse("joint_action:commitments", args=[cid]),
        reverse("joint_action:member_commitments", args=[cid, world.member_org.pk]),
        reverse("joint_action:activity_types", args=[cid]),
        reverse("joint_action:activities", args=[cid]),
        reverse("joint_action:activity", args=[cid, activity.pk]),
        reverse("joint_action:who_what_where", args=[cid]),
        reverse("joint_action:workplan", args=[cid]),
        reverse("joint_action:task_edit", args=[cid, task.pk]) if task else "",
    ]


@pytest.mark.parametrize("persona", ["hub", "facilitator", "member", "observer"])
def test_pages_render_for_every_persona(world: Any, persona: str) -> None:
    client = world.client_for(getattr(world, persona))
    for url in _pages(world):
        if "edit" in url and persona in ("member", "observer"):
            continue
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_empty_pages_say_what_to_do_next(world: Any) -> None:
    client = world.client_for(world.hub)
    cid = world.coalition.pk
    assert "No joint action plan yet" in client.get(reverse("joint_action:plans", args=[cid])).content.decode()
    assert "Start the 90-day workplan" in client.get(reverse("joint_action:workplan", args=[cid])).content.decode()
    assert "No activity type yet" in client.get(reverse("joint_action:activity_types", args=[cid])).content.decode()
    assert "No activity recorded yet" in client.get(reverse("joint_action:activities", args=[cid])).content.decode()
