"""What both outboxes (notifications to staff, e-mail to customers) share: queueing a row's
sending, sending it at most once, when an unsent row is queued again, and the instant before
which events are history that nobody is e-mailed about."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ..models import MailHistoryCutoff

logger = logging.getLogger(__name__)

RESEND_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 12

Row = TypeVar("Row", bound=models.Model)


def enqueue(task: Any, ids: list[int]) -> None:
    """Queue the sending of each row. A broker that is down only delays it: the row stays unsent
    and the next beat run queues it again."""
    for pk in ids:
        try:
            task.delay(pk)
        except Exception:
            logger.warning("could not queue %s(%s); it will be queued again", task.name, pk, exc_info=True)


def send_once(
    model: type[Row], pk: int, *, send: Callable[[Row], str], now: datetime | None = None
) -> Row | None:
    """Lock the row, skip it once sent, ``send`` it (which returns a note for the log, "" when all
    went well) and mark it sent. On failure the error is recorded outside the rolled-back
    transaction, for the admin, and raised again (the task retries)."""
    try:
        with transaction.atomic():
            row = model._default_manager.select_for_update().filter(pk=pk).first()
            if row is None or row.sent_at is not None:  # type: ignore[attr-defined]
                return row
            note = send(row)
            row.attempts += 1  # type: ignore[attr-defined]
            row.sent_at = now or timezone.now()  # type: ignore[attr-defined]
            row.last_error = note  # type: ignore[attr-defined]
            row.save(update_fields=["sent_at", "attempts", "last_error"])
            return row
    except Exception as error:
        model._default_manager.filter(pk=pk, sent_at__isnull=True).update(
            attempts=F("attempts") + 1, last_error=str(error)[:2000]
        )
        raise


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


def mail_history_until(*, at: datetime, reason: str, now: datetime | None = None) -> MailHistoryCutoff:
    """Declare the events up to ``at`` history: neither customers nor staff are e-mailed about
    them (loading the demo's past, importing another desk's cases). Only ever moves forward."""
    now = now or timezone.now()
    with transaction.atomic():
        cutoff, created = MailHistoryCutoff.objects.select_for_update().get_or_create(
            key="default", defaults={"starts_at": at, "reason": reason[:200], "set_at": now}
        )
        if not created and at > cutoff.starts_at:
            cutoff.starts_at, cutoff.reason, cutoff.set_at = at, reason[:200], now
            cutoff.save(update_fields=["starts_at", "reason", "set_at"])
    return cutoff


def is_history(event_at: datetime) -> bool:
    """Whether an event at that instant is history not to be e-mailed about (the instant the
    history was loaded belongs to it)."""
    cutoff = MailHistoryCutoff.objects.filter(key="default").values_list("starts_at", flat=True).first()
    return cutoff is not None and event_at <= cutoff
