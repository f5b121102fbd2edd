"""RMA delivery deadlines against the business-time engine on the office calendar (8x5 Bogotá,
Mon–Fri 07:30–17:30, Colombian holidays): 48 h Standard, 8 h Extended, 24x7 next business day."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.conf import settings

from contracts import sla
from contracts.tests.clock import BOGOTA
from warranty.deadlines import delivery_deadline, next_business_day_close

pytestmark = pytest.mark.django_db


def office():
    return sla.snapshot().calendar(settings.SMA_OFFICE_CALENDAR)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def test_standard_started_friday_1600_before_a_holiday_monday() -> None:
    # Friday 8 January 2027; Monday 11 January is a public holiday (Reyes Magos).
    deadline = delivery_deadline(
        at(2027, 1, 8, 16, 0), hours=48, nbd_24x7=False, calendar=office(), warn_share=0.75
    )
    # Fri 1 h 30 + Tue, Wed, Thu, Fri 40 h = 41 h 30; 6 h 30 more on Monday 18 January.
    assert deadline.due_at == at(2027, 1, 18, 14, 0)
    # 75 % of 48 h = 36 h: Fri 1 h 30 + Tue–Thu 30 h, 4 h 30 on Friday 15 January.
    assert deadline.warning_at == at(2027, 1, 15, 12, 0)


def test_extended_started_at_1700() -> None:
    deadline = delivery_deadline(
        at(2026, 12, 2, 17, 0), hours=8, nbd_24x7=False, calendar=office(), warn_share=0.75
    )
    # 30 m on Wednesday, 7 h 30 from Thursday's opening.
    assert deadline.due_at == at(2026, 12, 3, 15, 0)
    # 6 h: 30 m + 5 h 30.
    assert deadline.warning_at == at(2026, 12, 3, 13, 0)


def test_extended_at_1700_on_a_friday_before_a_holiday_monday_skips_the_long_weekend() -> None:
    deadline = delivery_deadline(
        at(2027, 1, 8, 17, 0), hours=8, nbd_24x7=False, calendar=office(), warn_share=0.75
    )
    assert deadline.due_at == at(2027, 1, 12, 15, 0)


def test_next_business_day_shortens_a_standard_deadline() -> None:
    deadline = delivery_deadline(
        at(2027, 1, 8, 16, 0), hours=48, nbd_24x7=True, calendar=office(), warn_share=0.75
    )
    # The next business day after Friday 8 is Tuesday 12 (Monday is a holiday): by its close.
    assert deadline.due_at == at(2027, 1, 12, 17, 30)


def test_next_business_day_never_lengthens_an_extended_deadline() -> None:
    deadline = delivery_deadline(
        at(2026, 12, 2, 17, 0), hours=8, nbd_24x7=True, calendar=office(), warn_share=0.75
    )
    assert deadline.due_at == at(2026, 12, 3, 15, 0)


def test_next_business_day_from_a_saturday_night_is_monday() -> None:
    assert next_business_day_close(at(2026, 12, 5, 23, 0), office()) == at(2026, 12, 7, 17, 30)


def test_a_deadline_landing_on_the_close_is_the_close() -> None:
    # Started at the opening, 10 h later is 17:30 that day (slots are half-open).
    deadline = delivery_deadline(
        at(2026, 12, 2, 7, 30), hours=10, nbd_24x7=False, calendar=office(), warn_share=1
    )
    assert deadline.due_at == at(2026, 12, 2, 17, 30)
