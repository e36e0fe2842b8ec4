"""Small builders for tests: people, coalitions with roles, stakeholders."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model

from coalition.accounts.models import VerifiedEmail
from coalition.coalitions import actions as coalition_actions
from coalition.coalitions.models import Coalition, Membership
from coalition.stakeholders.models import Stakeholder

PASSWORD = "correct-horse-battery-42"
_seq = itertools.count(1)


def make_user(username: str | None = None, **fields: Any) -> Any:
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **fields
    )


def confirm_email(user: Any) -> Any:
    """Mark the account's current address as confirmed (as its confirmation link would)."""
    VerifiedEmail.objects.get_or_create(user=user, email=user.email.strip().lower())
    return user


def make_coalition(name: str | None = None, hub: Any = None, **fields: Any) -> Coalition:
    hub = hub or make_user()
    return coalition_actions.do_create_coalition(hub, name=name or f"Coalition {next(_seq)}", **fields)


def make_stakeholder(coalition: Coalition, name: str | None = None, **fields: Any) -> Stakeholder:
    fields.setdefault("sector", "civil_society")
    return Stakeholder.objects.create(coalition=coalition, name=name or f"Organisation {next(_seq)}", **fields)


def add_member(
    coalition: Coalition, user: Any = None, roles: Iterable[str] = ("member",), organisation: Stakeholder | None = None
) -> Membership:
    user = user or make_user()
    hub = coalition.memberships.filter(roles__role="hub").first()
    actor = hub.user if hub else user
    return coalition_actions.do_add_membership(actor, coalition, user, roles=list(roles), organisation=organisation)
