"""A failing background task is retried with a doubling back-off, then recorded for the operator, not lost
(issue 22 item 4): ``core.tasks.retried`` under ``@task()``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from coalition.core.models import FailedTask
from coalition.core.tasks import retried
from coalition.notifications import tasks as notification_tasks

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CALLS: list[str] = []
FAILURES_LEFT: dict[str, int] = {}


class Flaky(RuntimeError):
    pass


@task()
@retried(attempts=3, backoff=timedelta(seconds=10))
def flaky(name: str) -> str:
    """Fails while ``FAILURES_LEFT[name]`` is positive, counting each call."""
    CALLS.append(name)
    if FAILURES_LEFT.get(name, 0) > 0:
        FAILURES_LEFT[name] -= 1
        raise Flaky(f"{name} is down\nsecond line never kept")
    return f"{name} done"


@pytest.fixture(autouse=True)
def _fresh() -> None:
    CALLS.clear()
    FAILURES_LEFT.clear()


def test_a_task_that_fails_twice_succeeds_on_its_third_attempt_and_nothing_is_recorded(db: Any) -> None:
    FAILURES_LEFT["mail"] = 2
    first = flaky.enqueue("mail")  # the immediate backend: the retries run at once
    assert first.status == "FAILED"  # this attempt failed; the ones after it ran
    assert CALLS == ["mail", "mail", "mail"]
    assert not FailedTask.objects.exists()


def test_a_task_that_always_fails_is_tried_three_times_then_recorded(db: Any) -> None:
    FAILURES_LEFT["mail"] = 99
    result = flaky.enqueue("mail")
    assert CALLS == ["mail"] * 3
    assert result.status == "FAILED"
    failed = FailedTask.objects.get()
    assert (failed.task, failed.attempts) == ("tests.core.test_task_retry.flaky", 3)
    assert (failed.error, failed.message) == ("tests.core.test_task_retry.Flaky", "mail is down")


def test_a_task_that_succeeds_runs_once(db: Any) -> None:
    assert flaky.enqueue("mail").return_value == "mail done"
    assert CALLS == ["mail"]


@override_settings(TASKS=DATABASE_TASKS)
def test_with_the_worker_each_retry_waits_twice_as_long_as_the_one_before(transactional_db: Any) -> None:
    FAILURES_LEFT["mail"] = 99
    flaky.enqueue("mail")
    waits = []
    for attempt in (2, 3):
        began = timezone.now()
        call_command("db_worker", "--batch", "--no-reload", verbosity=0)
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.args_kwargs == {"args": ["mail"], "kwargs": {"attempt": attempt}}
        waits.append(retry.run_after - began)
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=began)  # no waiting in a test
    assert timedelta(seconds=10) <= waits[0] < timedelta(seconds=15)
    assert timedelta(seconds=20) <= waits[1] < timedelta(seconds=25)
    assert not FailedTask.objects.exists()
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)
    assert CALLS == ["mail"] * 3
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3  # every attempt visible in the queue too
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert FailedTask.objects.get().attempts == 3


def test_the_health_endpoint_reports_recent_final_failures_without_turning_unhealthy(db: Any) -> None:
    FAILURES_LEFT["mail"] = 99
    flaky.enqueue("mail")
    FailedTask.objects.create(
        task="old.task", attempts=3, error="x.Y", failed_at=timezone.now() - timedelta(days=2)
    )  # older than a day: not counted
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["failed_tasks"] == {
        "ok": True,
        "detail": "1 in the last 24 h: tests.core.test_task_retry.flaky",
    }


def test_notification_delivery_is_retried_then_recorded(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def broken() -> int:
        calls.append(1)
        raise ConnectionError("mail server refused")

    monkeypatch.setattr(notification_tasks.delivery, "deliver_pending", broken)
    notification_tasks.deliver_notifications.enqueue()
    assert len(calls) == 3
    assert FailedTask.objects.get().task == "coalition.notifications.tasks.deliver_notifications"
