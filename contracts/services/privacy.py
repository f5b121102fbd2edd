"""Personal data of a technical contact (Colombia's Ley 1581 de 2012): what this room holds of
one contact, for the export, and the erasure of a former contact's data here. The cases stay —
the contact row is kept, emptied, so every case still reads "requested by" someone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..contact_models import ContactChangeRequest, NewsConsent
from ..models import TechnicalContact, TechnicalContactChange


def anonymous_name(contact: TechnicalContact) -> str:
    return _("Anonymised contact %(id)s") % {"id": contact.pk}


def anonymous_address(contact: TechnicalContact) -> str:
    return f"anonimizado-{contact.pk}@invalid.example"


def contact_personal_data(*, contact: TechnicalContact) -> dict[str, Any]:
    """Everything this room holds of the contact, JSON-ready."""
    user = contact.user
    return {
        "contact": {
            "id": contact.pk,
            "customer": contact.customer.name,
            "full_name": contact.full_name,
            "position": contact.position,
            "phone": str(contact.phone),
            "extension": contact.extension,
            "email": contact.email,
            "designation_active": contact.is_active,
            "designated_at": contact.created_at.isoformat(),
            "news_consent_at": contact.news_consent_at.isoformat() if contact.news_consent_at else None,
            "news_withdrawn_at": contact.news_withdrawn_at.isoformat() if contact.news_withdrawn_at else None,
        },
        "portal_account": None
        if user is None
        else {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "news_consents": [
            {
                "action": row.action,
                "at": row.at.isoformat(),
                "text": row.consent_text,
                "text_version": row.text_version,
                "source": row.source,
                "ip_address": row.ip_address,
                "browser": row.user_agent,
            }
            for row in NewsConsent.objects.filter(contact=contact).order_by("at", "pk")
        ],
        "data_change_requests": [
            {
                "requested_at": row.requested_at.isoformat(),
                "before": row.before,
                "proposed": row.proposed,
                "status": row.status,
                "decided_at": row.decided_at.isoformat() if row.decided_at else None,
            }
            for row in ContactChangeRequest.objects.filter(contact=contact).order_by("requested_at", "pk")
        ],
        "designation_history": [
            {"action": row.action, "at": row.changed_at.isoformat(), "changes": row.changes}
            for row in TechnicalContactChange.objects.filter(contact=contact).order_by("changed_at", "pk")
        ],
    }


def contact_export_record(
    *, contact: TechnicalContact, actor: User | None, now: datetime | None = None
) -> None:
    """The export is itself recorded (who took the contact's data out, and when)."""
    TechnicalContactChange.objects.create(
        contact=contact,
        action=TechnicalContactChange.Action.EXPORTED,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=now or timezone.now(),
        changes={},
    )


@transaction.atomic
def contact_anonymise(
    *, contact: TechnicalContact, actor: User | None, now: datetime | None = None
) -> tuple[str, str]:
    """Erase a former contact's personal data in this room: the contact row (kept, emptied), its
    portal account (disabled), the consents' origin, the change requests and the history's
    values. Returns the (name, e-mail) that were erased, for the other rooms to forget too.
    A contact still designated is refused: end the designation first."""
    now = now or timezone.now()
    contact = TechnicalContact.objects.select_for_update().get(pk=contact.pk)
    if contact.anonymised_at is not None:
        return "", ""
    if contact.is_active:
        raise ValidationError(
            _("%(name)s is still a designated contact: end the designation before anonymising.")
            % {"name": contact.full_name},
            code="still_designated",
        )
    old_name, old_email = contact.full_name, contact.email
    contact.full_name = anonymous_name(contact)
    contact.position = "—"
    contact.phone = ""
    contact.extension = ""
    contact.email = anonymous_address(contact)
    if contact.news_consent_at and not contact.news_withdrawn_at:
        contact.news_withdrawn_at = now
    contact.anonymised_at = now
    contact.save()
    if contact.user is not None:
        user = contact.user
        user.username = f"anonimizado-{contact.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    NewsConsent.objects.filter(contact=contact).update(ip_address=None, user_agent="")
    ContactChangeRequest.objects.filter(contact=contact).update(before={}, proposed={}, decision_note="")
    for row in TechnicalContactChange.objects.filter(contact=contact).exclude(changes={}):
        row.changes = {"erased": sorted(row.changes) if isinstance(row.changes, dict) else []}
        row.save(update_fields=["changes"])
    TechnicalContactChange.objects.create(
        contact=contact,
        action=TechnicalContactChange.Action.ANONYMISED,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=now,
        changes={},
    )
    return old_name, old_email
