"""First run: self-service sign-up behind ``COALITION_ALLOW_SIGNUP``, email confirmation, and who may start a
coalition."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from coalition.accounts import emails
from coalition.coalitions.models import Coalition, MembershipRole
from coalition.core.models import AuditEvent
from tests import factories

PASSWORD = "a quiet river at dawn"
SIGN_UP = "/accounts/sign-up/"
NEW_COALITION = {"scope": "local", "phase": "preparing"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signup_on(settings: Any, db: Any) -> Any:
    settings.COALITION_ALLOW_SIGNUP = True
    return settings


def _form(**overrides: str) -> dict[str, str]:
    return {
        "username": "fola",
        "first_name": "Fola",
        "last_name": "Founder",
        "email": "fola@example.org",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "website": "",
        **overrides,
    }


def _post(client: Client, capture: Any, data: dict[str, str], address: str = "10.0.0.1") -> Any:
    with capture(execute=True):
        return client.post(SIGN_UP, data, REMOTE_ADDR=address)


def _link_path(body: str) -> str:
    return body.split("http://testserver", 1)[1].split()[0]


def test_sign_up_is_off_by_default(client: Client, db: Any) -> None:
    assert reverse("accounts:sign_up") == SIGN_UP
    assert client.get(SIGN_UP).status_code == 404
    assert client.post(SIGN_UP, _form()).status_code == 404
    assert client.get(reverse("accounts:sign_up_sent")).status_code == 404
    assert not get_user_model().objects.exists()
    assert b"Create an account" not in client.get(reverse("accounts:login")).content


def test_new_coordinator_confirms_then_signs_in_starts_a_coalition_and_is_its_hub(
    signup_on: Any, client: Client, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    assert b"Create an account" in client.get(reverse("accounts:login")).content
    response = _post(client, django_capture_on_commit_callbacks, _form())
    assert response["Location"] == reverse("accounts:sign_up_sent")
    user = get_user_model().objects.get(username="fola")
    assert not user.is_active and user.password.startswith("argon2")
    assert [m.to for m in mailoutbox] == [["fola@example.org"]]
    # Not usable before the address is confirmed.
    refused = client.post(reverse("accounts:login"), {"username": "fola", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    link = _link_path(mailoutbox[0].body)
    assert client.get(link).status_code == 200  # a page with a button: opening the link confirms nothing
    user.refresh_from_db()
    assert not user.is_active
    confirmed = client.post(link)
    assert confirmed["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.is_active and emails.is_verified(user, "fola@example.org")
    assert client.post(reverse("accounts:login"), {"username": "fola", "password": PASSWORD}).status_code == 302
    home = client.get(reverse("core:home")).content.decode()
    assert "Start your coalition" in home and reverse("coalitions:create") in home
    created = client.post(reverse("coalitions:create"), {"name": "Riverside Food Coalition", **NEW_COALITION})
    coalition = Coalition.objects.get(name="Riverside Food Coalition")
    assert created["Location"] == reverse("coalitions:overview", args=[coalition.pk])
    assert MembershipRole.objects.filter(membership__user=user, membership__coalition=coalition, role="hub").exists()


def test_an_existing_address_gets_the_same_answer_and_no_account(
    signup_on: Any, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    factories.make_user("already")  # already@example.org
    fresh = _post(Client(), django_capture_on_commit_callbacks, _form(), address="10.0.0.1")
    taken = _post(
        Client(),
        django_capture_on_commit_callbacks,
        _form(username="second", email="Already@Example.org"),
        address="10.0.0.2",
    )
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert not get_user_model().objects.filter(username="second").exists()
    assert get_user_model().objects.filter(email__iexact="already@example.org").count() == 1
    existing_mail = next(m for m in mailoutbox if m.to == ["already@example.org"])
    assert "already has one" in existing_mail.body and "/confirm-email/" not in existing_mail.body
    assert reverse("accounts:password_reset") in existing_mail.body


def test_the_robot_trap_answers_like_success_and_does_nothing(
    signup_on: Any, client: Client, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    page = client.get(SIGN_UP).content.decode()
    assert '<div hidden><label for="id_website">' in page
    response = _post(client, django_capture_on_commit_callbacks, _form(website="http://spam.example"))
    assert response["Location"] == reverse("accounts:sign_up_sent")
    assert not get_user_model().objects.exists() and mailoutbox == []


def test_sign_ups_are_limited_per_address_per_hour(
    signup_on: Any, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    signup_on.SIGNUP_RATE_PER_HOUR = 3
    answers = [
        _post(
            Client(), django_capture_on_commit_callbacks, _form(username=f"u{i}", email=f"u{i}@example.org")
        ).status_code
        for i in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]
    assert get_user_model().objects.count() == 3 and len(mailoutbox) == 3
    other_address = _post(
        Client(), django_capture_on_commit_callbacks, _form(username="u9", email="u9@example.org"), address="10.9.9.9"
    )
    assert other_address.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "short-pass", "password_again": "short-pass"}, b"too short"),
        ({"password": "password1234", "password_again": "password1234"}, b"too common"),
        ({"password": "fola@example.org", "password_again": "fola@example.org"}, b"too similar"),
        ({"password_again": "something else entirely"}, b"differ"),
        ({"email": "not-an-address"}, b"valid email"),
        ({"username": "bad name!"}, b"Enter a valid username"),
    ],
)
def test_sign_up_applies_the_same_rules_as_every_account(
    signup_on: Any, client: Client, overrides: dict, message: bytes, django_capture_on_commit_callbacks: Any
) -> None:
    response = _post(client, django_capture_on_commit_callbacks, _form(**overrides))
    assert response.status_code == 200 and message in response.content
    assert not get_user_model().objects.exists()


def test_a_taken_username_is_refused(signup_on: Any, client: Client, django_capture_on_commit_callbacks: Any) -> None:
    get_user_model().objects.create_user("fola", email="someone@example.org", password=PASSWORD)
    response = _post(client, django_capture_on_commit_callbacks, _form(username="FOLA"))
    assert response.status_code == 200 and b"username is taken" in response.content
    assert get_user_model().objects.count() == 1


def _pending_user() -> Any:
    return get_user_model().objects.create_user(
        "pending", email="pending@example.org", password=PASSWORD, is_active=False
    )


def test_altered_foreign_or_expired_links_confirm_nothing(
    signup_on: Any, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = _pending_user()
    token = emails.confirmation_token(user)
    url = reverse("accounts:confirm_email", kwargs={"token": token})
    altered = reverse("accounts:confirm_email", kwargs={"token": token[:-2] + ("AA" if token[-2:] != "AA" else "BB")})
    other_purpose = signing.dumps({"user": user.pk, "email": user.email}, salt="another-purpose")
    assert client.post(altered).status_code == 404
    foreign = client.post(reverse("accounts:confirm_email", kwargs={"token": other_purpose}))
    assert foreign.status_code == 404 and b"not valid" in foreign.content
    later = time.time() + signup_on.EMAIL_CONFIRMATION_LIFETIME.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    expired = client.post(url)
    assert expired.status_code == 410 and b"expired" in expired.content and b"Sign up again" in expired.content
    user.refresh_from_db()
    assert not user.is_active and not user.verified_emails.exists()


def test_a_link_works_once_and_never_revives_a_deactivated_account(signup_on: Any, client: Client) -> None:
    user = _pending_user()
    url = reverse("accounts:confirm_email", kwargs={"token": emails.confirmation_token(user)})
    client.post(url)
    client.post(url)
    assert AuditEvent.objects.filter(verb="accounts.email_confirmed").count() == 1
    # An account that was used and then deactivated stays deactivated when a confirmation link is opened.
    old = factories.make_user("old")
    get_user_model().objects.filter(pk=old.pk).update(is_active=False, last_login="2026-01-01T00:00:00Z")
    old.refresh_from_db()
    client.post(reverse("accounts:confirm_email", kwargs={"token": emails.confirmation_token(old)}))
    old.refresh_from_db()
    assert not old.is_active


def test_a_link_for_an_address_the_account_no_longer_uses_is_refused(signup_on: Any, client: Client) -> None:
    user = _pending_user()
    token = emails.confirmation_token(user)
    get_user_model().objects.filter(pk=user.pk).update(email="new@example.org")
    assert client.post(reverse("accounts:confirm_email", kwargs={"token": token})).status_code == 404
    assert not user.verified_emails.exists()


# --- Who may start a coalition ---------------------------------------------------------------------------------


def test_without_sign_up_a_person_without_coalition_is_told_to_wait_for_an_invitation(db: Any) -> None:
    user = factories.confirm_email(factories.make_user("newcomer"))
    client = Client()
    client.force_login(user)
    home = client.get(reverse("core:home")).content.decode()
    assert "Wait for an invitation" in home and reverse("coalitions:create") not in home
    refused = client.post(reverse("coalitions:create"), {"name": "Mine", **NEW_COALITION})
    assert refused.status_code == 403 and b"started by the people who run it" in refused.content
    assert not Coalition.objects.exists()


def test_with_sign_up_an_unconfirmed_person_is_asked_to_confirm_first(signup_on: Any, db: Any) -> None:
    client = Client()
    client.force_login(factories.make_user("newcomer"))
    home = client.get(reverse("core:home")).content.decode()
    assert "first confirm your email address" in home and reverse("accounts:send_confirmation") in home
    assert client.post(reverse("coalitions:create"), {"name": "Mine", **NEW_COALITION}).status_code == 403
    assert not Coalition.objects.exists()


def test_staff_and_existing_hubs_may_start_coalitions(world: Any) -> None:
    staff = factories.make_user("operator", is_staff=True)
    for user in (staff, world.hub):
        client = Client()
        client.force_login(user)
        assert (
            client.post(
                reverse("coalitions:create"), {"name": f"Started by {user.username}", **NEW_COALITION}
            ).status_code
            == 302
        )
    assert Coalition.objects.filter(name__startswith="Started by").count() == 2
    client = Client()
    client.force_login(world.member)
    assert client.post(reverse("coalitions:create"), {"name": "Member's own", **NEW_COALITION}).status_code == 403


def test_account_routes_ask_anonymous_visitors_to_sign_in(db: Any, client: Client) -> None:
    response = client.post(reverse("accounts:send_confirmation"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:send_confirmation")).status_code == 302


def test_confirmation_mail_is_limited_per_account(
    signup_on: Any, db: Any, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    signup_on.SIGNUP_RATE_PER_HOUR = 2
    client = Client()
    client.force_login(factories.make_user("newcomer"))
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(reverse("accounts:send_confirmation")).status_code for _ in range(3)]
    assert answers == [302, 302, 429] and len(mailoutbox) == 2
