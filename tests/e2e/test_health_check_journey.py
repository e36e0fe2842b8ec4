"""A health check and a sustainability plan in the browser: the hub opens a check, two members score the
factors, the results come grouped by participation / operations / results with a suggestion that links to the
feature acting on it; the hub closes the check, then records whether the coalition should continue and adds a
line to the plan that answers a factor found to be a concern."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coalition.cohesion.models import READINESS_QUESTIONS, HealthCheck, PlanItem, SustainabilityPlan
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in

WAIT = 15_000  # milliseconds: every wait below is bounded


@pytest.fixture(autouse=True)
def _bounded(page: Any) -> None:
    page.set_default_timeout(WAIT)
    page.set_default_navigation_timeout(WAIT)


def _answer(page: Any, scores: dict[str, int]) -> None:
    for factor, score in scores.items():
        page.locator(f'input[name="{factor}"][value="{score}"]').check(timeout=WAIT)
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_load_state(timeout=WAIT)
    assert page.get_by_text("Thank you: your answers are saved.").is_visible(timeout=WAIT)


def _sign_out(page: Any) -> None:
    page.context.clear_cookies()


def test_hub_runs_a_check_members_answer_and_the_plan_follows(page: Any, world: Any) -> None:
    cid = world.coalition.pk
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(reverse("cohesion:health", args=[cid]), timeout=WAIT)
    page.get_by_label("Title").fill("Spring check")
    page.get_by_role("button", name="Start the check").click()
    page.wait_for_load_state(timeout=WAIT)
    check = HealthCheck.objects.get(coalition=world.coalition)
    assert page.get_by_role("heading", name="Spring check").is_visible(timeout=WAIT)
    _answer(page, {"convening": 4, "funding": 2, "communications": 3})

    _sign_out(page)
    sign_in(page, "member", factories.PASSWORD)
    page.goto(reverse("cohesion:health_check", args=[cid, check.pk]), timeout=WAIT)
    assert page.get_by_role("heading", name="Your self-assessment").is_visible(timeout=WAIT)
    _answer(page, {"convening": 5, "funding": 2, "communications": 4})
    assert_accessible(page)

    # Results grouped in the three groups, each factor read from the mean of the two answers.
    for group in ("Participation", "Operations", "Results"):
        assert page.get_by_role("heading", level=3, name=group, exact=True).is_visible(timeout=WAIT)
    assert page.locator('tr[data-factor="convening"][data-band="strength"]').is_visible(timeout=WAIT)  # 4.5
    assert page.locator('tr[data-factor="funding"][data-band="concern"]').is_visible(timeout=WAIT)  # 2.0
    assert page.locator('tr[data-factor="communications"][data-band="discuss"]').is_visible(timeout=WAIT)  # 3.5
    # The world has no public body among its members: the suggestion links to the stakeholder list.
    suggestion = page.locator("[data-suggestions] a").first
    href = suggestion.get_attribute("href", timeout=WAIT)
    assert href == reverse("stakeholders:list", args=[cid])
    suggestion.click()
    page.wait_for_load_state(timeout=WAIT)
    assert page.url.endswith(href)

    _sign_out(page)
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(reverse("cohesion:health_check", args=[cid, check.pk]), timeout=WAIT)
    page.get_by_role("button", name="Close the check and keep its results").click()
    page.wait_for_load_state(timeout=WAIT)
    check.refresh_from_db()
    assert not check.is_open

    # The Sustain stage now offers the plan.
    page.goto(reverse("core:stage", args=[cid, "sustain"]), timeout=WAIT)
    page.locator("main").get_by_role("link", name="Sustainability plan").click()
    page.wait_for_load_state(timeout=WAIT)
    page.get_by_role("link", name="Record the answer").click()
    page.wait_for_load_state(timeout=WAIT)
    page.get_by_label("Continue in a new form").check()
    page.locator("#id_reasons").fill("Members want to keep meeting once the launch grant ends.")
    page.locator("#id_continues").fill("The monthly meeting and the shared indicators.")
    page.locator("#id_review_on").fill((timezone.localdate() + dt.timedelta(days=90)).isoformat())
    # Every readiness question needs a rating: one left out sends the form back with the error beside it.
    ratings = {q.code: "ready" for q in READINESS_QUESTIONS} | {"hub_skills": "not_yet", "voices": "partly"}
    for code, rating in ratings.items():
        if code != "trust":
            page.locator(f'input[name="{code}_rating"][value="{rating}"]').check()
    page.get_by_label("Note (Hub skills)").fill("Nobody on the hub raises funds yet.")
    page.get_by_role("button", name="Record the answer").click()
    page.wait_for_load_state(timeout=WAIT)
    expect(page.locator('fieldset[data-question="trust"] .errorlist')).to_be_visible()
    assert not SustainabilityPlan.objects.filter(coalition=world.coalition).exists()
    page.locator('input[name="trust_rating"][value="ready"]').check()
    page.get_by_role("button", name="Record the answer").click()
    page.wait_for_load_state(timeout=WAIT)
    assert SustainabilityPlan.objects.get(coalition=world.coalition).decision == "transform"
    # The Sustain page shows the ratings given with the answer.
    expect(
        page.locator('[data-readiness-answers] tr[data-question="hub_skills"][data-rating="not_yet"]')
    ).to_be_visible()
    expect(page.get_by_text("Nobody on the hub raises funds yet.")).to_be_visible()

    # Funding was a concern with no line answering it: add one from the concern itself.
    page.locator('[data-concerns] li[data-factor="funding"] a').click()
    page.wait_for_load_state(timeout=WAIT)
    page.locator("#id_part").select_option("financial")
    page.locator("#id_what").fill("Membership fees")
    page.locator("#id_responsible").fill("Treasurer")
    page.locator("#id_resources").fill("A fee scale the members agree")
    page.locator("#id_milestone").fill("First fees collected")
    page.locator("#id_due_on").fill((timezone.localdate() + dt.timedelta(days=120)).isoformat())
    assert page.locator("#id_factor").input_value() == "funding"
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state(timeout=WAIT)
    item = PlanItem.objects.get(coalition=world.coalition)
    assert (item.part, item.factor) == ("financial", "funding")
    concern = page.locator('[data-concerns] li[data-factor="funding"]')
    assert "Membership fees" in concern.inner_text(timeout=WAIT)
    assert page.get_by_role("link", name="Version 2").is_visible(timeout=WAIT)

    # The line becomes a joint action owned by a member organisation; the plan shows the action's status.
    page.get_by_role("link", name="Make it a joint action").click()
    page.wait_for_load_state(timeout=WAIT)
    page.locator("#id_lead").select_option(label=world.member_org.name)
    page.locator("#id_place").fill("Town hall")
    page.get_by_role("button", name="Make the joint action").click()
    page.wait_for_load_state(timeout=WAIT)
    item.refresh_from_db()
    assert item.action is not None and item.action.lead == world.member_org
    status = page.locator("[data-action-status]")
    assert status.get_attribute("data-action-status", timeout=WAIT) == "planned"
    assert_accessible(page)

    # On a phone the plan's table stacks into cards and nothing runs off the side.
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_hub_dependence_chart_fits_a_phone_with_its_table_behind_a_disclosure(page: Any, world: Any) -> None:
    from tests.cohesion.fixtures import build

    build(world.coalition)  # three closed network rounds
    sign_in(page, "observer", factories.PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(reverse("cohesion:sustainability", args=[world.coalition.pk]), timeout=WAIT)
    chart = page.locator("[data-hub-chart] svg")
    expect(chart).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    table = page.locator("[data-hub-trend] table")
    expect(table).to_be_hidden()
    page.get_by_text("The figures of the chart").click()
    expect(table).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
