"""E-mail to customers: each customer-facing event mailed once, in Spanish (text + HTML), from the
outbox after commit; SMTP failures retried; nothing lost while the broker is down."""

from __future__ import annotations

from datetime import datetime, timedelta
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from cases import services as case_services
from cases.models import ActivityKind, CaseActivity, CloseReason, SolutionKind
from cases.tests.factories import customer_setup, engineer, registered_case
from escalation import services
from escalation.models import CustomerEmail
from escalation.services.outbox import MAX_ATTEMPTS, RESEND_AFTER

BOGOTA = ZoneInfo("America/Bogota")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def collect(capture, now: datetime) -> list[int]:
    with capture(execute=True):
        return services.customer_email_collect(now=now)


@pytest.mark.django_db
def test_registration_mails_the_number_and_deadline_once(django_capture_on_commit_callbacks) -> None:
    setup = customer_setup()
    setup["requester"].email = "ana.rodriguez@cliente.example"
    setup["requester"].full_name = "Ana Rodríguez"
    setup["requester"].save()
    case = registered_case(
        setup=setup,
        priority="P2",
        subject='Grabación "CTLog" & <script> se detiene',
        now=bog(2026, 11, 13, 16, 0),
    )
    collect(django_capture_on_commit_callbacks, bog(2026, 11, 13, 16, 0, 10))
    collect(django_capture_on_commit_callbacks, bog(2026, 11, 13, 16, 0, 25))  # a second beat run

    assert CustomerEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Ana Rodríguez <ana.rodriguez@cliente.example>"]
    assert (
        message.subject
        == f'[{case.number}] Registramos su solicitud: Grabación "CTLog" & <script> se detiene'
    )
    assert f"Registramos su solicitud como el caso {case.number}" in message.body
    # Gold P2 on Friday 16:00 before the Monday holiday: Tuesday 12:00, in Bogotá time, in Spanish.
    assert "a más tardar el martes 17 de noviembre de 2026, 12:00 (hora de Bogotá)" in message.body
    assert '"CTLog" & <script>' in message.body  # plain text is not HTML-escaped
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert message.extra_headers["Message-ID"].endswith("@calltechsa.com>")
    assert message.extra_headers["References"] == f"<caso-{case.number}@calltechsa.com>"
    assert message.reply_to == ["support@calltechsa.com"]
    email = CustomerEmail.objects.get()
    assert email.event == CustomerEmail.Event.REGISTERED and email.sent_at is not None
    assert not CaseActivity.objects.filter(customer_notice_due=True).exists()


@pytest.mark.django_db
def test_each_customer_facing_event_is_mailed_and_internal_work_is_not(
    django_capture_on_commit_callbacks,
) -> None:
    follower = engineer(first_name="Camilo", last_name="Pérez")
    case = registered_case(priority="P3", assigned_to=follower)
    case_services.case_log_activity(
        case=case, actor=follower, kind=ActivityKind.INTERNAL_NOTE, body="Revisar el log del servidor"
    )
    case_services.case_log_activity(
        case=case, actor=follower, kind=ActivityKind.PHONE_CALL, body="Llamé al cliente", is_public=True
    )
    case_services.case_log_activity(
        case=case,
        actor=follower,
        kind=ActivityKind.EMAIL,
        body="Por favor envíenos el archivo ctlog.ini.\nGracias.",
        is_public=True,
    )
    case_services.case_propose_solution(
        case=case,
        actor=follower,
        solution_kind=SolutionKind.PROCEDURE,
        solution="Reinicie el servicio CTLog.",
    )
    case_services.case_close(
        case=case, actor=follower, reason=CloseReason.ACCEPTED, note="Confirmado por Ana."
    )
    collect(django_capture_on_commit_callbacks, bog(2027, 1, 5, 9, 0))

    events = list(CustomerEmail.objects.order_by("activity_id").values_list("event", flat=True))
    assert events == ["registered", "reply", "solution", "closed"]
    reply, solution, closed = (m for m in mail.outbox if "Registramos" not in m.subject)
    assert reply.subject == f"Re: [{case.number}] {case.subject}"
    assert "Por favor envíenos el archivo ctlog.ini." in reply.body and "Camilo Pérez" in reply.body
    assert "Auto-Submitted" not in reply.extra_headers  # a person's reply
    assert "(comando o procedimiento)" in solution.body and "Reinicie el servicio CTLog." in solution.body
    assert "Motivo: solución aceptada por el cliente." in closed.body
    assert "encuesta de satisfacción" in closed.body


