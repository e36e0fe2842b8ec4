"""Personal access tokens: made with ``secrets.token_urlsafe(32)``, stored as a SHA-256 digest, checked
on every API call that sends ``Authorization: Bearer <token>``.

SHA-256 (not a slow password hash) is enough: the secret has 256 random bits, so nobody can guess it
from its digest, and each call costs one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from coalition.api.models import AccessToken

PREFIX = "coa_"  # makes a leaked token easy to recognise (secret scanners, logs)
SHOWN = 8  # characters of the secret kept in clear to tell tokens apart


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def find(secret: str) -> AccessToken | None:
    """The live token with this secret, or ``None`` (unknown, revoked or expired)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = AccessToken.objects.select_related("user").filter(digest=digest(secret)).first()
    if token is None or not token.is_live or not token.user.is_active:
        return None
    return token


class BearerToken(HttpBearer):
    """Ninja authentication by a personal access token; the caller then acts as the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find(token.strip())
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            # Bookkeeping, not a domain change: at most once a minute per token, no audit event.
            AccessToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.access_token = found  # type: ignore[attr-defined]
        return found


def token_of(request: HttpRequest) -> AccessToken | None:
    """The token that authenticated this call (``None`` for a session)."""
    return getattr(request, "access_token", None)
