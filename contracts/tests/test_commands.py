"""Management commands are dry runs unless --for-real, and only call services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from contracts.models import Holiday, HolidayYear
from contracts.tasks import ensure_public_holidays

pytestmark = pytest.mark.django_db


def test_load_holidays_is_a_dry_run_by_default() -> None:
    out = StringIO()
    call_command("load_holidays", "--year", "2031", stdout=out)
    assert "Dry run" in out.getvalue()
    assert not Holiday.objects.filter(date__year=2031).exists()


def test_load_holidays_for_real_loads_the_year() -> None:
    out = StringIO()
    call_command("load_holidays", "--year", "2031", "--for-real", stdout=out)
    assert Holiday.objects.filter(date__year=2031, calendar__code="oficina-8x5").count() >= 18
    assert "2031-12-25" in out.getvalue()


def test_the_daily_task_keeps_next_year_loaded() -> None:
    Holiday.objects.all().delete()
    HolidayYear.objects.all().delete()
    assert ensure_public_holidays.delay().get() > 0
    assert Holiday.objects.exists()
