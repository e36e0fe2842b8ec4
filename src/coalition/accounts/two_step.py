"""Two-step sign-in (security checklist item 7): on top of the password, a time-based one-time code from
an authenticator app, for the people who administer a coalition.

django-otp keeps the devices and checks the codes (each code works once: a device remembers the last time
step it accepted; repeated failures are throttled). A session is verified once a code is accepted in it;
signing in again starts a new session, so the code is asked again.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from coalition.accounts import reauth
from coalition.core.permissions import NEEDS_TWO_STEP, Perm


class Access(Protocol):
    """What two-step sign-in needs to know of someone's access to a coalition (``coalitions.access.Access``
    has it); a protocol, so that accounts need not import coalitions, which sits above it."""

    @property
    def roles(self) -> Set[str]: ...

    @property
    def perms(self) -> Set[Perm]: ...


SESSION_KEY = "two_step_device"  # the persistent id of the device whose code this session accepted


def required(access: Access) -> bool:
    """Whether ``access``'s permissions change members, roles or settings (``NEEDS_TWO_STEP``)."""
    return settings.REQUIRE_TWO_STEP and bool(access.perms & NEEDS_TWO_STEP)


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_KEY))


def owes_code(request: HttpRequest, access: Access) -> bool:
    """Whether this session still owes the one-time code that ``access``'s roles need."""
    return required(access) and not is_verified(request)


def prompt(request: HttpRequest, access: Access) -> HttpResponse | None:
    """A redirect to the code page (coming back here after it), or ``None`` if none is needed."""
    return reauth.detour("accounts:two_step", request.get_full_path()) if owes_code(request, access) else None


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice:
    """The device being set up (created on first visit): its key is shown until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
