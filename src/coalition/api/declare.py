"""How an API operation declares the permission it needs (the API's ``coalition_view``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from coalition.accounts import two_step
from coalition.coalitions.access import get_access
from coalition.core.permissions import Perm


def requires(perm: Perm) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare and check the permission an operation needs. For an operation under a coalition the
    caller's ``Access`` is fetched here (404 for outsiders, 403 without ``perm``, 403 while the session
    owes a one-time code) and kept on ``request.access``; the declaration stays on the function
    (``required_permission``) for the generated authorisation matrix."""

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if "coalition_id" in kwargs:
                access = get_access(request.user, kwargs["coalition_id"], perm)
                if two_step.owes_code(request, access):
                    raise PermissionDenied  # the session has not given the one-time code its permissions need
                request.access = access  # type: ignore[attr-defined]
            return func(request, *args, **kwargs)

        checked.required_permission = perm  # type: ignore[attr-defined]
        return checked

    return mark
