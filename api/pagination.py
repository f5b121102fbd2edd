"""Cursor pagination over the case list, newest first, by (registered_at, id).

The cursor is the last row's key; the next page is the rows strictly after it in that order,
``(registered_at, id) < (t, i)``: a row comparison PostgreSQL answers from the
``(-registered_at, -id)`` index (case_registered_cover_idx) by seeking to the key, so page 20,000
costs what page 1 costs — unlike OFFSET, which reads and discards every earlier row. The key is
stable: a case registered meanwhile lands on the first page, never shifts later pages.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from cases.models import Case

ORDER = "-registered"  # cases.selectors.SORTS: ("-registered_at", "-id")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class Cursor:
    registered_at: datetime
    pk: int

    def encode(self) -> str:
        raw = f"{self.registered_at.isoformat()}|{self.pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            instant, _sep, pk = raw.partition("|")
            at = datetime.fromisoformat(instant)
            if at.tzinfo is None or not (pk.isascii() and pk.isdigit()) or len(pk) > 19:
                raise ValueError(raw)
            return cls(at, int(pk))
        except (ValueError, UnicodeDecodeError, binascii.Error) as error:
            raise ValidationError({"cursor": [_("This cursor is not one the API gave.")]}) from error


def after(queryset: QuerySet[Case], cursor: Cursor | None) -> QuerySet[Case]:
    """The cases after the cursor in the newest-first order."""
    if cursor is None:
        return queryset
    return queryset.filter(
        TupleLessThan(Tuple(F("registered_at"), F("id")), (cursor.registered_at, cursor.pk))
    )


def page_limit(raw: str | None) -> int:
    if not raw:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": [_("Give a page size from 1 to %(max)d.") % {"max": MAX_LIMIT}]})
    return int(raw)
