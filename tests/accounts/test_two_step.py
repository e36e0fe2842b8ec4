"""Security checklist item 7: those who administer a coalition give a one-time code from an authenticator
app once per session; each code works once. (On in production; these tests switch it on.)"""

from __future__ import annotations

import json
from base64 import b32encode
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts import two_step
from coalition.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings: Any) -> Any:
    settings.REQUIRE_TWO_STEP = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # wrong codes slow down retries; one test checks that on its own
    return settings


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or that many time steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():06d}"


def _overview(world: Any) -> str:
    return reverse("coalitions:overview", args=[world.coalition.pk])


def _enrol(client: Client, world: Any) -> tuple[TOTPDevice, str]:
    """Set up the hub's app in this session; the device and the code it accepted."""
    client.get(reverse("accounts:two_step"))
    device = TOTPDevice.objects.get(user=world.hub)
    code = _code(device)
    response = client.post(reverse("accounts:two_step"), {"code": code, "next": _overview(world)})
    assert response.status_code == 302 and response["Location"] == _overview(world)
    device.refresh_from_db()
    return device, code


def test_the_hub_sets_up_an_app_then_its_code_opens_the_coalition(required: Any, world: Any) -> None:
    client = world.client_for(world.hub)
    asked = client.get(_overview(world))
    code_page = f"{reverse('accounts:two_step')}?next={_overview(world).replace('/', '%2F')}"
    assert asked.status_code == 302 and asked["Location"] == code_page

    page = client.get(code_page)
    device = TOTPDevice.objects.get(user=world.hub)
    assert page.status_code == 200 and not device.confirmed
    assert b"<svg" in page.content and device.config_url.startswith("otpauth://totp/Coalition%3Ahub?")
    shown_key = page.content.decode().split('data-key="')[1].split('"')[0].replace(" ", "")
    assert shown_key == b32encode(device.bin_key).decode()

    wrong = client.post(code_page, {"code": f"{(int(_code(device)) + 1) % 10**6:06d}", "next": _overview(world)})
    assert wrong.status_code == 200 and b"That code is not right" in wrong.content
    assert client.get(_overview(world)).status_code == 302

    before = client.session.session_key
    right = client.post(code_page, {"code": _code(device), "next": _overview(world)})
    assert right.status_code == 302 and right["Location"] == _overview(world)
    assert client.session.session_key != before  # a new key for the verified session
    assert client.get(_overview(world)).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    verbs = set(AuditEvent.objects.filter(actor=world.hub).values_list("verb", flat=True))
    assert {"accounts.two_step_failed", "accounts.two_step_enrolled", "accounts.two_step_verified"} <= verbs


def test_a_code_works_once_and_every_new_sign_in_asks_again(required: Any, world: Any) -> None:
    first = world.client_for(world.hub)
    device, used = _enrol(first, world)

    second = world.client_for(world.hub)  # signing in again: a new session
    assert second.get(_overview(world)).status_code == 302
    page = second.get(reverse("accounts:two_step"))
    assert b"<svg" not in page.content  # already set up: only the code is asked
    replayed = second.post(reverse("accounts:two_step"), {"code": used, "next": _overview(world)})
    assert replayed.status_code == 200 and b"already used" in replayed.content
    fresh = second.post(reverse("accounts:two_step"), {"code": _code(device, steps_ahead=1), "next": _overview(world)})
    assert fresh.status_code == 302
    assert second.get(_overview(world)).status_code == 200
    assert first.get(_overview(world)).status_code == 200  # the first session stays verified


def test_wrong_codes_slow_further_tries_down(settings: Any, world: Any) -> None:
    settings.REQUIRE_TWO_STEP = True
    client = world.client_for(world.hub)
    client.get(reverse("accounts:two_step"))
    device = TOTPDevice.objects.get(user=world.hub)
    client.post(reverse("accounts:two_step"), {"code": f"{(int(_code(device)) + 1) % 10**6:06d}"})
    throttled = client.post(reverse("accounts:two_step"), {"code": _code(device)})  # right, but too soon
    assert throttled.status_code == 200 and not two_step.is_verified(type("R", (), {"session": client.session})())


@pytest.mark.parametrize("persona", ["member", "observer"])
def test_other_roles_are_not_asked(required: Any, world: Any, persona: str) -> None:
    assert world.client_for(getattr(world, persona)).get(_overview(world)).status_code == 200


def test_a_facilitator_who_manages_members_and_settings_is_asked_too(required: Any, world: Any) -> None:
    asked = world.client_for(world.facilitator).get(_overview(world))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("accounts:two_step"))


def test_an_outsider_still_gets_404_and_bad_codes_are_explained(required: Any, world: Any) -> None:
    assert world.client_for(world.outsider).get(_overview(world)).status_code == 404
    client = world.client_for(world.hub)
    for code, message in (("12ab56", b"digits only"), ("123", b"at least 6")):
        response = client.post(reverse("accounts:two_step"), {"code": code})
        assert response.status_code == 200 and message in response.content


def test_the_api_answers_403_in_json_until_the_code_is_given(required: Any, world: Any) -> None:
    client = world.client_for(world.hub)
    url = reverse("api:coalition", kwargs={"coalition_id": world.coalition.pk})
    refused = client.get(url)
    assert refused.status_code == 403 and "detail" in json.loads(refused.content)
    _enrol(client, world)
    assert client.get(url).status_code == 200


def test_it_is_off_outside_production_by_default(world: Any) -> None:
    assert world.client_for(world.hub).get(_overview(world)).status_code == 200
