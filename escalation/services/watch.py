"""The deadline watch: warnings before the attention deadline and escalations along the matrix
after it, each notification exactly once per (case, rule, deadline), recorded on the case and in
the log. When each rule fires is ``watch_timing``'s business; whom it reaches is decided here.

How "exactly once" holds:
* the sweep claims due cases with SELECT … FOR UPDATE SKIP LOCKED, so overlapping sweeps never
  work the same case at once, and moves each case's ``warn_at`` past what it handled;
* Notification has a unique (case, rule, deadline) constraint, so even a replayed sweep cannot owe
  twice;
* sending happens after commit, in a task that locks the notification and skips it once sent;
  notifications still unsent after a while (broker down, worker killed) are queued again by the
  sweep: the Notification table is the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Case, CaseStatus
from contracts import sla

from ..models import EscalationLevel, EscalationRule, Notification
from .inbox import inbox_deliver
from .outbox import due_for_retry, enqueue, is_history, send_once
from .reach import Audience, matrix_people, staff_person
from .watch_store import set_warn_at, write_once
from .watch_timing import Firing, Sent, deadlines_follow_sla_edits, rules_owed, watch_follows_rule_edits

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass
class SweepResult:
    cases: int = 0
    created: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)
    recomputed: int = 0  # unanswered cases whose deadline an SLA edit moved
    rearmed: int = 0  # unanswered cases looked at again after a rule edit


def _kind(share: int) -> str:
    if share < 100:
        return Notification.Kind.WARNING
    if share == 100:
        return Notification.Kind.BREACH
    return Notification.Kind.ESCALATION


_matrix_people = matrix_people  # the active contacts of every level, by number (one query per sweep)
_person = staff_person  # a staff user as a recipient


def _assignee_or_support_area(case: Case, matrix: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The engineer following the case; nobody does: the support area (N1 of the matrix)."""
    if case.assigned_to is not None:
        return [_person(case.assigned_to)]
    return [dict(p) for p in matrix.get(1, [])]


def _recipients(
    case: Case, rule: EscalationRule, matrix: dict[int, list[dict[str, Any]]]
) -> tuple[list[dict[str, Any]], EscalationLevel | None]:
    if rule.target == EscalationRule.Target.ASSIGNEE or rule.level is None:
        return _assignee_or_support_area(case, matrix), None
    return [dict(p) for p in matrix.get(rule.level.number, [])], rule.level


@dataclass(frozen=True)
class _Texts:
    """The sweep's message templates and time zone, looked up once per sweep (not per rule)."""

    warning: str
    expired: str
    body: str
    tz: tzinfo

    @classmethod
    def current(cls) -> _Texts:
        return cls(
            warning=_("Case %(number)s: attention time about to expire"),
            expired=_("Case %(number)s: attention time expired (%(share)d %%)"),
            body=_(
                "Case %(number)s of %(customer)s (%(priority)s, %(plan)s) has no first response. "
                "%(share)d %% of its attention time was used at %(at)s; the deadline is %(due)s. "
                "Rule: %(rule)s."
            ),
            tz=timezone.get_current_timezone(),
        )


def _message(case: Case, rule: EscalationRule, instant: datetime, texts: _Texts) -> tuple[str, str]:
    if case.attention_due_at is None:
        raise ValueError(f"case {case.number} has no attention deadline to warn about")
    due = case.attention_due_at.astimezone(texts.tz)
    if rule.share_percent < 100:
        subject = texts.warning % {"number": case.number}
    else:
        subject = texts.expired % {"number": case.number, "share": rule.share_percent}
    body = texts.body % {
        "number": case.number,
        "customer": case.customer.name,
        "priority": case.priority,
        "plan": case.plan.name,
        "share": rule.share_percent,
        "at": instant.astimezone(texts.tz).strftime("%d/%m/%Y %H:%M"),
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


@dataclass
class _Owed:
    """A notification the sweep is about to write, with the line it leaves on the case."""

    notification: Notification
    note: str
    data: dict[str, object]


def deadline_sweep(*, now: datetime | None = None, batch: int = BATCH) -> SweepResult:
    """Fire the rules whose instant has come for every due case; set each case's next warn_at.

    The work is set-based: a fixed number of queries whatever the number of due cases (claim,
    what was already sent, one INSERT of notifications, one of timeline entries, one UPDATE of
    ``warn_at``)."""
    now = now or timezone.now()
    result = SweepResult()
    result.recomputed = deadlines_follow_sla_edits(now=now)
    rules = list(
        EscalationRule.objects.filter(is_active=True).select_related("level").order_by("share_percent")
    )
    result.rearmed = watch_follows_rule_edits(rules=rules, now=now)
    snap = sla.snapshot()
    matrix = _matrix_people()
    texts = _Texts.current()
    with transaction.atomic():
        due = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("plan", "customer", "assigned_to")
            .filter(warn_at__lte=now)
            .order_by("warn_at")[:batch]
        )
        sent = Sent(due)
        duty = _Duty(now=now, matrix=matrix)
        audience = Audience()
        owed: list[_Owed] = []
        for case in due:
            result.cases += 1
            if case.pk not in sent.called:
                on_call = _on_call_owed(case=case, snap=snap, now=now, duty=duty, audience=audience)
                if on_call is not None:
                    owed.append(on_call)
            next_at = None
            if _watched(case):
                firings = rules_owed(case=case, rules=rules, sent=sent, snap=snap, now=now)
                owed.extend(
                    _rule_owed(
                        case=case,
                        firing=firing,
                        passed_over=firings.passed_over,
                        now=now,
                        matrix=matrix,
                        texts=texts,
                        audience=audience,
                    )
                    for firing in firings.firings
                )
                next_at = firings.next_at
            case.warn_at = next_at
        written = write_once(owed, lambda o: o.notification)
        case_services.cases_record_notifications(
            entries=[(o.notification.case, o.note, _timeline_data(o)) for o in written],
            now=now,
        )
        inbox_deliver(notifications=[o.notification for o in written], audience=audience, now=now)
        result.created = [o.notification.pk for o in written]
        set_warn_at(due)
        result.requeued = due_for_retry(
            Notification.objects.filter(reached_nobody=False), now=now, batch=batch
        )
    ids = [o.notification.pk for o in written if not o.notification.reached_nobody] + result.requeued
    if ids:
        transaction.on_commit(lambda: enqueue_notifications(ids))
    return result


