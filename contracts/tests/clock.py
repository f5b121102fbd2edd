"""The tests' own clock and calendar data, the same whatever day the suite runs on.

Every test starts at ``TEST_NOW`` (the root ``conftest.py`` travels there and lets the clock tick), so
the product's own reads of "now" and "today" — views, services called without ``now=``, the
contract-in-force check — see 2026 like the fixed instants the tests pass. The holidays of
``TEST_HOLIDAY_YEARS`` replace the ones the seed migration loaded for the real current year.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")

# A Wednesday in office hours, no holiday near it, after the fixed instants the tests register cases at.
TEST_NOW = datetime(2026, 12, 2, 10, 0, tzinfo=BOGOTA)
TEST_TODAY: date = TEST_NOW.date()

# Where the clock stands while the test database is created: before every instant the tests use.
TEST_SETUP_AT = datetime(2025, 1, 1, 0, 0, tzinfo=BOGOTA)

# The years the tests' instants fall in.
TEST_HOLIDAY_YEARS = (2026, 2027)


def load_test_holidays() -> None:
    """Give every calendar that follows a country the public holidays of ``TEST_HOLIDAY_YEARS``, and
    no others."""
    from contracts.models import Holiday, HolidayYear, ServiceCalendar
    from contracts.services import holidays_load

    for calendar in ServiceCalendar.objects.exclude(holiday_country=""):
        Holiday.objects.filter(calendar=calendar).delete()
        HolidayYear.objects.filter(calendar=calendar).delete()
        holidays_load(calendar=calendar, years=TEST_HOLIDAY_YEARS)
