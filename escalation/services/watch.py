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

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Case, CaseStatus
from contracts import sla

from ..models import EscalationContact, EscalationLevel, EscalationRule, Notification
from .outbox import due_for_retry, enqueue, is_history, send_once
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


def _matrix_people() -> dict[int, list[dict[str, str]]]:
    """The active contacts of every matrix level, by level number (one query per sweep)."""
    people: dict[int, list[dict[str, str]]] = {}
    for contact in EscalationContact.objects.filter(is_active=True).select_related("level"):
        people.setdefault(contact.level.number, []).append(
            {"name": contact.name, "email": contact.email, "extension": contact.phone_extension}
        )
    return people


def _person(user: User) -> dict[str, str]:
    """A staff user as a notification recipient."""
    return {"name": user.get_full_name() or user.get_username(), "email": user.email, "extension": ""}


def _assignee_or_support_area(case: Case, matrix: dict[int, list[dict[str, str]]]) -> list[dict[str, str]]:
    """The engineer following the case; nobody does: the support area (N1 of the matrix)."""
    if case.assigned_to is not None:
        return [_person(case.assigned_to)]
    return [dict(p) for p in matrix.get(1, [])]


def _recipients(
    case: Case, rule: EscalationRule, matrix: dict[int, list[dict[str, str]]]
) -> tuple[list[dict[str, str]], EscalationLevel | None]:
    if rule.target == EscalationRule.Target.ASSIGNEE or rule.level is None:
        return _assignee_or_support_area(case, matrix), None
    return [dict(p) for p in matrix.get(rule.level.number, [])], rule.level


@dataclass(frozen=True)
class _Texts:
    """The sweep's message templates and time zone, looked up once per sweep (not per rule)."""

    warning: str
    expired: str
    body: str
    notified: str
    nobody: str
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
            notified=_("%(subject)s — notified: %(names)s."),
            nobody=_("nobody (no contact configured)"),
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
        owed: list[_Owed] = []
        for case in due:
            result.cases += 1
            if case.pk not in sent.called:
                on_call = _on_call_owed(case=case, snap=snap, now=now, duty=duty)
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
                    )
                    for firing in firings.firings
                )
                next_at = firings.next_at
            case.warn_at = next_at
        written = write_once(owed, lambda o: o.notification)
        case_services.cases_record_notifications(
            entries=[
                (o.notification.case, o.note, {"notification": o.notification.pk, **o.data}) for o in written
            ],
            now=now,
        )
        result.created = [o.notification.pk for o in written]
        set_warn_at(due)
        result.requeued = due_for_retry(Notification.objects.all(), now=now, batch=batch)
    ids = result.created + result.requeued
    if ids:
        transaction.on_commit(lambda: enqueue_notifications(ids))
    return result


def _rule_owed(
    *,
    case: Case,
    firing: Firing,
    passed_over: list[int],
    now: datetime,
    matrix: dict[int, list[dict[str, str]]],
    texts: _Texts,
) -> _Owed:
    rule, instant = firing.rule, firing.instant
    recipients, level = _recipients(case, rule, matrix)
    subject, body = _message(case, rule, instant, texts)
    names = ", ".join(r["name"] for r in recipients) or texts.nobody
    data: dict[str, object] = {"rule": rule.pk, "share": rule.share_percent}
    if passed_over:
        data["passed_over"] = passed_over  # lower thresholds a change put in the past with this one
    return _Owed(
        Notification(
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
        ),
        texts.notified % {"subject": subject, "names": names},
        data,
    )


ON_CALL_PRIORITIES = ("P1", "P2")


class _Duty:
    """Who answers the phone at ``now`` (looked up once per sweep, only when a case needs it)."""

    def __init__(self, *, now: datetime, matrix: dict[int, list[dict[str, str]]]) -> None:
        self.now, self.matrix = now, matrix
        self._people: tuple[list[dict[str, str]], str] | None = None

    def people(self) -> tuple[list[dict[str, str]], str]:
        from ..selectors import on_duty

        if self._people is None:
            shift = on_duty(at=self.now)
            if shift is None:
                people = [dict(p) for p in self.matrix.get(2, [])]
                self._people = (people, _("nobody is on duty; the support lead is notified instead"))
            else:
                person = {**_person(shift.engineer), "phone": str(shift.phone) if shift.phone else ""}
                self._people = ([person], person["name"])
        people, who = self._people
        return [dict(p) for p in people], who


def _on_call_owed(*, case: Case, snap: sla.SlaSnapshot, now: datetime, duty: _Duty) -> _Owed | None:
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
    return _Owed(
        Notification(
            case=case,
            rule=None,
            kind=Notification.Kind.ON_CALL,
            recipients=people,
            subject=subject,
            body=body,
            due_at=registered,
            created_at=now,
        ),
        _("On-duty engineer called: %(who)s.") % {"who": who},
        {"on_call": True},
    )


def enqueue_notifications(ids: list[int]) -> None:
    from ..tasks import send_notification

    enqueue(send_notification, ids)


def notification_send(*, notification_id: int, now: datetime | None = None) -> Notification | None:
    """Send one notification unless it already went out. Raises on SMTP failure (the task retries)."""

    def send(notification: Notification) -> str:
        if is_history(notification.due_at):
            return _("Not e-mailed: the event is from before e-mail started (history loaded into SMA).")
        emails = sorted({r["email"] for r in notification.recipients if r.get("email")})
        if not emails:
            return _("No e-mail address configured for the recipients.")
        send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, emails)
        return ""

    return send_once(Notification, notification_id, send=send, now=now)
