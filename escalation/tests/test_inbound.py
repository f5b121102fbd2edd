"""E-mail in: each fixture message becomes the right case, activity, refusal or nothing, the
customer is answered when they should be, and a message that cannot be read is kept and logged."""

from __future__ import annotations

import io
import logging
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases import services as case_services
from cases.models import ActivityKind, Case, CaseAttachment, CaseStatus, Channel, CloseReason, RefusedRequest
from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.tests.factories import (
    UserFactory,
)
from escalation.models import CustomerEmail, InboundEmail, Notification
from escalation.services import customer_email_collect
from escalation.services.inbound import inbound_process

from .mail_helpers import ANA, NOW, S, case_of, eml, receive, simple_message

pytestmark = pytest.mark.django_db

# --- New cases -----------------------------------------------------------------------------------


def test_plain_message_from_a_designated_contact_becomes_a_new_case_awaiting_priority(
    andes, django_capture_on_commit_callbacks
) -> None:
    inbound = receive(eml("plain.eml"))
    case = case_of(inbound)
    assert inbound.from_address == ANA  # "Ana.Rodriguez@Clinica-Andes.example", any letter case
    assert inbound.subject == case.subject == "La grabación de CTLog se detiene"  # RFC 2047, UTF-8
    assert inbound.message_id == "<20261123100207.plain@clinica-andes.example>"
    assert inbound.processed_at == NOW and inbound.attempts == 1 and inbound.error == ""
    assert (case.status, case.channel, case.priority) == (CaseStatus.NEW, Channel.EMAIL, "")
    assert case.attention_due_at is None and case.registered_by is None
    assert case.requester == andes.ana and case.installation == andes.ctlog  # named in the subject
    assert case.description.startswith("Buenos días:\n\nDesde las 9:58 la grabación de CTLog")  # latin-1
    assert "Clínica de los Andes" in case.description
    registration = case.activities.get()
    assert registration.kind == ActivityKind.REGISTRATION and inbound.activity == registration
    assert not case.activities.filter(kind=ActivityKind.INTERNAL_NOTE).exists()

    # The customer gets the case number by e-mail, threaded under the message they sent.
    with django_capture_on_commit_callbacks(execute=True):
        customer_email_collect(now=NOW)
    [sent] = mail.outbox
    assert sent.to == ["Ana Rodríguez <ana.rodriguez@clinica-andes.example>"]
    assert case.number in sent.subject
    assert sent.extra_headers["In-Reply-To"] == "<20261123100207.plain@clinica-andes.example>"


def test_html_only_message_is_sanitised_into_readable_text(andes) -> None:
    case = case_of(receive(eml("html_only.eml")))
    assert case.subject == "Consulta sobre CTVox – menú de voz"  # RFC 2047 in windows-1252
    assert case.installation == andes.ctvox
    assert case.description == (
        "Hola equipo de soporte,\n\n"
        "El menú de voz de CTVox no reproduce la opción 3.\nLos clientes escuchan silencio.\n\n"
        "- Versión 7.1\n- Desde ayer\n\n"
        "Ver detalle & gracias."
    )
    for unsafe in ("script", "cookie", "onclick", "steal", "onerror", "alert", "<", "color: red", "Correo"):
        assert unsafe not in case.description


def test_attachments_are_kept_and_a_refused_one_is_noted(andes) -> None:
    inbound = receive(eml("attachments.eml"))
    case = case_of(inbound)
    assert case.description == "Adjunto el registro de CTLog y una captura de la consola."  # text/plain wins
    kept = {a.original_name: a for a in CaseAttachment.objects.filter(case=case)}
    assert set(kept) == {"grabacion.log", "captura consola.png"}
    assert all(a.activity_id == inbound.activity_id for a in kept.values())
    assert kept["grabacion.log"].file.read().startswith(b"2026-11-23 09:58:01 ERROR CTLog.Recorder")
    assert kept["captura consola.png"].file.read().startswith(b"\x89PNG")
    note = case.activities.get(kind=ActivityKind.INTERNAL_NOTE)
    assert "informe.html" in note.body and not note.is_public
    assert [r["name"] for r in note.data["attachments_refused"]] == ["informe.html"]