@pytest.mark.django_db
def test_a_contact_without_email_is_skipped_not_retried(django_capture_on_commit_callbacks) -> None:
    setup = customer_setup()
    setup["requester"].email = ""
    setup["requester"].save()
    registered_case(setup=setup)
    assert collect(django_capture_on_commit_callbacks, bog(2027, 1, 5, 9, 0)) == []
    assert not CustomerEmail.objects.exists()
    assert not CaseActivity.objects.filter(customer_notice_due=True).exists()


@pytest.mark.django_db
def test_smtp_failure_is_kept_and_retried_until_sent_once(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    registered_case(now=bog(2027, 1, 5, 9, 0))

    def smtp_down(self, fail_silently=False):
        raise SMTPException("421 service not available")

    monkeypatch.setattr(EmailMultiAlternatives, "send", smtp_down)
    collect(django_capture_on_commit_callbacks, bog(2027, 1, 5, 9, 0, 15))  # the task fails, is retried
    email = CustomerEmail.objects.get()
    assert email.sent_at is None and email.attempts >= 1 and "421" in email.last_error
    with pytest.raises(SMTPException):
        services.customer_email_send(email_id=email.pk)
    email.refresh_from_db()
    failures = email.attempts

    monkeypatch.undo()  # the SMTP server is back
    # Queued again two minutes after it was written, then twice as late after each failure.
    assert failures < MAX_ATTEMPTS
    retry_at = email.created_at + RESEND_AFTER * 2**failures
    assert collect(django_capture_on_commit_callbacks, retry_at - timedelta(seconds=1)) == []
    assert collect(django_capture_on_commit_callbacks, retry_at) == [email.pk]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == failures + 1 and email.last_error == ""
    assert len(mail.outbox) == 1
    # Sending again (a duplicate task delivery) does nothing.
    services.customer_email_send(email_id=email.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_recipient_refused_for_good_is_not_retried_forever(django_capture_on_commit_callbacks) -> None:
    registered_case(now=bog(2027, 1, 5, 9, 0))
    collect(django_capture_on_commit_callbacks, bog(2027, 1, 5, 9, 0, 15))
    email = CustomerEmail.objects.get()
    CustomerEmail.objects.filter(pk=email.pk).update(
        sent_at=None, attempts=MAX_ATTEMPTS, last_error="550 no such user"
    )
    assert collect(django_capture_on_commit_callbacks, bog(2030, 1, 1, 9, 0)) == []


@pytest.mark.django_db
def test_the_same_event_is_owed_once_even_if_queued_twice() -> None:
    case = registered_case()
    kwargs = {
        "key": "test:1",
        "event": CustomerEmail.Event.REPLY,
        "to_email": "x@cliente.example",
        "template": "case_reopened",
        "context": {"contact": case.requester},
        "case": case,
        "activity": case.activities.first(),
    }
    assert services.customer_email_queue(**kwargs) is not None
    assert services.customer_email_queue(**kwargs) is None
    assert CustomerEmail.objects.filter(key="test:1").count() == 1


@pytest.mark.django_db
def test_registration_does_not_wait_for_mail(django_assert_max_num_queries) -> None:
    """Writing the e-mail is the collector's job; registering only flags the activity."""
    case = registered_case(now=bog(2027, 1, 5, 9, 0) - timedelta(minutes=1))
    assert CustomerEmail.objects.count() == 0
    assert CaseActivity.objects.get(case=case, kind=ActivityKind.REGISTRATION).customer_notice_due
