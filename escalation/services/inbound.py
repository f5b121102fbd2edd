"""E-mail from customers to the support address: stored first, processed second.

* ``inbound_store`` keeps the raw message (its own committed transaction; the SHA-256 of the bytes
  is unique, so a re-delivery returns the row already stored and does nothing else), with the
  sender's Date and the parser's defects;
* ``inbound_process`` turns a stored message into a new case (status new, channel e-mail, no
  priority yet), a message on the case it answers (its number, or a Message-ID SMA sent about
  it), a refusal answered politely, or nothing at all for automatic mail. A message that names
  the support address in neither To nor Cc (a Bcc or a list copy) is held for review, or handled
  without automatic answers (``SMA_INBOUND_UNADDRESSED``). Copies of one message (the same
  Message-ID from the same sender, e.g. To and Cc an alias) are handled once, even at the same
  instant. Any error marks the row FAILED and is logged — it never escapes, so the IMAP job and
  the MTA pipe carry on; the admin can process it again;
* ``inbound_release`` and ``inbound_dismiss``: staff decide what becomes of a held message.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..mailparse import ParsedMessage, parse_message
from ..models import InboundEmail
from .inbound_outcomes import (
    Outcome,
    auto_answer_key,
    designated_contacts,
    message_on_case,
    new_case,
    referenced_case,
    stranger,
)

__all__ = [
    "MalformedMessage",
    "auto_answer_key",
    "inbound_dismiss",
    "inbound_process",
    "inbound_process_pending",
    "inbound_receive",
    "inbound_release",
    "inbound_store",
]

logger = logging.getLogger(__name__)

S = InboundEmail.Status
DONE = {S.CASE, S.ACTIVITY, S.REFUSED, S.IGNORED}
PENDING_AFTER = timedelta(minutes=2)
HOLD, REGISTER = "hold", "register"


class MalformedMessage(Exception):
    """The message cannot be processed as it is (no sender, nothing readable)."""


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
                sent_at=parsed.sent_at,
                defects=parsed.defects,
                received_at=now,
            )
    except IntegrityError:  # delivered twice at the same instant: the other one stored it
        return InboundEmail.objects.get(sha256=digest)


def inbound_process(
    *,
    inbound_id: int,
    now: datetime | None = None,
    retry: bool = False,
    reviewed_by: User | None = None,
) -> InboundEmail:
    """Process a stored message once (``retry`` lets a FAILED one be tried again; a HELD one is
    processed only when staff reviewed it: ``reviewed_by``). Never raises."""
    now = now or timezone.now()
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            inbound = InboundEmail.objects.select_for_update().get(pk=inbound_id)
            if (
                inbound.status in DONE
                or (inbound.status == S.FAILED and not retry)
                or (inbound.status == S.HELD and reviewed_by is None)
            ):
                return inbound
            parsed = parse_message(bytes(inbound.raw))
            inbound.sent_at, inbound.defects = parsed.sent_at, parsed.defects
            if reviewed_by is not None:
                inbound.reviewed_by, inbound.reviewed_at = reviewed_by, now
            outcome = _handle(inbound, parsed, now, reviewed=reviewed_by is not None)
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


def inbound_release(*, inbound_id: int, actor: User, now: datetime | None = None) -> InboundEmail:
    """Staff looked at a held message and want it handled: it is processed as if it had named the
    support address (a case, a message on its case, or a refusal answered). Other statuses: no-op."""
    return inbound_process(inbound_id=inbound_id, now=now, reviewed_by=actor)


@transaction.atomic
def inbound_dismiss(*, inbound_id: int, actor: User, now: datetime | None = None) -> InboundEmail:
    """Staff looked at a held message and it is not a request: kept, marked ignored, nobody
    answered; who decided and when stay on the row. Other statuses: no-op."""
    now = now or timezone.now()
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound_id)
    if inbound.status != S.HELD:
        return inbound
    inbound.status = S.IGNORED
    inbound.error = _("Dismissed after review by %(user)s.") % {"user": actor.get_username()}
    inbound.reviewed_by, inbound.reviewed_at, inbound.processed_at = actor, now, now
    inbound.save()
    return inbound


# --- What a message becomes ---------------------------------------------------------------------


def _handle(inbound: InboundEmail, parsed: ParsedMessage, now: datetime, *, reviewed: bool) -> Outcome:
    if not parsed.from_address:
        defects = "; ".join(parsed.defects) or _("no From header")
        raise MalformedMessage(_("No valid sender address (%(defects)s).") % {"defects": defects})
    automatic = parsed.automatic
    if parsed.from_address in _own_addresses():
        automatic = f"sender {parsed.from_address} (our own address)"
    if automatic:
        return Outcome(S.IGNORED, note=_("Automatic message, not answered: %(why)s") % {"why": automatic})
    _lock_copies(parsed)
    duplicate = _earlier_copy(inbound, parsed)
    if duplicate is not None:
        return Outcome(
            S.IGNORED,
            case=duplicate.case,
            activity=duplicate.activity,
            refusal=duplicate.refusal,
            note=_("Same message as incoming e-mail #%(id)s.") % {"id": duplicate.pk},
        )
    answer = reviewed or addressed_to_support(parsed.recipients)
    if not answer and settings.SMA_INBOUND_UNADDRESSED != REGISTER:
        return Outcome(
            S.HELD,
            note=_("The support address is in neither To nor Cc (Bcc or a list): held for review."),
        )
    contacts = designated_contacts(parsed.from_address)
    case = referenced_case(parsed, contacts)
    if case is not None:
        contact = next(c for c in contacts if c.customer_id == case.customer_id)
        return message_on_case(inbound, parsed, case, contact, now, answer=answer)
    if contacts:
        return new_case(inbound, parsed, contacts[0], now, answer=answer)
    return stranger(parsed, now, answer=answer)


def _own_addresses() -> set[str]:
    """The support address, its aliases and where our own mail comes from (a message from one of
    them is never answered: that would make a loop)."""
    own = {
        settings.SMA_SUPPORT_ADDRESS,
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        *settings.SMA_SUPPORT_ALIASES,
    }
    return {address.lower() for address in own if address}


def _without_tag(address: str) -> str:
    local, _at, domain = address.lower().partition("@")
    return f"{local.partition('+')[0]}@{domain}"


def addressed_to_support(recipients: list[str]) -> bool:
    """Whether To or Cc names the support address or one of its aliases (``+tags`` ignored)."""
    ours = {_without_tag(a) for a in _own_addresses()}
    return any(_without_tag(address) in ours for address in recipients)


def _lock_copies(parsed: ParsedMessage) -> None:
    """Copies of one message (same Message-ID and sender, different bytes: To and Cc an alias)
    processed at the same instant wait for each other here, so the second sees the first one's
    result; held until the transaction ends. PostgreSQL only (SQLite runs one writer at a time)."""
    if not parsed.message_id or connection.vendor != "postgresql":
        return
    key = f"inbound:{parsed.message_id}\n{parsed.from_address}".encode()
    lock_id = int.from_bytes(hashlib.sha256(key).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def _earlier_copy(inbound: InboundEmail, parsed: ParsedMessage) -> InboundEmail | None:
    """The same Message-ID from the same sender already handled (re-sent with other trace headers,
    or a second copy through an alias)."""
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
