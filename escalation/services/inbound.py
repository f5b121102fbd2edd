"""E-mail from customers to the support address: stored first, processed second.

* ``inbound_store`` keeps the raw message (its own committed transaction; the SHA-256 of the bytes
  is unique, so a re-delivery returns the row already stored and does nothing else);
* ``inbound_process`` turns a stored message into a new case (status new, channel e-mail, no
  priority yet), a message on the case whose number its subject carries, a refusal answered
  politely, or nothing at all for automatic mail. Any error marks the row FAILED and is logged —
  it never escapes, so the IMAP job and the MTA pipe carry on; the admin can process it again.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.errors import RegistrationRefused
from cases.models import ActivityKind, Case, CaseActivity, Channel, RefusedRequest
from contracts import selectors as contract_selectors
from contracts.models import Installation, TechnicalContact

from ..mailparse import ParsedAttachment, ParsedMessage, parse_message, strip_quoted
from ..models import CustomerEmail, InboundEmail
from .customer_mail import customer_email_queue
from .watch import notify_customer_message

logger = logging.getLogger(__name__)

S = InboundEmail.Status
DONE = {S.CASE, S.ACTIVITY, S.REFUSED, S.IGNORED}
PENDING_AFTER = timedelta(minutes=2)


class MalformedMessage(Exception):
    """The message cannot be processed as it is (no sender, nothing readable)."""


@dataclass
class _Outcome:
    status: str
    case: Case | None = None
    activity: CaseActivity | None = None
    refusal: RefusedRequest | None = None
    note: str = ""


def message_digest(raw: bytes) -> str:
    """The same message through the pipe (LF) and IMAP (CRLF) has one digest."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def inbound_store(*, raw: bytes, source: str, now: datetime | None = None) -> InboundEmail:
    """Keep the message before anything else is done with it. The same bytes again: the row
    already stored is returned and nothing is written."""
    now = now or timezone.now()
    digest = message_digest(raw)
    existing = InboundEmail.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    parsed = parse_message(raw)
    try:
        with transaction.atomic():
            return InboundEmail.objects.create(
                sha256=digest,
                message_id=parsed.message_id,
                source=source,
                raw=raw,
                from_address=parsed.from_address[:320],
                subject=parsed.subject[:250],
                received_at=now,
            )
    except IntegrityError:  # delivered twice at the same instant: the other one stored it
        return InboundEmail.objects.get(sha256=digest)


def inbound_process(*, inbound_id: int, now: datetime | None = None, retry: bool = False) -> InboundEmail:
    """Process a stored message once (``retry`` lets a FAILED one be tried again). Never raises."""
    now = now or timezone.now()
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            inbound = InboundEmail.objects.select_for_update().get(pk=inbound_id)
            if inbound.status in DONE or (inbound.status == S.FAILED and not retry):
                return inbound
            outcome = _handle(inbound, now)
            inbound.status = outcome.status
            inbound.case, inbound.activity, inbound.refusal = outcome.case, outcome.activity, outcome.refusal
            inbound.error = outcome.note[:2000]
            inbound.processed_at = now
            inbound.attempts += 1
            inbound.save()
            return inbound
    except OperationalError:
        # A deadlock, a lock timeout, a lost connection: not the message's fault. It stays
        # "received" and the beat job's pending pass tries it again.
        logger.warning("incoming e-mail %s: database busy, will retry", inbound_id, exc_info=True)
        return InboundEmail.objects.get(pk=inbound_id)
    except Exception as error:
        if isinstance(error, MalformedMessage):
            logger.warning("incoming e-mail %s kept but not processed: %s", inbound_id, error)
        else:
            logger.exception("incoming e-mail %s could not be processed", inbound_id)
        InboundEmail.objects.filter(pk=inbound_id).exclude(status__in=DONE).update(
            status=S.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            attempts=F("attempts") + 1,
            processed_at=now,
        )
        return InboundEmail.objects.get(pk=inbound_id)


def inbound_receive(*, raw: bytes, source: str, now: datetime | None = None) -> InboundEmail:
    """Store, then process (the MTA pipe and the IMAP job). Raises only if it cannot be stored."""
    inbound = inbound_store(raw=raw, source=source, now=now)
    return inbound_process(inbound_id=inbound.pk, now=now)


