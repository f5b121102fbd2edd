"""Compute today's snapshot of the dashboard's long periods now (the beat job does it daily).
Dry run unless --for-real."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reports.services import period_snapshots_refresh


class Command(BaseCommand):
    help = "Compute today's figures of the last 3 and 12 months for the SLA dashboard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--for-real", action="store_true", help="compute and store (default: say so)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["for_real"]:
            self.stdout.write("Would compute today's snapshots of the last 3 and 12 months (--for-real).")
            return
        kept = period_snapshots_refresh()
        self.stdout.write(self.style.SUCCESS(f"Stored {len(kept)} snapshots."))
