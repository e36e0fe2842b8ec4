"""The public page in the browser: the hub records which members agreed to be listed, opts in to sections and
publishes; an anonymous visitor on a 360 px phone, with JavaScript off, reads the purpose, the listed members,
the shared indicator (small counts hidden) and the final decision. The page passes axe with no violation and
never scrolls sideways."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coalition.decisions import actions as decision_actions
from coalition.measurement.models import MemberAggregation, TimeAggregation
from tests import factories
from tests.decisions import builders as poll_builders
from tests.e2e.conftest import assert_accessible, sign_in, translated
from tests.measurement.builders import make_indicator
from tests.measurement.test_shared_disclosure import _approved, _member

SLOW = 60_000
PHONE = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def _patient(page: Any) -> None:
    page.set_default_timeout(SLOW)
    page.set_default_navigation_timeout(SLOW)


def _data(world: Any) -> None:
    coalition = world.coalition
    coalition.common_purpose = "Every child in the neighbourhood has a safe, free place to go after school."
    coalition.save()
    parks, food = _member(coalition, "Parks Department"), _member(coalition, "Food Bank")
    indicator = make_indicator(
        coalition,
        "Children attending clubs",
        frequency="monthly",
        starts_on=dt.date(2025, 6, 1),
        is_shared=True,
        kind="count",
        time_aggregation=TimeAggregation.SUM,
        member_aggregation=MemberAggregation.SUM,
    )
    _approved(coalition, indicator, parks, dt.date(2025, 6, 1), 3)
    _approved(coalition, indicator, food, dt.date(2025, 6, 1), 27)
    poll = poll_builders.poll(coalition, title="Open a Saturday club")
    closed = decision_actions.do_close_poll(world.facilitator, poll)
    decision_actions.do_record_outcome(world.facilitator, closed, outcome_statement="The club opens in May.")


def test_hub_publishes_and_a_phone_reads_the_page_without_javascript(
    page: Any, browser: Any, live_server: Any, world: Any
) -> None:
    _data(world)
    sign_in(page, "hub", factories.PASSWORD)
    page.goto(reverse("public:settings", args=[world.coalition.pk]))
    page.locator("#id_organisation").select_option(label="Food Bank")
    page.get_by_label("Agreed to be listed on").fill((dt.date.today() - dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Record the agreement").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Food Bank is listed on the public page.")).to_be_visible()

    page.get_by_label("Web address").fill("after-school")
    page.get_by_label("Introduction").fill("What we do together, and how it is going.")
    for key in ("purpose", "members", "indicators", "decisions"):
        page.locator(f'input[name="sections"][value="{key}"]').check()
    page.get_by_role("button", name="Save the settings").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Publish the page").click()
    page.wait_for_load_state()
    assert "/p/after-school/" in page.locator("#page-state").inner_text()

    # An anonymous visitor on a basic phone, scripts off.
    plain = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    plain.set_default_timeout(SLOW)
    visitor = plain.new_page()
    visitor.goto("/p/after-school/")
    assert visitor.get_by_role("heading", level=1).inner_text() == "Coalition A"
    for heading in ("Purpose and common agenda", "Member organisations", "Shared indicators", "Decisions"):
        expect(visitor.get_by_role("heading", name=heading, level=2)).to_be_visible()
    body = visitor.locator("main").inner_text()
    assert "Food Bank" in body and "Parks Department" not in body  # only the one that agreed is named
    assert "Open a Saturday club" in body and "The club opens in May." in body
    assert "x" in visitor.locator("#section-indicators table").first.inner_text()  # the small count is hidden
    plain.close()

    # The same page with axe (which needs scripts to run) at 360 px: no violation, no sideways scroll.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    phone.set_default_timeout(SLOW)
    checked = phone.new_page()
    checked.goto("/p/after-school/")
    assert checked.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(checked)
    feed = checked.request.get("/p/after-school/feed.atom")
    assert feed.ok and "Open a Saturday club" in feed.text()
    phone.close()

    # And for a visitor whose phone asks for French: the page in French, still without a violation at 360 px.
    french = browser.new_context(base_url=live_server.url, viewport=PHONE, extra_http_headers={"Accept-Language": "fr"})
    french.set_default_timeout(SLOW)
    read = french.new_page()
    read.goto("/p/after-school/")
    assert read.locator("html").get_attribute("lang") == "fr"
    for heading in ("Purpose and common agenda", "Member organisations", "Shared indicators", "Decisions"):
        expect(read.get_by_role("heading", name=translated("fr", heading), level=2)).to_be_visible()
    assert read.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(read)
    french.close()
