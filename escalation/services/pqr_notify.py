"""A PQR reaching a level of the matrix: the level's notification (once per step), the inbox items
of the staff it reaches, and the case's timeline — public where the PQR stands, internal whom the
notification reached (or that it reached nobody)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services

from ..models import Notification, Pqr, PqrStep
from .inbox import inbox_deliver
from .reach import Audience, level_people
from .watch import enqueue_notifications


def pqr_step_notify(*, pqr: Pqr, step: PqrStep, actor: User | None, now: datetime) -> Notification:
    """Notify the level the step reached (inside the step's transaction; sent after commit)."""
    case, level = pqr.case, step.level
    people = level_people(level)
    subject = _("%(code)s on case %(number)s reached N%(level)d (%(name)s)") % {
        "code": pqr.code,
        "number": case.number,
        "level": level.number,
        "name": level.name,
    }
    body = _(
        "%(customer)s raised a %(kind)s on case %(number)s (%(subject)s). It is now at your level and "
        "must be acknowledged%(by)s. Why it is here: %(reason)s. %(note)s"
    ) % {
        "customer": case.customer.name,
        "kind": pqr.get_kind_display().lower(),
        "number": case.number,
        "subject": case.subject,
        "by": (
            _(" before %(at)s") % {"at": timezone.localtime(step.ack_due_at).strftime("%d/%m/%Y %H:%M")}
            if step.ack_due_at
            else ""
        ),
        "reason": step.get_reason_display(),
        "note": step.note,
    }
    notification = Notification(
        case=case,
        kind=Notification.Kind.PQR,
        pqr_step=step,
        level=level,
        recipients=people,
        subject=subject[:200],
        body=body,
        due_at=now,
        created_at=now,
    )
    audience = Audience()
    headline_line = _("%(code)s (%(kind)s) at N%(level)d · %(name)s: %(reason)s") % {
        "code": pqr.code,
        "kind": pqr.get_kind_display(),
        "level": level.number,
        "name": level.name,
        "reason": step.get_reason_display(),
    }
    note = audience.prepare(notification, subject=headline_line)
    notification.save(force_insert=True)
    inbox_deliver(notifications=[notification], audience=audience, now=now)
    if not notification.reached_nobody:
        transaction.on_commit(lambda: enqueue_notifications([notification.pk]))
    # The customer sees where the PQR is; whom it reached (or that it reached nobody) is internal.
    case_services.case_record_pqr(
        case=case,
        actor=actor,
        body=f"{headline_line}.",
        data={"pqr": pqr.pk, "step": step.pk, "level": level.number, "reason": step.reason},
        now=now,
    )
    told: dict[str, object] = {"notification": notification.pk, "pqr": pqr.pk, "step": step.pk}
    if notification.reached_nobody:
        told["reached_nobody"] = True
    case_services.case_record_notification(case=case, body=note, data=told, now=now)
    return notification
