"""Edits of the escalation matrix's contacts and of the on-call roster made outside the admin (the
demo loader): validated like the admin's forms (a contact must be reachable; a shift ends after
it starts)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from ..models import EscalationContact, OnCallShift


@transaction.atomic
def escalation_contact_reach_set(
    *, contact: EscalationContact, actor: User | None, user: User | None = None, email: str = ""
) -> EscalationContact:
    """Make a contact reachable: link a staff account and/or set the e-mail (kept when not given)."""
    if user is not None:
        contact.user = user
    if email:
        contact.email = email
    contact.full_clean()
    contact.save(update_fields=["user", "email"])
    return contact


@transaction.atomic
def on_call_shift_create(
    *,
    engineer: User,
    starts_at: datetime,
    ends_at: datetime,
    actor: User | None,
    phone: str = "",
    notes: str = "",
) -> OnCallShift:
    shift = OnCallShift(engineer=engineer, starts_at=starts_at, ends_at=ends_at, phone=phone, notes=notes)
    shift.full_clean()
    shift.save()
    return shift
