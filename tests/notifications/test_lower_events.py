"""Events of the apps below notifications (accounts, coalitions), raised through the ``core.events`` port: an
invitation accepted tells the inviter and those who manage members; a changed password or a new authenticator
app is a security message nobody can turn off. Each outbox row is written in the action's own transaction."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts.models import Invitation
from coalition.coalitions import actions as c_actions
from coalition.core import events
from coalition.notifications.models import Notification, Preference
from tests import factories

NEW_PASSWORD = "a-much-longer-passphrase-77"


def rows(name: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(event_type=name).values_list("recipient__username", "status"))


def _invite(world: Any, email: str = "newcomer@example.org") -> str:
    _invitation, link = c_actions.do_invite_member(
        world.hub, world.coalition, email=email, roles=["member"], base_url="http://testserver"
    )
    return link.rsplit("/", 2)[-2]


def test_accepted_invitation_tells_the_inviter_and_member_managers(world: Any) -> None:
    token = _invite(world)
    newcomer = factories.confirm_email(factories.make_user("newcomer"))
    c_actions.do_accept_invitation(newcomer, token)
    # The hub invited; the hub and the facilitator manage members; the member, the observer and the newcomer
    # are not told.
    assert [who for who, _status in rows(events.INVITATION_ACCEPTED)] == ["facilitator", "hub"]
    message = Notification.objects.filter(event_type=events.INVITATION_ACCEPTED).first()
    assert "newcomer accepted the invitation" in message.subject
    assert message.url == reverse("coalitions:members", args=[world.coalition.pk])


def test_a_refused_acceptance_tells_nobody(world: Any) -> None:
    token = _invite(world)
    stranger = factories.confirm_email(factories.make_user("stranger"))  # not the invited address
    with pytest.raises(c_actions.InvitationForAnotherAddress):
        c_actions.do_accept_invitation(stranger, token)
    assert rows(events.INVITATION_ACCEPTED) == []
    assert Invitation.objects.get().accepted_at is None


def test_the_event_rolls_back_with_the_acceptance(world: Any) -> None:
    token = _invite(world)
    newcomer = factories.confirm_email(factories.make_user("newcomer"))
    with pytest.raises(RuntimeError), transaction.atomic():
        c_actions.do_accept_invitation(newcomer, token)
        assert rows(events.INVITATION_ACCEPTED)  # written inside the action's transaction
        raise RuntimeError("the request fails after the action")
    assert rows(events.INVITATION_ACCEPTED) == []
    assert not newcomer.memberships.exists()


def test_password_change_sends_a_security_message_even_to_someone_who_chose_never(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Preference.objects.create(user=world.member, event_type=events.PASSWORD_CHANGED, delivery="never")
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for(world.member).post(
            reverse("accounts:change_password"),
            {"old_password": factories.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    assert rows(events.PASSWORD_CHANGED) == [("member", "sent")]
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    assert "password was changed" in mail.outbox[0].subject


def test_a_refused_password_change_sends_nothing(world: Any) -> None:
    world.client_for(world.member).post(
        reverse("accounts:change_password"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert rows(events.PASSWORD_CHANGED) == []


def test_setting_up_an_authenticator_sends_a_security_message(world: Any, settings: Any) -> None:
    settings.REQUIRE_TWO_STEP = True
    Preference.objects.create(user=world.hub, event_type=events.TWO_STEP_SET, delivery="never")
    client = world.client_for(world.hub)
    client.get(reverse("accounts:two_step"))
    device = TOTPDevice.objects.get(user=world.hub)
    assert rows(events.TWO_STEP_SET) == []  # shown, not set up yet
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    client.post(reverse("accounts:two_step"), {"code": code, "next": "/"})
    device.refresh_from_db()
    assert device.confirmed
    assert rows(events.TWO_STEP_SET) == [("hub", "pending")]


def test_raising_before_the_notifications_app_is_ready_is_an_error() -> None:
    with mock.patch.object(events, "_raiser", []), pytest.raises(RuntimeError):
        events.raise_event(events.PASSWORD_CHANGED, key="k", payload={})
