"""Run the notification jobs from a scheduler (cron or a systemd timer): ``deliver`` every few minutes (it
retries failed rows whose delay has passed), ``daily`` once a day, ``digest`` once a week."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coalition.notifications.tasks import deliver_notifications, send_daily_reminders, send_weekly_digests

JOBS = {"deliver": deliver_notifications, "daily": send_daily_reminders, "digest": send_weekly_digests}


class Command(BaseCommand):
    help = "Queue a notification job: deliver, daily or digest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=sorted(JOBS))

    def handle(self, *args: Any, **options: Any) -> None:
        result = JOBS[options["job"]].enqueue()
        self.stdout.write(f"{options['job']}: {result.status}")
