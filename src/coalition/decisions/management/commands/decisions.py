"""Close every poll whose closing time has passed, from a scheduler (cron or a systemd timer), e.g. every
few minutes; the daily notification job does it too."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coalition.decisions.tasks import close_due_polls


class Command(BaseCommand):
    help = "Queue a decisions job: close (close the polls whose time has passed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["close"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = close_due_polls.enqueue()
        self.stdout.write(f"{options['job']}: {result.status}")
