"""Reads of the escalation app."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import EscalationLevel, OnCallShift


def on_duty(*, at: datetime | None = None) -> OnCallShift | None:
    """The shift covering that instant (the most recently started one when shifts overlap)."""
    at = at or timezone.now()
    return (
        OnCallShift.objects.select_related("engineer")
        .filter(starts_at__lte=at, ends_at__gt=at)
        .order_by("-starts_at")
        .first()
    )


def escalation_matrix() -> QuerySet[EscalationLevel]:
    """The matrix as customers see it: every level with its active contacts."""
    from django.db.models import Prefetch

    from .models import EscalationContact

    return EscalationLevel.objects.prefetch_related(
        Prefetch("contacts", queryset=EscalationContact.objects.filter(is_active=True))
    )
