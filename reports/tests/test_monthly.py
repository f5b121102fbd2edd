"""The customers' monthly SLA reports: the first business day on the office calendar, the beat
job's idempotent generation of last month's, the figures printed, and who downloads which."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from cases.models import CaseStatus
from cases.tests.factories import CaseFactory, customer_setup, engineer, manager
from contracts.tests.factories import TechnicalContactFactory, UserFactory
from reports import monthly
from reports.models import MonthlyReport
from reports.services import monthly_report_generate, monthly_reports_due

from .test_breach import _answered_late

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOVEMBER = date(2026, 11, 1)


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _stored_text(report: MonthlyReport) -> str:
    with report.pdf.open("rb") as handle:
        return _text(handle.read())


def test_first_business_day_skips_weekends_and_holidays() -> None:
    assert monthly.first_business_day(date(2026, 12, 1)) == date(2026, 12, 1)  # a Tuesday
    # 1 November 2026 is a Sunday and the 2nd All Saints' (moved to Monday).
    assert monthly.first_business_day(date(2026, 11, 1)) == date(2026, 11, 3)
    # 1 January 2027 is New Year's Day (Friday), then a weekend.
    assert monthly.first_business_day(date(2027, 1, 1)) == date(2027, 1, 4)


def _november():
    """Customer A in November 2026: one P1 answered 3 business hours late and one P2 answered in
    time (1 business hour); a case of B in the same month; a case of A in December."""
    late = _answered_late()
    setup = {
        "customer": late.customer,
        "contract": late.contract,
        "installation": late.installation,
        "requester": late.requester,
    }
    reg = datetime(2026, 11, 12, 9, 0, tzinfo=BOGOTA)
    CaseFactory(
        setup=setup,
        priority="P2",
        registered_at=reg,
        attention_due_at=reg + timedelta(hours=6),
        first_response_at=reg + timedelta(hours=1),
        attention_met=True,
        first_response_business_seconds=3600,
        status=CaseStatus.IN_PROGRESS,
    )
    CaseFactory(setup=setup, registered_at=datetime(2026, 12, 1, 9, 0, tzinfo=BOGOTA))
    other = customer_setup()
    CaseFactory(setup=other, priority="P1", registered_at=reg, attention_due_at=reg + timedelta(hours=2))
    return late, other


def test_the_report_prints_the_months_figures() -> None:
    late, _other = _november()
    report, made = monthly_report_generate(
        customer=late.customer, month=NOVEMBER, now=datetime(2026, 12, 1, 7, 0, tzinfo=BOGOTA)
    )
    assert made
    total = report.figures["total"]
    assert (total["cases"], total["met"], total["breached"]) == (2, 1, 1)
    assert [b["number"] for b in report.figures["breaches"]] == [late.number]
    assert report.figures["breaches"][0]["late_seconds"] == 3 * 3600
    text = _stored_text(report)
    for expected in (
        "Informe mensual",
        "noviembre de 2026",
        late.customer.name,
        "50,0 %",  # compliance: 1 of 2
        "P1 · Sistema caído",
        late.number,
        "3 h hábiles",
        "Enviadas: 0",
    ):
        assert expected in text, expected


def test_the_beat_job_makes_last_months_reports_once_from_the_first_business_day() -> None:
    late, other = _november()
    # 2 November 2026 is a holiday: October's reports wait for the 3rd.
    assert monthly_reports_due(now=datetime(2026, 11, 2, 7, 0, tzinfo=BOGOTA)) == []
    assert not MonthlyReport.objects.exists()
    first = monthly_reports_due(now=datetime(2026, 12, 1, 6, 30, tzinfo=BOGOTA))
    made = {customer.pk for customer, new in first if new}
    assert {late.customer_id, other["customer"].pk} <= made
    stored = MonthlyReport.objects.get(customer=late.customer, month=NOVEMBER)
    again = monthly_reports_due(now=datetime(2026, 12, 2, 6, 30, tzinfo=BOGOTA))
    assert not any(new for _c, new in again)
    assert MonthlyReport.objects.filter(month=NOVEMBER).count() == len(made)
    stored_again = MonthlyReport.objects.get(pk=stored.pk)
    assert stored_again.generated_at == stored.generated_at and stored_again.pdf.name == stored.pdf.name


def test_the_command_is_a_dry_run_unless_for_real(capsys) -> None:
    _november()
    call_command("generate_monthly_reports", "--month", "2026-11")
    assert not MonthlyReport.objects.exists()
    assert "Would make" in capsys.readouterr().out
    call_command("generate_monthly_reports", "--month", "2026-11", "--for-real")
    assert MonthlyReport.objects.filter(month=NOVEMBER).exists()


def _portal_user(customer, username):
    return TechnicalContactFactory(customer=customer, user=UserFactory(username=username)).user


def test_who_downloads_which(client) -> None:
    late, other = _november()
    now = datetime(2026, 12, 1, 7, 0, tzinfo=BOGOTA)
    mine, _ = monthly_report_generate(customer=late.customer, month=NOVEMBER, now=now)
    theirs, _ = monthly_report_generate(customer=other["customer"], month=NOVEMBER, now=now)
    client.force_login(_portal_user(late.customer, "ana.m"))
    page = client.get(reverse("portal_reports:list")).content.decode()
    assert reverse("portal_reports:download", args=[mine.pk]) in page
    assert reverse("portal_reports:download", args=[theirs.pk]) not in page
    response = client.get(reverse("portal_reports:download", args=[mine.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(reverse("portal_reports:download", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("reports:monthly")).status_code == 404  # the desk is not theirs
    client.force_login(manager())
    assert client.get(reverse("portal_reports:list")).status_code == 404
    listing = client.get(reverse("reports:monthly")).content.decode()
    assert late.customer.name in listing and other["customer"].name in listing
    assert client.get(reverse("reports:monthly_pdf", args=[theirs.pk])).status_code == 200
    client.force_login(engineer())
    assert client.get(reverse("reports:monthly")).status_code == 403
    assert client.get(reverse("reports:monthly_pdf", args=[mine.pk])).status_code == 403
