"""Background tasks (django-tasks): delivery after each event, the weekly digest, the daily reminders."""

from __future__ import annotations

from django_tasks import task

from coalition.notifications import delivery, reminders


@task()
def deliver_notifications() -> int:
    return delivery.deliver_pending()


@task()
def send_weekly_digests() -> int:
    return delivery.send_digests()


@task()
def send_daily_reminders() -> int:
    """Raise the date-driven events (due soon, overdue) every app declared; then deliver them."""
    raised = reminders.run_daily()
    delivery.deliver_pending()
    return raised
