"""Back the database up, then restore the copy somewhere new and check it (run it nightly from cron)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coalition.core import backups


class Command(BaseCommand):
    help = "Write a backup with a manifest of row counts, then run the restore drill on it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--drill-only", type=Path, metavar="BACKUP", help="only run the drill on this backup")
        parser.add_argument("--no-drill", action="store_true", help="write the backup without the drill")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["drill_only"]:
            path = options["drill_only"]
        else:
            made = backups.create()
            path = made.path
            self.stdout.write(f"backup: {path} ({len(made.counts)} tables, {sum(made.counts.values())} rows)")
            if options["no_drill"]:
                return
        report = backups.drill(path)
        if not report.ok:
            raise CommandError("restore drill failed: " + "; ".join(report.problems))
        self.stdout.write(f"restore drill: ok ({report.tables} tables, {report.rows} rows match the manifest)")
