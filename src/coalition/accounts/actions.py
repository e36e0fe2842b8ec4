"""Every change to a person's own account (sign-up, confirmed address, password, two-step sign-in) goes through
these functions.
Invitations, which make memberships, are in ``coalitions.actions``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts import emails, language, mail, reauth, two_step
from coalition.accounts.models import Profile, VerifiedEmail
from coalition.core import audit, events


def new_account(*, username: str, first_name: str, last_name: str, email: str, password: str) -> Any:
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


def mark_verified(user: Any) -> None:
    VerifiedEmail.objects.get_or_create(user=user, email=emails.normalise(user.email))


@transaction.atomic
def do_request_sign_up(
    *, username: str, first_name: str, last_name: str, email: str, password: str, base_url: str
) -> Any:
    """Self-service sign-up (when the operator allows it): an inactive account and a confirmation link sent to
    ``email``. If an account already uses that address, nothing is created and its holder is told instead, so the
    answer never reveals which addresses have accounts. Returns the new account, or ``None``."""
    user = new_account(username=username, first_name=first_name, last_name=last_name, email=email, password=password)
    address = emails.normalise(email)
    if get_user_model().objects.filter(email__iexact=address).exists():
        context = {
            "sign_in": base_url.rstrip("/") + reverse("accounts:login"),
            "reset": base_url.rstrip("/") + reverse("accounts:password_reset"),
        }
        mail.send_on_commit(
            "accounts/sign_up_existing_subject.txt",
            "accounts/sign_up_existing_email.txt",
            context,
            to=address,
            language=language.for_address(address, translation.get_language()),
        )
        return None
    user.email = address
    user.is_active = False
    user.save()
    audit.record(None, "user.signed_up", user, after={"email": address, "confirmed": False})
    _send_confirmation(user, base_url)
    return user


def _send_confirmation(user: Any, base_url: str) -> None:
    hours = int(settings.EMAIL_CONFIRMATION_LIFETIME.total_seconds() // 3600)
    context = {"user": user, "link": emails.confirmation_link(user, base_url), "hours": hours}
    # A new account has no choice yet: it is written in the language the person signed up in.
    mail.send_on_commit(
        "accounts/confirm_email_subject.txt",
        "accounts/confirm_email.txt",
        context,
        to=user.email,
        language=language.chosen(user) or translation.get_language(),
    )


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
    mark_verified(user)
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
    user = new_account(username=username, first_name=first_name, last_name=last_name, email=email, password=password)
    if not user.email:
        raise ValidationError({"email": [_("An email address is required.")]})
    user.email = emails.normalise(user.email)
    user.save()
    mark_verified(user)
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
        _enrol(request.user, device)
    request.session.cycle_key()  # a new session key for the more trusted session
    request.session[two_step.SESSION_KEY] = device.persistent_id
    reauth.mark(request)
    audit.record(request.user, "accounts.two_step_verified", request.user)
    return True


@transaction.atomic
def _enrol(user: Any, device: Any) -> None:
    """A device being set up becomes the person's authenticator; they are told (a security message)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    type(device).objects.filter(user=device.user, confirmed=False).delete()
    audit.record(user, "accounts.two_step_enrolled", user)
    _security_message(events.TWO_STEP_SET, user, device.persistent_id)


def _security_message(name: str, user: Any, what: str) -> None:
    events.raise_event(
        name,
        key=f"{name}:{user.pk}:{what}",
        payload={"user_id": user.pk, "username": user.get_username()},
        recipients=[user.pk],
    )


@transaction.atomic
def do_change_password(request: Any, form: Any) -> None:
    """Save a new password from Django's ``PasswordChangeForm`` (which checked the old one). This session stays
    signed in; every other session of the person ends, since its stored password hash no longer matches. The
    person is told by a security message (which they cannot turn off)."""
    user = form.save()
    update_session_auth_hash(request, user)
    reauth.mark(request)
    audit.record(user, "accounts.password_changed", user)
    _security_message(events.PASSWORD_CHANGED, user, timezone.now().isoformat())


def do_replace_two_step(request: Any) -> None:
    """Forget the person's authenticator app (a new phone): the next page that needs a code sets one up again."""
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(two_step.SESSION_KEY, None)
    audit.record(request.user, "accounts.two_step_removed", request.user)


@transaction.atomic
def do_set_language(user: Any, chosen: str) -> None:
    """Record the language ``user`` reads pages and emails in (``""``: follow the browser, emails in the default)."""
    if chosen and chosen not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the languages offered.")]})
    profile, _created = Profile.objects.get_or_create(user=user)
    if profile.language == chosen:
        return
    before = {"language": profile.language}
    profile.language = chosen
    profile.save(update_fields=["language"])
    audit.record(user, "accounts.language_changed", user, before=before, after={"language": chosen})
