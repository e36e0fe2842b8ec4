"""Every change to invitations and to accounts created from them goes through these functions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts import emails, reauth, two_step
from coalition.accounts.models import Invitation, VerifiedEmail, hash_token, new_token
from coalition.coalitions.actions import do_add_membership, validate_roles
from coalition.coalitions.models import Coalition, Membership, MembershipRole
from coalition.core import audit
from coalition.core.permissions import Role


class InvitationUnusable(Exception):
    """The invitation exists but was used, revoked or has expired; ``message`` says which."""

    def __init__(self, invitation: Invitation) -> None:
        self.invitation = invitation
        self.message = {
            Invitation.Status.ACCEPTED: _("This invitation has already been used."),
            Invitation.Status.REVOKED: _("This invitation was withdrawn."),
            Invitation.Status.EXPIRED: _("This invitation has expired."),
        }.get(invitation.status, _("This invitation can no longer be used."))
        super().__init__(self.message)


class InvitationForAnotherAddress(Exception):
    """The invitation is bound to its email address and the account holding the link has not confirmed that
    address (or has another one)."""

    def __init__(self, invitation: Invitation, user: Any) -> None:
        self.invitation = invitation
        self.same_address_unconfirmed = emails.normalise(user.email or "") == invitation.email
        if self.same_address_unconfirmed:
            self.message = _(
                "This invitation is only for %(email)s. That is your account's address, but you have not confirmed "
                "it yet: confirm it, then open the invitation again."
            ) % {"email": invitation.email}
        else:
            self.message = _(
                "This invitation is only for %(email)s, and you are signed in with another address. Sign out and "
                "open the link again to sign in or create an account with that address, or ask for an invitation "
                "to your own address."
            ) % {"email": invitation.email}
        super().__init__(self.message)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, whatever its state, or ``None``."""
    return Invitation.objects.select_related("coalition", "invited_by").filter(token_hash=hash_token(token)).first()


def accept_path(token: str) -> str:
    return reverse("accounts:accept_invitation", kwargs={"token": token})


def _is_hub(user: Any, coalition: Coalition) -> bool:
    return MembershipRole.objects.filter(
        membership__coalition=coalition, membership__user=user, membership__is_active=True, role=Role.HUB
    ).exists()


