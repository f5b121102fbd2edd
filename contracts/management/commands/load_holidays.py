"""Load public holidays into the calendars that follow a country.

Dry run unless --for-real. Years that already have holidays are left as the admins edited them,
unless --refresh (which adds missing days, never deletes).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from contracts import services
from contracts.models import ServiceCalendar


class Command(BaseCommand):
    help = "Load Colombian (or the calendar's country's) public holidays for the given years."

    def add_arguments(self, parser: CommandParser) -> None:
        this_year = timezone.localdate().year
        parser.add_argument("--year", type=int, action="append", dest="years")
        parser.add_argument("--calendar", help="calendar code (default: every calendar with a country)")
        parser.add_argument("--refresh", action="store_true", help="add missing days to loaded years")
        parser.add_argument("--for-real", action="store_true", help="write (default: dry run)")
        parser.set_defaults(years=None, default_years=[this_year, this_year + 1])

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"] or options["default_years"]
        calendars = ServiceCalendar.objects.exclude(holiday_country="")
        if options["calendar"]:
            calendars = calendars.filter(code=options["calendar"])
        with transaction.atomic():
            for calendar in calendars:
                created = services.holidays_load(
                    calendar=calendar, years=years, only_missing_years=not options["refresh"]
                )
                for holiday in created:
                    self.stdout.write(f"  {calendar.code}: {holiday.date:%Y-%m-%d} {holiday.name}")
                self.stdout.write(f"{calendar.name}: {len(created)} holidays for {years}")
            if not options["for_real"]:
                transaction.set_rollback(True)
                self.stdout.write(self.style.WARNING("Dry run: nothing saved. Use --for-real."))
