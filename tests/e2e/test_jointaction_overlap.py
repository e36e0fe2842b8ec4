"""Journey: a member adds an action that overlaps another member's and sees the duplication warning."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in
from tests.joint_action import builders


def test_member_adds_an_overlapping_action_and_sees_the_warning(page: Any, world: Any) -> None:
    world.coalition.places = "North, South"
    world.coalition.save()
    today = dt.date.today()
    plan = builders.plan(world.coalition, "Every child reads")
    builders.action(
        world.coalition,
        in_plan=plan,
        lead=world.other_org,
        title="Library reading club",
        place="North",
        starts_on=today,
        due_on=today + dt.timedelta(days=60),
    )
    sign_in(page, "member", factories.PASSWORD)
    page.goto(f"/c/{world.coalition.pk}/action/")
    assert_accessible(page)
    page.get_by_role("link", name="Every child reads").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add an action").first.click()
    page.get_by_label(re.compile(r"^Action")).fill("Saturday reading circle")
    page.get_by_label("Activity type").select_option(label="Reading club")
    page.get_by_label("Place").fill("north")
    page.get_by_label("Starts on").fill((today + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Due on").fill((today + dt.timedelta(days=40)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_role("heading", name="Saturday reading circle")).to_be_visible()
    expect(page.get_by_role("heading", name="Possible duplication")).to_be_visible()
    expect(page.get_by_role("link", name="Library reading club")).to_be_visible()
    expect(page.get_by_text("Possible duplication: 1 other activity")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/c/{world.coalition.pk}/action/who-does-what-where/")
    assert page.get_by_role("cell", name="Overlap").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="My commitments").first.click()
    expect(page.get_by_role("heading", name="My commitments: Member Org")).to_be_visible()
    assert_accessible(page)
