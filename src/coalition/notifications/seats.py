"""A person's seats (active memberships with their permissions) for the "what needs me" providers."""

from __future__ import annotations

from typing import Any

from coalition.coalitions.access import Access
from coalition.coalitions.models import Membership
from coalition.core.permissions import permissions_for_roles
from coalition.notifications.todos import Seat


def _seat(membership: Membership, perms: frozenset[str]) -> Seat:
    return Seat(
        coalition_id=membership.coalition_id,
        coalition_name=membership.coalition.name,
        membership_id=membership.pk,
        organisation_id=membership.organisation_id,
        perms=perms,
    )


def seats_of(user: Any) -> list[Seat]:
    """Every active membership of ``user`` (two queries), by coalition name."""
    memberships = (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("coalition")
        .prefetch_related("roles")
        .order_by("coalition__name", "coalition_id")
    )
    seats = []
    for membership in memberships:
        perms = permissions_for_roles(membership.role_codes)
        seats.append(_seat(membership, frozenset(str(p) for p in perms)))
    return seats


def seat_for(access: Access) -> Seat:
    return _seat(access.membership, frozenset(str(p) for p in access.perms))
