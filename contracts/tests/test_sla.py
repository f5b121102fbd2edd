"""The SLA facade over the policy table and calendars in the database."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import holidays
import pytest

from contracts import sla
from contracts.models import AttentionPolicy, CalendarSlot, Holiday, ServiceCalendar

from .clock import TEST_HOLIDAY_YEARS
from .reference_business_time import reference_add, reference_elapsed

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
H = timedelta(hours=1)


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def test_seeded_policy_matches_the_scheme() -> None:
    table = {
        (p.plan.code, p.priority): (p.hours, p.calendar.code)
        for p in AttentionPolicy.objects.select_related("plan", "calendar")
    }
    assert table == {
        ("GOLD_8X5", "P1"): (Decimal("2"), "oficina-8x5"),
        ("GOLD_8X5", "P2"): (Decimal("6"), "oficina-8x5"),
        ("GOLD_8X5", "P3"): (Decimal("16"), "oficina-8x5"),
        ("GOLD_8X5", "P4"): (Decimal("32"), "oficina-8x5"),
        ("PLATINUM_24X7", "P1"): (Decimal("2"), "24x7"),
        ("PLATINUM_24X7", "P2"): (Decimal("4"), "24x7"),
        ("PLATINUM_24X7", "P3"): (Decimal("16"), "oficina-8x5"),
        ("PLATINUM_24X7", "P4"): (Decimal("32"), "oficina-8x5"),
    }


def test_seeded_holidays_cover_this_year_and_next() -> None:
    """The seed migration loads the year it runs in and the next (the test gives it the year; the
    test database itself holds the tests' own years)."""
    import importlib

    from django.apps import apps

    seed = importlib.import_module("contracts.migrations.0002_seed_calendars_plans_policy").seed
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    Holiday.objects.filter(calendar=office).delete()
    seed(apps, None, year=2031)
    loaded = set(Holiday.objects.filter(calendar=office).values_list("date", flat=True))
    expected = set(holidays.country_holidays("CO", years=[2031, 2032]).keys())
    assert loaded == expected


def test_the_seed_migration_reads_the_current_year(clock) -> None:
    import importlib

    from django.apps import apps

    seed = importlib.import_module("contracts.migrations.0002_seed_calendars_plans_policy").seed
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    Holiday.objects.filter(calendar=office).delete()
    clock.move_to(datetime(2033, 6, 1, 12, tzinfo=BOGOTA))
    seed(apps, None)
    loaded = set(Holiday.objects.filter(calendar=office).values_list("date", flat=True))
    assert loaded == set(holidays.country_holidays("CO", years=[2033, 2034]).keys())


def test_the_test_database_holds_the_tests_own_holiday_years() -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    loaded = set(Holiday.objects.filter(calendar=office).values_list("date", flat=True))
    assert loaded == set(holidays.country_holidays("CO", years=TEST_HOLIDAY_YEARS).keys())


@pytest.mark.parametrize(
    ("registered", "plan", "priority", "due"),
    [
        (bog(2026, 11, 24, 17, 0), "GOLD_8X5", "P1", bog(2026, 11, 25, 9, 0)),  # the document's
        (bog(2026, 11, 24, 17, 0), "GOLD_8X5", "P2", bog(2026, 11, 25, 13, 0)),
        (bog(2026, 11, 24, 17, 0), "GOLD_8X5", "P4", bog(2026, 11, 30, 9, 0)),
        (bog(2026, 11, 24, 17, 0), "PLATINUM_24X7", "P1", bog(2026, 11, 24, 19, 0)),
        (bog(2026, 11, 28, 23, 0), "PLATINUM_24X7", "P2", bog(2026, 11, 29, 3, 0)),
        (bog(2026, 11, 28, 23, 0), "PLATINUM_24X7", "P3", bog(2026, 12, 1, 13, 30)),
        (bog(2026, 12, 24, 15, 30), "GOLD_8X5", "P2", bog(2026, 12, 28, 11, 30)),
        (bog(2027, 3, 24, 16, 0), "GOLD_8X5", "P1", bog(2027, 3, 29, 8, 0)),  # Holy week 2027
    ],
)
def test_attention_deadline(registered: datetime, plan: str, priority: str, due: datetime) -> None:
    assert sla.attention_deadline(registered, plan, priority) == due


def test_business_time_elapsed_uses_the_priority_calendar() -> None:
    start, end = bog(2026, 11, 28, 8, 0), bog(2026, 11, 30, 8, 30)  # Saturday → Monday
    assert sla.business_time_elapsed(start, end, "PLATINUM_24X7", "P1") == 48 * H + 30 * timedelta(minutes=1)
    assert sla.business_time_elapsed(start, end, "PLATINUM_24X7", "P3") == timedelta(hours=1)
    assert sla.business_time_elapsed(start, end, "GOLD_8X5", "P1") == timedelta(hours=1)


def test_unknown_plan_or_priority_is_a_clear_error() -> None:
    with pytest.raises(sla.SlaPolicyMissing, match="BRONZE"):
        sla.attention_deadline(bog(2026, 11, 24, 9), "BRONZE", "P1")
    with pytest.raises(sla.SlaPolicyMissing, match="P9"):
        sla.attention_deadline(bog(2026, 11, 24, 9), "GOLD_8X5", "P9")


def test_a_policy_edit_is_seen_by_the_next_computation() -> None:
    registered = bog(2026, 11, 24, 9, 0)
    assert sla.attention_deadline(registered, "GOLD_8X5", "P2") == bog(2026, 11, 24, 15, 0)
    policy = AttentionPolicy.objects.get(plan__code="GOLD_8X5", priority="P2")
    policy.hours = Decimal("3.5")
    policy.save()
    assert sla.attention_deadline(registered, "GOLD_8X5", "P2") == bog(2026, 11, 24, 12, 30)


def test_a_new_holiday_is_seen_by_the_next_computation() -> None:
    registered = bog(2026, 11, 24, 17, 0)
    assert sla.attention_deadline(registered, "GOLD_8X5", "P1") == bog(2026, 11, 25, 9, 0)
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    Holiday.objects.create(calendar=office, date=date(2026, 11, 25), name="Día cívico")
    assert sla.attention_deadline(registered, "GOLD_8X5", "P1") == bog(2026, 11, 26, 9, 0)
    Holiday.objects.filter(calendar=office, date=date(2026, 11, 25)).delete()
    assert sla.attention_deadline(registered, "GOLD_8X5", "P1") == bog(2026, 11, 25, 9, 0)


def test_a_slot_edit_is_seen_by_the_next_computation() -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    CalendarSlot.objects.filter(calendar=office).update(end_time=time(18, 0))  # no updated_at
    slot = CalendarSlot.objects.filter(calendar=office).first()
    slot.save()  # another edit (the bulk update above already moved the revision)
    assert sla.attention_deadline(bog(2026, 11, 24, 17, 0), "GOLD_8X5", "P1") == bog(2026, 11, 25, 8, 30)


def test_snapshot_is_cached_until_something_changes(django_assert_num_queries) -> None:
    sla.snapshot()
    with django_assert_num_queries(1):  # only the revision number
        sla.attention_deadline(bog(2026, 11, 24, 17, 0), "GOLD_8X5", "P1")


def test_inside_a_request_or_task_the_revision_is_read_once(django_assert_num_queries) -> None:
    sla.snapshot()
    with sla.revision_scope(), django_assert_num_queries(1):
        for day in range(1, 30):
            sla.attention_deadline(bog(2026, 11, day, 17, 0), "GOLD_8X5", "P1")
            sla.business_time_elapsed(bog(2026, 11, day, 9, 0), bog(2026, 11, 30), "GOLD_8X5", "P1")


def test_every_writer_moves_the_revision_and_a_rolled_back_edit_lends_it_no_number() -> None:
    from django.db import transaction

    from contracts.models import HolidayYear

    start = sla.revision()
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    with pytest.raises(RuntimeError), transaction.atomic():
        Holiday.objects.create(calendar=office, date=date(2026, 11, 25), name="Día cívico")
        rolled_back = sla.revision()
        assert rolled_back != start
        raise RuntimeError
    assert sla.revision() == start
    HolidayYear.objects.filter(calendar=office).delete()  # a bulk delete: no updated_at to look at
    after = sla.revision()
    assert after not in (start, rolled_back)


@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_by_another_process_is_seen_by_the_next_call() -> None:
    import threading

    from django.db import connection

    registered = bog(2026, 11, 24, 9, 0)
    assert sla.attention_deadline(registered, "GOLD_8X5", "P2") == bog(2026, 11, 24, 15, 0)

    def admin_edit() -> None:  # another connection, committed on its own: like another process
        try:
            AttentionPolicy.objects.filter(plan__code="GOLD_8X5", priority="P2").update(hours=Decimal("3.5"))
        finally:
            connection.close()

    with sla.revision_scope():
        assert sla.attention_deadline(registered, "GOLD_8X5", "P2") == bog(2026, 11, 24, 15, 0)
        editor = threading.Thread(target=admin_edit)
        editor.start()
        editor.join(timeout=30)
        # A request already under way keeps the tables it started with…
        assert sla.attention_deadline(registered, "GOLD_8X5", "P2") == bog(2026, 11, 24, 15, 0)
    # …the next call (or request, or task) sees the edit.
    assert sla.attention_deadline(registered, "GOLD_8X5", "P2") == bog(2026, 11, 24, 12, 30)


def test_agrees_with_the_reference_across_2026_and_2027() -> None:
    rng = random.Random(7)
    co = set(holidays.country_holidays("CO", years=[2026, 2027]).keys())
    office = ([(d, time(7, 30), time(17, 30)) for d in range(5)], co)
    always = ([(d, time(0), time(0)) for d in range(7)], set())
    calendar_of = {
        "GOLD_8X5": {"P1": office, "P2": office, "P3": office, "P4": office},
        "PLATINUM_24X7": {"P1": always, "P2": always, "P3": office, "P4": office},
    }
    hours = {"GOLD_8X5": [2, 6, 16, 32], "PLATINUM_24X7": [2, 4, 16, 32]}
    for _ in range(400):
        plan = rng.choice(["GOLD_8X5", "PLATINUM_24X7"])
        index = rng.randrange(4)
        priority = f"P{index + 1}"
        registered = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            seconds=rng.randrange(int(1.95 * 365 * 86400))
        )
        slots, closed = calendar_of[plan][priority]
        expected = reference_add(registered, timedelta(hours=hours[plan][index]), slots, closed, BOGOTA)
        assert sla.attention_deadline(registered, plan, priority) == expected
        end = registered + timedelta(seconds=rng.randrange(7 * 86400))
        assert sla.business_time_elapsed(registered, end, plan, priority) == reference_elapsed(
            registered, end, slots, closed, BOGOTA
        )


def test_a_missing_policy_is_reported_in_spanish() -> None:
    with pytest.raises(sla.SlaPolicyMissing) as error:
        sla.attention_deadline(bog(2026, 11, 24, 9), "GOLD_8X5", "P9")
    assert "No hay un tiempo de atención" in str(error.value)


def test_a_deadline_beyond_the_loaded_holidays_is_logged(caplog) -> None:
    sla.attention_deadline(bog(2040, 3, 1, 9), "GOLD_8X5", "P1")
    assert "not loaded for 2040" in caplog.text