def test_a_message_naming_no_product_gets_the_contracts_product_and_a_note_to_confirm_it(andes) -> None:
    case = case_of(receive(simple_message(subject="No funciona", body="El sistema no responde.")))
    assert case.installation == andes.ctlog  # first covered installation (by product name)
    note = case.activities.get(kind=ActivityKind.INTERNAL_NOTE)
    assert "CTLog" in note.body and note.data["product_guessed"] is True


def test_with_a_single_covered_installation_there_is_nothing_to_confirm() -> None:
    setup = customer_setup()
    setup["requester"].email = "solo@cliente.example"
    setup["requester"].save()
    case = case_of(receive(simple_message(sender="solo@cliente.example", subject="Ayuda", body="Falla")))
    assert case.installation == setup["installation"]
    assert not case.activities.filter(kind=ActivityKind.INTERNAL_NOTE).exists()


def test_the_same_message_delivered_twice_makes_one_case(andes) -> None:
    raw = eml("plain.eml")
    first = receive(raw)
    again = receive(raw, now=NOW + timedelta(minutes=1))
    crlf = receive(raw.replace(b"\n", b"\r\n"), now=NOW + timedelta(minutes=2))  # same, via IMAP
    assert first.pk == again.pk == crlf.pk and InboundEmail.objects.count() == 1
    # Re-sent by a server with another trace header: a second row, but no second case.
    resent = receive(b"Received: from relay.example; Mon, 23 Nov 2026 10:09:00 -0500\n" + raw)
    assert resent.pk != first.pk and resent.status == S.IGNORED and resent.case_id == first.case_id
    assert Case.objects.count() == 1


# --- Messages on a case --------------------------------------------------------------------------


