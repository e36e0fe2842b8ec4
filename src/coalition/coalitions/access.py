"""Fetch-and-authorise: every coalition-scoped view and API call goes through here.

``get_access(user, coalition_id, perm)`` returns an ``Access`` for an active member, raises ``Http404``
for everybody else (the same answer as for a coalition that does not exist) and ``PermissionDenied``
for a member without ``perm``. ``scoped_get`` fetches an object of that coalition or raises ``Http404``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from coalition.accounts import two_step
from coalition.coalitions.models import Coalition, Membership
from coalition.core.permissions import Perm, Role, permissions_for_roles

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Access:
    coalition: Coalition
    membership: Membership
    roles: frozenset[str]
    perms: frozenset[Perm]

    def can(self, perm: Perm) -> bool:
        return perm in self.perms

    def require(self, perm: Perm) -> None:
        if perm not in self.perms:
            raise PermissionDenied

    @property
    def user(self) -> Any:
        return self.membership.user

    @property
    def organisation_id(self) -> int | None:
        return self.membership.organisation_id

    @property
    def is_hub(self) -> bool:
        return Role.HUB in self.roles


def get_access(user: Any, coalition_id: int, perm: Perm | None = None) -> Access:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    membership = (
        Membership.objects.select_related("coalition", "user")
        .prefetch_related("roles")
        .filter(coalition_id=coalition_id, user=user, is_active=True)
        .first()
    )
    if membership is None:
        raise Http404
    roles = frozenset(membership.role_codes)
    access = Access(membership.coalition, membership, roles, permissions_for_roles(roles))
    if perm is not None:
        access.require(perm)
    return access


def scoped_get(access: Access, model_or_qs: type[M] | models.QuerySet[M], **lookup: Any) -> M:
    """The object of this coalition matching ``lookup``, or 404 (also for another coalition's id)."""
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs._default_manager.all()
    obj = qs.filter(coalition=access.coalition, **lookup).first()
    if obj is None:
        raise Http404
    return obj


def coalition_view(perm: Perm | None = Perm.VIEW) -> Callable:
    """Decorate a view taking ``(request, access, **kwargs)``; the URL supplies ``coalition_id``. Someone
    who administers the coalition is first asked for a one-time code if the session has none (``two_step``)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, coalition_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
            access = get_access(request.user, coalition_id, perm)
            if (ask_code := two_step.prompt(request, access)) is not None:
                return ask_code
            request.access = access  # type: ignore[attr-defined]
            return view(request, access, *args, **kwargs)

        wrapper.required_permission = perm  # type: ignore[attr-defined]
        return wrapper

    return decorator


def coalitions_for_user(user: Any) -> models.QuerySet[Coalition]:
    if not getattr(user, "is_authenticated", False):
        return Coalition.objects.none()
    return Coalition.objects.filter(memberships__user=user, memberships__is_active=True).distinct()
