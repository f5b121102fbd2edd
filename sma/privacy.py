"""Ley 1581 de 2012 for one technical contact, across the rooms: everything held about them as a
ZIP (``datos.json`` and the files they uploaded), and the anonymisation of a former contact that
keeps every case's history readable. The admin's actions and ``manage.py contact_data`` call these."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from cases.services.privacy import cases_forget_name, contact_case_data
from contracts.models import TechnicalContact
from contracts.services.privacy import (
    anonymous_address,
    anonymous_name,
    contact_anonymise,
    contact_export_record,
    contact_personal_data,
)
from escalation.services.privacy import contact_mail_data, mail_forget


def contact_data_export(
    *, contact: TechnicalContact, actor: User | None, now: datetime | None = None
) -> bytes:
    """The ZIP of everything held about the contact; the export is recorded on the contact."""
    now = now or timezone.now()
    data = {"generated_at": now.isoformat(), **contact_personal_data(contact=contact)}
    cases_part, files = contact_case_data(contact=contact)
    data.update(cases_part)
    data.update(contact_mail_data(contact=contact))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datos.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for attachment in files:
            try:
                with attachment.file.open("rb") as handle:
                    content = handle.read()
            except (FileNotFoundError, OSError):
                continue  # a file gone from storage is listed in datos.json, not archived
            safe = attachment.original_name.replace("/", "_").replace("\\", "_")
            archive.writestr(f"archivos/{attachment.case.number}/{attachment.pk}-{safe}", content)
    contact_export_record(contact=contact, actor=actor, now=now)
    return buffer.getvalue()


@transaction.atomic
def contact_forget(*, contact: TechnicalContact, actor: User | None, now: datetime | None = None) -> bool:
    """Anonymise a former contact everywhere; False when it already was. Refused (ValidationError)
    for a contact still designated."""
    name, email = contact_anonymise(contact=contact, actor=actor, now=now)
    if not name and not email:
        return False
    new_name, new_email = anonymous_name(contact), anonymous_address(contact)
    cases_forget_name(customer_id=contact.customer_id, name=name, replacement=new_name)
    mail_forget(name=name, email=email, replacement_name=new_name, replacement_email=new_email)
    return True
