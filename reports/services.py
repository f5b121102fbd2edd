"""The reports app's writes: the daily snapshot of the long periods' figures, the breach reports
sent to customers and the customers' monthly SLA reports (reports.monthly)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Case
from contracts.models import Customer
from escalation.services.outbox import due_for_retry, enqueue, send_once

from . import monthly, selectors
from .breach import breach_case, breach_of, breach_report_pdf
from .documents import local_datetime
from .models import BreachReportMail, MonthlyReport, PeriodSnapshot
from .periods import SNAPSHOT_PERIODS, period

logger = logging.getLogger(__name__)


class ReportError(Exception):
    """A report that cannot be made or sent; the message is for the user."""


@transaction.atomic
def period_snapshots_refresh(*, now: datetime | None = None) -> list[PeriodSnapshot]:
    """Compute today's figures of the last 3 and 12 months (up to today's midnight, no filter) and
    of the finished weeks of the last twelve, and keep them, one row per period and day (again the
    same day: the row is replaced). Older days' rows are dropped."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    kept = []
    for key in SNAPSHOT_PERIODS:
        figures = selectors.period_figures(period=period(key, now=now), filters=selectors.Filters(), now=now)
        snapshot, _created = PeriodSnapshot.objects.update_or_create(
            period=key,
            day=today,
            defaults={"computed_at": now, "figures": selectors.figures_to_json(figures)},
        )
        kept.append(snapshot)
    weeks, _created = PeriodSnapshot.objects.update_or_create(
        period=selectors.WEEKS_SNAPSHOT,
        day=today,
        defaults={"computed_at": now, "figures": selectors.finished_weeks_json(now=now)},
    )
    kept.append(weeks)
    PeriodSnapshot.objects.filter(day__lt=today).delete()
    return kept


# --- the breach report sent to the customer -----------------------------------------------------


@transaction.atomic
def breach_report_send(
    *, case: Case, actor: User, now: datetime | None = None
) -> tuple[BreachReportMail, bool]:
    """E-mail the case's breach report (the PDF as of ``now``) to the contact who requested the
    case, once: (row, True) when queued now, (the earlier row, False) when it was sent before.
    Recorded on the case's timeline (internal) with who sent it; the e-mail goes after commit."""
    now = now or timezone.now()
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).get()
    earlier = BreachReportMail.objects.filter(case_id=case.pk).first()
    if earlier is not None:
        return earlier, False
    fresh = breach_case(case.number)
    breach = breach_of(fresh, now=now) if fresh is not None else None
    if fresh is None or breach is None:
        raise ReportError(_("This case has not breached its attention time: there is no breach report."))
    contact = fresh.requester
    if not contact.email:
        raise ReportError(_("The case's contact has no e-mail address: the report cannot be sent."))
    mail = BreachReportMail(
        case=fresh, to_name=contact.full_name[:200], to_email=contact.email, created_at=now, created_by=actor
    )
    mail.pdf.save(
        f"incumplimiento-{fresh.number}.pdf", ContentFile(breach_report_pdf(breach, now=now)), save=False
    )
    mail.save(force_insert=True)
    case_services.case_record_notification(
        case=fresh,
        actor=actor,
        body=_("Breach report e-mailed to %(name)s <%(email)s>.")
        % {"name": contact.full_name, "email": contact.email},
        data={"breach_report_mail": mail.pk, "to": contact.email},
        now=now,
    )
    transaction.on_commit(lambda: enqueue_breach_report_mails([mail.pk]))
    return mail, True


def enqueue_breach_report_mails(ids: list[int]) -> None:
    from .tasks import send_breach_report

    enqueue(send_breach_report, ids)


def breach_report_mails_retry(*, now: datetime | None = None, batch: int = 50) -> list[int]:
    """Queue again the breach reports still unsent a while after they were written (the broker
    was down, a worker died, the SMTP server refused), with the outbox's backoff."""
    ids = due_for_retry(BreachReportMail.objects.all(), now=now or timezone.now(), batch=batch)
    enqueue_breach_report_mails(ids)
    return ids


def _send_breach_report(mail: BreachReportMail) -> str:
    case = mail.case
    context = {
        "case": case,
        "to_name": mail.to_name,
        "sent_text": local_datetime(mail.created_at),
        "support_address": settings.SMA_SUPPORT_ADDRESS,
    }
    with translation.override("es-co"):
        body = render_to_string("reports/email/breach_report.txt", context)
    message = EmailMessage(
        subject=f"Informe de incumplimiento del caso {case.number}",
        body=body.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[f"{mail.to_name} <{mail.to_email}>" if mail.to_name else mail.to_email],
        reply_to=[settings.SMA_SUPPORT_ADDRESS],
        headers={"Auto-Submitted": "auto-generated"},
    )
    with mail.pdf.open("rb") as handle:
        message.attach(f"incumplimiento-{case.number}.pdf", handle.read(), "application/pdf")
    message.send()
    return ""


def breach_report_mail_send(*, mail_id: int, now: datetime | None = None) -> BreachReportMail | None:
    """Send one breach report e-mail unless it already went out (raises on SMTP failure: the task
    retries; the error is kept on the row)."""
    return send_once(BreachReportMail, mail_id, send=_send_breach_report, now=now)


# --- the customers' monthly SLA reports ---------------------------------------------------------


def monthly_report_generate(
    *, customer: Customer, month: date, now: datetime | None = None
) -> tuple[MonthlyReport, bool]:
    """Make and keep ``customer``'s report of ``month`` (its first day), once: (row, True) when
    made now, (the existing row, False) when it was made before — it is never rewritten."""
    now = now or timezone.now()
    month = monthly.month_start(month)
    existing = MonthlyReport.objects.filter(customer=customer, month=month).first()
    if existing is not None:
        return existing, False
    figures = monthly.monthly_figures(customer=customer, month=month, now=now)
    pdf = monthly.monthly_report_pdf(figures, generated_at=now)
    report = MonthlyReport(customer=customer, month=month, figures=figures, generated_at=now)
    report.pdf.save(f"sla-{customer.pk}-{month:%Y-%m}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:  # made by another run meanwhile
        report.pdf.delete(save=False)
        return MonthlyReport.objects.get(customer=customer, month=month), False
    return report, True


def monthly_reports_generate(
    *, month: date, now: datetime | None = None, dry_run: bool = False
) -> list[tuple[Customer, bool]]:
    """Every customer's report of ``month`` (customers with a contract in force in it or a case
    registered in it); those already made are left as they are. (customer, made now) pairs; a
    dry run makes nothing and says which would be made."""
    now = now or timezone.now()
    month = monthly.month_start(month)
    done = set(MonthlyReport.objects.filter(month=month).values_list("customer_id", flat=True))
    out = []
    for customer in monthly.customers_for_month(month):
        if customer.pk in done:
            out.append((customer, False))
        elif dry_run:
            out.append((customer, True))
        else:
            out.append((customer, monthly_report_generate(customer=customer, month=month, now=now)[1]))
    return out


def monthly_reports_due(*, now: datetime | None = None) -> list[tuple[Customer, bool]]:
    """The beat job's work: from the first business day of a month (office calendar), last month's
    reports that are still missing. Earlier in the month, nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if today < monthly.first_business_day(today):
        return []
    return monthly_reports_generate(month=monthly.previous_month(today), now=now)
