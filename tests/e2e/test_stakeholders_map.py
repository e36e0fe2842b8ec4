"""Journey: a hub maps a stakeholder, finds it with the filters and sees it on the power/interest grid."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in


def test_hub_maps_a_stakeholder_and_sees_it_on_the_grid(page: Any, world: Any) -> None:
    sign_in(page, "hub", factories.PASSWORD)
    base = f"/c/{world.coalition.pk}/stakeholders/"
    page.goto(base)
    assert_accessible(page)
    page.get_by_role("link", name="Add a stakeholder").click()
    page.get_by_label("Name").fill("Eastgate Housing Office")
    page.get_by_label("Sector").select_option("government")
    page.get_by_label("Power / influence").select_option("5")
    page.locator("#id_interest").select_option("4")
    page.get_by_label("Brings power").check()
    page.get_by_role("button", name="Add to the map").click()
    expect(page.get_by_role("heading", name="Eastgate Housing Office")).to_be_visible()
    expect(page.get_by_text("Manage closely").first).to_be_visible()
    assert_accessible(page)

    page.goto(base)
    page.get_by_label("Search").fill("housing")
    page.wait_for_url("**q=housing**")
    results = page.locator("#results")
    results.get_by_role("link", name="Eastgate Housing Office").wait_for()
    assert results.get_by_role("link", name="Member Org").count() == 0
    page.get_by_label("Sector").select_option("faith")
    page.get_by_text("No stakeholder matches these filters.").wait_for()

    page.goto(base + "grid/")
    point = page.locator("svg a[data-quadrant='manage_closely']", has_text="")
    assert point.count() == 1
    assert "Eastgate Housing Office" in point.get_attribute("aria-label")
    assert_accessible(page)
    point.click()
    page.get_by_role("heading", name="Eastgate Housing Office").wait_for()

    page.goto(base + "coverage/")
    expect(page.get_by_role("heading", name="Who is missing around the table?")).to_be_visible()
    assert_accessible(page)


def test_grid_and_list_fit_a_phone_screen(page: Any, world: Any) -> None:
    sign_in(page, "hub", factories.PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("", "grid/", "coverage/"):
        page.goto(f"/c/{world.coalition.pk}/stakeholders/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path or 'list'} is {width}px wide"
