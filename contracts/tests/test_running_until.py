"""``running_until``: whether a calendar's clock runs now and until when (the portal's live
countdown ticks, or stands still, until that instant and then asks the server again)."""

from __future__ import annotations

from datetime import time, timedelta

from contracts.business_time import BusinessCalendar, business_time_elapsed, running_until

from .test_business_time import ALWAYS, CO_HOLIDAYS, OFFICE, bog

OFFICE_LUNCH = BusinessCalendar.build(
    timezone="America/Bogota",
    slots=[(d, time(8), time(12)) for d in range(5)] + [(d, time(14), time(18)) for d in range(5)],
    closed_dates=CO_HOLIDAYS,
)


def test_open_office_runs_until_its_closing() -> None:
    assert running_until(bog(2026, 12, 2, 10, 15), OFFICE) == (True, bog(2026, 12, 2, 17, 30))


def test_closed_office_stands_still_until_the_next_opening_over_weekend_and_holiday() -> None:
    # Friday 4 Dec 2026 after hours → Monday 7 Dec (not a holiday) 07:30.
    assert running_until(bog(2026, 12, 4, 18, 0), OFFICE) == (False, bog(2026, 12, 7, 7, 30))
    # Monday 7 Dec… Tuesday 8 Dec 2026 is the Immaculate Conception: closed all day.
    assert running_until(bog(2026, 12, 7, 20, 0), OFFICE) == (False, bog(2026, 12, 9, 7, 30))


def test_closing_instant_is_not_running_and_opening_instant_is() -> None:
    assert running_until(bog(2026, 12, 2, 17, 30), OFFICE) == (False, bog(2026, 12, 3, 7, 30))
    assert running_until(bog(2026, 12, 3, 7, 30), OFFICE) == (True, bog(2026, 12, 3, 17, 30))


def test_lunch_break_stops_the_clock() -> None:
    assert running_until(bog(2026, 12, 2, 11, 0), OFFICE_LUNCH) == (True, bog(2026, 12, 2, 12, 0))
    assert running_until(bog(2026, 12, 2, 12, 30), OFFICE_LUNCH) == (False, bog(2026, 12, 2, 14, 0))


def test_always_open_calendar_runs_far_beyond_now() -> None:
    running, until = running_until(bog(2026, 12, 2, 3, 0), ALWAYS)
    assert running and until - bog(2026, 12, 2, 3, 0) > timedelta(days=300)


def test_business_time_between_now_and_the_change_is_all_or_nothing() -> None:
    for start in (bog(2026, 12, 2, 9, 1), bog(2026, 12, 5, 9, 1), bog(2026, 12, 2, 12, 1)):
        running, until = running_until(start, OFFICE_LUNCH)
        elapsed = business_time_elapsed(start, until, OFFICE_LUNCH)
        assert elapsed == (until - start if running else timedelta(0))
