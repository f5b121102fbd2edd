"""The breach report of a case: its figures on the case's own calendar, only what the customer may
read, who gets in, and sending it to the contact once (after commit, audited)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from cases import services as case_services
from cases.idempotency import TOKEN_FIELD, form_token_new
from cases.models import ActivityKind, CaseActivity
from cases.tests.factories import engineer, manager, registered_case, staff_user
from contracts.tests.clock import TEST_NOW
from reports.breach import breach_of
from reports.models import BreachReportMail
from reports.services import ReportError, breach_report_send
from sma import roles

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def _answered_late():
    """Gold 8x5, P1 registered Monday 30 Nov 2026 09:00 (deadline 11:00), first call at 14:00:
    three business hours late. An internal note the customer must never read."""
    eng = engineer(first_name="Laura", last_name="Gómez")
    reg = datetime(2026, 11, 30, 9, 0, tzinfo=BOGOTA)
    case = registered_case(actor=eng, priority="P1", now=reg)
    case_services.case_log_activity(
        case=case,
        actor=eng,
        kind=ActivityKind.INTERNAL_NOTE,
        body="secreto interno del equipo",
        now=reg + timedelta(hours=1),
    )
    case_services.case_log_activity(
        case=case,
        actor=eng,
        kind=ActivityKind.PHONE_CALL,
        body="Se reinició el servicio de grabación con el cliente.",
        now=reg + timedelta(hours=5),
    )
    case.refresh_from_db()
    return case


def _unanswered():
    """Gold 8x5, P1 registered Tuesday 1 Dec 16:30: 1 h that day, 1 h the next from 07:30, so the
    deadline is Wednesday 08:30; at TEST_NOW (10:00) 1 h 30 min late, no response."""
    eng = engineer()
    return registered_case(actor=eng, priority="P1", now=datetime(2026, 12, 1, 16, 30, tzinfo=BOGOTA))


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_business_time_late_on_the_case_calendar() -> None:
    answered = breach_of(_answered_late(), now=TEST_NOW)
    assert answered is not None and answered.answered
    assert answered.late == timedelta(hours=3)
    unanswered = breach_of(_unanswered(), now=TEST_NOW)
    assert unanswered is not None and not unanswered.answered
    assert unanswered.late == timedelta(hours=1, minutes=30)


def test_a_case_in_time_has_no_breach_report(client) -> None:
    case = registered_case(priority="P4", now=TEST_NOW - timedelta(hours=1))
    assert breach_of(case, now=TEST_NOW) is None
    client.force_login(manager())
    assert client.get(reverse("reports:breach", args=[case.number])).status_code == 404
    assert client.get(reverse("reports:breach_pdf", args=[case.number])).status_code == 404


def test_the_pdf_says_when_and_how_late_and_only_public_activities(client) -> None:
    case = _answered_late()
    client.force_login(manager())
    response = client.get(reverse("reports:breach_pdf", args=[case.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for expected in (
        "Informe de incumplimiento",
        case.number,
        case.customer.name,
        case.product.name,
        "30 de noviembre de 2026, 09:00",  # registered
        "30 de noviembre de 2026, 11:00",  # deadline
        "30 de noviembre de 2026, 14:00",  # first response
        "3 h hábiles",
        "Se reinició el servicio de grabación",
        "Llamada",
    ):
        assert expected in text, expected
    assert "secreto interno" not in text


def test_the_pdf_of_an_unanswered_case_says_so(client) -> None:
    case = _unanswered()
    client.force_login(manager())
    text = _pdf_text(client.get(reverse("reports:breach_pdf", args=[case.number])).content)
    assert "sin respuesta" in text
    assert "1 h 30 min hábiles" in text
    assert "2 de diciembre de 2026, 08:30" in text  # the deadline, Bogotá time


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("engineer", 403), ("plain", 403), ("manager", 200), ("admin", 200)],
)
def test_only_managers_and_admins_see_the_report(client, who, status) -> None:
    case = _unanswered()
    users = {
        "engineer": engineer,
        "manager": manager,
        "admin": lambda: staff_user(roles.ADMIN),
        "plain": lambda: User.objects.create_user("alguien", "a@example.com", "x"),
    }
    if who in users:
        client.force_login(users[who]())
    for url in (
        reverse("reports:breach", args=[case.number]),
        reverse("reports:breach_pdf", args=[case.number]),
    ):
        assert client.get(url).status_code == status, url
    response = client.post(reverse("reports:breach_send", args=[case.number]))
    assert response.status_code == (302 if who in ("anonymous", "manager", "admin") else status)
    if who not in ("manager", "admin"):
        assert not BreachReportMail.objects.exists()


def test_send_mails_the_pdf_once_after_commit_and_audits(client, django_capture_on_commit_callbacks) -> None:
    case = _answered_late()
    boss = manager(first_name="Gloria", last_name="Pérez")
    client.force_login(boss)
    url = reverse("reports:breach_send", args=[case.number])
    token = form_token_new()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {TOKEN_FIELD: token})
    assert first.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f"{case.requester.full_name} <{case.requester.email}>"]
    assert case.number in message.subject
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and name == f"incumplimiento-{case.number}.pdf"
    assert "3 h hábiles" in _pdf_text(content)
    row = BreachReportMail.objects.get(case=case)
    assert row.sent_at is not None and row.created_by == boss
    audit = CaseActivity.objects.get(case=case, kind=ActivityKind.NOTIFICATION, author=boss)
    assert case.requester.email in audit.body and not audit.is_public
    # The same form again (a double click) and a new form: no second e-mail, no second row.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {TOKEN_FIELD: token})
        client.post(url, {TOKEN_FIELD: form_token_new()})
    assert len(mail.outbox) == 1
    assert BreachReportMail.objects.count() == 1
    page = client.get(reverse("reports:breach", args=[case.number])).content.decode()
    assert 'data-testid="breach-sent"' in page and 'data-testid="breach-send"' not in page


def test_send_refuses_a_case_in_time() -> None:
    case = registered_case(priority="P4", now=TEST_NOW - timedelta(hours=1))
    with pytest.raises(ReportError):
        breach_report_send(case=case, actor=manager(), now=TEST_NOW)
    assert not BreachReportMail.objects.exists()


def test_links_from_the_case_and_the_dashboard(client) -> None:
    late, in_time = _answered_late(), registered_case(priority="P4", now=TEST_NOW - timedelta(hours=1))
    client.force_login(manager())
    assert (
        'data-testid="breach-link"'
        in client.get(reverse("cases:detail", args=[late.number])).content.decode()
    )
    assert (
        'data-testid="breach-link"'
        not in client.get(reverse("cases:detail", args=[in_time.number])).content.decode()
    )
    board = client.get(reverse("reports:dashboard"), {"period": "last_month"}).content.decode()
    assert f'data-testid="breach-{late.number}"' in board
    assert f'data-testid="breach-{in_time.number}"' not in board
    client.force_login(engineer())
    assert (
        'data-testid="breach-link"'
        not in client.get(reverse("cases:detail", args=[late.number])).content.decode()
    )


def test_an_unsent_report_is_queued_again_after_a_while(monkeypatch) -> None:
    """The broker was down when the report was written (nothing queued after commit): the retry
    job sends it once, a couple of minutes later, and never twice."""
    from reports import services

    monkeypatch.setattr(services, "enqueue_breach_report_mails", lambda ids: None)
    case = _answered_late()
    row, created = breach_report_send(case=case, actor=manager(), now=TEST_NOW)
    assert created and row.sent_at is None
    monkeypatch.undo()
    assert services.breach_report_mails_retry(now=TEST_NOW + timedelta(minutes=1)) == []
    assert services.breach_report_mails_retry(now=TEST_NOW + timedelta(minutes=5)) == [row.pk]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert services.breach_report_mails_retry(now=TEST_NOW + timedelta(minutes=30)) == []
    assert len(mail.outbox) == 1