def _timeline_data(owed: _Owed) -> dict[str, object]:
    data: dict[str, object] = {"notification": owed.notification.pk, **owed.data}
    if owed.notification.reached_nobody:
        data["reached_nobody"] = True
    return data


def _rule_owed(
    *,
    case: Case,
    firing: Firing,
    passed_over: list[int],
    now: datetime,
    matrix: dict[int, list[dict[str, Any]]],
    texts: _Texts,
    audience: Audience,
) -> _Owed:
    rule, instant = firing.rule, firing.instant
    recipients, level = _recipients(case, rule, matrix)
    subject, body = _message(case, rule, instant, texts)
    data: dict[str, object] = {"rule": rule.pk, "share": rule.share_percent}
    if passed_over:
        data["passed_over"] = passed_over  # lower thresholds a change put in the past with this one
    notification = Notification(
        case=case,
        rule=rule,
        kind=_kind(rule.share_percent),
        level=level,
        recipients=recipients,
        subject=subject,
        body=body,
        due_at=instant,
        deadline=case.attention_due_at,
        created_at=now,
    )
    note = audience.prepare(notification, subject=subject)
    return _Owed(notification, note, data)


ON_CALL_PRIORITIES = ("P1", "P2")


class _Duty:
    """Who answers the phone at ``now`` (looked up once per sweep, only when a case needs it)."""

    def __init__(self, *, now: datetime, matrix: dict[int, list[dict[str, Any]]]) -> None:
        self.now, self.matrix = now, matrix
        self._people: tuple[list[dict[str, Any]], str] | None = None
        self.nobody_on_duty = False

    def people(self) -> tuple[list[dict[str, Any]], str]:
        from ..selectors import on_duty

        if self._people is None:
            shift = on_duty(at=self.now)
            self.nobody_on_duty = shift is None
            if shift is None:
                people = [dict(p) for p in self.matrix.get(2, [])]
                self._people = (people, _("nobody is on duty; the support lead is notified instead"))
            else:
                person = {**_person(shift.engineer), "phone": str(shift.phone) if shift.phone else ""}
                self._people = ([person], person["name"])
        people, who = self._people
        return [dict(p) for p in people], who


def _on_call_owed(
    *, case: Case, snap: sla.SlaSnapshot, now: datetime, duty: _Duty, audience: Audience
) -> _Owed | None:
    """A 24x7 customer's P1/P2 registered outside office hours: call the engineer on duty, once."""
    from ..selectors import hours_at

    if case.priority not in ON_CALL_PRIORITIES or case.first_response_at is not None or not case.is_open:
        return None
    if case.plan.code not in snap.plan_calendars:
        return None
    registered = case.registered_at
    hours = hours_at(instant=registered, plan=case.plan, snap=snap)
    if not hours.office_known or not hours.after_hours:
        return None
    people, who = duty.people()
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
    notification = Notification(
        case=case,
        rule=None,
        kind=Notification.Kind.ON_CALL,
        recipients=people,
        subject=subject,
        body=body,
        due_at=registered,
        created_at=now,
    )
    audience.prepare(notification, subject=subject)
    note = _("On-duty engineer called: %(who)s.") % {"who": who}
    if notification.reached_nobody and duty.nobody_on_duty:
        note = _(
            "Nobody is on duty and the support lead cannot be reached (no e-mail, no SMA account): the "
            "call reached nobody."
        )
    elif notification.reached_nobody:
        note = _(
            "The engineer on duty, %(who)s, cannot be reached (no e-mail, no SMA account): the call "
            "reached nobody."
        ) % {"who": who}
    return _Owed(notification, note, {"on_call": True})


def enqueue_notifications(ids: list[int]) -> None:
    from ..tasks import send_notification

    enqueue(send_notification, ids)


def notification_send(*, notification_id: int, now: datetime | None = None) -> Notification | None:
    """Send one notification unless it already went out. Raises on SMTP failure (the task retries)."""

    def send(notification: Notification) -> str:
        if notification.reached_nobody:
            return _("Not sent: none of the recipients has an e-mail or an SMA account.")
        if is_history(notification.due_at):
            return _("Not e-mailed: the event is from before e-mail started (history loaded into SMA).")
        emails = sorted({r["email"] for r in notification.recipients if r.get("email")})
        if not emails:
            return _("Not e-mailed (no recipient has an e-mail address); delivered in SMA.")
        send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, emails)
        return ""

    return send_once(Notification, notification_id, send=send, now=now)
