"""Fetch-and-authorise: every coalition-scoped view and API call goes through here.

``get_access(user, coalition_id, perm)`` returns an ``Access`` for an active member, raises ``Http404``
for everybody else (the same answer as for a coalition that does not exist) and ``PermissionDenied``
for a member without ``perm``. ``scoped_get`` fetches an object of that coalition or raises ``Http404``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from coalition.accounts import two_step
from coalition.coalitions.models import Coalition, Membership
from coalition.core.permissions import Perm, permissions_for_roles

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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Rule:
    """A condition beside a route's ``Perm`` that depends on the record or the membership, declared on the
    route so the decision is visible (and tested) there rather than made inside the view.

    The rule holds for someone holding ``bypass``; otherwise for someone holding ``perm`` for whom
    ``check(request, access, **url_kwargs)`` is true. ``writes_only`` applies it to POST (etc.) alone."""

    description: str
    perm: Perm
    check: Callable[..., bool]
    bypass: Perm | None = None
    writes_only: bool = False

    def holds(self, request: HttpRequest, access: Access, kwargs: dict[str, Any]) -> bool:
        if self.writes_only and request.method in SAFE_METHODS:
            return True
        if self.bypass is not None and access.can(self.bypass):
            return True
        return access.can(self.perm) and self.check(request, access, **kwargs)


@dataclass(frozen=True)
class Requirement:
    """What a coalition route declares: ``perm`` to open it, ``write`` (if any) to POST to it, and rules."""

    perm: Perm | None
    write: Perm | None = None
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def perms_for(self, method: str) -> tuple[Perm, ...]:
        needed = [self.perm] if self.perm is not None else []
        if self.write is not None and method not in SAFE_METHODS:
            needed.append(self.write)
        return tuple(needed)

    def enforce(self, request: HttpRequest, access: Access, kwargs: dict[str, Any]) -> None:
        for perm in self.perms_for(request.method or "GET"):
            access.require(perm)
        if not all(rule.holds(request, access, kwargs) for rule in self.rules):
            raise PermissionDenied


def coalition_view(
    perm: Perm | None = Perm.VIEW, *, write: Perm | None = None, rules: tuple[Rule, ...] = ()
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking ``(request, access, **kwargs)``; the URL supplies ``coalition_id``.

    ``perm`` opens the route, ``write`` is also needed to POST to it, and every ``Rule`` must hold. The
    declaration is kept on the view (``requirement``) so the authorisation matrix is generated from it.
    Someone whose permissions need a one-time code is first asked for one (``two_step``)."""
    requirement = Requirement(perm, write, rules)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, coalition_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
            access = get_access(request.user, coalition_id)
            request.access = access  # type: ignore[attr-defined]  # also lets a 403 page link back
            requirement.enforce(request, access, kwargs)
            if (ask_code := two_step.prompt(request, access)) is not None:
                return ask_code
            return view(request, access, *args, **kwargs)

        wrapper.required_permission = perm  # type: ignore[attr-defined]
        wrapper.requirement = requirement  # type: ignore[attr-defined]
        return wrapper

    return decorator


def coalitions_for_user(user: Any) -> models.QuerySet[Coalition]:
    if not getattr(user, "is_authenticated", False):
        return Coalition.objects.none()
    return Coalition.objects.filter(memberships__user=user, memberships__is_active=True).distinct()
