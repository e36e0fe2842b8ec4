"""Relationship mapping in the browser: the hub opens a round, a respondent consents and answers, the
hub reads the measures and the diagram, the respondent withdraws and the measures change."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in


def test_survey_round_from_opening_to_withdrawal(page: Any, browser: Any, live_server: Any, world: Any) -> None:
    factories.make_stakeholder(world.coalition, "Third Org", engagement="member", sector="government")
    sign_in(page, "hub", factories.PASSWORD)
    base = f"/c/{world.coalition.pk}/network/"
    page.goto(base)
    assert_accessible(page)
    page.get_by_role("link", name="Prepare a survey round").click()
    page.get_by_label("Name of the round").fill("Baseline, March")
    # Members are ticked to start with (Member Org, Second Org, Third Org).
    page.get_by_role("button", name="Prepare the round").click()
    expect(page.get_by_role("heading", name="Respondents of Baseline, March")).to_be_visible()
    page.get_by_role("button", name="Open the round").click()
    page.get_by_label("New link for Member Org").check()
    page.get_by_role("button", name="Create links for the ticked actors").click()
    link = page.get_by_label("Personal link for Member Org").input_value()
    assert "/survey/" in link
    assert_accessible(page)

    respondent_context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 800})
    respondent = respondent_context.new_page()
    respondent.on("dialog", lambda dialog: dialog.accept())
    respondent.goto(link)
    expect(respondent.get_by_role("heading", name="How your answers will be used")).to_be_visible()
    assert_accessible(respondent)
    respondent.get_by_label("Members may see my organisation's name on the network map").check()
    respondent.get_by_role("button", name="I agree to take part").click()
    respondent.get_by_text("Second Org", exact=True).click()
    respondent.get_by_role("group", name="How you work with Second Org").get_by_label("Information sharing").check()
    respondent.get_by_role("group", name="How you work with Second Org").get_by_label("How often").select_option("3")
    respondent.get_by_label("Trust: Reliable").first.select_option("4")
    respondent.get_by_text("Third Org", exact=True).click()
    respondent.get_by_role("group", name="How you work with Third Org").get_by_label("Joint problem solving").check()
    respondent.get_by_role("button", name="Save my answers").click()
    expect(respondent.get_by_text("Saved: you described 2 relationships.")).to_be_visible()
    assert_accessible(respondent)

    page.goto(base)
    page.get_by_role("link", name="Measures Baseline, March").click()
    assert page.locator("#metric-size").inner_text() == "3"
    assert page.locator("#metric-ties").inner_text() == "2"
    expect(page.get_by_role("rowheader", name="Member Org").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Diagram", exact=True).click()
    assert page.locator("svg.network-diagram circle").count() == 3
    expect(page.get_by_role("img", name="Network of Baseline, March: 3 actors, 2 ties")).to_be_visible()
    assert_accessible(page)

    respondent.get_by_role("button", name="Withdraw from this survey").click()
    expect(respondent.get_by_text("You have withdrawn.")).to_be_visible()
    respondent_context.close()

    page.goto(base)
    page.get_by_role("link", name="Measures Baseline, March").click()
    assert page.locator("#metric-size").inner_text() == "2"
    assert page.locator("#metric-ties").inner_text() == "0"
    assert page.get_by_text("Member Org").count() == 0


def test_diagram_fits_a_phone(page: Any, world: Any) -> None:
    from tests.network.helpers import actors, make_round, respondent_with_answers

    survey = make_round(world.coalition, size=6)
    everyone = actors(survey)
    respondent_with_answers(survey, everyone[0], everyone[1:], named=True)
    sign_in(page, "member", factories.PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/c/{world.coalition.pk}/network/{survey.pk}/diagram/")
    # the picture keeps a legible size and pans within its own box, which fits the screen
    box = page.locator(".diagram-figure .scroll-x").bounding_box()
    assert box is not None and box["width"] <= 360
    picture = page.locator("svg.network-diagram").bounding_box()
    assert picture is not None and picture["width"] > 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
