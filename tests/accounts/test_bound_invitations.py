"""Invitations bound to their email address (the default): only the person the link was sent to can accept it,
signed in with that confirmed address or creating an account with exactly that address."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from coalition.accounts import emails
from coalition.accounts.models import Invitation, VerifiedEmail
from coalition.coalitions import actions
from coalition.coalitions.models import Membership
from tests import factories

NEW_PASSWORD = "a quiet river at dawn"


@pytest.fixture
def invite(world: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def _invite(email: str = "nia@example.org", **kwargs: Any) -> tuple[Invitation, str]:
        with django_capture_on_commit_callbacks(execute=True):
            return actions.do_invite_member(
                world.hub, world.coalition, email=email, roles=["member"], base_url="http://testserver/", **kwargs
            )

    return _invite


def _sign_up_data(**overrides: str) -> dict[str, str]:
    return {
        "username": "nia",
        "first_name": "Nia",
        "last_name": "Okafor",
        "email": "nia@example.org",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        **overrides,
    }


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def _joined(user: Any, world: Any) -> bool:
    return Membership.objects.filter(user=user, coalition=world.coalition, is_active=True).exists()


def test_invitations_are_bound_by_default_and_the_email_says_so(invite: Any, mailoutbox: list) -> None:
    invitation, _ = invite()
    assert invitation.bound_to_email is True
    assert "for you only" in mailoutbox[0].body and "nia@example.org" in mailoutbox[0].body
    open_invitation, _ = invite(email="anyone@example.org", bound_to_email=False)
    assert open_invitation.bound_to_email is False
    assert "Anyone who has this link can accept it" in mailoutbox[1].body


def test_hub_chooses_anyone_with_the_link_explicitly_on_the_page(world: Any) -> None:
    client = world.client_for(world.hub)
    url = reverse("invitations:list", args=[world.coalition.pk])
    client.post(url, {"email": "bound@example.org", "roles": ["member"]})  # no choice sent: bound
    client.post(url, {"email": "open@example.org", "roles": ["member"], "bound_to_email": "0"})
    assert Invitation.objects.get(email="bound@example.org").bound_to_email is True
    assert Invitation.objects.get(email="open@example.org").bound_to_email is False
    listing = client.get(url).content.decode()
    assert listing.count("<td>Only this address</td>") == 1
    assert listing.count("<td>Anyone with the link</td>") == 1


def test_regression_a_bound_link_does_not_let_another_account_join(invite: Any, world: Any) -> None:
    """Before: anyone holding the link joined under any address."""
    _, link = invite()
    stranger = factories.confirm_email(factories.make_user("stranger"))
    with pytest.raises(actions.InvitationForAnotherAddress, match="only for nia@example.org"):
        actions.do_accept_invitation(stranger, _token(link))
    client = world.client_for(stranger)
    page = client.get(link)
    assert page.status_code == 403 and b"signed in with another address" in page.content
    assert b"Sign out" in page.content
    assert client.post(link).status_code == 403
    assert not _joined(stranger, world)
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_regression_a_bound_link_does_not_create_an_account_under_another_address(invite: Any, world: Any) -> None:
    """Before: a new account could be created from the link with any address."""
    _, link = invite()
    with pytest.raises(ValidationError) as refused:
        actions.do_sign_up_with_invitation(
            _token(link),
            username="nia",
            first_name="Nia",
            last_name="",
            email="other@example.org",
            password=NEW_PASSWORD,
        )
    assert "only for nia@example.org" in str(refused.value.message_dict["email"])
    assert not get_user_model().objects.filter(username="nia").exists()
    # On the page the address cannot be changed: a tampered form still creates the invited address's account.
    response = world.client_for(None).post(link, _sign_up_data(email="other@example.org"))
    assert response.status_code == 302
    user = get_user_model().objects.get(username="nia")
    assert user.email == "nia@example.org" and _joined(user, world)


def test_an_account_created_from_a_bound_link_has_its_address_confirmed(invite: Any, client: Any, world: Any) -> None:
    _, link = invite()
    page = client.get(link).content.decode()
    assert "This invitation is only for nia@example.org." in page
    assert 'value="nia@example.org"' in page and "disabled" in page
    assert client.post(link, _sign_up_data()).status_code == 302
    user = get_user_model().objects.get(username="nia")
    assert emails.is_verified(user, "nia@example.org") and _joined(user, world)


def test_the_invited_address_signed_in_and_confirmed_joins_whatever_its_case(invite: Any, world: Any) -> None:
    _, link = invite(email="Nia@Example.org")
    user = factories.confirm_email(factories.make_user("nia"))  # nia@example.org
    membership = actions.do_accept_invitation(user, _token(link))
    assert membership.coalition == world.coalition


def test_the_invited_address_unconfirmed_is_asked_to_confirm_then_joins(
    invite: Any, world: Any, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    _, link = invite()
    user = factories.make_user("nia")  # same address, never confirmed
    client = world.client_for(user)
    page = client.get(link)
    assert page.status_code == 403 and b"not confirmed it yet" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("accounts:send_confirmation"), {"next": link.replace("http://testserver", "")})
    assert sent["Location"] == link.replace("http://testserver", "")
    confirm = mailoutbox[-1].body.split("http://testserver", 1)[1].split()[0]
    assert client.post(confirm).status_code == 302
    assert client.post(link).status_code == 302
    assert _joined(user, world)


def test_an_address_changed_after_confirmation_is_no_longer_confirmed(invite: Any, world: Any) -> None:
    _, link = invite()
    user = factories.confirm_email(factories.make_user("nia"))
    get_user_model().objects.filter(pk=user.pk).update(email="elsewhere@example.org")
    user.refresh_from_db()
    VerifiedEmail.objects.create(user=user, email="elsewhere@example.org")
    with pytest.raises(actions.InvitationForAnotherAddress):
        actions.do_accept_invitation(user, _token(link))


def test_anyone_with_an_unbound_link_joins_and_their_address_stays_unconfirmed(
    invite: Any, world: Any, client: Any
) -> None:
    invitation, link = invite(bound_to_email=False)
    assert b"Anyone with this link can use it once." in client.get(link).content
    assert client.post(link, _sign_up_data(email="someone@example.org")).status_code == 302
    user = get_user_model().objects.get(username="nia")
    assert user.email == "someone@example.org" and _joined(user, world)
    assert not VerifiedEmail.objects.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_a_used_bound_link_still_says_it_was_used_rather_than_whose_it_is(invite: Any, world: Any) -> None:
    _, link = invite()
    actions.do_accept_invitation(factories.confirm_email(factories.make_user("nia")), _token(link))
    with pytest.raises(actions.InvitationUnusable, match="already been used"):
        actions.do_accept_invitation(factories.confirm_email(factories.make_user("other")), _token(link))
