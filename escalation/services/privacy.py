"""A contact's personal data in the mail and the escalations (Ley 1581 de 2012): the export's
part, and the erasure of a former contact's name and address from the e-mails kept."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace

from contracts.models import TechnicalContact

from ..models import CustomerEmail, InboundEmail, Pqr


def contact_mail_data(*, contact: TechnicalContact) -> dict[str, Any]:
    address = contact.email
    return {
        "emails_sent_to_them": [
            {
                "event": m.event,
                "subject": m.subject,
                "created_at": m.created_at.isoformat(),
                "sent": bool(m.sent_at),
            }
            for m in CustomerEmail.objects.filter(to_email__iexact=address).order_by("created_at", "pk")
        ]
        if address
        else [],
        "emails_received_from_them": [
            {"subject": m.subject, "received_at": m.received_at.isoformat(), "status": m.status}
            for m in InboundEmail.objects.filter(from_address__iexact=address).order_by("received_at", "pk")
        ]
        if address
        else [],
        "pqrs_raised": [
            {
                "code": p.code,
                "case": p.case.number,
                "kind": p.kind,
                "description": p.description,
                "raised_at": p.raised_at.isoformat(),
                "status": p.status,
            }
            for p in Pqr.objects.filter(contact=contact).select_related("case").order_by("raised_at", "pk")
        ],
    }


@transaction.atomic
def mail_forget(*, name: str, email: str, replacement_name: str, replacement_email: str) -> int:
    """Replace a former contact's name and address in the e-mails kept (outgoing: recipient and
    text; incoming: sender and the stored message). Returns the rows changed."""
    changed = 0
    if email:
        outgoing = CustomerEmail.objects.filter(to_email__iexact=email)
        if name:
            outgoing.update(
                body_text=Replace("body_text", Value(name), Value(replacement_name)),
                body_html=Replace("body_html", Value(name), Value(replacement_name)),
            )
        changed += outgoing.update(to_email=replacement_email, to_name=replacement_name)
        # Copied on a colleague's case (cases' CaseCopy): the "Name <address>" kept in Cc.
        replacement = f"{replacement_name} <{replacement_email}>"
        for copied in CustomerEmail.objects.filter(cc__icontains=email).only("pk", "cc"):
            cc = [replacement if email.lower() in str(entry).lower() else entry for entry in copied.cc]
            CustomerEmail.objects.filter(pk=copied.pk).update(cc=cc)
            changed += 1
        for message in InboundEmail.objects.filter(from_address__iexact=email).only("pk", "raw"):
            raw = bytes(message.raw).replace(email.encode(), replacement_email.encode())
            if name:
                raw = raw.replace(name.encode(), replacement_name.encode())
            InboundEmail.objects.filter(pk=message.pk).update(raw=raw, from_address=replacement_email)
            changed += 1
    return changed
