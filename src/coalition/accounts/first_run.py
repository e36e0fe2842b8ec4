"""Whether self-service sign-up is open (``COALITION_ALLOW_SIGNUP``)."""

from __future__ import annotations

from django.conf import settings


def signup_open() -> bool:
    return bool(settings.COALITION_ALLOW_SIGNUP)
