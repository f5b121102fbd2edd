"""The deadline watch: warnings before the attention deadline and escalations along the matrix
after it, each notification exactly once per (case, rule), recorded on the case and in the log.

How "exactly once" holds:
* the sweep claims due cases with SELECT … FOR UPDATE SKIP LOCKED, so overlapping sweeps never
  work the same case at once, and moves each case's ``warn_at`` past what it handled;
* Notification has a unique (case, rule) constraint, so even a replayed sweep cannot owe twice;
* sending happens after commit, in a task that locks the notification and skips it once sent;
  notifications still unsent after a while (broker down, worker killed) are queued again by the
  sweep: the Notification table is the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Case, CaseActivity, CaseStatus
from contracts import sla

from ..models import AppliedSlaRevision, EscalationContact, EscalationRule, Notification
from .outbox import due_for_retry, enqueue, send_once

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass
class SweepResult:
    cases: int = 0
    created: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)
    recomputed: int = 0


def _kind(share: int) -> str:
    if share < 100:
        return Notification.Kind.WARNING
    if share == 100:
        return Notification.Kind.BREACH
    return Notification.Kind.ESCALATION


def _matrix_people() -> dict[int, list[dict[str, str]]]:
    """The active contacts of every matrix level, by level number (one query per sweep)."""
    people: dict[int, list[dict[str, str]]] = {}
    for contact in EscalationContact.objects.filter(is_active=True).select_related("level"):
        people.setdefault(contact.level.number, []).append(
            {"name": contact.name, "email": contact.email, "extension": contact.phone_extension}
        )
    return people


def _person(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A staff user as a notification recipient."""
    return {"name": user.get_full_name() or user.get_username(), "email": user.email, "extension": ""}


def _assignee_or_support_area(case: Case, matrix: dict[int, list[dict[str, str]]]) -> list[dict[str, str]]:
    """The engineer following the case; nobody does: the support area (N1 of the matrix)."""
    if case.assigned_to is not None:
        return [_person(case.assigned_to)]
    return [dict(p) for p in matrix.get(1, [])]


def _recipients(
    case: Case, rule: EscalationRule, matrix: dict[int, list[dict[str, str]]]
) -> tuple[list[dict[str, str]], object]:
    if rule.target == EscalationRule.Target.ASSIGNEE:
        return _assignee_or_support_area(case, matrix), None
    return [dict(p) for p in matrix.get(rule.level.number, [])], rule.level


def _message(case: Case, rule: EscalationRule, instant: datetime) -> tuple[str, str]:
    due = timezone.localtime(case.attention_due_at)
    if rule.share_percent < 100:
        subject = _("Case %(number)s: attention time about to expire") % {"number": case.number}
    else:
        subject = _("Case %(number)s: attention time expired (%(share)d %%)") % {
            "number": case.number,
            "share": rule.share_percent,
        }
    body = _(
        "Case %(number)s of %(customer)s (%(priority)s, %(plan)s) has no first response. "
        "%(share)d %% of its attention time was used at %(at)s; the deadline is %(due)s. "
        "Rule: %(rule)s."
    ) % {
        "number": case.number,
        "customer": case.customer.name,
        "priority": case.priority,
        "plan": case.plan.name,
        "share": rule.share_percent,
        "at": timezone.localtime(instant).strftime("%d/%m/%Y %H:%M"),
        "due": due.strftime("%d/%m/%Y %H:%M"),
        "rule": rule.name,
    }
    return subject, body


def _watched(case: Case) -> bool:
    return (
        case.status != CaseStatus.CLOSED
        and case.first_response_at is None
        and bool(case.priority)
        and case.attention_due_at is not None
    )


