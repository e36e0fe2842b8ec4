"""Every change to a person's own account (password, two-step sign-in) goes through these functions.
Invitations, which make memberships, are in ``coalitions.actions``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts import reauth, two_step
from coalition.core import audit


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
