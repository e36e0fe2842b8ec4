"""How an API operation declares what it needs (the API's ``coalition_view``), and the checks every
operation shares: token scope, one-time code, rate limit, then permission and rules."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from coalition.accounts import throttle, two_step
from coalition.api.tokens import token_of
from coalition.coalitions.access import SAFE_METHODS, Requirement, Rule, get_access
from coalition.core.permissions import Perm

MINUTE = 60


class RateLimited(Exception):  # noqa: N818 - the name says what the caller sees
    """Too many calls in the current minute (answered 429 with ``Retry-After``)."""


def _check_rate(request: HttpRequest, write: bool) -> None:
    """Count this call against the caller's budget for the minute, in the Django cache (shared by every
    process when the cache is Redis): reads and writes have separate budgets, per person."""
    subject = f"user:{request.user.pk}"
    limit = settings.API_WRITES_PER_MINUTE if write else settings.API_READS_PER_MINUTE
    if not throttle.hit("api-write" if write else "api-read", subject, limit=limit, window_seconds=MINUTE):
        raise RateLimited


def requires(perm: Perm, *, rules: tuple[Rule, ...] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare and check what an operation needs. A read-only token may not write (403); every call counts
    against the caller's rate limit (429). For an operation under a coalition the caller's ``Access`` is
    fetched here (404 for outsiders, 403 without ``perm`` or when a declared ``Rule`` fails, 403 while
    the session owes a one-time code) and kept on ``request.access``. The declaration stays on the
    function (``required_permission``, ``requirement``) for the generated authorisation matrix."""
    requirement = Requirement(perm, None, rules)

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            write = request.method not in SAFE_METHODS
            token = token_of(request)
            if write and token is not None and not token.may_write:
                raise PermissionDenied(_("This token is read-only."))
            _check_rate(request, write)
            if "coalition_id" in kwargs:
                access = get_access(request.user, kwargs["coalition_id"])
                requirement.enforce(request, access, kwargs)
                verified = token.two_step if token is not None else two_step.is_verified(request)
                if two_step.required(access) and not verified:
                    raise PermissionDenied  # the session has not given the one-time code its permissions need
                request.access = access  # type: ignore[attr-defined]
            return func(request, *args, **kwargs)

        checked.required_permission = perm  # type: ignore[attr-defined]
        checked.requirement = requirement  # type: ignore[attr-defined]
        return checked

    return mark
