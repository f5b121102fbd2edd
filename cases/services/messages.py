"""Messages from the customer that arrive outside the desk (e-mail to the support address): a
message added to a case, the system's own internal notes about it, attachments that are kept one
by one, the record of a request that could not be served, and the events other rooms put on a
case's timeline (warranty: RMA steps, software updates)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Customer, TechnicalContact

from ..errors import CaseError
from ..models import ActivityKind, Case, CaseActivity, CaseStatus, RefusedRequest
from .attachments import attachment_add
from .common import add_activity, lock_case
from .lifecycle import _set_status
from .registration import _refuse


def attachments_add_accepted(
    *,
    case: Case,
    uploads: Sequence[UploadedFile],
    activity: CaseActivity | None,
    actor: User | None = None,
    is_public: bool = True,
    now: datetime | None = None,
    damaged: Sequence[bool] = (),
) -> list[dict[str, str]]:
    """Keep every attachment the rules accept; return the refused ones (name and reason) instead
    of failing the whole message for one bad file. ``damaged[i]`` flags ``uploads[i]`` as a file
    that arrived incomplete (kept as received)."""
    now = now or timezone.now()
    refused: list[dict[str, str]] = []
    for index, upload in enumerate(uploads):
        try:
            with transaction.atomic():
                attachment_add(
                    case=case,
                    actor=actor,
                    upload=upload,
                    activity=activity,
                    is_public=is_public,
                    now=now,
                    damaged=index < len(damaged) and damaged[index],
                )
        except CaseError as error:
            refused.append({"name": str(upload.name or ""), "reason": " ".join(error.messages)})
    return refused


def attachments_refused_note(refused: list[dict[str, str]]) -> str:
    """The note listing the attachments that were not kept, and why."""
    lines = [_("Attachments not kept:")] + [f"- {item['reason']}" for item in refused]
    return "\n".join(lines)


@transaction.atomic
def case_add_customer_message(
    *,
    case: Case,
    requester: TechnicalContact,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    damaged: Sequence[bool] = (),
    data: dict[str, Any] | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> CaseActivity:
    """Put a message from the customer on the case's timeline (public; by e-mail without an author,
    from the portal by the contact's own account), with its attachments. A case waiting on the
    customer goes back to in progress. A closed case is not reopened: the message is recorded and
    the engineers are told the customer may ask to reopen."""
    now = now or timezone.now()
    case = lock_case(case)
    closed = not case.is_open
    activity = add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.CUSTOMER_MESSAGE,
        now=now,
        body=body.strip() or _("(message without text)"),
        is_public=True,
        data={
            **(data or {}),
            "requester": requester.pk,
            "from": requester.email,
            "case_closed": closed,
        },
    )
    refused = attachments_add_accepted(
        case=case, uploads=attachments, activity=activity, actor=actor, now=now, damaged=damaged
    )
    if refused:
        activity.body = f"{activity.body}\n\n{attachments_refused_note(refused)}"
        activity.data["attachments_refused"] = refused
        activity.save(update_fields=["body", "data"])
    if closed:
        add_activity(
            case=case,
            actor=None,
            kind=ActivityKind.INTERNAL_NOTE,
            now=now,
            body=_(
                "The customer wrote on this closed case. It was not reopened: the customer may ask "
                "to reopen it, or open a new case, while the conditions hold."
            ),
            data={"customer_message": activity.pk},
        )
    elif case.status == CaseStatus.WAITING_CUSTOMER:
        _set_status(case, None, CaseStatus.IN_PROGRESS, now, _("The customer answered."))
    case.save()
    return activity


def case_add_system_note(
    *, case: Case, body: str, data: dict[str, Any] | None = None, now: datetime | None = None
) -> CaseActivity:
    """An internal note written by SMA itself (no author), e.g. "confirm the product"."""
    return add_activity(
        case=case,
        actor=None,
        kind=ActivityKind.INTERNAL_NOTE,
        now=now or timezone.now(),
        body=body,
        data=data,
    )


WARRANTY_ACTIVITY_KINDS = (ActivityKind.RMA, ActivityKind.SOFTWARE_UPDATE)


def case_record_warranty_event(
    *,
    case: Case,
    actor: User | None,
    kind: str,
    body: str,
    data: dict,
    is_public: bool = True,
    now: datetime | None = None,
) -> CaseActivity:
    """Put a warranty event (an RMA step, a software update applied) on the case's timeline. The
    warranty app tells the customer by e-mail itself."""
    if kind not in WARRANTY_ACTIVITY_KINDS:
        raise ValueError(f"not a warranty activity: {kind}")
    return add_activity(
        case=case,
        actor=actor,
        kind=kind,
        now=now or timezone.now(),
        body=body,
        data=data,
        is_public=is_public,
    )


def case_thread_message(*, activity: CaseActivity, message_id: str, sent_at: datetime | None = None) -> None:
    """Make the customer e-mail about this activity answer the customer's own message, so the
    mail client threads it (read by the outbox as ``data["in_reply_to"]``), and record when the
    customer sent it (their ``Date``; the case still counts from its reception)."""
    extra: dict[str, str] = {}
    if message_id:
        extra["in_reply_to"] = message_id[:998]
    if sent_at is not None:
        extra["sent_at"] = sent_at.isoformat()
    if extra:
        activity.data = {**(activity.data or {}), **extra}
        activity.save(update_fields=["data"])


def refused_request_record(
    *,
    reason: str,
    message: str,
    channel: str,
    subject: str = "",
    requester_text: str = "",
    customer: Customer | None = None,
    requester: TechnicalContact | None = None,
    now: datetime | None = None,
) -> RefusedRequest:
    """Record a request refused before it could reach registration (e.g. an unknown sender)."""
    if reason not in RefusedRequest.Reason.values:
        raise CaseError(_("Unknown refusal reason."), code="bad_reason")
    error = _refuse(
        reason=reason,
        message=message,
        actor=None,
        customer=customer,
        requester=requester,
        channel=channel,
        subject=subject,
        now=now or timezone.now(),
        requester_text=requester_text[:200],
    )
    return error.refusal  # type: ignore[return-value]
