"""Background tasks of the platform itself (domain apps keep theirs in their own ``tasks.py``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from coalition.core.models import WorkerHeartbeat


@task()
def heartbeat() -> None:
    """Run by the worker when the health check asks: records that the worker is alive and taking tasks."""
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"beat_at": timezone.now()})
