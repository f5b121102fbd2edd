"""E-mail to customers: every customer-facing event of a case (registered with its number, an
engineer's e-mailed reply, a solution proposed, the closure, a reopening), PQR updates, and the
automatic answers to requests that cannot be served.

How it stays reliable without blocking a request:
* the cases app flags the activities the customer must be told of, in the transaction that writes
  them; ``customer_email_collect`` (a beat job every few seconds) turns the flagged rows into
  CustomerEmail rows — the outbox — and clears the flags, claiming rows with SKIP LOCKED;
* a CustomerEmail's ``key`` is unique (``activity:<id>``, ``pqr-step:<id>`` …), so an event is
  mailed at most once however often it is collected;
* sending runs in a Celery task queued after commit, which locks the row and skips it once sent;
  SMTP failures are retried with backoff, and rows still unsent after a while (broker down,
  worker killed) are queued again by the collector.

What an e-mail says is true of its moment: an activity keeps the case's state at the event in its
data (written by the cases app with the activity), and the e-mail is rendered from that, not from
the case as it stands when the beat job runs. Events up to the e-mail start (``outbox.is_history``:
history loaded into SMA, such as the demo's past) are not mailed.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from email.headerregistry import Address
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from cases import services as case_services
from cases.models import (
    CASE_STATE_KEY,
    ActivityKind,
    Case,
    CaseActivity,
    CaseStatus,
    CloseReason,
    SolutionKind,
)
from contracts.models import Priority

from ..models import CustomerEmail
from .outbox import due_for_retry, enqueue, is_history, send_once

logger = logging.getLogger(__name__)

BATCH = 200

EVENT_BY_KIND: dict[str, str] = {
    ActivityKind.REGISTRATION: CustomerEmail.Event.REGISTERED,
    ActivityKind.EMAIL: CustomerEmail.Event.REPLY,
    ActivityKind.SOLUTION_PROPOSED: CustomerEmail.Event.SOLUTION,
    ActivityKind.CLOSURE: CustomerEmail.Event.CLOSED,
    ActivityKind.REOPENING: CustomerEmail.Event.REOPENED,
    ActivityKind.HOUR_BANK: CustomerEmail.Event.HOUR_BANK,
}


def _domain() -> str:
    return settings.SMA_SUPPORT_ADDRESS.rpartition("@")[2] or "localhost"


def case_thread_id(case: Case) -> str:
    """The Message-ID every e-mail about a case refers to, so mail clients thread them."""
    return f"<caso-{case.number}@{_domain()}>"


def _address(name: str, address: str) -> str:
    """``Name <address>``, quoted where the name needs it (commas, quotes)."""
    try:
        return str(Address(display_name=name, addr_spec=address))
    except (ValueError, IndexError):
        return address


def _message_id(key: str) -> str:
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:16]
    return make_msgid(idstring=f"sma.{digest}", domain=_domain())


def _render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, plain text and HTML, always in the customers' language (Spanish)."""
    context = {
        "site_url": settings.SMA_SITE_URL,
        "support_address": settings.SMA_SUPPORT_ADDRESS,
        "product_name": settings.SMA_PRODUCT_NAME,
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"escalation/email/{template}_subject.txt", context)
        text = render_to_string(f"escalation/email/{template}.txt", context)
        html = render_to_string(f"escalation/email/{template}.html", context)
    return " ".join(subject.split())[:250], text.strip() + "\n", html


def customer_email_queue(
    *,
    key: str,
    event: str,
    to_email: str,
    template: str,
    context: dict[str, Any],
    to_name: str = "",
    cc: list[str] | None = None,
    case: Case | None = None,
    activity: CaseActivity | None = None,
    in_reply_to: str = "",
    event_at: datetime | None = None,
    now: datetime | None = None,
) -> CustomerEmail | None:
    """Write one e-mail to the outbox and queue its sending after commit. None when this key was
    already owed (the unique key makes the event mailed once), there is nobody to write to, or
    the event (at ``event_at``, else ``now``) is history not to be mailed."""
    now = now or timezone.now()
    if not to_email:
        logger.info("no e-mail address for %s; nothing sent", key)
        return None
    if is_history(event_at or now):
        logger.info("%s is an event from before customer e-mail started; not mailed", key)
        return None
    subject, text, html = _render(template, {"case": case, "activity": activity, **context})
    try:
        with transaction.atomic():
            email = CustomerEmail.objects.create(
                key=key,
                event=event,
                case=case,
                activity=activity,
                to_name=to_name[:200],
                to_email=to_email,
                cc=list(cc or []),
                subject=subject,
                body_text=text,
                body_html=html,
                message_id=_message_id(key),
                in_reply_to=in_reply_to,
                created_at=now,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: enqueue_customer_emails([email.pk]))
    return email


