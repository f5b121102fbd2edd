"""Certificate numbers: CS-<year>-<00123>, consecutive per year, never reused, without gaps.

The year's row in CertificateSequence is updated (so locked) in the issuing transaction: concurrent
issues queue on it until the first commits, and a rolled-back issue gives its number back."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import CertificateSequence

PREFIX = "CS"


def format_certificate_number(year: int, serial: int) -> str:
    return f"{PREFIX}-{year}-{serial:05d}"


def allocate_certificate_number(*, issued_at: datetime) -> str:
    """Must run inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_certificate_number must run inside the issuing transaction")
    year = timezone.localtime(issued_at).year
    if not CertificateSequence.objects.filter(year=year).exists():
        try:
            with transaction.atomic():
                CertificateSequence.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another issue created it first
    CertificateSequence.objects.filter(year=year).update(last=F("last") + 1)
    serial = CertificateSequence.objects.values_list("last", flat=True).get(year=year)
    return format_certificate_number(year, serial)
