"""A person's language: the one they chose (``Profile.language``), else the site's default.

Every email to a person is written in it (``accounts.mail`` and the notification outbox render under
``translation.override``), and signing in switches the browser to it (``remember``: the cookie the header's language
switcher sets).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse

from coalition.accounts.models import Profile


def chosen(user: Any) -> str:
    """The language ``user`` chose, or ``""`` (follow the browser)."""
    if user is None or not getattr(user, "pk", None):
        return ""
    return Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first() or ""


def of(user: Any) -> str:
    """The language to write to ``user`` in: their choice, else the default."""
    return chosen(user) or settings.LANGUAGE_CODE


def of_each(user_ids: Iterable[int]) -> dict[int, str]:
    """``of`` for many people in one query (user id -> language)."""
    ids = list(user_ids)
    picked = dict(Profile.objects.filter(user_id__in=ids).exclude(language="").values_list("user_id", "language"))
    return {uid: picked.get(uid, settings.LANGUAGE_CODE) for uid in ids}


def for_address(email: str, fallback: str) -> str:
    """The language to write to an address in: its account holder's choice, else ``fallback``."""
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    return chosen(user) or fallback


def remember(response: HttpResponse, language: str) -> HttpResponse:
    """Make the browser show ``language`` from the next page on (the switcher's cookie)."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