def deadlines_follow_sla_edits(*, now: datetime | None = None) -> int:
    """When an admin edited the attention table, a calendar or a holiday since the last sweep,
    recompute every open case's deadline (once: the revision row is locked while it happens)."""
    now = now or timezone.now()
    current = sla.revision()
    with transaction.atomic():
        applied, created = AppliedSlaRevision.objects.select_for_update().get_or_create(
            key="default", defaults={"revision": current, "applied_at": now}
        )
        if created or applied.revision == current:
            return 0
        moved = case_services.cases_recompute_deadlines(now=now)
        applied.revision, applied.applied_at = current, now
        applied.save(update_fields=["revision", "applied_at"])
    logger.info("SLA tables changed: %d open cases got a new deadline", moved)
    return moved


def deadline_sweep(*, now: datetime | None = None, batch: int = BATCH) -> SweepResult:
    """Fire the rules whose instant has come for every due case; set each case's next warn_at."""
    now = now or timezone.now()
    result = SweepResult()
    result.recomputed = deadlines_follow_sla_edits(now=now)
    rules = list(
        EscalationRule.objects.filter(is_active=True).select_related("level").order_by("share_percent")
    )
    snap = sla.snapshot()
    matrix = _matrix_people()
    with transaction.atomic():
        due = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("plan", "customer", "assigned_to")
            .filter(warn_at__lte=now)
            .order_by("warn_at")[:batch]
        )
        fired = set(
            Notification.objects.filter(case__in=due, rule__isnull=False).values_list("case_id", "rule_id")
        )
        for case in due:
            result.cases += 1
            next_at = None
            on_call = _call_on_duty(case=case, snap=snap, now=now)
            if on_call is not None:
                result.created.append(on_call.pk)
            if _watched(case):
                for rule in rules:
                    if (case.pk, rule.pk) in fired:
                        continue
                    instant = snap.deadline_at_share(
                        case.registered_at, case.plan.code, case.priority, rule.share_percent / 100
                    )
                    if instant > now:
                        next_at = instant if next_at is None else min(next_at, instant)
                        continue
                    notification = _notify(case=case, rule=rule, instant=instant, now=now, matrix=matrix)
                    if notification is not None:
                        result.created.append(notification.pk)
            Case.objects.filter(pk=case.pk).update(warn_at=next_at)
        result.requeued = due_for_retry(Notification.objects.all(), now=now, batch=batch)
    ids = result.created + result.requeued
    if ids:
        transaction.on_commit(lambda: enqueue_notifications(ids))
    return result


def _notify(
    *,
    case: Case,
    rule: EscalationRule,
    instant: datetime,
    now: datetime,
    matrix: dict[int, list[dict[str, str]]],
) -> Notification | None:
    recipients, level = _recipients(case, rule, matrix)
    subject, body = _message(case, rule, instant)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                case=case,
                rule=rule,
                kind=_kind(rule.share_percent),
                level=level,
                recipients=recipients,
                subject=subject,
                body=body,
                due_at=instant,
                created_at=now,
            )
    except IntegrityError:
        return None  # already owed: the unique (case, rule) constraint keeps it to one
    names = ", ".join(r["name"] for r in recipients) or _("nobody (no contact configured)")
    case_services.case_record_notification(
        case=case,
        body=_("%(subject)s — notified: %(names)s.") % {"subject": subject, "names": names},
        data={"notification": notification.pk, "rule": rule.pk, "share": rule.share_percent},
        now=now,
    )
    return notification


ON_CALL_PRIORITIES = ("P1", "P2")


