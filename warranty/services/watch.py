"""The RMA watch (beat, every minute): a warning once the share of the delivery time the attention
watch warns at is used, and a breach notice when the replacement is due — each exactly once per
RMA (``RmaAlert``: unique (rma, stage)), through escalation's notification outbox (sent after
commit, retried, listed in the staff's notification log), and on the case's timeline.

Overlapping sweeps skip each other's rows (FOR UPDATE SKIP LOCKED); each RMA carries ``warn_at``,
the next instant to look at it (indexed, partial), so a sweep reads only due rows."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from escalation.models import Notification
from escalation.services import enqueue_notifications
from escalation.services.inbox import inbox_deliver
from escalation.services.reach import Audience, Person, matrix_people, staff_person

from ..models import Rma, RmaAlert
from ..models.rma import AWAITING_DELIVERY

logger = logging.getLogger(__name__)

BATCH = 500
SUPPORT_LEAD = 2  # the level of the escalation matrix a breach also reaches


def _recipients(rma: Rma, stage: str, audience_matrix: dict[int, list[Person]]) -> list[Person]:
    """The engineer following the case (else who opened the RMA); on a breach also the support lead."""
    engineer = rma.case.assigned_to or rma.opened_by
    people = [staff_person(engineer)]
    if stage == RmaAlert.Stage.BREACH:
        people += [dict(p) for p in audience_matrix.get(SUPPORT_LEAD, [])]
    return people


def _alert(
    rma: Rma, stage: str, instant: datetime, now: datetime, matrix: dict[int, list[Person]]
) -> RmaAlert | None:
    values = {
        "code": rma.code,
        "number": rma.case.number,
        "customer": rma.case.customer.name,
        "model": rma.asset.model,
        "serial": rma.asset.serial_number,
        "due": f"{timezone.localtime(rma.delivery_due_at):%d/%m/%Y %H:%M}",
        "status": rma.get_status_display().lower(),
    }
    if stage == RmaAlert.Stage.WARNING:
        kind = Notification.Kind.RMA_WARNING
        subject = _("%(code)s (case %(number)s): replacement delivery about to expire") % values
    else:
        kind = Notification.Kind.RMA_BREACH
        subject = _("%(code)s (case %(number)s): replacement delivery expired") % values
    body = (
        _(
            "The replacement of %(model)s %(serial)s for %(customer)s (case %(number)s) is due %(due)s "
            "and the RMA is still %(status)s."
        )
        % values
    )
    notification = Notification(
        case=rma.case,
        kind=kind,
        recipients=_recipients(rma, stage, matrix),
        subject=subject[:200],
        body=body,
        due_at=instant,
        deadline=rma.delivery_due_at,
        created_at=now,
    )
    audience = Audience()
    line = audience.prepare(notification, subject=subject)  # reached nobody: said, never sent
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
            alert = RmaAlert.objects.create(
                rma=rma, stage=stage, notification=notification, due_at=instant, created_at=now
            )
    except IntegrityError:
        return None  # already owed: (rma, stage) is unique
    inbox_deliver(notifications=[notification], audience=audience, now=now)
    case_services.case_record_notification(
        case=rma.case,
        body=line,
        data={"notification": notification.pk, "rma": rma.pk, "stage": stage},
        now=now,
    )
    return alert


def rma_deadline_sweep(*, now: datetime | None = None, batch: int = BATCH) -> list[int]:
    """Fire the due warnings and breaches of RMAs still awaiting their replacement; set each one's
    next ``warn_at``. Returns the notifications written (queued for sending after commit)."""
    now = now or timezone.now()
    created: list[int] = []
    sendable: list[int] = []  # those that reach someone (one that reaches nobody is only recorded)
    with transaction.atomic():
        due = list(
            Rma.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case__customer", "case__assigned_to", "asset", "opened_by")
            .filter(warn_at__lte=now)
            .order_by("warn_at")[:batch]
        )
        fired = set(RmaAlert.objects.filter(rma__in=due).values_list("rma_id", "stage"))
        matrix = matrix_people() if due else {}
        for rma in due:
            next_at = None
            if rma.status in AWAITING_DELIVERY:
                for stage, instant in (
                    (RmaAlert.Stage.WARNING, rma.warning_at),
                    (RmaAlert.Stage.BREACH, rma.delivery_due_at),
                ):
                    if (rma.pk, stage) in fired:
                        continue
                    if instant > now:
                        next_at = instant if next_at is None else min(next_at, instant)
                        continue
                    alert = _alert(rma, stage, instant, now, matrix)
                    if alert is not None:
                        created.append(alert.notification_id)
                        if not alert.notification.reached_nobody:
                            sendable.append(alert.notification_id)
            Rma.objects.filter(pk=rma.pk).update(warn_at=next_at)
    if sendable:
        transaction.on_commit(lambda: enqueue_notifications(sendable))
    if created:
        logger.info("RMA watch: %d notifications", len(created))
    return created
