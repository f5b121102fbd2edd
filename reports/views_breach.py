"""A case's breach report (managers and admins): the page, its PDF, and sending it to the case's
contact (POST, once per case, idempotent)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.idempotency import idempotent

from . import services
from .breach import Breach, breach_case, breach_of, breach_report_context, breach_report_pdf
from .documents import local_datetime
from .models import BreachReportMail
from .views import dashboard_required


def _breach_or_404(number: str) -> Breach:
    case = breach_case(number)
    breach = breach_of(case, now=timezone.now()) if case is not None else None
    if breach is None:
        raise Http404
    return breach


@login_required
@dashboard_required
@require_GET
def breach_report(request: HttpRequest, number: str) -> HttpResponse:
    now = timezone.now()
    breach = _breach_or_404(number)
    context = breach_report_context(breach, now=now)
    sent = BreachReportMail.objects.filter(case=breach.case).first()
    context.update(
        {
            "sent": sent,
            "sent_text": local_datetime(sent.created_at) if sent else "",
            "delivered_text": local_datetime(sent.sent_at) if sent and sent.sent_at else "",
        }
    )
    return render(request, "reports/breach.html", context)


@login_required
@dashboard_required
@require_GET
def breach_report_download(request: HttpRequest, number: str) -> HttpResponse:
    breach = _breach_or_404(number)
    response = HttpResponse(breach_report_pdf(breach, now=timezone.now()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="incumplimiento-{breach.case.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@dashboard_required
@require_POST
@idempotent
def breach_report_send(request: HttpRequest, number: str) -> HttpResponse:
    case = breach_case(number)
    if case is None:
        raise Http404
    try:
        mail, created = services.breach_report_send(case=case, actor=request.user, now=timezone.now())  # type: ignore[arg-type]
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect("cases:detail", number=number)
    else:
        if created:
            messages.success(
                request, _("The breach report will be e-mailed to %(email)s.") % {"email": mail.to_email}
            )
        else:
            messages.info(
                request,
                _("This breach report was already sent to %(email)s on %(when)s.")
                % {"email": mail.to_email, "when": local_datetime(mail.created_at)},
            )
    return redirect("reports:breach", number=number)