def test_a_reply_with_the_case_number_is_added_to_the_case_waiting_on_the_customer(
    andes, open_case, django_capture_on_commit_callbacks
) -> None:
    case_services.case_change_status(
        case=open_case, actor=engineer(), status=CaseStatus.WAITING_CUSTOMER, now=NOW - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        inbound = receive(eml("reply.eml", CASE_NUMBER=open_case.number))
    assert inbound.status == S.ACTIVITY and inbound.case == open_case
    message = inbound.activity
    assert message.kind == ActivityKind.CUSTOMER_MESSAGE and message.is_public and message.author is None
    assert (
        message.body == "Aplicamos el parche y el canal 12 ya graba. Adjunto el registro nuevo."
    )  # no history
    assert message.data["message_id"] == "<20261124083000.reply@clinica-andes.example>"
    [attachment] = message.attachments.all()
    assert attachment.original_name == "despues-del-parche.log"
    open_case.refresh_from_db()
    assert open_case.status == CaseStatus.IN_PROGRESS
    assert open_case.activities.filter(kind=ActivityKind.STATUS_CHANGE, data__to="in_progress").exists()
    assert open_case.first_response_at is None  # the customer writing is not attention given
    assert Case.objects.count() == 1
    # Nobody follows the case: the support area (N1) is told the customer wrote, once.
    [told] = Notification.objects.filter(kind=Notification.Kind.CUSTOMER_MESSAGE)
    assert told.activity == message and [r["extension"] for r in told.recipients] == ["911"]
    assert "Aplicamos el parche" in told.body
    assert all(ANA not in sent.to for sent in mail.outbox)  # nothing goes back to the customer
    assert [sent.subject for sent in mail.outbox] == [told.subject]


def test_a_reply_on_a_closed_case_is_recorded_without_reopening_and_the_customer_is_told(
    andes, open_case, django_capture_on_commit_callbacks
) -> None:
    case_services.case_close(case=open_case, actor=engineer(), reason=CloseReason.INACTIVITY, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        inbound = receive(eml("reply.eml", CASE_NUMBER=open_case.number), now=NOW + timedelta(hours=1))
    open_case.refresh_from_db()
    assert inbound.status == S.ACTIVITY and open_case.status == CaseStatus.CLOSED
    assert inbound.activity.data["case_closed"] is True
    note = open_case.activities.filter(kind=ActivityKind.INTERNAL_NOTE).get()
    assert "reopen" in note.body or "reabr" in note.body
    [answer] = CustomerEmail.objects.filter(event=CustomerEmail.Event.AUTO_REPLY)
    assert answer.case == open_case and answer.to_email == ANA
    [told] = Notification.objects.filter(kind=Notification.Kind.CUSTOMER_MESSAGE)
    assert "(cerrado)" in told.subject and "reabr" in told.body  # the engineers learn of it
    [sent] = [m for m in mail.outbox if m.to[0].endswith(f"<{ANA}>") or m.to == [ANA]]
    assert open_case.number in sent.subject and "cerrado" in sent.body
    assert sent.extra_headers["In-Reply-To"] == "<20261124083000.reply@clinica-andes.example>"


def test_a_case_number_of_another_customer_opens_a_new_case_instead(andes) -> None:
    others = registered_case(now=NOW - timedelta(days=1))
    inbound = receive(eml("reply.eml", CASE_NUMBER=others.number))
    case = case_of(inbound)
    assert case != others and case.customer == andes.customer
    assert not others.activities.filter(kind=ActivityKind.CUSTOMER_MESSAGE).exists()


# --- Refusals and automatic mail -----------------------------------------------------------------


def test_a_stranger_is_refused_and_answered_politely_once_a_day(
    andes, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        inbound = receive(eml("stranger.eml"))
    assert inbound.status == S.REFUSED and inbound.case is None
    refusal = inbound.refusal
    assert refusal.reason == RefusedRequest.Reason.NOT_DESIGNATED and refusal.channel == Channel.EMAIL
    assert refusal.requester_text == "pedro.perez@correo-personal.example" and refusal.customer is None
    assert refusal.subject == "Ayuda con CTLog"
    [answer] = CustomerEmail.objects.all()
    assert answer.event == CustomerEmail.Event.AUTO_REPLY and answer.case is None
    [sent] = mail.outbox
    assert sent.to == ["Pedro Perez <pedro.perez@correo-personal.example>"]
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "solo los contactos técnicos que cada cliente designa" in sent.body
    assert "extensión 911" in sent.body and "Cómo designar" in sent.body
    assert not Case.objects.exists()

    # A second message the same day is recorded, not answered again; the next day it is.
    other = simple_message(sender="pedro.perez@correo-personal.example", subject="¿Hola?", Message_ID="<2@x>")
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(other, now=NOW + timedelta(hours=2)).status == S.REFUSED
    assert RefusedRequest.objects.count() == 2 and len(mail.outbox) == 1
    later = simple_message(sender="pedro.perez@correo-personal.example", subject="¿Hola?", Message_ID="<3@x>")
    with django_capture_on_commit_callbacks(execute=True):
        receive(later, now=NOW + timedelta(days=1))
    assert len(mail.outbox) == 2


def test_a_contact_no_longer_designated_is_refused_as_a_stranger(andes) -> None:
    andes.ana.is_active = False
    andes.ana.save()
    inbound = receive(eml("plain.eml"))
    assert inbound.status == S.REFUSED and inbound.refusal.requester == andes.ana
    assert inbound.refusal.customer == andes.customer and not Case.objects.exists()


def test_a_request_the_intake_rules_refuse_is_answered_with_the_reason(
    andes, django_capture_on_commit_callbacks
) -> None:
    andes.contract.end_date = date(2026, 10, 31)
    andes.contract.save()
    with django_capture_on_commit_callbacks(execute=True):
        inbound = receive(eml("plain.eml"))
    assert inbound.status == S.REFUSED and not Case.objects.exists()
    assert inbound.refusal.reason == RefusedRequest.Reason.NO_CONTRACT
    assert inbound.refusal.requester == andes.ana and inbound.refusal.channel == Channel.EMAIL
    [answer] = CustomerEmail.objects.all()
    assert answer.event == CustomerEmail.Event.REFUSED and answer.to_email == ANA
    [sent] = mail.outbox
    assert inbound.refusal.message in sent.body and "Hola Ana Rodríguez" in sent.body


@pytest.mark.parametrize(
    ("fixture", "why"),
    [
        (lambda: eml("out_of_office.eml"), "Auto-Submitted"),
        (lambda: simple_message(Precedence="bulk"), "Precedence"),
        (lambda: simple_message(sender="MAILER-DAEMON@clinica-andes.example"), "mailer-daemon"),
        (lambda: simple_message(sender="postmaster@correo-personal.example"), "postmaster"),
        (lambda: simple_message(sender="Support@CalltechSA.com"), "support@calltechsa.com"),
    ],
)
def test_automatic_mail_is_ignored_and_never_answered(andes, fixture, why) -> None:
    inbound = receive(fixture())
    assert inbound.status == S.IGNORED and why in inbound.error
    assert not Case.objects.exists() and not RefusedRequest.objects.exists()
    assert not CustomerEmail.objects.exists()


# --- Failures: kept, logged, processed again -----------------------------------------------------


def test_a_malformed_message_is_kept_logged_and_failed_without_crashing(andes, caplog) -> None:
    raw = eml("malformed.eml")
    with caplog.at_level(logging.WARNING, logger="escalation.services.inbound"):
        inbound = receive(raw)
    assert inbound.status == S.FAILED and bytes(inbound.raw) == raw
    assert inbound.error.startswith("MalformedMessage: ") and inbound.attempts == 1
    assert inbound.case is None and inbound.refusal is None
    assert f"incoming e-mail {inbound.pk}" in caplog.text
    assert not Case.objects.exists() and not CustomerEmail.objects.exists()
    # Processing it again without asking does nothing; the next message is handled as usual.
    assert inbound_process(inbound_id=inbound.pk, now=NOW).attempts == 1
    assert receive(eml("plain.eml")).status == S.CASE


def test_a_crash_while_processing_marks_the_message_failed_and_the_admin_can_retry(
    andes, monkeypatch, caplog, client
) -> None:
    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(case_services, "case_register", boom)
    inbound = receive(eml("plain.eml"))
    assert inbound.status == S.FAILED and inbound.error == "RuntimeError: database went away"
    assert "could not be processed" in caplog.text and not RefusedRequest.objects.exists()
    monkeypatch.undo()

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:escalation_inboundemail_changelist")
    assert client.get(changelist, {"status__exact": "failed"}).status_code == 200
    response = client.post(changelist, {"action": "process_again", "_selected_action": [inbound.pk]})
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert inbound.status == S.CASE and inbound.attempts == 2 and Case.objects.count() == 1

    download = client.get(reverse("admin:escalation_inboundemail_raw", args=[inbound.pk]))
    assert download["Content-Type"] == "message/rfc822" and "attachment" in download["Content-Disposition"]
    assert download.content == eml("plain.eml")
    assert client.get(reverse("admin:escalation_inboundemail_change", args=[inbound.pk])).status_code == 200


# --- The mail server pipe --------------------------------------------------------------------------


def test_receive_email_command_reads_one_message_on_stdin(andes) -> None:
    out = io.StringIO()
    call_command("receive_email", stdin=io.BytesIO(eml("plain.eml")), stdout=out)
    inbound = InboundEmail.objects.get()
    assert inbound.source == InboundEmail.Source.PIPE and inbound.status == S.CASE
    assert f"#{inbound.pk}: case" in out.getvalue()


def test_receive_email_exits_zero_once_stored_even_if_processing_failed(andes) -> None:
    call_command("receive_email", stdin=io.BytesIO(eml("malformed.eml")), stdout=io.StringIO())
    assert InboundEmail.objects.get().status == S.FAILED


def test_receive_email_fails_only_when_the_message_cannot_be_stored(andes, monkeypatch) -> None:
    from escalation.management.commands import receive_email

    with pytest.raises(CommandError) as empty:
        call_command("receive_email", stdin=io.BytesIO(b"  \n"))
    assert empty.value.returncode == 66

    def down(**kwargs):
        raise OSError("database unavailable")

    monkeypatch.setattr(receive_email, "inbound_store", down)
    with pytest.raises(CommandError) as failed:
        call_command("receive_email", stdin=io.BytesIO(eml("plain.eml")))
    assert failed.value.returncode == 75  # EX_TEMPFAIL: the mail server keeps it and retries


def test_receive_email_dry_run_stores_nothing(andes) -> None:
    out = io.StringIO()
    call_command("receive_email", "--dry-run", stdin=io.BytesIO(eml("attachments.eml")), stdout=out)
    assert "Attachment: captura consola.png" in out.getvalue() and not InboundEmail.objects.exists()
