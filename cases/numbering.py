"""Case numbers: SMA-<year>-<000123>, consecutive per year, never reused, safe under concurrency.

The year's row in CaseSequence is locked (SELECT … FOR UPDATE) while the next number is taken, so
concurrent registrations queue on it for the instant of the update and each gets its own number.
A rolled-back registration gives its number back with the rollback, so no gap and no reuse.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import CaseSequence

PREFIX = "SMA"


def format_case_number(year: int, serial: int) -> str:
    return f"{PREFIX}-{year}-{serial:06d}"


def allocate_case_number(*, registered_at: datetime) -> str:
    """Must run inside the registering transaction."""
    year = timezone.localtime(registered_at).year
    if not CaseSequence.objects.filter(year=year).exists():
        try:
            with transaction.atomic():
                CaseSequence.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another registration created it first
    CaseSequence.objects.filter(year=year).update(last=F("last") + 1)
    serial = CaseSequence.objects.values_list("last", flat=True).get(year=year)
    return format_case_number(year, serial)
