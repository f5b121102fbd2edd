"""Record the business time to first response and to close on cases answered or closed before
SMA kept them (the managers' reports take medians of these columns). Dry run unless --for-real."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.services.deadlines import cases_backfill_business_durations


class Command(BaseCommand):
    help = "Fill the business durations of cases answered or closed before they were recorded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--for-real", action="store_true", help="write (default: only count)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["for_real"]:
            n = cases_backfill_business_durations(dry_run=True)
            self.stdout.write(f"{n} cases lack their business durations (dry run; --for-real to fill).")
            return
        n = cases_backfill_business_durations()
        self.stdout.write(self.style.SUCCESS(f"Filled the business durations of {n} cases."))