def inbound_process_pending(*, now: datetime | None = None, batch: int = 100) -> int:
    """Process messages stored but never processed (the process died right after storing)."""
    now = now or timezone.now()
    ids = list(
        InboundEmail.objects.filter(status=S.RECEIVED, received_at__lte=now - PENDING_AFTER)
        .order_by("received_at")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in ids:
        inbound_process(inbound_id=pk, now=now)
    return len(ids)


# --- What a message becomes ---------------------------------------------------------------------


def _handle(inbound: InboundEmail, now: datetime) -> _Outcome:
    parsed = parse_message(bytes(inbound.raw))
    if not parsed.from_address:
        defects = "; ".join(parsed.defects) or _("no From header")
        raise MalformedMessage(_("No valid sender address (%(defects)s).") % {"defects": defects})
    automatic = parsed.automatic
    if parsed.from_address in _own_addresses():
        automatic = f"sender {parsed.from_address} (our own address)"
    if automatic:
        return _Outcome(S.IGNORED, note=_("Automatic message, not answered: %(why)s") % {"why": automatic})
    duplicate = _earlier_copy(inbound, parsed)
    if duplicate is not None:
        return _Outcome(
            S.IGNORED,
            case=duplicate.case,
            activity=duplicate.activity,
            refusal=duplicate.refusal,
            note=_("Same message as incoming e-mail #%(id)s.") % {"id": duplicate.pk},
        )

    contacts = _designated_contacts(parsed.from_address)
    case = _referenced_case(parsed, contacts)
    if case is not None:
        contact = next(c for c in contacts if c.customer_id == case.customer_id)
        return _message_on_case(inbound, parsed, case, contact, now)
    if contacts:
        return _new_case(inbound, parsed, contacts[0], now)
    return _stranger(parsed, now)


def _own_addresses() -> set[str]:
    """Where our own mail comes from: answering it would make a loop."""
    own = {settings.SMA_SUPPORT_ADDRESS, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}
    return {address.lower() for address in own if address}


def _earlier_copy(inbound: InboundEmail, parsed: ParsedMessage) -> InboundEmail | None:
    """The same Message-ID from the same sender already handled (re-sent with other trace headers)."""
    if not parsed.message_id:
        return None
    return (
        InboundEmail.objects.filter(
            message_id=parsed.message_id, from_address=parsed.from_address, status__in=DONE
        )
        .exclude(pk=inbound.pk)
        .order_by("received_at", "pk")
        .first()
    )


def _designated_contacts(address: str) -> list[TechnicalContact]:
    """Contacts with this e-mail (any letter case) who may request support; active ones first."""
    contacts = (
        TechnicalContact.objects.filter(email__iexact=address)
        .select_related("customer")
        .order_by("-is_active", "customer__name", "pk")
    )
    return [c for c in contacts if case_services.requester_may_request(customer=c.customer, requester=c)]


def _referenced_case(parsed: ParsedMessage, contacts: list[TechnicalContact]) -> Case | None:
    """The case the message refers to, if it is a case of the sender's own company."""
    number = parsed.case_number
    if not number or not contacts:
        return None
    return Case.objects.filter(number=number, customer__in=[c.customer_id for c in contacts]).first()


def _uploads(attachments: list[ParsedAttachment]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(a.name, a.content, content_type=a.content_type) for a in attachments]


def _message_on_case(
    inbound: InboundEmail, parsed: ParsedMessage, case: Case, contact: TechnicalContact, now: datetime
) -> _Outcome:
    activity = case_services.case_add_customer_message(
        case=case,
        requester=contact,
        body=strip_quoted(parsed.text),
        attachments=_uploads(parsed.attachments),
        data={"inbound_email": inbound.pk, "message_id": parsed.message_id, "subject": parsed.subject},
        now=now,
    )
    notify_customer_message(activity=activity, now=now)
    if activity.data.get("case_closed"):
        _auto_answer(
            parsed,
            template="inbound_case_closed",
            event=CustomerEmail.Event.AUTO_REPLY,
            context={"contact": contact},
            case=case,
            now=now,
        )
    return _Outcome(S.ACTIVITY, case=case, activity=activity)


def _new_case(
    inbound: InboundEmail, parsed: ParsedMessage, contact: TechnicalContact, now: datetime
) -> _Outcome:
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
        return _refused(parsed, contact, refusal, now)
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
            now=now,
        )
    except RegistrationRefused as refused:
        return _refused(parsed, contact, refused.refusal, now)  # type: ignore[arg-type]
    registration = case.activities.get(kind=ActivityKind.REGISTRATION)
    case_services.case_thread_message(activity=registration, message_id=parsed.message_id)
    refused_files = case_services.attachments_add_accepted(
        case=case, uploads=_uploads(parsed.attachments), activity=registration, now=now
    )
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
    if notes:
        case_services.case_add_system_note(
            case=case,
            body="\n\n".join(notes),
            data={
                "inbound_email": inbound.pk,
                "attachments_refused": refused_files,
                "product_guessed": guessed,
            },
            now=now,
        )
    return _Outcome(S.CASE, case=case, activity=registration)


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
    parsed: ParsedMessage, contact: TechnicalContact, refusal: RefusedRequest, now: datetime
) -> _Outcome:
    _auto_answer(
        parsed,
        template="inbound_refused",
        event=CustomerEmail.Event.REFUSED,
        context={"contact": contact, "customer": contact.customer, "refusal_message": refusal.message},
        to_name=contact.full_name,
        now=now,
    )
    return _Outcome(S.REFUSED, refusal=refusal)


def _stranger(parsed: ParsedMessage, now: datetime) -> _Outcome:
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
    _auto_answer(
        parsed,
        template="inbound_stranger",
        event=CustomerEmail.Event.AUTO_REPLY,
        # Nothing the stranger wrote is echoed (a forged From must not make us relay their text).
        context={"sender_address": parsed.from_address, "sender_name": "", "original_subject": ""},
        now=now,
    )
    return _Outcome(S.REFUSED, refusal=refusal)


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
