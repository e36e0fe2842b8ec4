"""Recent sign-in for sensitive requests (security checklist item 8).

Exports that identify people ask for the password again when the session's last sign-in (or password
confirmation) is older than ``WINDOW``, so a session left open on a shared computer cannot walk away with
a members list. Sign-in records the time through Django's ``user_logged_in`` signal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

WINDOW = timedelta(minutes=15)
SESSION_KEY = "signed_in_at"  # POSIX seconds of the last sign-in or password confirmation


def mark(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = int(timezone.now().timestamp())


def is_recent(request: HttpRequest) -> bool:
    signed_in_at = request.session.get(SESSION_KEY)
    if not isinstance(signed_in_at, int):
        return False
    age = timezone.now().timestamp() - signed_in_at
    return 0 <= age <= WINDOW.total_seconds()


@receiver(user_logged_in, dispatch_uid="coalition.accounts.reauth")
def _remember_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark(request)


def detour(view_name: str, back_to: str) -> HttpResponse:
    """A redirect to a confirmation page (``view_name``) that sends the person on to ``back_to`` afterwards."""
    return redirect(f"{reverse(view_name)}?{urlencode({'next': back_to})}")


def prompt(request: HttpRequest) -> HttpResponse | None:
    """A redirect to the password confirmation (coming back here after it), or ``None`` if the sign-in is recent."""
    if is_recent(request):
        return None
    return detour("accounts:confirm_password", request.get_full_path())


def recent_sign_in_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``prompt`` before the view. Put it inside ``coalition_view`` so that an outsider still gets the
    same 404 as for a missing coalition."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return prompt(request) or view(request, *args, **kwargs)

    return wrapper