def _call_on_duty(*, case: Case, snap: sla.SlaSnapshot, now: datetime) -> Notification | None:
    """A 24x7 customer's P1/P2 registered outside office hours: call the engineer on duty, once."""
    from ..selectors import hours_at, on_duty

    if case.priority not in ON_CALL_PRIORITIES or case.first_response_at is not None or not case.is_open:
        return None
    if case.plan.code not in snap.plan_calendars:
        return None
    registered = case.registered_at
    hours = hours_at(instant=registered, plan=case.plan, snap=snap)
    if not hours.office_known or not hours.after_hours:
        return None
    if Notification.objects.filter(case=case, kind=Notification.Kind.ON_CALL).exists():
        return None
    shift = on_duty(at=now)
    if shift is None:
        people = [
            {"name": c.name, "email": c.email, "extension": c.phone_extension}
            for c in EscalationContact.objects.filter(level__number=2, is_active=True)
        ]
        who = _("nobody is on duty; the support lead is notified instead")
    else:
        engineer = shift.engineer
        people = [{**_person(engineer), "phone": str(shift.phone) if shift.phone else ""}]
        who = people[0]["name"]
    subject = _("Case %(number)s: %(priority)s outside office hours for %(customer)s") % {
        "number": case.number,
        "priority": case.priority,
        "customer": case.customer.name,
    }
    body = _(
        "%(customer)s (%(plan)s) registered case %(number)s, %(priority)s, at %(at)s, outside office "
        "hours: %(subject)s. Call the customer back before %(due)s."
    ) % {
        "customer": case.customer.name,
        "plan": case.plan.name,
        "number": case.number,
        "priority": case.priority,
        "at": timezone.localtime(registered).strftime("%d/%m/%Y %H:%M"),
        "subject": case.subject,
        "due": timezone.localtime(case.attention_due_at).strftime("%d/%m/%Y %H:%M"),
    }
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                case=case,
                rule=None,
                kind=Notification.Kind.ON_CALL,
                recipients=people,
                subject=subject,
                body=body,
                due_at=registered,
                created_at=now,
            )
    except IntegrityError:
        return None
    case_services.case_record_notification(
        case=case,
        body=_("On-duty engineer called: %(who)s.") % {"who": who},
        data={"notification": notification.pk, "on_call": True},
        now=now,
    )
    return notification


def enqueue_notifications(ids: list[int]) -> None:
    from ..tasks import send_notification

    enqueue(send_notification, ids)


def notification_send(*, notification_id: int, now: datetime | None = None) -> Notification | None:
    """Send one notification unless it already went out. Raises on SMTP failure (the task retries)."""

    def send(notification: Notification) -> str:
        emails = sorted({r["email"] for r in notification.recipients if r.get("email")})
        if not emails:
            return _("No e-mail address configured for the recipients.")
        send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, emails)
        return ""

    return send_once(Notification, notification_id, send=send, now=now)


def notify_customer_message(*, activity: CaseActivity, now: datetime | None = None) -> Notification | None:
    """A customer wrote on a case (e-mail now, the portal later): tell the assigned engineer, or
    the support area when nobody follows the case — once per message (one notification per
    activity). On a closed case the engineer is told the customer may be asking to reopen it."""
    now = now or timezone.now()
    case = Case.objects.select_related("customer", "assigned_to").get(pk=activity.case_id)
    people = _assignee_or_support_area(case, _matrix_people())
    values = {"number": case.number, "customer": case.customer.name, "subject": case.subject}
    if case.is_open:
        subject = _("Case %(number)s: %(customer)s wrote") % values
        body = _("%(customer)s wrote on case %(number)s (%(subject)s):") % values
    else:
        subject = _("Case %(number)s (closed): %(customer)s wrote") % values
        body = (
            _(
                "%(customer)s wrote on closed case %(number)s (%(subject)s); they may be asking to reopen "
                "it. Their message:"
            )
            % values
        )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                case=case,
                kind=Notification.Kind.CUSTOMER_MESSAGE,
                activity=activity,
                recipients=people,
                subject=subject[:200],
                body=f"{body}\n\n{activity.body}",
                due_at=activity.created_at,
                created_at=now,
            )
    except IntegrityError:
        return None  # already told
    names = ", ".join(p["name"] for p in people) or _("nobody (no contact configured)")
    case_services.case_record_notification(
        case=case,
        body=_("%(subject)s — notified: %(names)s.") % {"subject": subject, "names": names},
        data={"notification": notification.pk, "customer_message": activity.pk},
        now=now,
    )
    transaction.on_commit(lambda: enqueue_notifications([notification.pk]))
    return notification
