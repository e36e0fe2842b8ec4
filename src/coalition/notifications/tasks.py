"""Background tasks (django-tasks): delivery after each event, the weekly digest, the daily reminders.

Each is idempotent (the outbox marks what it sent), so each is retried with a back-off and its final
failure recorded for the operator (``core.tasks.retried``)."""

from __future__ import annotations

from django_tasks import task

from coalition.core.tasks import retried
from coalition.notifications import delivery, reminders


@task()
@retried()
def deliver_notifications() -> int:
    return delivery.deliver_pending()


@task()
@retried()
def send_weekly_digests() -> int:
    return delivery.send_digests()


@task()
@retried()
def send_daily_reminders() -> int:
    """Raise the date-driven events (due soon, overdue) every app declared; then deliver them."""
    raised = reminders.run_daily()
    delivery.deliver_pending()
    return raised
