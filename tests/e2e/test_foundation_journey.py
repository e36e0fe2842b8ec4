"""Journey: a hub starts a coalition and invites a member; the invitee creates an account from the link,
lands in the coalition and maps a stakeholder that appears on the power/interest grid."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in

COALITION = "Riverside Food Coalition"
INVITEE_PASSWORD = "a quiet river at dawn"


def test_hub_founds_a_coalition_and_an_invited_member_maps_a_stakeholder(
    page: Any, browser: Any, live_server: Any, db: Any
) -> None:
    factories.make_user("founder", first_name="Fola", last_name="Founder", is_staff=True)  # the operator may start one
    page.goto("/accounts/login/")
    assert_accessible(page)
    sign_in(page, "founder", factories.PASSWORD)

    page.get_by_role("link", name="Start a coalition").click()
    assert_accessible(page)
    page.get_by_label("Name").fill(COALITION)
    page.get_by_role("button", name="Create coalition").click()
    page.get_by_role("heading", name=COALITION).wait_for()
    coalition_id = re.search(r"/c/(\d+)/", page.url).group(1)

    page.goto(f"/c/{coalition_id}/invitations/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Steering committee").check()
    page.get_by_role("button", name="Send invitation").click()
    link = page.get_by_label("Invitation link").input_value()
    assert "/accounts/invite/" in link
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("status").filter(has_text="Link copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    expect(page.get_by_role("cell", name="Pending")).to_be_visible()
    assert_accessible(page)

    invitee_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    invitee_context.set_default_timeout(15_000)
    invitee = invitee_context.new_page()
    try:
        invitee.goto(link)
        expect(invitee.get_by_role("heading", name=f"Join {COALITION}")).to_be_visible()
        assert_accessible(invitee)
        invitee.get_by_label("Username").fill("nia")
        invitee.get_by_label("First name").fill("Nia")
        invitee.get_by_label("Last name").fill("Okafor")
        assert invitee.get_by_label("Email address").input_value() == "nia@example.org"
        invitee.get_by_label("Password", exact=True).fill(INVITEE_PASSWORD)
        invitee.get_by_label("Password again").fill(INVITEE_PASSWORD)
        invitee.get_by_role("button", name="Create account and join").click()
        invitee.get_by_role("heading", name=COALITION).wait_for()
        expect(invitee.get_by_text(f"Welcome to {COALITION}.")).to_be_visible()
        expect(invitee.get_by_text("Nia Okafor")).to_be_visible()

        invitee.goto(f"/c/{coalition_id}/stakeholders/")
        invitee.get_by_role("link", name="Add a stakeholder").click()
        invitee.get_by_label("Name").fill("Riverside Tenants Union")
        invitee.get_by_label("Sector").select_option("civil_society")
        invitee.get_by_label("Power / influence").select_option("4")
        invitee.locator("#id_interest").select_option("5")
        invitee.get_by_role("button", name="Add to the map").click()
        invitee.get_by_role("heading", name="Riverside Tenants Union").wait_for()

        invitee.goto(f"/c/{coalition_id}/stakeholders/grid/")
        point = invitee.locator("svg a[data-quadrant='manage_closely']")
        assert point.count() == 1
        assert "Riverside Tenants Union" in point.get_attribute("aria-label")
    finally:
        invitee_context.close()

    page.goto(f"/c/{coalition_id}/invitations/")
    expect(page.get_by_role("cell", name="Accepted")).to_be_visible()
    assert page.get_by_label("Invitation link").count() == 0
