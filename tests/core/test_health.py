"""The health endpoint: database, cache and the worker's heartbeat, each reported, 503 when one fails."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coalition.core.models import WorkerHeartbeat

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _health(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_healthy_with_tasks_run_in_the_request(db: Any) -> None:
    status, body = _health(Client())
    assert status == 200
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "worker": True,
        "failed_tasks": True,
    }


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_is_unhealthy_until_it_runs_the_heartbeat_it_was_asked_for(transactional_db: Any) -> None:
    client = Client()
    status, body = _health(client)
    assert status == 503
    assert body["checks"]["worker"] == {"ok": False, "detail": "no heartbeat yet"}
    assert DBTaskResult.objects.filter(task_path="coalition.core.tasks.heartbeat").count() == 1

    _health(client)  # asked again within 30 s: no second heartbeat queued
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-reload", verbosity=0)
    status, body = _health(client)
    assert status == 200
    assert body["checks"]["worker"]["ok"] is True


@override_settings(TASKS=DATABASE_TASKS)
def test_a_heartbeat_older_than_two_minutes_is_stale(db: Any) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(pk=1, requested_at=now, beat_at=now - timedelta(minutes=3))
    status, body = _health(Client())
    assert status == 503
    assert body["checks"]["worker"]["ok"] is False
    assert "180 s ago" in body["checks"]["worker"]["detail"]


def test_a_database_failure_is_a_503_that_names_it(db: Any) -> None:
    with mock.patch("coalition.core.health.connection.cursor", side_effect=OperationalError("down")):
        status, body = _health(Client())
    assert status == 503
    assert body["checks"]["database"] == {"ok": False, "detail": "OperationalError"}
    assert body["checks"]["worker"]["ok"] is False


def test_a_cache_that_loses_values_is_a_503(db: Any) -> None:
    with mock.patch("coalition.core.health.cache.get", return_value=None):
        status, body = _health(Client())
    assert status == 503
    assert body["checks"]["cache"]["ok"] is False


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_only_answers_reads(db: Any, method: str) -> None:
    assert getattr(Client(), method)("/healthz").status_code == 405
    assert not WorkerHeartbeat.objects.exists()