class CaseAtEvent:
    """A case as it stood at an event, for the e-mail that tells of it: the state the activity
    recorded when it was written; what never changes (number, customer, product) from the case.
    Offers what the e-mail templates read of a case."""

    def __init__(self, case: Case, state: dict[str, Any]) -> None:
        self.pk, self.number = case.pk, case.number
        self.customer, self.product, self.requester = case.customer, case.product, case.requester
        self.subject = state.get("subject", case.subject)
        self.product_version = state.get("product_version", case.product_version)
        self.status = state.get("status", "")
        self.priority = state.get("priority", "")
        due = state.get("attention_due_at")
        self.attention_due_at = parse_datetime(due) if due else None
        self.tier = state.get("tier")
        self.assigned_to_name = state.get("assigned_to", "")
        self.solution_kind = state.get("solution_kind", "")
        self.close_reason = state.get("close_reason", "")
        original = state.get("duplicate_of")
        self.duplicate_of = _CaseNumber(original) if original else None

    def get_status_display(self) -> str:
        return _label(CaseStatus, self.status)

    def get_priority_display(self) -> str:
        return _label(Priority, self.priority)

    def get_solution_kind_display(self) -> str:
        return _label(SolutionKind, self.solution_kind)

    def get_close_reason_display(self) -> str:
        return _label(CloseReason, self.close_reason)


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


class _CaseNumber:
    def __init__(self, number: str) -> None:
        self.number = number


def case_at_event(activity: CaseActivity) -> Case | CaseAtEvent:
    """The case as the e-mail about this activity must describe it. Activities written before
    the state was recorded with them fall back to the case as it stands."""
    state = activity.data.get(CASE_STATE_KEY) if isinstance(activity.data, dict) else None
    return CaseAtEvent(activity.case, state) if isinstance(state, dict) else activity.case


def _email_for_activity(activity: CaseActivity, now: datetime) -> CustomerEmail | None:
    case = activity.case
    event = EVENT_BY_KIND.get(activity.kind)
    if event is None:
        return None
    contact = case.requester
    # The company's other designated contacts copied on the case (never anyone else: the cases
    # app keeps only active designated contacts of the case's own company).
    cc = [
        _address(name, address)
        for name, address in case_services.copy_addresses(case)
        if address.lower() != (contact.email or "").lower()
    ]
    return customer_email_queue(
        key=f"activity:{activity.pk}",
        event=event,
        to_email=contact.email,
        to_name=contact.full_name,
        cc=cc,
        template=f"case_{event}",
        context={"contact": contact, "customer": case.customer, "case": case_at_event(activity)},
        case=case,
        activity=activity,
        in_reply_to=activity.data.get("in_reply_to", "") if isinstance(activity.data, dict) else "",
        event_at=activity.created_at,
        now=now,
    )


def customer_email_collect(*, now: datetime | None = None, batch: int = BATCH) -> list[int]:
    """Turn the activities flagged for the customer into outbox rows (once each), and queue again
    the e-mails that should have gone out by now. Returns the ids queued."""
    now = now or timezone.now()
    created: list[int] = []
    with transaction.atomic():
        flagged = list(
            CaseActivity.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(customer_notice_due=True)
            .select_related("case__customer", "case__requester", "case__plan", "case__product", "author")
            .order_by("id")[:batch]
        )
        for activity in flagged:
            try:
                with transaction.atomic():
                    email = _email_for_activity(activity, now)
            except Exception:
                # One event that cannot be written (a template error, bad data) must not hold up
                # every other customer's mail: it is logged and its flag cleared with the rest.
                logger.exception("customer e-mail for activity %s could not be written", activity.pk)
                continue
            if email is not None:
                created.append(email.pk)
        if flagged:
            CaseActivity.objects.filter(pk__in=[a.pk for a in flagged]).update(customer_notice_due=False)
        requeued = due_for_retry(CustomerEmail.objects.all(), now=now, batch=batch)
    if requeued:
        transaction.on_commit(lambda: enqueue_customer_emails(requeued))
    return created + requeued


def enqueue_customer_emails(ids: list[int]) -> None:
    from ..tasks import send_customer_email

    enqueue(send_customer_email, ids)


def _send(email: CustomerEmail) -> str:
    headers = {"Message-ID": email.message_id}
    if email.case is not None:
        thread = case_thread_id(email.case)
        parent = email.in_reply_to or thread
        headers["In-Reply-To"] = parent
        headers["References"] = thread if parent == thread else f"{thread} {parent}"
    if email.event in (CustomerEmail.Event.AUTO_REPLY, CustomerEmail.Event.REFUSED):
        headers["Auto-Submitted"] = "auto-replied"
    elif email.event != CustomerEmail.Event.REPLY:
        headers["Auto-Submitted"] = "auto-generated"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_address(email.to_name, email.to_email)],
        cc=list(email.cc or []),
        reply_to=[settings.SMA_SUPPORT_ADDRESS],
        headers=headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    message.send()
    return ""


def customer_email_send(*, email_id: int, now: datetime | None = None) -> CustomerEmail | None:
    """Send one outbox e-mail unless it already went out. Raises on SMTP failure (the task
    retries); the failure is kept on the row for the admin."""
    return send_once(CustomerEmail, email_id, send=_send, now=now)
