"""Security checklist item 8 (re-authentication): exports that identify people need a recent sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coalition.accounts import reauth
from coalition.core.models import AuditEvent
from tests import factories
from tests.network.helpers import make_round

pytestmark = pytest.mark.django_db
STALE = int(reauth.WINDOW.total_seconds()) + 60


def _stale(client: Client) -> Client:
    session = client.session
    session[reauth.SESSION_KEY] = int(timezone.now().timestamp()) - STALE
    session.save()
    return client


def _exports(world: Any) -> list[str]:
    c = world.coalition.pk
    return [
        reverse("coalitions:members_export", args=[c]),
        reverse("coalitions:audit_export", args=[c]),
        reverse("stakeholders:export", args=[c]),
    ]


def test_a_fresh_sign_in_exports_at_once(world: Any) -> None:
    client = world.client_for(world.hub)
    for url in _exports(world):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), url


def test_a_stale_sign_in_is_asked_for_the_password_and_comes_back_to_the_export(world: Any) -> None:
    client = _stale(world.client_for(world.hub))
    for url in _exports(world):
        response = client.get(url + "?q=a")
        confirm = f"{reverse('accounts:confirm_password')}?next={url.replace('/', '%2F')}%3Fq%3Da"
        assert response.status_code == 302 and response["Location"] == confirm, url
    page = client.get(confirm)
    assert page.status_code == 200 and b"Confirm your password" in page.content

    wrong = client.post(reverse("accounts:confirm_password"), {"password": "not it at all", "next": url})
    assert wrong.status_code == 200 and b"That is not your password." in wrong.content
    assert client.get(url).status_code == 302  # still stale

    right = client.post(reverse("accounts:confirm_password"), {"password": factories.PASSWORD, "next": url})
    assert right.status_code == 302 and right["Location"] == url
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(actor=world.hub, verb="accounts.password_confirmed").count() == 1


def test_the_confirmation_never_sends_anyone_to_another_site(world: Any) -> None:
    client = _stale(world.client_for(world.hub))
    for target in ("https://evil.example/steal", "//evil.example/steal", ""):
        response = client.post(reverse("accounts:confirm_password"), {"password": factories.PASSWORD, "next": target})
        assert response.status_code == 302 and response["Location"] == reverse("core:home"), target


def test_an_outsider_still_gets_404_and_an_anonymous_visitor_the_sign_in(world: Any) -> None:
    outsider = _stale(world.client_for(world.outsider))
    for url in _exports(world):
        assert outsider.get(url).status_code == 404, url
    anonymous = Client().get(reverse("accounts:confirm_password"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))


def test_wrong_passwords_count_towards_the_sign_in_lockout(world: Any) -> None:
    client = _stale(world.client_for(world.member))
    url = reverse("accounts:confirm_password")
    for _ in range(5):
        client.post(url, {"password": "wrong password here", "next": "/"}, REMOTE_ADDR="203.0.113.9")
    locked = client.post(url, {"password": factories.PASSWORD, "next": "/"}, REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429
    assert not reauth.is_recent(type("Request", (), {"session": client.session})())


def test_network_exports_ask_only_when_they_name_actors(world: Any) -> None:
    survey = make_round(world.coalition)
    for page in ("export_actors", "export_ties"):
        url = reverse(f"network:{page}", args=[world.coalition.pk, survey.pk])
        assert _stale(world.client_for(world.hub)).get(url).status_code == 302, page  # the hub sees names
        anonymised = _stale(world.client_for(world.member)).get(url)  # members see codes, not names
        assert anonymised.status_code == 200 and anonymised["Content-Type"].startswith("text/csv"), page
