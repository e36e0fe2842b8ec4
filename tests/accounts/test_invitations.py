"""Invitations: hubs invite by email, the link works once, expired/revoked/used links are refused."""

from __future__ import annotations

import urllib.parse
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coalition.accounts.models import Invitation, hash_token
from coalition.coalitions import actions
from coalition.coalitions.models import Membership
from coalition.core.models import AuditEvent
from tests import factories

NEW_PASSWORD = "a quiet river at dawn"


@pytest.fixture
def invite(world: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def _invite(email: str = "new@example.org", roles: tuple[str, ...] = ("member",), **kwargs: Any) -> tuple:
        with django_capture_on_commit_callbacks(execute=True):
            return actions.do_invite_member(
                world.hub, world.coalition, email=email, roles=roles, base_url="http://testserver/", **kwargs
            )

    return _invite


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def _sign_up_data(**overrides: str) -> dict[str, str]:
    return {
        "username": "newcomer",
        "first_name": "Nia",
        "last_name": "Newcomer",
        "email": "new@example.org",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        **overrides,
    }


def test_invitation_stores_only_a_hash_of_the_token_and_emails_the_link(invite: Any, mailoutbox: list) -> None:
    invitation, link = invite(email=" New@Example.org ")
    token = _token(link)
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert invitation.email == "new@example.org"
    assert link == "http://testserver" + reverse("accounts:accept_invitation", kwargs={"token": token})
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new@example.org"]
    assert link in mailoutbox[0].body and "Coalition A" in mailoutbox[0].subject
    assert AuditEvent.objects.filter(verb="invitation.created", object_id=str(invitation.pk)).exists()
    assert token not in str(AuditEvent.objects.filter(verb="invitation.created").values().get())


def test_invitation_expires_after_seven_days_by_default(invite: Any) -> None:
    invitation, _ = invite()
    assert timezone.is_aware(invitation.expires_at)
    assert abs(invitation.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-email"}, "valid email"),
        ({"roles": ()}, "at least one role"),
        ({"roles": ("emperor",)}, "Unknown role"),
        ({"email": "member@example.org"}, "already a member"),
    ],
)
def test_invite_refuses_bad_input(invite: Any, fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        invite(**fields)
    assert not Invitation.objects.exists()


def test_invite_refuses_an_organisation_of_another_coalition(invite: Any, world: Any) -> None:
    foreign = factories.make_stakeholder(world.other)
    with pytest.raises(ValidationError, match="stakeholder map"):
        invite(organisation=foreign)


def test_only_a_hub_can_invite_a_hub(world: Any) -> None:
    with pytest.raises(ValidationError, match="Only a hub"):
        actions.do_invite_member(world.facilitator, world.coalition, email="x@example.org", roles=["hub"], base_url="/")
    invitation, _ = actions.do_invite_member(
        world.facilitator, world.coalition, email="x@example.org", roles=["steering"], base_url="/"
    )
    assert invitation.roles == ["steering"]


def test_a_new_invitation_to_the_same_address_replaces_the_pending_one(invite: Any) -> None:
    first, _ = invite()
    second, _ = invite()
    first.refresh_from_db()
    assert first.status == Invitation.Status.REVOKED
    assert second.status == Invitation.Status.PENDING


def test_accepting_adds_the_membership_with_the_invited_roles_and_organisation(invite: Any, world: Any) -> None:
    invitation, link = invite(roles=("member", "steering"), organisation=world.other_org)
    user = factories.make_user("joiner")
    membership = actions.do_accept_invitation(user, _token(link))
    assert membership.coalition == world.coalition
    assert membership.role_codes == ["member", "steering"]
    assert membership.organisation == world.other_org
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.accepted_by == user
    assert AuditEvent.objects.filter(verb="invitation.accepted", actor=user).exists()


def test_accepting_keeps_roles_a_member_already_holds(invite: Any, world: Any) -> None:
    _, link = invite(email="someone-else@example.org", roles=("observer",))
    membership = actions.do_accept_invitation(world.facilitator, _token(link))
    assert membership.role_codes == ["facilitator", "observer"]


def test_an_invitation_link_works_only_once(invite: Any) -> None:
    _, link = invite()
    actions.do_accept_invitation(factories.make_user("first"), _token(link))
    second = factories.make_user("second")
    with pytest.raises(actions.InvitationUnusable, match="already been used"):
        actions.do_accept_invitation(second, _token(link))
    assert not Membership.objects.filter(user=second).exists()


def test_expired_and_revoked_invitations_are_refused(invite: Any, world: Any) -> None:
    expired, expired_link = invite(email="late@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked, revoked_link = invite(email="gone@example.org")
    actions.do_revoke_invitation(world.hub, revoked)
    user = factories.make_user("hopeful")
    with pytest.raises(actions.InvitationUnusable, match="expired"):
        actions.do_accept_invitation(user, _token(expired_link))
    with pytest.raises(actions.InvitationUnusable, match="withdrawn"):
        actions.do_accept_invitation(user, _token(revoked_link))
    assert not Membership.objects.filter(user=user).exists()


def test_an_accepted_invitation_cannot_be_revoked(invite: Any, world: Any) -> None:
    invitation, link = invite()
    actions.do_accept_invitation(factories.make_user("joiner"), _token(link))
    invitation.refresh_from_db()
    with pytest.raises(ValidationError, match="already accepted"):
        actions.do_revoke_invitation(world.hub, invitation)


def test_a_withdrawn_invitation_cannot_be_withdrawn_twice(invite: Any, world: Any) -> None:
    invitation, _ = invite()
    actions.do_revoke_invitation(world.hub, invitation)
    with pytest.raises(ValidationError, match="already withdrawn"):
        actions.do_revoke_invitation(world.hub, invitation)
    assert AuditEvent.objects.filter(verb="invitation.revoked").count() == 1


# --- Pages -----------------------------------------------------------------------------------------


def test_hub_invites_from_the_page_and_sees_the_link_once(
    world: Any, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for(world.hub)
    url = reverse("invitations:list", args=[world.coalition.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "new@example.org", "roles": ["member"]})
    assert response.status_code == 200
    link = mailoutbox[0].body.split("http://testserver", 1)[1].split()[0]
    assert link.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    listing = client.get(url)
    assert b"new@example.org" in listing.content and link.encode() not in listing.content
    assert b"Pending" in listing.content


@pytest.mark.parametrize("persona", ["member", "observer"])
def test_members_without_manage_members_cannot_invite(world: Any, persona: str) -> None:
    client = world.client_for(getattr(world, persona))
    url = reverse("invitations:list", args=[world.coalition.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": "x@example.org", "roles": ["hub"]}).status_code == 403
    assert not Invitation.objects.exists()


def test_hub_withdraws_an_invitation_after_confirming(invite: Any, world: Any) -> None:
    invitation, _ = invite()
    client = world.client_for(world.hub)
    url = reverse("invitations:revoke", args=[world.coalition.pk, invitation.pk])
    assert b"Withdraw the invitation" in client.get(url).content
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    response = client.post(url)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_signed_in_person_accepts_with_one_click(invite: Any, world: Any) -> None:
    _, link = invite(email="joiner@example.org")
    client = world.client_for(factories.make_user("joiner"))
    assert b"Accept and join" in client.get(link).content
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("coalitions:overview", args=[world.coalition.pk])
    assert client.get(response["Location"]).status_code == 200


def test_new_person_creates_an_account_and_is_signed_in_and_added(invite: Any, world: Any, client: Any) -> None:
    _, link = invite()
    page = client.get(link)
    assert b"Create your account" in page.content and b'value="new@example.org"' in page.content
    response = client.post(link, _sign_up_data())
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newcomer")
    assert user.password.startswith("argon2")
    assert Membership.objects.get(user=user).coalition == world.coalition
    assert client.get(response["Location"]).status_code == 200  # signed in as the new member


def test_person_with_an_account_signs_in_from_the_invitation_and_returns_to_it(
    invite: Any, world: Any, client: Any
) -> None:
    _, link = invite(email="joiner@example.org")
    factories.make_user("joiner")
    path = urllib.parse.urlsplit(link).path
    login_url = f"{reverse('accounts:login')}?next={path}"
    assert login_url.encode() in client.get(link).content
    signed_in = client.post(login_url, {"username": "joiner", "password": factories.PASSWORD})
    assert signed_in["Location"] == path
    assert client.post(signed_in["Location"]).status_code == 302
    assert Membership.objects.filter(user__username="joiner", coalition=world.coalition).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "short-pass", "password_again": "short-pass"}, b"too short"),
        ({"password": "password1234", "password_again": "password1234"}, b"too common"),
        ({"password_again": "something else entirely"}, b"differ"),
        ({"username": "HUB"}, b"username is taken"),
    ],
)
def test_sign_up_refuses_bad_passwords_and_taken_usernames(
    invite: Any, client: Any, overrides: dict, message: bytes
) -> None:
    _, link = invite()
    response = client.post(link, _sign_up_data(**overrides))
    assert response.status_code == 200 and message in response.content
    assert not get_user_model().objects.filter(username=overrides.get("username", "newcomer")).exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_wrong_token_gets_a_friendly_404_that_reveals_nothing(client: Any, world: Any) -> None:
    response = client.get(reverse("accounts:accept_invitation", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404
    assert b"not valid" in response.content and b"Coalition A" not in response.content


def test_used_expired_or_revoked_links_get_a_410_page(invite: Any, world: Any, client: Any) -> None:
    invitation, link = invite()
    actions.do_revoke_invitation(world.hub, invitation)
    response = client.get(link)
    assert response.status_code == 410 and b"withdrawn" in response.content
    assert b"Coalition A" not in response.content
    assert client.post(link, _sign_up_data()).status_code == 410
    assert not get_user_model().objects.filter(username="newcomer").exists()
