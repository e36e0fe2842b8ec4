"""Journey: with two-step sign-in required, the hub opens its coalition, adds the shown key to an
authenticator app (computed here from the page), enters the code and arrives; a wrong code is explained."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in


def _app_code(key: str) -> str:
    """What an authenticator app shows for the key typed in from the page."""
    return f"{TOTP(b32decode(key.replace(' ', ''))).token():06d}"


def test_the_hub_sets_up_two_step_sign_in_and_reaches_the_coalition(page: Any, world: Any, settings: Any) -> None:
    settings.REQUIRE_TWO_STEP = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in(page, "hub", factories.PASSWORD)
    page.get_by_role("link", name="Coalition A").click()
    page.get_by_role("heading", name="Two-step sign-in").wait_for()
    expect(page.get_by_role("img", name="QR code holding your authenticator key")).to_be_visible()
    assert_accessible(page)
    key = page.locator("#two-step-key").get_attribute("data-key")

    page.get_by_label("Code from your authenticator app").fill("12ab56")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_text("The code is made of digits only.")).to_be_visible()

    page.get_by_label("Code from your authenticator app").fill(_app_code(key))
    page.get_by_role("button", name="Confirm and continue").click()
    page.get_by_role("heading", name="Coalition A").wait_for()
    assert "/c/" in page.url
