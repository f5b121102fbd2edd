"""A technical contact asks to change their own data; an admin approves or rejects the request.
Approval applies it through ``technical_contact_update``, which records who changed what and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ContactChangeRequest, TechnicalContact
from .customers import plain

REQUESTABLE_FIELDS = ("full_name", "position", "phone", "extension", "email")


def _current(contact: TechnicalContact) -> dict[str, Any]:
    return {f: plain(getattr(contact, f)) for f in REQUESTABLE_FIELDS}


@transaction.atomic
def contact_change_request(
    *, actor: User | None, contact: TechnicalContact, now: datetime | None = None, **fields: Any
) -> ContactChangeRequest:
    """Record the contact's request to change their data (only what differs). Nothing changes
    on the contact until an admin approves it."""
    now = now or timezone.now()
    unknown = set(fields) - set(REQUESTABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    contact = TechnicalContact.objects.select_for_update().get(pk=contact.pk)
    if "email" in fields:
        fields["email"] = str(fields["email"]).strip().lower()
    before = _current(contact)
    trial = TechnicalContact.objects.get(pk=contact.pk)
    for name, value in fields.items():
        setattr(trial, name, value)
    trial.full_clean(exclude=["customer", "user"])
    proposed = {f: plain(getattr(trial, f)) for f in fields if plain(getattr(trial, f)) != before[f]}
    if not proposed:
        raise ValidationError(_("Change at least one of your details."), code="no_change")
    try:
        with transaction.atomic():
            return ContactChangeRequest.objects.create(
                contact=contact,
                requested_by=actor if actor is not None and actor.is_authenticated else None,
                requested_at=now,
                before={f: before[f] for f in proposed},
                proposed=proposed,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You already have a change request waiting for approval."), code="pending"
        ) from error


def _decide(request: ContactChangeRequest) -> ContactChangeRequest:
    request = ContactChangeRequest.objects.select_for_update().select_related("contact").get(pk=request.pk)
    if request.status != ContactChangeRequest.Status.PENDING:
        raise ValidationError(_("This request was already decided."), code="decided")
    return request


@transaction.atomic
def contact_change_approve(
    *, actor: User, request: ContactChangeRequest, note: str = "", now: datetime | None = None
) -> ContactChangeRequest:
    """Apply the requested data to the contact (recorded as the admin's change) and close the request."""
    from . import technical_contact_update

    now = now or timezone.now()
    request = _decide(request)
    technical_contact_update(actor=actor, contact=request.contact, now=now, **request.proposed)
    request.status = ContactChangeRequest.Status.APPROVED
    request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return request


@transaction.atomic
def contact_change_reject(
    *, actor: User, request: ContactChangeRequest, note: str = "", now: datetime | None = None
) -> ContactChangeRequest:
    now = now or timezone.now()
    request = _decide(request)
    request.status = ContactChangeRequest.Status.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return request
