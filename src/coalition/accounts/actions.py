"""Every change to invitations and to accounts created from them goes through these functions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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

from coalition.accounts import notices, reauth, two_step
from coalition.accounts.models import Invitation, hash_token, new_token
from coalition.coalitions.actions import do_add_membership, validate_roles
from coalition.coalitions.models import Coalition, Membership, MembershipRole
from coalition.core import audit
from coalition.core.permissions import Role
from coalition.notifications.events import raise_event


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
    base_url: str,
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and its link, which is shown once and never stored.

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
    )
    link = base_url.rstrip("/") + accept_path(token)
    context = {"invitation": invitation, "link": link, "inviter": actor.get_full_name() or actor.username}
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    audit.record(
        actor,
        "invitation.created",
        invitation,
        coalition=coalition,
        after={"email": email, "roles": roles, "organisation": invitation.organisation_id},
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

    Raises ``Invitation.DoesNotExist`` for an unknown token and ``InvitationUnusable`` for a used,
    withdrawn or expired one.
    """
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Invitation.DoesNotExist
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
    notices.invitation_accepted(invitation, user)
    return membership


@transaction.atomic
def do_sign_up_with_invitation(
    token: str, *, username: str, first_name: str, last_name: str, email: str, password: str
) -> Any:
    """Create an account for an invited person and accept the invitation, all or nothing.

    Raises ``ValidationError`` keyed by field (``username``, ``email``, ``password``) for bad input.
    """
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
    user.save()
    audit.record(user, "user.signed_up", user)
    do_accept_invitation(user, token)
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
    raise_event(
        "security.password_changed",
        key=f"security.password_changed:{user.pk}:{timezone.now().isoformat()}",
        payload={"user_id": user.pk, "username": user.get_username()},
        url=reverse("accounts:account"),
    )


def do_replace_two_step(request: Any) -> None:
    """Forget the person's authenticator app (a new phone): the next page that needs a code sets one up again."""
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(two_step.SESSION_KEY, None)
    audit.record(request.user, "accounts.two_step_removed", request.user)
