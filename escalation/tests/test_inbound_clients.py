"""E-mail in, as real clients write it: replies found by the Message-IDs they answer (Outlook,
Gmail, Thunderbird), the sender's Date kept apart from reception (Apple Mail), Outlook's
winmail.dat opened into its files, and broken MIME read as well as it can be."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from cases.models import ActivityKind, Case, CaseAttachment
from cases.tests.factories import engineer, registered_case
from escalation.models import CustomerEmail, InboundEmail
from escalation.services import customer_email_collect

from .mail_helpers import BOGOTA, NOW, S, case_of, eml, receive

pytestmark = pytest.mark.django_db


def sent_for(case: Case) -> CustomerEmail:
    """The e-mail SMA sent the customer when the case was registered (its Message-ID is ours)."""
    customer_email_collect(now=NOW)
    return CustomerEmail.objects.get(case=case, event=CustomerEmail.Event.REGISTERED)


# --- Replies matched to their case by the Message-IDs they answer ---------------------------------


def test_an_outlook_reply_with_a_new_subject_joins_the_case_through_in_reply_to(andes, open_case) -> None:
    sent = sent_for(open_case)
    assert sent.message_id.endswith("@calltechsa.com>") and open_case.number not in sent.message_id
    inbound = receive(eml("outlook_reply.eml", SENT_ID=sent.message_id), now=NOW + timedelta(days=1))
    assert inbound.status == S.ACTIVITY and inbound.case == open_case, inbound.error
    message = inbound.activity
    assert message.kind == ActivityKind.CUSTOMER_MESSAGE
    assert message.body.startswith("Buenos días,\n\nAplicamos el cambio que nos indicaron")
    assert "Enviado:" not in message.body and "parámetro" not in message.body  # Outlook's quote cut
    assert Case.objects.count() == 1


def test_a_gmail_reply_to_a_colleague_joins_the_case_through_references(andes, open_case) -> None:
    sent = sent_for(open_case)
    inbound = receive(eml("gmail_thread_reply.eml", SENT_ID=sent.message_id), now=NOW + timedelta(days=1))
    assert inbound.status == S.ACTIVITY and inbound.case == open_case, inbound.error
    assert inbound.activity.body == (
        "Carlos revisó el servidor: el disco de grabaciones estaba lleno. Ya liberamos\nespacio."
    )


def test_a_follow_up_to_the_customers_own_first_message_joins_the_case_it_opened(andes) -> None:
    case = case_of(receive(eml("plain.eml")))
    inbound = receive(eml("thunderbird_followup.eml"), now=NOW + timedelta(hours=1))
    assert inbound.status == S.ACTIVITY and inbound.case == case, inbound.error
    assert inbound.activity.body == (
        "Olvidé decirles: el error empezó después de la actualización de Windows de anoche."
    )  # format=flowed lines joined, the quoted first message left out
    assert Case.objects.count() == 1


def test_a_message_id_sent_about_another_customers_case_opens_a_new_case(andes) -> None:
    other = registered_case(now=NOW - timedelta(days=1))
    sent = sent_for(other)
    case = case_of(receive(eml("outlook_reply.eml", SENT_ID=sent.message_id), now=NOW + timedelta(days=1)))
    assert case != other and case.customer == andes.customer
    assert not other.activities.filter(kind=ActivityKind.CUSTOMER_MESSAGE).exists()


def test_a_reply_to_an_unknown_message_id_opens_a_new_case(andes, open_case) -> None:
    raw = eml("outlook_reply.eml", SENT_ID="<sma.0000000000000000@calltechsa.com>")
    case = case_of(receive(raw, now=NOW + timedelta(days=1)))
    assert case != open_case and case.subject == "Ya graba el canal 12"


# --- The sender's Date ----------------------------------------------------------------------------


def test_the_senders_date_is_recorded_and_shown_but_registration_counts_from_reception(andes, client) -> None:
    inbound = receive(eml("apple_mail_weekend.eml"))  # written Friday evening, received Monday
    case = case_of(inbound)
    friday = datetime(2026, 11, 20, 19, 40, 12, tzinfo=BOGOTA)
    assert inbound.sent_at == friday and inbound.received_at == NOW
    assert case.registered_at == NOW and case.installation == andes.ctvox
    registration = case.activities.get(kind=ActivityKind.REGISTRATION)
    assert registration.created_at == NOW
    assert datetime.fromisoformat(registration.data["sent_at"]) == friday
    assert registration.data["in_reply_to"] == "<A4C1E2F3-7B8D-4E9F-A0B1-C2D3E4F5A6B7@clinica-andes.example>"

    client.force_login(engineer())
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert 'data-testid="sent-at">enviado <time datetime="2026-11-20T19:40:12-05:00">20/11/2026 19:40' in page


def test_a_reply_keeps_its_senders_date_on_the_timeline(andes) -> None:
    case = case_of(receive(eml("plain.eml")))
    message = receive(eml("thunderbird_followup.eml"), now=NOW + timedelta(hours=1)).activity
    assert message.data["sent_at"] == "2026-11-23T11:20:07-05:00"
    assert message.created_at == NOW + timedelta(hours=1) and message.case == case


def test_a_date_that_cannot_be_read_is_a_recorded_defect_not_a_failure(andes) -> None:
    raw = eml("plain.eml").replace(b"Date: Mon, 23 Nov 2026 10:02:07 -0500", b"Date: lunes a las diez")
    inbound = receive(raw)
    assert inbound.status == S.CASE and inbound.sent_at is None
    assert any("Date header could not be read" in d for d in inbound.defects)


# --- Outlook's winmail.dat ------------------------------------------------------------------------


def test_winmail_dat_is_opened_into_its_files_and_each_is_kept(andes) -> None:
    inbound = receive(eml("outlook_winmail.eml"))
    case = case_of(inbound)
    kept = {a.original_name: a for a in CaseAttachment.objects.filter(case=case)}
    assert set(kept) == {"TBZ PARIV GmbH.jpg", "image003.jpg", "UmlautAnhang-äüö.txt"}  # no winmail.dat
    assert kept["TBZ PARIV GmbH.jpg"].file.read().startswith(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    assert (
        kept["TBZ PARIV GmbH.jpg"].size == 44764 and kept["TBZ PARIV GmbH.jpg"].content_type == "image/jpeg"
    )
    assert kept["UmlautAnhang-äüö.txt"].file.read() == b"TEST \xe4\xf6\xfc +-*/~"
    assert all(a.activity_id == inbound.activity_id and not a.damaged for a in kept.values())
    assert case.description.startswith("Buenos días,\n\nAdjunto las capturas de la consola de CTLog")
    assert not case.activities.filter(kind=ActivityKind.INTERNAL_NOTE).exists()


def test_files_inside_winmail_dat_are_checked_like_any_other(andes) -> None:
    case = case_of(receive(eml("outlook_winmail_refused.eml")))
    assert not CaseAttachment.objects.filter(case=case).exists()
    note = case.activities.get(kind=ActivityKind.INTERNAL_NOTE)
    assert [r["name"] for r in note.data["attachments_refused"]] == ["AUTHORS", "README"]
    assert "AUTHORS" in note.body and "README" in note.body


def test_a_winmail_dat_that_cannot_be_opened_is_refused_as_a_file_and_noted(andes) -> None:
    raw = eml("outlook_winmail_refused.eml")
    head, _sep, rest = raw.partition(b"Content-Transfer-Encoding: base64\n\n")
    raw = head + b"Content-Transfer-Encoding: base64\n\nbm90IGEgVE5FRiBmaWxl\n" + rest[rest.index(b"\n--") :]
    inbound = receive(raw)
    case = case_of(inbound)
    note = case.activities.get(kind=ActivityKind.INTERNAL_NOTE)
    assert [r["name"] for r in note.data["attachments_refused"]] == ["winmail.dat"]
    assert any("winmail.dat: TNEF could not be opened" in d for d in inbound.defects)


# --- Broken MIME ----------------------------------------------------------------------------------


def test_a_cut_off_message_keeps_its_text_and_its_truncated_file_flagged_damaged(andes, client) -> None:
    inbound = receive(eml("thunderbird_truncated.eml"))
    case = case_of(inbound)
    assert case.description == "Adjunto el registro de CTLog y una captura de la consola del canal 12."
    kept = {a.original_name: a for a in CaseAttachment.objects.filter(case=case)}
    assert set(kept) == {"grabacion.log", "captura-canal12.png"}
    assert not kept["grabacion.log"].damaged
    assert kept["captura-canal12.png"].damaged and kept["captura-canal12.png"].size > 0
    assert "part 1 (multipart/mixed): CloseBoundaryNotFoundDefect" in inbound.defects
    assert "captura-canal12.png: damaged (truncated)" in inbound.defects
    note = case.activities.get(kind=ActivityKind.INTERNAL_NOTE)
    assert note.data["attachments_damaged"] == ["captura-canal12.png"] and "captura-canal12.png" in note.body

    client.force_login(engineer())
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert page.count(">dañado</span>") == 1


def test_a_damaged_file_on_a_reply_is_flagged_too(andes, open_case) -> None:
    raw = eml("thunderbird_truncated.eml").replace(
        b"Subject: CTLog: registro", f"Subject: [{open_case.number}] CTLog: registro".encode()
    )
    inbound = receive(raw)
    assert inbound.status == S.ACTIVITY and inbound.case == open_case
    flags = dict(inbound.activity.attachments.values_list("original_name", "damaged"))
    assert flags == {"grabacion.log": False, "captura-canal12.png": True}


def test_a_boundary_rewritten_on_the_way_is_recovered_and_the_defect_recorded(andes) -> None:
    inbound = receive(eml("broken_boundary.eml"))
    case = case_of(inbound)
    assert (
        case.description
        == "El canal 12 sigue sin grabar después de reiniciar el servicio.\nAdjunto el registro."
    )
    [kept] = CaseAttachment.objects.filter(case=case)
    assert kept.original_name == "grabacion.log" and kept.file.read().startswith(b"2026-11-23 09:58:01 ERROR")
    assert "part 1 (multipart/mixed): StartBoundaryNotFoundDefect" in inbound.defects
    assert "boundary recovered from the body" in inbound.defects
    stored = InboundEmail.objects.get(pk=inbound.pk)
    assert stored.defects == inbound.defects  # kept on the stored message


def test_a_multipart_without_any_boundary_still_shows_what_was_written(andes) -> None:
    raw = (
        "From: Ana Rodriguez <ana.rodriguez@clinica-andes.example>\r\n"
        "To: support@calltechsa.com\r\nSubject: CTLog sin grabar\r\n"
        "Message-ID: <sin-partes@clinica-andes.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="nunca-aparece"\r\n\r\n'
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "La grabación del canal 12 se detiene cada hora.\r\n"
    ).encode()
    inbound = receive(raw)
    case = case_of(inbound)
    assert case.description == "La grabación del canal 12 se detiene cada hora."
    assert "part 1 (multipart/alternative): StartBoundaryNotFoundDefect" in inbound.defects
