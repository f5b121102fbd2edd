"""E-mail in that must not be answered blindly: mail a machine sent (each standard signal, an
Exchange out-of-office, a delivery report, a list), copies that reached us by Bcc or a list
(held for review by default, or handled without automatic answers), aliases of the support
address, and two copies of one message processed at the same instant."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from cases import services as case_services
from cases.models import ActivityKind, Case, CloseReason, RefusedRequest
from cases.tests.factories import engineer
from contracts.tests.factories import UserFactory
from escalation.models import CustomerEmail, InboundEmail
from escalation.services import customer_email_collect
from escalation.services import inbound as inbound_service
from escalation.services.inbound import inbound_dismiss, inbound_process, inbound_release, inbound_store

from .mail_helpers import ANA, NOW, S, case_of, eml, receive, simple_message

pytestmark = pytest.mark.django_db


def assert_ignored(inbound: InboundEmail, why: str) -> None:
    assert inbound.status == S.IGNORED and why in inbound.error, inbound.error
    assert not Case.objects.exists() and not RefusedRequest.objects.exists()
    assert not CustomerEmail.objects.exists()


# --- Automatic mail ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"Auto_Submitted": "auto-generated"}, "Auto-Submitted: auto-generated"),
        ({"Auto_Submitted": "auto-notified"}, "Auto-Submitted: auto-notified"),
        ({"X_Auto_Response_Suppress": "DR, RN, NRN, OOF, AutoReply"}, "X-Auto-Response-Suppress"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"Precedence": "junk"}, "Precedence: junk"),
        ({"Precedence": "list"}, "Precedence: list"),
        ({"Precedence": "auto_reply"}, "Precedence: auto_reply"),
        ({"List_Id": "<novedades.clinica-andes.example>"}, "List-Id"),
        ({"List_Unsubscribe": "<mailto:baja@clinica-andes.example>"}, "List-Unsubscribe"),
        ({"Return_Path": "<>"}, "empty Return-Path"),
        ({"X_Failed_Recipients": "nadie@clinica-andes.example"}, "delivery status notification"),
        ({"Subject": "Respuesta automática: Consulta"}, "out-of-office subject"),
        ({"Subject": "Fuera de la oficina: Consulta"}, "out-of-office subject"),
        ({"Subject": "Fuera de la oficina"}, "out-of-office subject"),
        ({"Subject": "Automatic reply: Consulta"}, "out-of-office subject"),
        ({"Subject": "Out of Office: Consulta"}, "out-of-office subject"),
        ({"Subject": "RE: Out of office AutoReply: Consulta"}, "out-of-office subject"),
    ],
)
def test_each_standard_signal_of_automatic_mail_is_ignored_and_never_answered(andes, headers, why) -> None:
    subject = headers.pop("Subject", "Consulta sobre CTLog")
    assert_ignored(receive(simple_message(subject=subject, **headers)), why)


@pytest.mark.parametrize(
    ("headers", "subject"),
    [
        ({"Auto_Submitted": "no"}, "Consulta sobre CTLog"),
        ({}, "El acceso remoto fuera de la oficina no funciona en CTLog"),
        ({}, "Consulta: out of office hours recording in CTLog"),
        ({"Return_Path": "<ana.rodriguez@clinica-andes.example>"}, "Consulta sobre CTLog"),
    ],
)
def test_a_persons_message_that_only_resembles_automatic_mail_becomes_a_case(andes, headers, subject) -> None:
    case_of(receive(simple_message(subject=subject, **headers)))


def test_an_exchange_out_of_office_answer_is_not_added_to_the_case_it_answers(andes, open_case) -> None:
    customer_email_collect(now=NOW)
    sent = CustomerEmail.objects.get(case=open_case)
    inbound = receive(eml("exchange_out_of_office.eml", SENT_ID=sent.message_id), now=NOW + timedelta(days=1))
    assert inbound.status == S.IGNORED and "Auto-Submitted: auto-generated" in inbound.error
    assert not open_case.activities.filter(kind=ActivityKind.CUSTOMER_MESSAGE).exists()
    assert CustomerEmail.objects.count() == 1  # only the registration e-mail: nothing answered


def test_an_out_of_office_subject_alone_is_enough(andes) -> None:
    raw = eml("exchange_out_of_office.eml", SENT_ID="<x@calltechsa.com>")
    for signal in (b"Auto-Submitted: auto-generated\n", b"X-Auto-Response-Suppress: All\n"):
        raw = raw.replace(signal, b"")
    assert_ignored(receive(raw), "out-of-office subject 'Respuesta automática: Respuesta del ingeniero'")


def test_an_exchange_delivery_report_is_ignored_even_without_its_empty_return_path(andes) -> None:
    raw = eml("exchange_ndr.eml", SENT_ID="<x@calltechsa.com>")
    assert_ignored(receive(raw), "empty Return-Path")
    other_copy = raw.replace(b"Return-Path: <>\n", b"").replace(b"<a2f1c3d4", b"<b2f1c3d4")
    inbound = receive(other_copy)
    assert inbound.status == S.IGNORED and inbound.error.endswith("delivery status notification")


def test_a_mailing_list_post_is_ignored(andes) -> None:
    assert_ignored(receive(eml("mailing_list.eml")), "Precedence: list")


# --- Not addressed to the support address: Bcc and list copies -----------------------------------


def test_a_bcc_copy_is_held_for_review_and_nobody_is_answered(andes) -> None:
    inbound = receive(eml("thunderbird_bcc.eml"))
    assert inbound.status == S.HELD and "ni en Para ni en CC" in inbound.error
    assert inbound.processed_at == NOW and inbound.sent_at is not None
    assert not Case.objects.exists() and not CustomerEmail.objects.exists()
    assert inbound_process(inbound_id=inbound.pk, now=NOW, retry=True).status == S.HELD  # only by review


def test_a_held_stranger_is_neither_refused_nor_answered(andes) -> None:
    raw = simple_message(sender="pedro.perez@correo-personal.example", to="pedro@correo-personal.example")
    assert receive(raw).status == S.HELD
    assert not RefusedRequest.objects.exists() and not CustomerEmail.objects.exists()


def test_staff_handle_a_held_message_from_the_admin_and_it_becomes_a_case(
    andes, client, django_capture_on_commit_callbacks
) -> None:
    inbound = receive(eml("thunderbird_bcc.eml"))
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:escalation_inboundemail_changelist")
    listing = client.get(changelist, {"status__exact": "held"})
    assert listing.status_code == 200 and "Falla de grabación en CTLog" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "handle_held", "_selected_action": [inbound.pk]})
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert inbound.status == S.CASE and inbound.reviewed_by == admin and inbound.reviewed_at is not None
    case = Case.objects.get()
    assert case.requester == andes.ana and case.subject == "Falla de grabación en CTLog (para tu información)"
    customer_email_collect(now=NOW)
    assert CustomerEmail.objects.get().event == CustomerEmail.Event.REGISTERED  # reviewed: told as usual
    page = client.get(reverse("admin:escalation_inboundemail_change", args=[inbound.pk]))
    assert page.status_code == 200 and "root" in page.content.decode()


def test_staff_dismiss_a_held_message_and_it_stays_kept_unanswered(andes, client) -> None:
    inbound = receive(eml("thunderbird_bcc.eml"))
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:escalation_inboundemail_changelist")
    client.post(changelist, {"action": "dismiss_held", "_selected_action": [inbound.pk]})
    inbound.refresh_from_db()
    assert inbound.status == S.IGNORED and inbound.reviewed_by == admin
    assert inbound.error == "Descartado tras la revisión de root."
    assert not Case.objects.exists() and not CustomerEmail.objects.exists()
    # Dismissing or handling again changes nothing.
    assert inbound_dismiss(inbound_id=inbound.pk, actor=admin, now=NOW).status == S.IGNORED
    assert inbound_release(inbound_id=inbound.pk, actor=admin, now=NOW).status == S.IGNORED
    assert not Case.objects.exists()


def test_with_register_a_bcc_copy_becomes_a_case_but_no_automatic_answer_goes_out(andes, settings) -> None:
    settings.SMA_INBOUND_UNADDRESSED = "register"
    case = case_of(receive(eml("thunderbird_bcc.eml")))
    assert case.requester == andes.ana
    stranger = simple_message(
        sender="pedro.perez@correo-personal.example", to="pedro@correo-personal.example"
    )
    refused = receive(stranger)
    assert (
        refused.status == S.REFUSED
        and refused.refusal.requester_text == "pedro.perez@correo-personal.example"
    )
    assert refused.error == "Sin respuesta: el mensaje no iba dirigido a soporte."
    assert not CustomerEmail.objects.filter(event=CustomerEmail.Event.AUTO_REPLY).exists()


def test_with_register_a_bcc_copy_on_a_closed_case_is_recorded_without_an_answer(
    andes, open_case, settings
) -> None:
    settings.SMA_INBOUND_UNADDRESSED = "register"
    case_services.case_close(case=open_case, actor=engineer(), reason=CloseReason.INACTIVITY, now=NOW)
    raw = simple_message(
        subject=f"[{open_case.number}] una cosa más", to="carlos.mejia@clinica-andes.example"
    )
    inbound = receive(raw, now=NOW + timedelta(hours=1))
    assert inbound.status == S.ACTIVITY and inbound.activity.data["case_closed"] is True
    assert not CustomerEmail.objects.filter(event=CustomerEmail.Event.AUTO_REPLY).exists()


def test_an_alias_of_the_support_address_counts_as_addressed(andes, settings) -> None:
    settings.SMA_SUPPORT_ALIASES = ["soporte@calltechsa.com"]
    case_of(receive(simple_message(to="Soporte <Soporte@CalltechSA.com>")))
    case_of(receive(simple_message(to="support+urgente@calltechsa.com", Message_ID="<2@x>", subject="Otra")))
    assert receive(simple_message(to="ventas@calltechsa.com", Message_ID="<3@x>")).status == S.HELD
    own = receive(
        simple_message(sender="Soporte@CalltechSA.com", Message_ID="<4@x>")
    )  # a loop, never answered
    assert own.status == S.IGNORED and "our own address" in own.error


# --- Two copies of one message at the same instant -----------------------------------------------


def copies() -> tuple[bytes, bytes]:
    """What the mailbox receives when To is the support address and Cc its alias: the same
    message twice, with different trace headers."""
    first = eml("alias_copy.eml", DELIVERED_TO="support@calltechsa.com", QUEUE_ID="4Ck6Ab1CdeF2mno")
    second = eml("alias_copy.eml", DELIVERED_TO="soporte@calltechsa.com", QUEUE_ID="4Ck6Ab1CdeF2pqr")
    assert first != second
    return first, second


def test_copies_through_an_alias_one_after_the_other_make_one_case(andes, settings) -> None:
    settings.SMA_SUPPORT_ALIASES = ["soporte@calltechsa.com"]
    first, second = copies()
    case = case_of(receive(first))
    again = receive(second)
    assert again.status == S.IGNORED and again.case == case and Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_copies_processed_at_the_same_instant_make_one_case(andes, settings, monkeypatch) -> None:
    settings.SMA_SUPPORT_ALIASES = ["soporte@calltechsa.com"]
    rows = [inbound_store(raw=raw, source=InboundEmail.Source.IMAP, now=NOW) for raw in copies()]
    # Widen the race: each worker lingers after looking for an earlier copy, so without the lock
    # both would find none and both would register a case.
    looked = inbound_service._earlier_copy

    def slow_lookup(inbound, parsed):
        found = looked(inbound, parsed)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(inbound_service, "_earlier_copy", slow_lookup)
    start = threading.Barrier(len(rows))
    results: dict[int, InboundEmail] = {}
    errors: list[BaseException] = []

    def work(pk: int) -> None:
        try:
            start.wait(timeout=10)
            results[pk] = inbound_process(inbound_id=pk, now=NOW)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(row.pk,)) for row in rows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors and len(results) == 2
    statuses = sorted(r.status for r in results.values())
    assert statuses == [S.CASE, S.IGNORED], [r.error for r in results.values()]
    assert Case.objects.count() == 1
    registered = next(r for r in results.values() if r.status == S.CASE)
    copy = next(r for r in results.values() if r.status == S.IGNORED)
    assert copy.case_id == registered.case_id and f"#{registered.pk}" in copy.error
    assert CustomerEmail.objects.count() == 0 and len(mail.outbox) == 0
    assert Case.objects.get().requester.email == ANA
