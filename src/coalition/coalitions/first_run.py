"""Who may start a coalition."""

from __future__ import annotations

from typing import Any

from coalition.accounts import emails
from coalition.accounts.first_run import signup_open
from coalition.coalitions.models import MembershipRole
from coalition.core.permissions import Role


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
