"""Signed one-click unsubscribe links: per person and event type, valid signed out, refused if altered."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "coalition.notifications.unsubscribe"
ALL_TYPES = "*"  # the digest's link: every kind that may be turned off


def make_token(user_id: int, event_type: str) -> str:
    return signing.dumps({"u": user_id, "e": event_type}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """``(user id, event type)`` from a genuine token, ``None`` for a tampered or malformed one."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        return None
    return data["u"], data["e"]


def unsubscribe_url(user_id: int, event_type: str) -> str:
    path = reverse("notifications:unsubscribe", kwargs={"token": make_token(user_id, event_type)})
    return settings.SITE_URL.rstrip("/") + path
