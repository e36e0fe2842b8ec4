"""Background tasks of the platform itself (domain apps keep theirs in their own ``tasks.py``), and
``retried``, the retry every task of the platform wears.

A task that raises is tried again after a back-off that doubles each time (``backoff``, ``2 × backoff``,
…; with a backend that cannot defer, such as the immediate one of the demo and the tests, at once), up to
``attempts`` tries in all; the last failure is recorded as a ``FailedTask`` (kind of error and its first
line), which the health endpoint reports, and logged. Wear it under ``@task()``::

    @task()
    @retried(attempts=4)
    def deliver_notifications() -> int: ...

Only idempotent work belongs under it: a retried task runs again from the start.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from coalition.core.models import FailedTask, WorkerHeartbeat

logger = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPT = "attempt"  # the keyword the retry passes to the next try (1 on the first)


def retried(
    attempts: int = 3, backoff: timedelta = timedelta(seconds=30)
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Retry the decorated task function with a doubling back-off; record its final failure."""

    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        path = f"{function.__module__}.{function.__qualname__}"  # where @task() leaves the Task

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            attempt = int(kwargs.pop(ATTEMPT, 1))
            try:
                return function(*args, **kwargs)
            except Exception as error:
                if attempt >= attempts:
                    record_failure(path, attempt, error)
                    raise
                delay = backoff * 2 ** (attempt - 1)
                logger.warning("task %s failed (attempt %d of %d): %s", path, attempt, attempts, type(error).__name__)
                queued = import_string(path)
                if queued.get_backend().supports_defer:
                    queued = queued.using(run_after=timezone.now() + delay)
                queued.enqueue(*args, **kwargs, **{ATTEMPT: attempt + 1})
                raise  # this attempt's result says it failed; the next one is queued

        return wrapper

    return decorate


def record_failure(path: str, attempts: int, error: BaseException) -> FailedTask:
    """Keep a task's final failure where the operator sees it."""
    logger.error("task %s failed after %d attempts: %s", path, attempts, type(error).__name__)
    first_line = (str(error).splitlines() or [""])[0]
    return FailedTask.objects.create(
        task=path[:200],
        attempts=attempts,
        error=f"{type(error).__module__}.{type(error).__qualname__}"[:200],
        message=first_line[:500],
        failed_at=timezone.now(),
    )


@task()
def heartbeat() -> None:
    """Run by the worker when the health check asks: records that the worker is alive and taking tasks."""
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"beat_at": timezone.now()})
