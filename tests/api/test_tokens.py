"""Personal access tokens: hashed at rest, shown once, scoped, expiring and revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coalition.api import actions
from coalition.api.models import AccessToken
from coalition.core.models import AuditEvent


def _bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _url(world: Any) -> str:
    return reverse("api:coalition", kwargs={"coalition_id": world.coalition.pk})


def test_only_the_sha256_of_the_secret_is_stored(world: Any) -> None:
    token, secret = actions.do_create_token(world.member, name="sync", scope="read", days=30)
    stored = AccessToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    row = AccessToken.objects.filter(pk=token.pk).values_list().get()
    assert not any(secret in str(cell) for cell in row)
    assert secret.startswith("coa_") and len(secret) >= 4 + 43  # 32 random bytes, url-safe base64


def test_a_token_reads_as_its_owner(world: Any) -> None:
    _token, secret = actions.do_create_token(world.member, name="sync", scope="read", days=30)
    response = _bearer(secret).get(_url(world))
    assert response.status_code == 200
    assert response.json()["name"] == "Coalition A"
    assert _bearer(secret).get(reverse("api:coalition", kwargs={"coalition_id": world.other.pk})).status_code == 404


@pytest.mark.parametrize("secret", ["coa_not-a-real-token", "garbage", "", "coa_" + "x" * 200])
def test_an_unknown_token_gets_a_json_401(world: Any, secret: str) -> None:
    response = _bearer(secret).get(_url(world))
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_an_expired_token_is_refused(world: Any) -> None:
    token, secret = actions.do_create_token(world.member, name="old", scope="read", days=1)
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _bearer(secret).get(_url(world)).status_code == 401


def test_a_revoked_token_is_refused_at_once(world: Any) -> None:
    token, secret = actions.do_create_token(world.member, name="leaked", scope="write", days=30)
    assert _bearer(secret).get(_url(world)).status_code == 200
    actions.do_revoke_token(world.member, token)
    assert _bearer(secret).get(_url(world)).status_code == 401
    assert AuditEvent.objects.filter(verb="token.revoked", object_id=str(token.pk)).count() == 1


def test_a_token_of_a_deactivated_account_is_refused(world: Any) -> None:
    _token, secret = actions.do_create_token(world.member, name="sync", scope="read", days=30)
    world.member.is_active = False
    world.member.save()
    assert _bearer(secret).get(_url(world)).status_code == 401


def test_a_read_only_token_cannot_write(world: Any) -> None:
    _token, secret = actions.do_create_token(world.hub, name="read", scope="read", days=30)
    url = reverse("api:stakeholder_create", kwargs={"coalition_id": world.coalition.pk})
    response = _bearer(secret).post(url, {"name": "Library", "kind": "organisation"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."


def test_a_write_token_writes_without_a_csrf_token(world: Any) -> None:
    _token, secret = actions.do_create_token(world.hub, name="write", scope="write", days=30)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = reverse("api:stakeholder_create", kwargs={"coalition_id": world.coalition.pk})
    response = client.post(url, {"name": "Library", "kind": "organisation"}, content_type="application/json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " ", "scope": "read", "days": 30}, "name"),
        ({"name": "x", "scope": "admin", "days": 30}, "scope"),
        ({"name": "x", "scope": "read", "days": 0}, "days"),
        ({"name": "x", "scope": "read", "days": 367}, "days"),
    ],
)
def test_token_settings_are_bounded(world: Any, fields: dict[str, Any], field: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        actions.do_create_token(world.member, **fields)
    assert field in caught.value.message_dict
    assert not AccessToken.objects.exists()


def test_nobody_revokes_another_persons_token(world: Any) -> None:
    token, secret = actions.do_create_token(world.member, name="mine", scope="read", days=30)
    response = world.client_for(world.hub).post(reverse("tokens:revoke", kwargs={"token_id": token.pk}))
    assert response.status_code == 404
    assert _bearer(secret).get(_url(world)).status_code == 200


def test_the_screen_shows_the_secret_once(world: Any) -> None:
    client = world.client_for(world.member)
    page = client.post(reverse("tokens:list"), {"name": "DHIS2 sync", "scope": "write", "days": "90"})
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret and secret in page.content.decode()
    token = AccessToken.objects.get(user=world.member)
    assert (token.name, token.scope) == ("DHIS2 sync", "write")
    again = client.get(reverse("tokens:list")).content.decode()
    assert secret not in again and token.prefix in again
    client.post(reverse("tokens:revoke", kwargs={"token_id": token.pk}))
    assert _bearer(secret).get(_url(world)).status_code == 401


def test_the_screen_shows_field_errors_with_400(world: Any) -> None:
    page = world.client_for(world.member).post(reverse("tokens:list"), {"name": "", "scope": "read", "days": "9999"})
    assert page.status_code == 400
    assert not AccessToken.objects.exists()


def test_the_screen_needs_sign_in(client: Any, db: Any) -> None:
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
