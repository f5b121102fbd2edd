"""Make the customers' monthly SLA reports of a month (the beat job makes last month's on the
first business day). Reports already made are kept as they are. Dry run unless --for-real."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reports import monthly
from reports.services import monthly_reports_generate


def _month(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CommandError(f"--month must be YYYY-MM, not {value!r}") from None


class Command(BaseCommand):
    help = "Generate the monthly SLA report of every customer for a month (default: last month)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--for-real", action="store_true", help="generate and store (default: say what)")

    def handle(self, *args: Any, **options: Any) -> None:
        month = _month(options["month"]) if options["month"] else monthly.previous_month(timezone.localdate())
        if month >= monthly.month_start(timezone.localdate()):
            raise CommandError("Only a month that has ended can be reported.")
        dry_run = not options["for_real"]
        results = monthly_reports_generate(month=month, dry_run=dry_run)
        for customer, made in results:
            verb = ("would make" if dry_run else "made") if made else "already made"
            self.stdout.write(f"{month:%Y-%m} {customer.name}: {verb}")
        count = sum(made for _c, made in results)
        if dry_run:
            self.stdout.write(f"Would make {count} reports (--for-real).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Made {count} reports."))
