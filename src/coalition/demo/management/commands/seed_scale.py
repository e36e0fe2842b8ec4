"""Seed the scale data (``coalition.demo.scale``): by default 500 coalitions × 200 members × 5 years."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coalition.demo.scale import AlreadySeeded, seed_scale


class Command(BaseCommand):
    help = "Create many coalitions with members, years of indicator values and network rounds (once per database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--coalitions", type=int, default=500)
        parser.add_argument("--members", type=int, default=200, help="member organisations per coalition")
        parser.add_argument("--years", type=int, default=5, help="years of monthly values")
        parser.add_argument("--indicators", type=int, default=3, help="indicators per coalition")
        parser.add_argument("--rounds", type=int, default=2, help="network rounds per coalition")
        parser.add_argument("--meetings", type=int, default=12, help="past monthly meetings per coalition")

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = {k: options[k] for k in ("coalitions", "members", "years", "indicators", "rounds", "meetings")}
        limits = {"coalitions": 5000, "members": 1000, "years": 20, "indicators": 20, "rounds": 10, "meetings": 120}
        for name, value in sizes.items():
            if not 1 <= value <= limits[name]:
                raise CommandError(f"--{name} must be between 1 and {limits[name]}.")
        if sizes["members"] < 2:
            raise CommandError("--members must be at least 2 (a network needs someone to relate to).")
        try:
            seeded = seed_scale(**sizes, progress=self._progress if options["verbosity"] > 1 else None)
        except AlreadySeeded as refused:
            raise CommandError("Scale data exists already in this database; seed_scale runs once.") from refused
        self.stdout.write(
            f"seeded: {seeded.coalitions} coalitions, {seeded.members} members, "
            f"{seeded.values} values, {seeded.answers} network answers, "
            f"{seeded.meetings} meetings, {seeded.attendance} attendance records"
        )

    def _progress(self, line: str) -> None:
        self.stdout.write(line)
