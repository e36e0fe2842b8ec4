"""Confirmed email addresses: the signed, expiring links that confirm one, and the question "is it confirmed?".

A confirmation link carries the account's id and the address, signed with the secret key and a purpose of its own,
so it cannot be forged, altered or reused for another purpose, and it stops working after
``settings.EMAIL_CONFIRMATION_LIFETIME``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from coalition.accounts.models import VerifiedEmail

SALT = "coalition.accounts.confirm-email"


def normalise(email: str) -> str:
    return email.strip().lower()


def is_verified(user: Any, email: str) -> bool:
    """Whether ``email`` is the account's current address and its holder confirmed it."""
    address = normalise(email)
    if not getattr(user, "is_authenticated", False) or normalise(user.email or "") != address:
        return False
    return VerifiedEmail.objects.filter(user=user, email=address).exists()


def has_verified_email(user: Any) -> bool:
    return bool(user.email) and is_verified(user, user.email)


def confirmation_token(user: Any) -> str:
    return signing.dumps({"user": user.pk, "email": normalise(user.email)}, salt=SALT)


def confirmation_link(user: Any, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("accounts:confirm_email", kwargs={"token": confirmation_token(user)})


@dataclass(frozen=True)
class Claim:
    user_id: int
    email: str


class BadConfirmation(Exception):
    """The link was altered, is not a confirmation link, or has expired; ``expired`` says which."""

    def __init__(self, *, expired: bool) -> None:
        self.expired = expired
        super().__init__("expired" if expired else "invalid")


def read_token(token: str) -> Claim:
    max_age = settings.EMAIL_CONFIRMATION_LIFETIME
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadConfirmation(expired=True) from error
    except signing.BadSignature as error:
        raise BadConfirmation(expired=False) from error
    if not isinstance(data, dict) or not isinstance(data.get("user"), int) or not isinstance(data.get("email"), str):
        raise BadConfirmation(expired=False)
    return Claim(user_id=data["user"], email=data["email"])
