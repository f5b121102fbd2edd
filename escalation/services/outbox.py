"""The rule both outboxes (notifications, customer e-mail) use to queue an unsent row again."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

RESEND_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 12


def due_for_retry(unsent: QuerySet, *, now: datetime, batch: int) -> list[int]:
    """Ids of unsent rows worth queueing again: two minutes after they were written (the broker
    was down, a worker died), then waiting twice as long after each failed attempt (an SMTP
    server that is down is not hammered), and never after MAX_ATTEMPTS failures (a recipient the
    server refuses for good stays in the admin's log with its error)."""
    rows = (
        unsent.filter(sent_at__isnull=True, created_at__lte=now - RESEND_AFTER, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", "created_at", "attempts")[: batch * 4]
    )
    return [pk for pk, created, attempts in rows if now - created >= RESEND_AFTER * 2**attempts][:batch]
