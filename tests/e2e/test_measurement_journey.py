"""Shared measurement end to end: the hub defines an indicator broken down by sex, a member reports a
quarter, the hub approves it, and the dashboard shows progress against the target. The journey runs in
English and again in French (the browser asks for French; every label, button and message is looked up in
the French catalogue, so an untranslated or missing string fails it)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from coalition.measurement.models import Indicator
from tests import factories
from tests.e2e.conftest import assert_accessible, field_label, sign_in, speak, translated


def switch_user(page: Any, username: str, language: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, factories.PASSWORD, language)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_define_report_approve_and_see_progress(page: Any, world: Any, language: str) -> None:
    def t(text: str, **values: Any) -> str:
        return translated(language, text, **values)

    def label(name: str) -> str:
        return field_label(language, Indicator, name)

    base = f"/c/{world.coalition.pk}/measurement"
    speak(page, language)
    sign_in(page, "hub", factories.PASSWORD, language)
    assert page.locator("html").get_attribute("lang") == language

    # The hub creates a reusable "Sex" breakdown, then the indicator that uses it.
    page.goto(f"{base}/categories/")
    page.get_by_label(t("Name")).fill("Sex")
    page.get_by_label(t("Add options")).fill("Female\nMale")
    page.get_by_role("button", name=t("Add category")).click()
    expect(page.get_by_role("cell", name="Female, Male")).to_be_visible()

    page.goto(f"{base}/indicators/")
    page.get_by_role("link", name=t("Define an indicator")).click()
    page.get_by_label(label("name") + translated(language, ":"), exact=True).fill("Children reached")
    page.get_by_label(label("definition")).fill("Children taking part in at least one session in the quarter.")
    page.get_by_label(label("unit")).fill("children")
    page.get_by_label(label("starts_on")).fill("2025-01-01")
    page.get_by_label(label("baseline_not_applicable")).check()
    page.get_by_label(label("is_shared")).check()
    page.get_by_label("Sex").check()
    page.get_by_role("button", name=t("Save indicator")).click()

    expect(page.get_by_role("heading", name=t("Targets for “%(name)s”", name="Children reached"))).to_be_visible()
    page.get_by_label("2025-Q1").fill("40")
    page.get_by_role("button", name=t("Save targets")).click()
    expect(page.get_by_role("heading", name="Children reached")).to_be_visible()
    indicator_url = page.url
    assert_accessible(page)

    # The member reports its quarter, broken down by sex, and submits it.
    switch_user(page, "member", language)
    page.goto(f"{base}/entry/")
    expect(page.get_by_text(t("Reporting for %(name)s.", name="Member Org"))).to_be_visible()
    assert_accessible(page)
    indicator_id = indicator_url.rstrip("/").split("/")[-1]
    page.goto(f"{base}/entry/{indicator_id}/2025-Q1/")
    page.get_by_label(f"Sex · Female: {t('value')}").fill("20")
    page.get_by_label(f"Sex · Male: {t('value')}").fill("16")
    assert_accessible(page)
    page.get_by_role("button", name=t("Save and submit for review")).click()
    expect(page.get_by_text(t("Values saved and submitted for review."))).to_be_visible()

    # Bulk values come through the import page, which offers a template per indicator.
    page.goto(f"{base}/import/")
    expect(page.get_by_role("heading", name=t("Import values"))).to_be_visible()
    expect(page.get_by_role("link", name="CSV").first).to_be_visible()
    assert_accessible(page)

    # The hub approves it from the review queue.
    switch_user(page, "hub", language)
    page.goto(f"{base}/review/")
    expect(page.get_by_role("row", name="Children reached")).to_be_visible()
    page.get_by_role("button", name=t("Approve")).click()
    expect(page.get_by_text(t("Approved."))).to_be_visible()

    # The dashboard shows the quarter against its target, with the breakdown and its table.
    page.goto(f"{base}/")
    scorecard = page.locator("table.scorecard")
    expect(scorecard.get_by_role("cell", name="36 children")).to_be_visible()
    expect(scorecard.get_by_role("cell", name="40", exact=True)).to_be_visible()
    said = t("%(value)s in total so far", value="36 children")
    whole = t(
        "%(said)s, against an end-of-effort target of %(target)s: %(p)s%% of the way.",
        said=said,
        target="40 children",
        p="90",
    )
    expect(page.get_by_text(whole).first).to_be_visible()
    assert page.locator("svg.pygal-chart").count() >= 3
    chart = t("%(name)s: value and target by period", name="Children reached")
    expect(page.get_by_role("img", name=chart)).to_be_visible()
    assert_accessible(page)

