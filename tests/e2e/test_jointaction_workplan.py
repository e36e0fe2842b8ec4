"""Journey: the hub starts the 90-day launch workplan and ticks a task off."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from coalition.joint_action.models import WorkplanTask
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in


def test_hub_starts_the_launch_workplan_and_ticks_a_task(page: Any, world: Any) -> None:
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(f"/c/{world.coalition.pk}/action/workplan/")
    assert_accessible(page)
    page.get_by_role("button", name="Start the 90-day workplan").click()
    expect(page.get_by_role("img", name="Week-by-week launch workplan")).to_be_visible()
    assert_accessible(page)
    first = WorkplanTask.objects.order_by("starts_on", "due_on", "id").first()
    page.get_by_role("button", name=f"Tick off {first.title}").click()
    expect(page.get_by_text(f"Ticked off: {first.title}")).to_be_visible()
    expect(page.get_by_role("button", name=f"Reopen {first.title}")).to_be_visible()
    first.refresh_from_db()
    assert first.done_on is not None
    assert_accessible(page)
