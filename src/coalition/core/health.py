"""What the health endpoint checks: the database answers, the cache keeps a value, the worker beats;
and what it reports: the tasks that failed for good in the last ``FAILED_WITHIN`` (``core.tasks.retried``),
counted for the operator without making the server unhealthy (a past failure is no reason to take it out
of the load balancer).

The worker's pulse is a task: the check asks for a heartbeat (at most every ``ASK_EVERY``) and reports the
worker as stale when the last one ran longer ago than ``STALE_AFTER``. With the immediate task backend (the
demo, the tests) there is no separate worker to check.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from coalition.core.models import FailedTask, WorkerHeartbeat
from coalition.core.tasks import heartbeat

ASK_EVERY = timedelta(seconds=30)
STALE_AFTER = timedelta(minutes=2)
FAILED_WITHIN = timedelta(hours=24)
IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("database", False, type(error).__name__)
    return Check("database", True, connection.vendor)


def check_cache() -> Check:
    key = f"health:{secrets.token_hex(8)}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as error:  # noqa: BLE001 - any cache failure is the answer, not a crash
        return Check("cache", False, type(error).__name__)
    return Check("cache", ok, "ok" if ok else "value not kept")


def check_worker(now: datetime | None = None) -> Check:
    if settings.TASKS["default"]["BACKEND"] == IMMEDIATE_BACKEND:
        return Check("worker", True, "tasks run in the request")
    now = now or timezone.now()
    try:
        pulse, _ = WorkerHeartbeat.objects.get_or_create(pk=1)
        if pulse.requested_at is None or now - pulse.requested_at >= ASK_EVERY:
            WorkerHeartbeat.objects.filter(pk=1).update(requested_at=now)
            heartbeat.enqueue()
    except DatabaseError as error:
        return Check("worker", False, type(error).__name__)
    if pulse.beat_at is None:
        return Check("worker", False, "no heartbeat yet")
    age = now - pulse.beat_at
    return Check("worker", age <= STALE_AFTER, f"last heartbeat {int(age.total_seconds())} s ago")


def failed_tasks(now: datetime | None = None) -> Check:
    """Tasks that failed after their last retry lately: reported, never unhealthy."""
    since = (now or timezone.now()) - FAILED_WITHIN
    try:
        recent = list(FailedTask.objects.filter(failed_at__gte=since).values_list("task", flat=True))
    except DatabaseError as error:
        return Check("failed_tasks", True, type(error).__name__)
    if not recent:
        return Check("failed_tasks", True, "none in the last 24 h")
    return Check("failed_tasks", True, f"{len(recent)} in the last 24 h: {', '.join(sorted(set(recent)))}")


def run_checks() -> list[Check]:
    database = check_database()
    checks = [database, check_cache()]
    if database.ok:
        checks += [check_worker(), failed_tasks()]
    else:
        checks += [Check("worker", False, "database unavailable"), Check("failed_tasks", True, "database unavailable")]
    return checks
