"""The staff inbox: each notification lands once in the inbox of every staff user it reaches
(unique (user, notification), written in the notification's own transaction), and each user marks
their items read. Reading is idempotent: an item read twice keeps its first ``read_at``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from ..models import InboxItem, Notification
from .reach import Audience


def inbox_deliver(
    *, notifications: Iterable[Notification], audience: Audience, now: datetime | None = None
) -> int:
    """Put the notifications in the inboxes of the staff they reach (one INSERT for the batch;
    an item already there is left as it is). Returns how many items the batch called for."""
    now = now or timezone.now()
    items = [
        InboxItem(user_id=user_id, notification=n, created_at=n.created_at or now)
        for n in notifications
        for user_id in dict.fromkeys(audience.inbox_users(n))
    ]
    if items:
        InboxItem.objects.bulk_create(items, ignore_conflicts=True)
    return len(items)


@transaction.atomic
def inbox_mark_read(*, actor: User, item_id: int, now: datetime | None = None) -> bool:
    """Mark one of the actor's items read; False when it is not theirs (or does not exist)."""
    now = now or timezone.now()
    mine = InboxItem.objects.filter(pk=item_id, user=actor)
    if not mine.exists():
        return False
    mine.filter(read_at__isnull=True).update(read_at=now)
    return True


@transaction.atomic
def inbox_mark_all_read(*, actor: User, now: datetime | None = None) -> int:
    """Mark every unread item of the actor read; how many were unread."""
    now = now or timezone.now()
    return InboxItem.objects.filter(user=actor, read_at__isnull=True).update(read_at=now)
