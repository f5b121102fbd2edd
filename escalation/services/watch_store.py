"""What the deadline sweep decided, written in a fixed number of statements whatever the number of
due cases: the owed notifications in one INSERT, every claimed case's next ``warn_at`` in one
UPDATE."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, connection, transaction

from cases.models import Case

from ..models import Notification

T = TypeVar("T")


def write_once(owed: list[T], notification_of: Callable[[T], Notification]) -> list[T]:
    """Insert the owed notifications in one statement. The claimed cases are locked, so none was
    written meanwhile; should one be anyway (the unique constraints say so), fall back to one
    INSERT each and keep those that were not already owed."""
    if not owed:
        return []
    try:
        with transaction.atomic():
            Notification.objects.bulk_create([notification_of(o) for o in owed])
        return owed
    except IntegrityError:
        for o in owed:
            notification_of(o).pk = None
    written = []
    for o in owed:
        try:
            with transaction.atomic():
                notification_of(o).save(force_insert=True)
        except IntegrityError:
            continue  # already owed: the unique (case, rule, deadline) constraint keeps it to one
        written.append(o)
    return written


def set_warn_at(cases: list[Case]) -> None:
    """Each case's next warning instant, in one UPDATE."""
    if not cases:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET warn_at = v.warn_at "
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, warn_at) WHERE cases_case.id = v.id",
            [[c.pk for c in cases], [c.warn_at for c in cases]],
        )