@transaction.atomic
def do_invite_member(
    actor: Any,
    coalition: Coalition,
    *,
    email: str,
    roles: Iterable[str],
    organisation: Any = None,
    bound_to_email: bool = True,
    base_url: str,
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and its link, which is shown once and never stored.

    By default only the person at ``email`` can accept; ``bound_to_email=False`` lets anyone with the link join.
    A new invitation to the same address replaces a pending one. Only a hub coordinator may invite a hub.
    """
    email = email.strip().lower()
    validate_email(email)
    roles = validate_roles(roles)
    if Role.HUB in roles and not _is_hub(actor, coalition):
        raise ValidationError(_("Only a hub coordinator can invite another hub coordinator."))
    if organisation is not None and organisation.coalition_id != coalition.pk:
        raise ValidationError(_("That organisation is not on this coalition's stakeholder map."))
    if Membership.objects.filter(coalition=coalition, user__email__iexact=email, is_active=True).exists():
        raise ValidationError(_("Someone with this email address is already a member."))
    for earlier in coalition.invitations.usable().filter(email=email):
        do_revoke_invitation(actor, earlier)
    token = new_token()
    invitation = Invitation.objects.create(
        coalition=coalition,
        email=email,
        roles=roles,
        organisation=organisation,
        invited_by=actor,
        token_hash=hash_token(token),
        bound_to_email=bound_to_email,
    )
    link = base_url.rstrip("/") + accept_path(token)
    context = {"invitation": invitation, "link": link, "inviter": actor.get_full_name() or actor.username}
    _send_on_commit("accounts/invitation_subject.txt", "accounts/invitation_email.txt", context, email)
    audit.record(
        actor,
        "invitation.created",
        invitation,
        coalition=coalition,
        after={
            "email": email,
            "roles": roles,
            "organisation": invitation.organisation_id,
            "bound_to_email": bound_to_email,
        },
    )
    return invitation, link


@transaction.atomic
def do_revoke_invitation(actor: Any, invitation: Invitation) -> Invitation:
    """Withdraw an invitation so its link stops working. An accepted one cannot be withdrawn."""
    now = timezone.now()
    # Conditional, like acceptance: a link accepted a moment ago is not withdrawn behind the member's back.
    open_ = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True)
    if not open_.update(revoked_at=now, updated_at=now):
        invitation.refresh_from_db()
        if invitation.status == Invitation.Status.ACCEPTED:
            raise ValidationError(_("This invitation was already accepted; remove the member instead."))
        raise ValidationError(_("This invitation was already withdrawn."))
    invitation.refresh_from_db()
    audit.record(actor, "invitation.revoked", invitation, coalition=invitation.coalition)
    return invitation


@transaction.atomic
def do_accept_invitation(user: Any, token: str) -> Membership:
    """Join the invitation's coalition. The link works once; roles the person already holds are kept.

    Raises ``Invitation.DoesNotExist`` for an unknown token, ``InvitationUnusable`` for a used, withdrawn or
    expired one, and ``InvitationForAnotherAddress`` when it is bound to an address the account has not confirmed.
    """
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Invitation.DoesNotExist
    if not invitation.is_usable:
        raise InvitationUnusable(invitation)
    if invitation.bound_to_email and not emails.is_verified(user, invitation.email):
        raise InvitationForAnotherAddress(invitation, user)
    now = timezone.now()
    # One conditional update claims the invitation, so two simultaneous acceptances cannot both succeed.
    claimed = Invitation.objects.usable().filter(pk=invitation.pk)
    if not claimed.update(accepted_at=now, accepted_by=user, updated_at=now):
        invitation.refresh_from_db()
        raise InvitationUnusable(invitation)
    existing = Membership.objects.filter(coalition=invitation.coalition, user=user, is_active=True).first()
    kept = existing.role_codes if existing else []
    membership = do_add_membership(
        user, invitation.coalition, user, roles=[*kept, *invitation.roles], organisation=invitation.organisation
    )
    audit.record(
        user,
        "invitation.accepted",
        invitation,
        coalition=invitation.coalition,
        after={"user": user.username, "roles": invitation.roles},
    )
    return membership


def _new_account(*, username: str, first_name: str, last_name: str, email: str, password: str) -> Any:
    """An unsaved account with a hashed password, or ``ValidationError`` keyed by field (``username``,
    ``email``, ``password``...) with every problem found. The same rules for every way an account is made."""
    user = get_user_model()(username=username, first_name=first_name, last_name=last_name, email=email.strip())
    errors: dict[str, list[str]] = {}
    if get_user_model().objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken. Choose another, or sign in if it is yours.")]
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    return user


def _mark_verified(user: Any) -> None:
    VerifiedEmail.objects.get_or_create(user=user, email=emails.normalise(user.email))


@transaction.atomic
def do_sign_up_with_invitation(
    token: str, *, username: str, first_name: str, last_name: str, email: str, password: str
) -> Any:
    """Create an account for an invited person and accept the invitation, all or nothing.

    For an invitation bound to its address the account must use exactly that address, which counts as confirmed
    (the link was sent there). Raises ``ValidationError`` keyed by field for bad input.
    """
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Invitation.DoesNotExist
    if not invitation.is_usable:
        raise InvitationUnusable(invitation)
    errors: dict[str, list[str]] = {}
    if invitation.bound_to_email and emails.normalise(email) != invitation.email:
        errors["email"] = [_("This invitation is only for %(email)s: use that address.") % {"email": invitation.email}]
    try:
        user = _new_account(
            username=username, first_name=first_name, last_name=last_name, email=email, password=password
        )
    except ValidationError as error:
        raise ValidationError({**error.message_dict, **errors}) from error
    if errors:
        raise ValidationError(errors)
    user.save()
    audit.record(user, "user.signed_up", user, after={"invitation": invitation.pk})
    if invitation.bound_to_email:
        _mark_verified(user)
    do_accept_invitation(user, token)
    return user


@transaction.atomic
def do_request_sign_up(
    *, username: str, first_name: str, last_name: str, email: str, password: str, base_url: str
) -> Any:
    """Self-service sign-up (when the operator allows it): an inactive account and a confirmation link sent to
    ``email``. If an account already uses that address, nothing is created and its holder is told instead, so the
    answer never reveals which addresses have accounts. Returns the new account, or ``None``."""
    user = _new_account(username=username, first_name=first_name, last_name=last_name, email=email, password=password)
    address = emails.normalise(email)
    if get_user_model().objects.filter(email__iexact=address).exists():
        context = {
            "sign_in": base_url.rstrip("/") + reverse("accounts:login"),
            "reset": base_url.rstrip("/") + reverse("accounts:password_reset"),
        }
        _send_on_commit(
            "accounts/sign_up_existing_subject.txt", "accounts/sign_up_existing_email.txt", context, address
        )
        return None
    user.email = address
    user.is_active = False
    user.save()
    audit.record(None, "user.signed_up", user, after={"email": address, "confirmed": False})
    _send_confirmation(user, base_url)
    return user


def _send_on_commit(subject_template: str, body_template: str, context: dict[str, Any], to: str) -> None:
    subject = render_to_string(subject_template, context).strip()
    body = render_to_string(body_template, context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def _send_confirmation(user: Any, base_url: str) -> None:
    hours = int(settings.EMAIL_CONFIRMATION_LIFETIME.total_seconds() // 3600)
    context = {"user": user, "link": emails.confirmation_link(user, base_url), "hours": hours}
    _send_on_commit("accounts/confirm_email_subject.txt", "accounts/confirm_email.txt", context, user.email)


@transaction.atomic
def do_send_email_confirmation(user: Any, base_url: str) -> None:
    """Email the signed-in person a link that confirms their account's address."""
    if not user.email:
        raise ValidationError(_("Your account has no email address."))
    if emails.has_verified_email(user):
        raise ValidationError(_("Your address is already confirmed."))
    _send_confirmation(user, base_url)
    audit.record(user, "accounts.confirmation_sent", user)


@transaction.atomic
def do_confirm_email(token: str) -> tuple[Any, bool]:
    """Confirm the address a link was sent to (and activate an account waiting for it). Returns the account and
    whether this changed anything; a second use of the link changes nothing.

    Raises ``emails.BadConfirmation`` for an altered or expired link, or one for an address the account no longer
    uses.
    """
    claim = emails.read_token(token)
    user = get_user_model().objects.select_for_update().filter(pk=claim.user_id).first()
    if user is None or emails.normalise(user.email or "") != claim.email:
        raise emails.BadConfirmation(expired=False)
    if VerifiedEmail.objects.filter(user=user, email=claim.email).exists():
        return user, False
    _mark_verified(user)
    was_active = user.is_active
    if not was_active and user.last_login is None:
        user.is_active = True
        user.save(update_fields=["is_active"])
    audit.record(user, "accounts.email_confirmed", user, after={"email": claim.email, "activated": not was_active})
    return user, True


@transaction.atomic
def do_create_account(
    actor: Any, *, username: str, email: str, password: str, first_name: str = "", last_name: str = ""
) -> Any:
    """An operator creates an account (``manage.py create_coalition``): active, with the address taken as confirmed
    since the operator vouches for it. Same rules as sign-up."""
    user = _new_account(username=username, first_name=first_name, last_name=last_name, email=email, password=password)
    if not user.email:
        raise ValidationError({"email": [_("An email address is required.")]})
    user.email = emails.normalise(user.email)
    user.save()
    _mark_verified(user)
    audit.record(actor, "user.created", user, after={"email": user.email})
    return user


def do_confirm_password(request: Any) -> None:
    """The signed-in person re-entered their password: sensitive requests are open to them again for a while."""
    reauth.mark(request)
    audit.record(request.user, "accounts.password_confirmed", request.user)


def do_verify_two_step(request: Any, device: Any, code: str) -> bool:
    """Check a one-time code; if it is right, the session is verified (and a device being set up becomes the
    person's device). A code is accepted once; wrong codes slow further tries down."""
    if not device.verify_token(code):
        audit.record(request.user, "accounts.two_step_failed", request.user)
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        type(device).objects.filter(user=device.user, confirmed=False).delete()
        audit.record(request.user, "accounts.two_step_enrolled", request.user)
    request.session.cycle_key()  # a new session key for the more trusted session
    request.session[two_step.SESSION_KEY] = device.persistent_id
    reauth.mark(request)
    audit.record(request.user, "accounts.two_step_verified", request.user)
    return True


def do_change_password(request: Any, form: Any) -> None:
    """Save a new password from Django's ``PasswordChangeForm`` (which checked the old one). This session stays
    signed in; every other session of the person ends, since its stored password hash no longer matches."""
    user = form.save()
    update_session_auth_hash(request, user)
    reauth.mark(request)
    audit.record(user, "accounts.password_changed", user)


def do_replace_two_step(request: Any) -> None:
    """Forget the person's authenticator app (a new phone): the next page that needs a code sets one up again."""
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(two_step.SESSION_KEY, None)
    audit.record(request.user, "accounts.two_step_removed", request.user)
