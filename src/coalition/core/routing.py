"""Reads that may come from a PostgreSQL replica, and the rules that keep them from being stale where it matters.

Only views decorated with ``replica_reads`` (dashboards, exports, read-only lists) read from the ``replica``
database, and only when ``DATABASE_REPLICA_URL`` configures one. Everything else — sign-in, authorisation,
forms, every write — uses the primary. Within a replica-read view the first write turns every later read of
the request back to the primary, so a request always sees its own writes. Across requests, a person who just
wrote (any POST, PUT, PATCH or DELETE) reads from the primary for ``REPLICA_PIN_SECONDS`` (a cookie holds
until when), so the page they are sent to after saving shows what they saved. When the replica's replay lags
by more than ``REPLICA_MAX_LAG_SECONDS`` (checked at most every few seconds per process), or cannot be
reached, reads fall back to the primary.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "coalition_primary_until"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LAG_CHECK_EVERY = 5.0

_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)
_lag_checked: dict[str, float] = {"at": float("-inf"), "lagging": 0.0}

View = TypeVar("View", bound=Callable[..., HttpResponse])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lagging() -> bool:
    """Whether the replica is too far behind (or unreachable), remembered for ``LAG_CHECK_EVERY`` seconds."""
    now = time.monotonic()
    if now - _lag_checked["at"] >= LAG_CHECK_EVERY:
        _lag_checked.update(at=now, lagging=float(_measure_lag() > settings.REPLICA_MAX_LAG_SECONDS))
    return bool(_lag_checked["lagging"])


def _measure_lag() -> float:
    """Seconds of replay lag: zero when nothing is waiting to be replayed, infinite when the replica is unusable."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_wal_replay_paused(), "
                "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
            )
            paused, lag = cursor.fetchone()
    except DatabaseError:
        return float("inf")
    return float("inf") if paused else float(lag)


def forget_lag() -> None:
    """Measure the lag again on the next read (tests, and after the replica was repaired)."""
    _lag_checked["at"] = float("-inf")


def replica_reads(view: View) -> View:
    """Lets the body of a read-only view read from the replica (the decorator goes under ``coalition_view``, so
    authorisation still reads the primary)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        allowed = (
            replica_configured()
            and request.method not in WRITE_METHODS
            and not _pinned(request)
            and not replica_lagging()
        )
        token = _replica_allowed.set(allowed)
        try:
            return view(request, *args, **kwargs)
        finally:
            _replica_allowed.reset(token)

    return wrapped  # type: ignore[return-value]  # same signature as the view it wraps


def _pinned(request: HttpRequest) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReplicaRouter:
    """Sends a replica-read view's reads to the replica until the request writes; every write to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return REPLICA if _replica_allowed.get() else "default"

    def db_for_write(self, model: type, **hints: Any) -> str:
        _replica_allowed.set(False)
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class PinAfterWriteMiddleware:
    """After a writing request, the same browser reads from the primary for a few seconds (see module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in WRITE_METHODS and replica_configured():
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
