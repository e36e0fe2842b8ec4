"""The signed-in person's own page: password change (old password required, other sessions end) and
replacing the authenticator app (recent sign-in required)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts import reauth, two_step
from coalition.core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "lanterns over the harbour"


def test_the_account_page_says_what_is_set_up(world: Any) -> None:
    client = world.client_for(world.member)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "member" in page and "No authenticator app is set up" in page
    TOTPDevice.objects.create(user=world.member, name="Phone", confirmed=True)
    assert "Replace authenticator app" in client.get(reverse("accounts:account")).content.decode()
    assert Client().get(reverse("accounts:account")).status_code == 302  # anonymous: to the sign-in


def test_a_password_change_needs_the_old_one_and_ends_other_sessions(world: Any) -> None:
    here, elsewhere = world.client_for(world.member), world.client_for(world.member)
    url = reverse("accounts:change_password")
    wrong = here.post(
        url, {"old_password": "not my password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert wrong.status_code == 200 and "old password was entered incorrectly" in wrong.content.decode()
    short = here.post(url, {"old_password": factories.PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert short.status_code == 200 and "too short" in short.content.decode()

    changed = here.post(
        url, {"old_password": factories.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert changed.status_code == 302 and changed["Location"] == reverse("accounts:account")
    assert here.get(reverse("accounts:account")).status_code == 200  # still signed in here
    assert elsewhere.get(reverse("accounts:account")).status_code == 302  # signed out everywhere else
    world.member.refresh_from_db()
    assert world.member.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(actor=world.member, verb="accounts.password_changed").exists()


def test_replacing_the_app_needs_a_recent_sign_in_and_then_asks_for_a_new_one(world: Any) -> None:
    TOTPDevice.objects.create(user=world.hub, name="Old phone", confirmed=True)
    client = world.client_for(world.hub)
    session = client.session
    session[two_step.SESSION_KEY] = "otp_totp.totpdevice/1"
    session[reauth.SESSION_KEY] = int(timezone.now().timestamp()) - int(reauth.WINDOW.total_seconds()) - 60
    session.save()
    url = reverse("accounts:replace_two_step")
    assert client.get(url).status_code == 405
    stale = client.post(url)
    assert stale.status_code == 302 and stale["Location"].startswith(reverse("accounts:confirm_password"))
    assert TOTPDevice.objects.filter(user=world.hub).exists()

    client.post(reverse("accounts:confirm_password"), {"password": factories.PASSWORD, "next": "/"})
    replaced = client.post(url)
    assert replaced.status_code == 302 and replaced["Location"].startswith(reverse("accounts:two_step"))
    assert not TOTPDevice.objects.filter(user=world.hub, confirmed=True).exists()
    assert two_step.SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(actor=world.hub, verb="accounts.two_step_removed").exists()
