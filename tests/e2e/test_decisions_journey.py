"""A ranked-choice poll in the browser: three members rank the options, the facilitator closes the poll, the
instant-runoff winner is shown and the recorded outcome appears in the decision log."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coalition.decisions.models import Kind
from tests import factories
from tests.decisions import builders
from tests.e2e.conftest import sign_in

SLOW = 60_000
# (voter, {option: rank}): Library has two first preferences of three, so it wins in the first round.
BALLOTS = (
    ("member", {"Library": "1", "Park": "2"}),
    ("second", {"Library": "1"}),
    ("third", {"Clinic": "1", "Park": "2"}),
)


@pytest.fixture(autouse=True)
def _patient(page: Any) -> None:
    page.set_default_timeout(SLOW)
    page.set_default_navigation_timeout(SLOW)


def test_three_members_rank_the_poll_closes_and_the_outcome_reaches_the_log(
    page: Any, browser: Any, live_server: Any, world: Any
) -> None:
    for name in ("second", "third"):
        factories.add_member(world.coalition, factories.make_user(name), ["member"])
    poll = builders.poll(world.coalition, Kind.RANKED, options=("Park", "Library", "Clinic"), title="Festival site")
    url = reverse("decisions:poll", args=[world.coalition.pk, poll.pk])

    for username, ranks in BALLOTS:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(SLOW)
        voter = context.new_page()
        sign_in(voter, username, factories.PASSWORD)
        voter.goto(url)
        for label, rank in ranks.items():
            voter.get_by_label(label, exact=True).select_option(rank)
        voter.get_by_role("button", name="Cast my vote").click()
        voter.wait_for_load_state()
        expect(voter.locator("#you-voted")).to_be_visible()
        assert voter.locator("#result-summary").count() == 0  # nothing of the count before closing
        context.close()

    sign_in(page, "facilitator", factories.PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Close the poll now").click()
    page.wait_for_load_state()
    assert page.locator("#result-summary").inner_text() == "Chosen: Library"
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("What was decided").fill("The summer festival is held at the library.")
    page.get_by_label("Why").fill("Library won the ranked vote in the first round.")
    page.get_by_role("button", name="Save the outcome").click()
    page.wait_for_load_state()

    page.goto(reverse("decisions:log", args=[world.coalition.pk]))
    row = page.locator("tr", has_text="Festival site")
    assert row.is_visible()
    assert "Chosen: Library" in row.inner_text()
    assert "The summer festival is held at the library." in row.inner_text()
    assert "3 of" in row.inner_text()
