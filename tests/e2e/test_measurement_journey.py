"""Shared measurement end to end: the hub defines an indicator broken down by sex, a member reports a
quarter, the hub approves it, and the dashboard shows progress against the target."""

from __future__ import annotations

from typing import Any

from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in


def switch_user(page: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, factories.PASSWORD)


def test_define_report_approve_and_see_progress(page: Any, world: Any) -> None:
    base = f"/c/{world.coalition.pk}/measurement"
    sign_in(page, "hub", factories.PASSWORD)

    # The hub creates a reusable "Sex" breakdown, then the indicator that uses it.
    page.goto(f"{base}/categories/")
    page.get_by_label("Name").fill("Sex")
    page.get_by_label("Add options").fill("Female\nMale")
    page.get_by_role("button", name="Add category").click()
    assert page.get_by_role("cell", name="Female, Male").is_visible()

    page.goto(f"{base}/indicators/")
    page.get_by_role("link", name="Define an indicator").click()
    page.get_by_label("Name:", exact=True).fill("Children reached")
    page.get_by_label("Definition").fill("Children taking part in at least one session in the quarter.")
    page.get_by_label("Unit").fill("children")
    page.get_by_label("First period starts on").fill("2025-01-01")
    page.get_by_label("No baseline (not applicable)").check()
    page.get_by_label("Shared indicator").check()
    page.get_by_label("Sex").check()
    page.get_by_role("button", name="Save indicator").click()

    assert page.get_by_role("heading", name="Targets for “Children reached”").is_visible()
    page.get_by_label("2025-Q1").fill("40")
    page.get_by_role("button", name="Save targets").click()
    assert page.get_by_role("heading", name="Children reached").is_visible()
    indicator_url = page.url
    assert_accessible(page)

    # The member reports its quarter, broken down by sex, and submits it.
    switch_user(page, "member")
    page.goto(f"{base}/entry/")
    assert page.get_by_text("Reporting for Member Org").is_visible()
    assert_accessible(page)
    indicator_id = indicator_url.rstrip("/").split("/")[-1]
    page.goto(f"{base}/entry/{indicator_id}/2025-Q1/")
    page.get_by_label("Sex · Female: value").fill("20")
    page.get_by_label("Sex · Male: value").fill("16")
    assert_accessible(page)
    page.get_by_role("button", name="Save and submit for review").click()
    assert page.get_by_text("Values saved and submitted for review.").is_visible()

    # Bulk values come through the import page, which offers a template per indicator.
    page.goto(f"{base}/import/")
    assert page.get_by_role("heading", name="Import values").is_visible()
    assert page.get_by_role("link", name="CSV").first.is_visible()
    assert_accessible(page)

    # The hub approves it from the review queue.
    switch_user(page, "hub")
    page.goto(f"{base}/review/")
    assert page.get_by_role("row", name="Children reached").is_visible()
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_text("Approved.").is_visible()

    # The dashboard shows the quarter against its target, with the breakdown and its table.
    page.goto(f"{base}/")
    scorecard = page.locator("table.scorecard")
    assert scorecard.get_by_role("cell", name="36 children").is_visible()
    assert scorecard.get_by_role("cell", name="40", exact=True).is_visible()
    assert page.locator("p.progress-line").first.get_by_text("target 40").is_visible()
    assert page.locator("svg.pygal-chart").count() >= 3
    assert page.get_by_role("img", name="Children reached: value and target by period").is_visible()
    assert_accessible(page)

    # The indicator's own page states the share of the target: 36 of 40 is 90%.
    page.get_by_role("link", name="Children reached", exact=True).first.click()
    assert page.get_by_text("90% of target").first.is_visible()
