"""Seed the scheme's calendars, plans and attention-time table, and Colombian public holidays for
the current and next years. All of it is data an admin may edit afterwards."""

from datetime import time
from decimal import Decimal

from django.db import migrations
from django.utils import timezone

OFFICE, ALWAYS = "oficina-8x5", "24x7"

PLANS = [
    # code, name, calendar, max contacts
    ("GOLD_8X5", "Calltech Techsupport Gold 8x5", OFFICE, 3),
    ("PLATINUM_24X7", "Calltech Techsupport Platinum 24x7", ALWAYS, 5),
]

# plan, priority, hours, calendar the hours are counted on
POLICY = [
    ("GOLD_8X5", "P1", "2", OFFICE),
    ("GOLD_8X5", "P2", "6", OFFICE),
    ("GOLD_8X5", "P3", "16", OFFICE),
    ("GOLD_8X5", "P4", "32", OFFICE),
    ("PLATINUM_24X7", "P1", "2", ALWAYS),
    ("PLATINUM_24X7", "P2", "4", ALWAYS),
    # "Los casos P3 y P4 para clientes con Soporte Extendido son atendidos en horario normal."
    ("PLATINUM_24X7", "P3", "16", OFFICE),
    ("PLATINUM_24X7", "P4", "32", OFFICE),
]


def seed(apps, schema_editor, *, year=None):
    """``year``: the first year of holidays to load (default: the current one), then the next."""
    from contracts.holiday_source import public_holidays

    ServiceCalendar = apps.get_model("contracts", "ServiceCalendar")
    CalendarSlot = apps.get_model("contracts", "CalendarSlot")
    Holiday = apps.get_model("contracts", "Holiday")
    SupportPlan = apps.get_model("contracts", "SupportPlan")
    AttentionPolicy = apps.get_model("contracts", "AttentionPolicy")

    office, _ = ServiceCalendar.objects.get_or_create(
        code=OFFICE,
        defaults={
            "name": "Oficina 8x5",
            "time_zone": "America/Bogota",
            "holiday_country": "CO",
            "description": "Lunes a viernes de 7:30 a 17:30, jornada continua, días hábiles.",
        },
    )
    always, _ = ServiceCalendar.objects.get_or_create(
        code=ALWAYS,
        defaults={
            "name": "24x7",
            "time_zone": "America/Bogota",
            "holiday_country": "",
            "description": "Domingo a domingo, jornada continua.",
        },
    )
    if not CalendarSlot.objects.filter(calendar=office).exists():
        CalendarSlot.objects.bulk_create(
            CalendarSlot(calendar=office, weekday=d, start_time=time(7, 30), end_time=time(17, 30))
            for d in range(5)
        )
    if not CalendarSlot.objects.filter(calendar=always).exists():
        CalendarSlot.objects.bulk_create(
            CalendarSlot(calendar=always, weekday=d, start_time=time(0, 0), end_time=time(0, 0))
            for d in range(7)
        )
    year = year or timezone.localdate().year
    if not Holiday.objects.filter(calendar=office).exists():
        Holiday.objects.bulk_create(
            Holiday(calendar=office, date=day, name=name[:120])
            for day, name in public_holidays("CO", [year, year + 1])
        )
    calendars = {OFFICE: office, ALWAYS: always}
    plans = {}
    for code, name, calendar_code, max_contacts in PLANS:
        plans[code], _ = SupportPlan.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "calendar": calendars[calendar_code],
                "onsite_allowed": True,
                "max_technical_contacts": max_contacts,
                "preventive_maintenances_per_year": 2,
            },
        )
    for plan_code, priority, hours, calendar_code in POLICY:
        AttentionPolicy.objects.get_or_create(
            plan=plans[plan_code],
            priority=priority,
            defaults={"hours": Decimal(hours), "calendar": calendars[calendar_code]},
        )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
