"""Telling the engineer what the customer did on a case: wrote (by e-mail or in the portal),
accepted or rejected the proposed solution, reopened the case. One notification per activity."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import ActivityKind, Case, CaseActivity

from ..models import Notification
from .inbox import inbox_deliver
from .reach import Audience
from .watch import _assignee_or_support_area, _matrix_people, enqueue_notifications


def _wording(activity: CaseActivity, case: Case, values: dict[str, str]) -> tuple[str, str]:
    """(subject, opening line) of the notification about this activity."""
    kind = activity.kind
    if kind == ActivityKind.CLOSURE:
        return (
            _("Case %(number)s: %(customer)s accepted the solution") % values,
            _(
                "%(customer)s accepted the solution proposed on case %(number)s (%(subject)s); the case "
                "is closed."
            )
            % values,
        )
    if kind == ActivityKind.SOLUTION_REJECTED:
        return (
            _("Case %(number)s: %(customer)s rejected the solution") % values,
            _(
                "%(customer)s did not accept the solution proposed on case %(number)s (%(subject)s); the "
                "case is in progress again. Their reason:"
            )
            % values,
        )
    if kind == ActivityKind.REOPENING:
        return (
            _("Case %(number)s reopened by %(customer)s") % values,
            _("%(customer)s reopened case %(number)s (%(subject)s):") % values,
        )
    if case.is_open:
        return (
            _("Case %(number)s: %(customer)s wrote") % values,
            _("%(customer)s wrote on case %(number)s (%(subject)s):") % values,
        )
    return (
        _("Case %(number)s (closed): %(customer)s wrote") % values,
        _(
            "%(customer)s wrote on closed case %(number)s (%(subject)s); they may be asking to reopen "
            "it. Their message:"
        )
        % values,
    )


def notify_customer_message(*, activity: CaseActivity, now: datetime | None = None) -> Notification | None:
    """The customer wrote on a case (by e-mail or in the portal), or acted on it in the portal
    (accepted or rejected the solution, reopened it): tell the assigned engineer, or the support
    area when nobody follows the case — once per activity (one notification per activity). On a
    closed case the engineer is told the customer may be asking to reopen it."""
    now = now or timezone.now()
    case = Case.objects.select_related("customer", "assigned_to").get(pk=activity.case_id)
    people = _assignee_or_support_area(case, _matrix_people())
    values = {"number": case.number, "customer": case.customer.name, "subject": case.subject}
    subject, opening = _wording(activity, case, values)
    audience = Audience()
    notification = Notification(
        case=case,
        kind=Notification.Kind.CUSTOMER_MESSAGE,
        activity=activity,
        recipients=people,
        subject=subject[:200],
        body=f"{opening}\n\n{activity.body}".strip(),
        due_at=activity.created_at,
        created_at=now,
    )
    note = audience.prepare(notification, subject=subject)
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        return None  # already told
    data: dict[str, object] = {"notification": notification.pk, "customer_message": activity.pk}
    if notification.reached_nobody:
        data["reached_nobody"] = True
    case_services.case_record_notification(case=case, body=note, data=data, now=now)
    inbox_deliver(notifications=[notification], audience=audience, now=now)
    if not notification.reached_nobody:
        transaction.on_commit(lambda: enqueue_notifications([notification.pk]))
    return notification
