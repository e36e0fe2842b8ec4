"""Journey: on a fresh database with sign-up allowed, a new coordinator creates an account, confirms the address
from the email, signs in, starts a coalition and invites a member (bound to that member's address)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from coalition.accounts.models import Invitation
from coalition.coalitions.models import Coalition
from tests.e2e.conftest import assert_accessible

COALITION = "Riverside Food Coalition"
PASSWORD = "a quiet river at dawn"


@pytest.fixture
def fresh_site(settings: Any, transactional_db: Any) -> None:
    settings.COALITION_ALLOW_SIGNUP = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    assert not get_user_model().objects.exists() and not Coalition.objects.exists()


def test_new_coordinator_signs_up_confirms_starts_a_coalition_and_invites(page: Any, fresh_site: None) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_role("heading", name="Create an account").wait_for()
    assert_accessible(page)
    page.get_by_label("Username").fill("fola")
    page.get_by_label("First name").fill("Fola")
    page.get_by_label("Last name").fill("Founder")
    page.get_by_label("Email address").fill("fola@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)

    assert [m.to for m in mail.outbox] == [["fola@example.org"]]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my address").click()
    page.get_by_text("your address fola@example.org is confirmed").wait_for()

    page.get_by_label("Username").fill("fola")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your coalitions").wait_for()
    expect(page.get_by_text("Start your coalition")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Start a coalition").click()
    page.get_by_label("Name").fill(COALITION)
    page.get_by_role("button", name="Create coalition").click()
    page.get_by_role("heading", name=COALITION).wait_for()
    coalition_id = re.search(r"/c/(\d+)/", page.url).group(1)

    page.goto(f"/c/{coalition_id}/invitations/")
    assert page.get_by_label("Only the person at this address").is_checked()
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_role("button", name="Send invitation").click()
    assert "/accounts/invite/" in page.get_by_label("Invitation link").input_value()
    expect(page.get_by_role("cell", name="Only this address")).to_be_visible()
    assert_accessible(page)

    invitation = Invitation.objects.get()
    assert invitation.coalition_id == int(coalition_id) and invitation.bound_to_email
    assert invitation.invited_by.username == "fola"
    invited = [m for m in mail.outbox if m.to == ["nia@example.org"]]
    assert len(invited) == 1 and "for you only" in invited[0].body
