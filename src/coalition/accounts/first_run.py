"""Who may start a coalition, and whether self-service sign-up is open (``COALITION_ALLOW_SIGNUP``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from coalition.accounts import emails
from coalition.coalitions.models import MembershipRole
from coalition.core.permissions import Role


def signup_open() -> bool:
    return bool(settings.COALITION_ALLOW_SIGNUP)


def may_start_coalition(user: Any) -> bool:
    """The operator's staff, anyone who already coordinates a coalition as its hub, and, while sign-up is open,
    anyone with a confirmed address. Everyone else joins by invitation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    if MembershipRole.objects.filter(membership__user=user, membership__is_active=True, role=Role.HUB).exists():
        return True
    return signup_open() and emails.has_verified_email(user)
