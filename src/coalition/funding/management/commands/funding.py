"""Funding jobs from the command line: ``rebuild-totals`` recomputes every coalition's running ledger totals from
its entries (after a bulk load, or once after deploying the release that adds them, in case the previous version
recorded entries while the migration ran). Safe to run at any time: it changes nothing when the totals are right."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coalition.coalitions.models import Coalition
from coalition.funding.actions import do_rebuild_totals


class Command(BaseCommand):
    help = "Funding jobs: rebuild-totals (recompute the running ledger totals from the entries)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["rebuild-totals"])

    def handle(self, *args: Any, **options: Any) -> None:
        totals = sum(do_rebuild_totals(None, coalition) for coalition in Coalition.objects.order_by("pk"))
        self.stdout.write(f"{options['job']}: {totals} totals")
