"""The pooled fund in the browser: the hub opens a call, two members submit (one jointly), a member chooses
within the budget, the hub records the decision, the awards appear with the rule that gave them, and a
disbursement updates the fund's balance."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coalition.funding.models import Call, Phase
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in
from tests.funding import builders

SLOW = 60_000


@pytest.fixture(autouse=True)
def _patient(page: Any) -> None:
    page.set_default_timeout(SLOW)
    page.set_default_navigation_timeout(SLOW)


def _as(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(SLOW)
    person = context.new_page()
    sign_in(person, username, factories.PASSWORD)
    return person


def _submit(person: Any, url: str, title: str, lines: str, partner: str | None) -> None:
    person.goto(url)
    person.get_by_label("title").fill(title)
    person.get_by_label("what you will do").fill("Weekly sessions with the families of the estate.")
    if partner:
        person.get_by_label(partner, exact=True).check()
    person.get_by_label("budget lines").fill(lines)
    person.get_by_role("button", name="Submit").click()
    person.wait_for_load_state()
    expect(person.get_by_role("heading", name=title)).to_be_visible()


def test_a_call_from_opening_to_disbursement(page: Any, browser: Any, live_server: Any, world: Any) -> None:
    fund = builders.fund(world.coalition)
    builders.receive(fund, "2000.00")
    bea = builders.member(world.coalition, "bea")
    builders.member(world.coalition, "cai")
    call = builders.call(world.coalition, title="Reading together", budget="1000")
    cid = world.coalition.pk
    call_url = reverse("funding:call", args=[cid, call.pk])

    sign_in(page, "hub", factories.PASSWORD)
    page.goto(call_url)
    page.get_by_role("button", name="Move to the next phase").click()
    page.wait_for_load_state()
    assert page.locator("#phase").inner_text() == "Open for proposals"
    assert_accessible(page)

    propose = reverse("funding:proposal_new", args=[cid, call.pk])
    member = _as(browser, live_server, "member")
    _submit(member, propose, "Reading clubs", "Facilitators; 450\nBooks; 150", partner="Second Org")
    member.context.close()
    second = _as(browser, live_server, "bea")
    _submit(second, propose, "Homework help", "Tutors; 300", partner=None)
    second.context.close()
    assert bea.organisation is not None

    page.goto(call_url)
    page.get_by_role("button", name="Move to the next phase").click()
    page.wait_for_load_state()
    assert Call.objects.get(pk=call.pk).phase == Phase.VOTING

    voter = _as(browser, live_server, "cai")
    voter.goto(call_url)
    voter.get_by_label("Reading clubs").check()
    voter.get_by_label("Homework help").check()
    voter.get_by_role("button", name="Record my choice").click()
    voter.wait_for_load_state()
    expect(voter.get_by_text("Your choice is recorded").first).to_be_visible()
    assert_accessible(voter)
    voter.context.close()

    page.goto(call_url)
    page.get_by_role("link", name="Record the decision").click()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    awards = page.locator("#awards")
    assert "Reading clubs" in awards.inner_text() and "Homework help" in awards.inner_text()
    assert "By member support within the budget" in page.locator("#rule").inner_text()
    assert "By member support within the budget" in awards.inner_text()  # each award's reason: the rule
    assert_accessible(page)

    awards.get_by_role("link", name="Homework help").click()
    page.get_by_label("due on").fill(str(call.opens_on))
    page.get_by_label("amount").fill("300")
    page.get_by_role("button", name="Schedule an instalment").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Disburse").click()
    page.wait_for_load_state()
    page.goto(reverse("funding:fund", args=[cid]))
    held = page.locator("tr[data-currency='EUR'] td.held").inner_text()
    assert held == "1,700.00"  # 2000 received, 300 disbursed; grouped as English writes money
