"""Import a large CSV or XLSX of indicator values from the command line (same checks as the upload)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coalition.coalitions.access import get_access
from coalition.core.permissions import Perm
from coalition.core.tabular import TableError
from coalition.measurement.imports import do_import_values, preview_import


class Command(BaseCommand):
    help = "Import indicator values from a CSV or XLSX file into a coalition, as the given user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--coalition", type=int, required=True, help="coalition id")
        parser.add_argument("--user", required=True, help="username of the member importing (recorded)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        try:
            access = get_access(user, options["coalition"], Perm.ENTER_OWN_DATA)
        except Exception as exc:
            raise CommandError("that user cannot enter data in that coalition") from exc
        path: Path = options["file"]
        data = path.read_bytes()
        try:
            if options["dry_run"]:
                batch, preview = None, preview_import(access, data, path.name)
            else:
                batch, preview = do_import_values(access, data, path.name)
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        for group in preview.grouped:
            lines = ", ".join(str(n) for n in group["lines"]) + (f" … (+{group['more']})" if group["more"] else "")
            self.stderr.write(f"{group['count']} rows: [{group['column']}] {group['reason']} (lines {lines})")
        self.stdout.write(
            f"rows: {preview.rows}, created: {preview.created}, updated: {preview.updated}, "
            f"unchanged: {preview.unchanged}, rejected: {len(preview.errors)}"
        )
        if preview.errors:
            raise CommandError("nothing was imported: fix the rejected rows and run again")
        if batch is not None:
            self.stdout.write(f"import batch {batch.pk} saved")
