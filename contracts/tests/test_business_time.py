"""The pure business-time engine: no database, calendars and datetimes in, datetimes out."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.business_time import (
    BusinessCalendar,
    NoBusinessTime,
    Slot,
    add_business_time,
    business_time_elapsed,
    is_open,
    next_opening,
)

from .reference_business_time import reference_add, reference_elapsed

BOGOTA = ZoneInfo("America/Bogota")
NEW_YORK = ZoneInfo("America/New_York")
CO_HOLIDAYS = frozenset(holidays.country_holidays("CO", years=range(2024, 2030)).keys())
OFFICE_SLOTS = [(d, time(7, 30), time(17, 30)) for d in range(5)]
ALWAYS_SLOTS = [(d, time(0, 0), time(0, 0)) for d in range(7)]

OFFICE = BusinessCalendar.build(timezone="America/Bogota", slots=OFFICE_SLOTS, closed_dates=CO_HOLIDAYS)
ALWAYS = BusinessCalendar.build(timezone="America/Bogota", slots=ALWAYS_SLOTS)
H = timedelta(hours=1)


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


# --- the scheme's own example and the calendar's corners ----------------------------------------


def test_document_example_gold_p1_at_five_pm_is_due_next_business_day_at_nine() -> None:
    # Tuesday 24 Nov 2026, 17:00: 30 min that day, 1 h 30 the next.
    assert add_business_time(bog(2026, 11, 24, 17, 0), 2 * H, OFFICE) == bog(2026, 11, 25, 9, 0)


def test_friday_afternoon_rolls_over_the_weekend() -> None:
    assert add_business_time(bog(2026, 11, 27, 17, 0), 2 * H, OFFICE) == bog(2026, 11, 30, 9, 0)


def test_request_on_a_saturday_starts_counting_monday_at_opening() -> None:
    assert add_business_time(bog(2026, 11, 28, 11, 0), 2 * H, OFFICE) == bog(2026, 11, 30, 9, 30)


def test_ley_emiliani_monday_is_not_a_business_day() -> None:
    # San José moved to Monday 23 March 2026.
    assert date(2026, 3, 23) in CO_HOLIDAYS
    assert add_business_time(bog(2026, 3, 20, 16, 0), 6 * H, OFFICE) == bog(2026, 3, 24, 12, 0)


def test_2026_chiquinquira_holiday_moved_to_monday_13_july() -> None:
    assert date(2026, 7, 13) in CO_HOLIDAYS
    assert add_business_time(bog(2026, 7, 10, 17, 0), 2 * H, OFFICE) == bog(2026, 7, 14, 9, 0)


def test_holy_thursday_and_good_friday_are_skipped() -> None:
    # Wednesday 1 April 2026 16:00 + 6 h: 1 h 30 Wednesday, then Monday 6 April 07:30 + 4 h 30.
    assert add_business_time(bog(2026, 4, 1, 16, 0), 6 * H, OFFICE) == bog(2026, 4, 6, 12, 0)


def test_christmas_eve_to_the_monday_after_christmas() -> None:
    # Thursday 24 Dec 2026 (a business day) 15:30 + 6 h: 2 h that day, Friday 25 is Christmas,
    # then Monday 28 from 07:30 + 4 h.
    assert add_business_time(bog(2026, 12, 24, 15, 30), 6 * H, OFFICE) == bog(2026, 12, 28, 11, 30)


def test_platinum_runs_across_midnight() -> None:
    assert add_business_time(bog(2026, 12, 31, 23, 0), 2 * H, ALWAYS) == bog(2027, 1, 1, 1, 0)
    assert add_business_time(bog(2026, 11, 28, 22, 30), 4 * H, ALWAYS) == bog(2026, 11, 29, 2, 30)


def test_platinum_p3_counts_on_the_office_calendar() -> None:
    # Saturday night: P3 (16 h) waits for Monday's opening on 8x5.
    assert add_business_time(bog(2026, 11, 28, 23, 0), 16 * H, OFFICE) == bog(2026, 12, 1, 13, 30)


def test_instant_exactly_at_opening_counts_from_then() -> None:
    assert add_business_time(bog(2026, 11, 24, 7, 30), 2 * H, OFFICE) == bog(2026, 11, 24, 9, 30)
    assert is_open(bog(2026, 11, 24, 7, 30), OFFICE)


def test_instant_exactly_at_closing_is_outside_hours() -> None:
    assert not is_open(bog(2026, 11, 24, 17, 30), OFFICE)
    assert next_opening(bog(2026, 11, 24, 17, 30), OFFICE) == bog(2026, 11, 25, 7, 30)
    assert add_business_time(bog(2026, 11, 24, 17, 30), 2 * H, OFFICE) == bog(2026, 11, 25, 9, 30)


def test_deadline_landing_on_closing_time_is_that_closing_time() -> None:
    assert add_business_time(bog(2026, 11, 24, 15, 30), 2 * H, OFFICE) == bog(2026, 11, 24, 17, 30)
    # and a whole business day from the opening ends at that day's closing
    assert add_business_time(bog(2026, 11, 24, 7, 30), 10 * H, OFFICE) == bog(2026, 11, 24, 17, 30)


def test_seconds_and_microseconds_are_kept() -> None:
    start = bog(2026, 11, 24, 10, 15, 42, 123456)
    due = add_business_time(start, timedelta(hours=2, seconds=7), OFFICE)
    assert due == bog(2026, 11, 24, 12, 15, 49, 123456)
    assert business_time_elapsed(start, due, OFFICE) == timedelta(hours=2, seconds=7)


def test_gold_p4_32_hours_spans_four_business_days() -> None:
    assert add_business_time(bog(2026, 11, 24, 17, 0), 32 * H, OFFICE) == bog(2026, 11, 30, 9, 0)


def test_result_is_in_the_calendar_zone_and_input_zone_does_not_matter() -> None:
    utc_start = bog(2026, 11, 24, 17, 0).astimezone(UTC)
    due = add_business_time(utc_start, 2 * H, OFFICE)
    assert due.tzinfo == BOGOTA and due == bog(2026, 11, 25, 9, 0)


def test_elapsed_counts_only_business_time() -> None:
    assert business_time_elapsed(bog(2026, 11, 27, 17, 0), bog(2026, 11, 30, 9, 0), OFFICE) == 2 * H
    assert business_time_elapsed(bog(2026, 11, 28, 8, 0), bog(2026, 11, 29, 20, 0), OFFICE) == timedelta(0)
    assert business_time_elapsed(bog(2026, 11, 30, 9, 0), bog(2026, 11, 27, 17, 0), OFFICE) == -2 * H


def test_zero_time_from_outside_hours_is_the_next_opening() -> None:
    assert add_business_time(bog(2026, 11, 28, 11, 0), timedelta(0), OFFICE) == bog(2026, 11, 30, 7, 30)
    assert add_business_time(bog(2026, 11, 24, 11, 0), timedelta(0), OFFICE) == bog(2026, 11, 24, 11, 0)


def test_several_slots_a_day_skip_the_lunch_break() -> None:
    split = BusinessCalendar.build(
        timezone="America/Bogota",
        slots=[(d, time(8), time(12)) for d in range(5)] + [(d, time(14), time(18)) for d in range(5)],
    )
    assert add_business_time(bog(2026, 11, 24, 11, 0), 2 * H, split) == bog(2026, 11, 24, 15, 0)
    assert add_business_time(bog(2026, 11, 24, 11, 0), H, split) == bog(2026, 11, 24, 12, 0)


def test_long_durations_extend_the_compiled_window() -> None:
    start = bog(2026, 1, 5, 8, 0)
    due = add_business_time(start, timedelta(hours=10 * 250 * 6), OFFICE)  # ~6 working years
    assert business_time_elapsed(start, due, OFFICE) == timedelta(hours=10 * 250 * 6)
    assert add_business_time(bog(1999, 3, 2, 8, 0), 2 * H, ALWAYS) == bog(1999, 3, 2, 10, 0)


# --- daylight saving ---------------------------------------------------------------------------

NY_ALWAYS = BusinessCalendar.build(timezone="America/New_York", slots=ALWAYS_SLOTS)
NY_OFFICE = BusinessCalendar.build(
    timezone="America/New_York", slots=[(d, time(9), time(17)) for d in range(7)]
)


def test_24x7_across_spring_forward_counts_real_hours() -> None:
    # 8 March 2026 02:00 EST → 03:00 EDT. 01:00 EST + 2 h real = 04:00 EDT.
    start = datetime(2026, 3, 8, 1, 0, tzinfo=NEW_YORK)
    assert add_business_time(start, 2 * H, NY_ALWAYS) == datetime(2026, 3, 8, 4, 0, tzinfo=NEW_YORK)
    day = business_time_elapsed(
        datetime(2026, 3, 8, tzinfo=NEW_YORK), datetime(2026, 3, 9, tzinfo=NEW_YORK), NY_ALWAYS
    )
    assert day == 23 * H


def test_24x7_across_fall_back_counts_real_hours() -> None:
    day = business_time_elapsed(
        datetime(2026, 11, 1, tzinfo=NEW_YORK), datetime(2026, 11, 2, tzinfo=NEW_YORK), NY_ALWAYS
    )
    assert day == 25 * H


def test_office_hours_keep_wall_clock_across_dst() -> None:
    # Saturday 7 March 16:00 EST + 3 h → Sunday 8 March (after the change) 11:00 EDT.
    start = datetime(2026, 3, 7, 16, 0, tzinfo=NEW_YORK)
    assert add_business_time(start, 3 * H, NY_OFFICE) == datetime(2026, 3, 8, 11, 0, tzinfo=NEW_YORK)


# --- bad input -----------------------------------------------------------------------------------


def test_a_calendar_without_slots_is_refused() -> None:
    with pytest.raises(NoBusinessTime):
        BusinessCalendar.build(timezone="America/Bogota", slots=[])


def test_a_calendar_closed_every_day_raises_instead_of_looping() -> None:
    every_day = {date(2020, 1, 1) + timedelta(days=i) for i in range(365 * 40)}
    closed = BusinessCalendar.build(timezone="America/Bogota", slots=OFFICE_SLOTS, closed_dates=every_day)
    with pytest.raises(NoBusinessTime):
        add_business_time(bog(2026, 1, 1), H, closed)
    with pytest.raises(NoBusinessTime):
        next_opening(bog(2026, 1, 1), closed)


def test_slot_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError):
        Slot(0, time(10), time(9))
    with pytest.raises(ValueError):
        Slot(7, time(9), time(10))


def test_naive_datetimes_and_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        add_business_time(datetime(2026, 1, 5, 8, 0), H, OFFICE)
    with pytest.raises(ValueError):
        add_business_time(bog(2026, 1, 5, 8, 0), -H, OFFICE)


# --- against an independent implementation, and a property --------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_agrees_with_the_reference_on_random_vectors(seed: int) -> None:
    rng = random.Random(seed)
    calendars = [
        (OFFICE, OFFICE_SLOTS, set(CO_HOLIDAYS), BOGOTA),
        (ALWAYS, ALWAYS_SLOTS, set(), BOGOTA),
        (NY_OFFICE, [(d, time(9), time(17)) for d in range(7)], set(), NEW_YORK),
    ]
    for _ in range(150):
        cal, slots, closed, tz = rng.choice(calendars)
        start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            seconds=rng.randrange(2 * 365 * 86400), microseconds=rng.randrange(10**6)
        )
        amount = timedelta(hours=rng.choice([2, 4, 6, 16, 32]), seconds=rng.randrange(0, 3600))
        expected = reference_add(start, amount, slots, closed, tz)
        assert add_business_time(start, amount, cal) == expected, (start, amount, cal.name)
        end = start + timedelta(seconds=rng.randrange(10 * 86400))
        assert business_time_elapsed(start, end, cal) == reference_elapsed(start, end, slots, closed, tz)


instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))


@settings(max_examples=300, deadline=None)
@given(start=instants, amount=durations)
def test_elapsed_inverts_add(start: datetime, amount: timedelta) -> None:
    for calendar in (OFFICE, ALWAYS, NY_OFFICE):
        assert business_time_elapsed(start, add_business_time(start, amount, calendar), calendar) == amount


@settings(max_examples=200, deadline=None)
@given(start=instants, a=durations, b=durations)
def test_adding_in_two_steps_equals_adding_once(start: datetime, a: timedelta, b: timedelta) -> None:
    # Only from an open instant: from a closed one, "+0" jumps to the opening first.
    start = next_opening(start, OFFICE)
    once = add_business_time(start, a + b, OFFICE)
    twice = add_business_time(add_business_time(start, a, OFFICE), b, OFFICE) if a else once
    assert once == twice or business_time_elapsed(once, twice, OFFICE) == timedelta(0)
