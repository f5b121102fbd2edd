"""What a message to the support address becomes, once ``inbound.py`` has decided it is a person's
message to be handled: a message on the case it answers, a new case, or a refusal. ``answer``
says whether the sender may be written to automatically: not for a message that reached us by
Bcc or through a list (nobody answers what was not addressed to them without a person looking)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.errors import RegistrationRefused
from cases.models import ActivityKind, Case, CaseActivity, Channel, RefusedRequest
from contracts import selectors as contract_selectors
from contracts.models import Installation, TechnicalContact

from ..mailparse import ParsedAttachment, ParsedMessage, strip_quoted
from ..models import CustomerEmail, InboundEmail
from .customer_mail import customer_email_queue
from .customer_notify import notify_customer_message

S = InboundEmail.Status
MAX_ANSWERED_IDS = 50


@dataclass
class Outcome:
    status: str
    case: Case | None = None
    activity: CaseActivity | None = None
    refusal: RefusedRequest | None = None
    note: str = ""


def designated_contacts(address: str) -> list[TechnicalContact]:
    """Contacts with this e-mail (any letter case) who may request support; active ones first."""
    contacts = (
        TechnicalContact.objects.filter(email__iexact=address)
        .select_related("customer")
        .order_by("-is_active", "customer__name", "pk")
    )
    return [c for c in contacts if case_services.requester_may_request(customer=c.customer, requester=c)]


def referenced_case(parsed: ParsedMessage, contacts: list[TechnicalContact]) -> Case | None:
    """The case the message refers to, if it is a case of the sender's own company: the number
    in its subject or SMA's thread id, else any Message-ID it answers (In-Reply-To, References)
    that SMA sent about a case, or that a message already filed on a case carried."""
    if not contacts:
        return None
    customers = [c.customer_id for c in contacts]
    number = parsed.case_number
    if number:
        case = Case.objects.filter(number=number, customer__in=customers).first()
        if case is not None:
            return case
    ids = parsed.answered_ids[:MAX_ANSWERED_IDS]
    if not ids:
        return None
    sent = dict(
        CustomerEmail.objects.filter(message_id__in=ids, case__customer__in=customers).values_list(
            "message_id", "case_id"
        )
    )
    filed = dict(
        InboundEmail.objects.filter(message_id__in=ids, case__customer__in=customers)
        .order_by("received_at", "pk")
        .values_list("message_id", "case_id")
    )
    for message_id in ids:
        case_id = sent.get(message_id) or filed.get(message_id)
        if case_id is not None:
            return Case.objects.get(pk=case_id)
    return None


def _uploads(attachments: list[ParsedAttachment]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(a.name, a.content, content_type=a.content_type) for a in attachments]


def _origin(inbound: InboundEmail, parsed: ParsedMessage) -> dict[str, object]:
    """What the timeline keeps of the e-mail (``sent_at`` is shown as "sent")."""
    data: dict[str, object] = {
        "inbound_email": inbound.pk,
        "message_id": parsed.message_id,
        "subject": parsed.subject,
    }
    if parsed.sent_at is not None:
        data["sent_at"] = parsed.sent_at.isoformat()
    return data


def message_on_case(
    inbound: InboundEmail,
    parsed: ParsedMessage,
    case: Case,
    contact: TechnicalContact,
    now: datetime,
    *,
    answer: bool,
) -> Outcome:
    activity = case_services.case_add_customer_message(
        case=case,
        requester=contact,
        body=strip_quoted(parsed.text),
        attachments=_uploads(parsed.attachments),
        damaged=[bool(a.damaged) for a in parsed.attachments],
        data=_origin(inbound, parsed),
        now=now,
    )
    notify_customer_message(activity=activity, now=now)
    if answer and activity.data.get("case_closed"):
        _auto_answer(
            parsed,
            template="inbound_case_closed",
            event=CustomerEmail.Event.AUTO_REPLY,
            context={"contact": contact},
            case=case,
            now=now,
        )
    return Outcome(S.ACTIVITY, case=case, activity=activity)


def new_case(
    inbound: InboundEmail, parsed: ParsedMessage, contact: TechnicalContact, now: datetime, *, answer: bool
) -> Outcome:
    customer = contact.customer
    subject = parsed.subject.strip() or _("(no subject)")
    body = parsed.text.strip() or _("(message without text)")
    installation, guessed = _installation(contact, f"{subject}\n{body}", now)
    if installation is None:
        refusal = case_services.refused_request_record(
            reason=RefusedRequest.Reason.NOT_LICENSED,
            message=_("%(customer)s has no licensed Calltech product on record.")
            % {"customer": customer.name},
            channel=Channel.EMAIL,
            subject=subject,
            customer=customer,
            requester=contact,
            now=now,
        )
        return _refused(parsed, contact, refusal, now, answer=answer)
    try:
        case = case_services.case_register(
            actor=None,
            customer=customer,
            requester=contact,
            installation=installation,
            channel=Channel.EMAIL,
            priority="",
            subject=subject[:200],
            description=body,
            now=now,  # reception: registration counts from here, never from the sender's Date
        )
    except RegistrationRefused as refused:
        return _refused(parsed, contact, refused.refusal, now, answer=answer)  # type: ignore[arg-type]
    registration = case.activities.get(kind=ActivityKind.REGISTRATION)
    case_services.case_thread_message(
        activity=registration, message_id=parsed.message_id, sent_at=parsed.sent_at
    )
    refused_files = case_services.attachments_add_accepted(
        case=case,
        uploads=_uploads(parsed.attachments),
        activity=registration,
        now=now,
        damaged=[bool(a.damaged) for a in parsed.attachments],
    )
    _registration_notes(
        inbound=inbound,
        parsed=parsed,
        case=case,
        installation=installation,
        guessed=guessed,
        refused_files=refused_files,
        now=now,
    )
    return Outcome(S.CASE, case=case, activity=registration)


def _registration_notes(
    *,
    inbound: InboundEmail,
    parsed: ParsedMessage,
    case: Case,
    installation: Installation,
    guessed: bool,
    refused_files: list[dict[str, str]],
    now: datetime,
) -> None:
    notes = []
    if guessed:
        notes.append(
            _(
                "The e-mail did not name the product; %(product)s was chosen from the contract. "
                "Confirm the product with the customer."
            )
            % {"product": installation}
        )
    if refused_files:
        notes.append(case_services.attachments_refused_note(refused_files))
    refused_names = {item["name"] for item in refused_files}
    damaged = [a.name for a in parsed.attachments if a.damaged and a.name not in refused_names]
    if damaged:
        notes.append(
            _("Attachments that arrived incomplete, kept as received (they may not open): %(names)s")
            % {"names": ", ".join(damaged)}
        )
    if notes:
        case_services.case_add_system_note(
            case=case,
            body="\n\n".join(notes),
            data={
                "inbound_email": inbound.pk,
                "attachments_refused": refused_files,
                "attachments_damaged": damaged,
                "product_guessed": guessed,
            },
            now=now,
        )


def _mentions(text: str, name: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE))


def _installation(contact: TechnicalContact, text: str, now: datetime) -> tuple[Installation | None, bool]:
    """The installation the message is about, and whether it was guessed: the product it names
    (the longest name wins: "CTLog Plus" over "CTLog"), else the only one under the contract in
    force, else the first one that contract covers."""
    installs = list(
        Installation.objects.filter(customer=contact.customer_id)
        .select_related("product")
        .order_by("product__name", "pk")
    )
    if not installs:
        return None, False
    contract = contract_selectors.contract_in_force(customer=contact.customer, on=timezone.localdate(now))
    covered = (list(contract.installations.all()) or installs) if contract else []
    named = [i for i in installs if _mentions(text, i.product.name)]
    if named:
        named.sort(key=lambda i: (i not in covered, -len(i.product.name)))
        return named[0], False
    if len(covered) == 1:
        return covered[0], False
    if covered:
        return sorted(covered, key=lambda i: (i.product.name, i.pk))[0], True
    return installs[0], False  # no contract in force: registration refuses it with that reason


def _refused(
    parsed: ParsedMessage, contact: TechnicalContact, refusal: RefusedRequest, now: datetime, *, answer: bool
) -> Outcome:
    if answer:
        _auto_answer(
            parsed,
            template="inbound_refused",
            event=CustomerEmail.Event.REFUSED,
            context={"contact": contact, "customer": contact.customer, "refusal_message": refusal.message},
            to_name=contact.full_name,
            now=now,
        )
    return Outcome(S.REFUSED, refusal=refusal, note="" if answer else _("Not answered: not addressed to us."))


def stranger(parsed: ParsedMessage, now: datetime, *, answer: bool) -> Outcome:
    known = list(
        TechnicalContact.objects.filter(email__iexact=parsed.from_address).select_related("customer")
    )
    contact = known[0] if len(known) == 1 else None
    refusal = case_services.refused_request_record(
        reason=RefusedRequest.Reason.NOT_DESIGNATED,
        message=_(
            "%(address)s is not the e-mail of a designated technical contact. Only the contacts each "
            "customer designated may request support."
        )
        % {"address": parsed.from_address},
        channel=Channel.EMAIL,
        subject=parsed.subject or _("(no subject)"),
        requester_text=parsed.from_address,
        customer=contact.customer if contact else None,
        requester=contact,
        now=now,
    )
    if not answer:
        return Outcome(S.REFUSED, refusal=refusal, note=_("Not answered: not addressed to us."))
    _auto_answer(
        parsed,
        template="inbound_stranger",
        event=CustomerEmail.Event.AUTO_REPLY,
        # Nothing the stranger wrote is echoed (a forged From must not make us relay their text).
        context={"sender_address": parsed.from_address, "sender_name": "", "original_subject": ""},
        now=now,
    )
    return Outcome(S.REFUSED, refusal=refusal)


def auto_answer_key(address: str, now: datetime) -> str:
    """At most one automatic answer per sender and day (the outbox key is unique)."""
    day = timezone.localdate(now).isoformat()
    if len(address) > 120:
        address = hashlib.sha256(address.encode()).hexdigest()
    return f"auto-reply:{address}:{day}"


def _auto_answer(
    parsed: ParsedMessage,
    *,
    template: str,
    event: str,
    context: dict,
    now: datetime,
    case: Case | None = None,
    to_name: str = "",
) -> CustomerEmail | None:
    return customer_email_queue(
        key=auto_answer_key(parsed.from_address, now),
        event=event,
        to_email=parsed.from_address,
        to_name=to_name or parsed.from_name,
        template=template,
        context={"original_subject": parsed.subject, **context},
        case=case,
        in_reply_to=parsed.message_id,
        now=now,
    )
