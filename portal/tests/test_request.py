"""A new request from the portal: the company's licensed products only, registered with channel
"portal" for the login's company and contact whatever else is posted, once per form token, the
desk's rules answered in the form, files checked, an expired contract refused with whom to call."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.idempotency import TOKEN_FIELD
from cases.models import ActivityKind, Case, CaseAttachment, CaseStatus, Channel, RefusedRequest
from cases.tests.double_submit import ALREADY_SENT, assert_forms_are_idempotent
from contracts.tests.factories import InstallationFactory, ProductFactory
from escalation.models import EscalationContact, EscalationLevel

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
URL = "/portal/solicitudes/nueva/"


def token_of(html: str) -> str:
    found = re.search(rf'name="{TOKEN_FIELD}" value="([^"]+)"', html)
    assert found, "the form carries no one-time token"
    return found.group(1)


def request_data(world, **extra) -> dict:
    return {
        "installation": world.case_a.installation_id,
        "product_version": "8.4",
        "product_build": "2210",
        "operating_system": "Windows Server",
        "os_version": "2022",
        "scope": "product",
        "suggested_priority": "P2",
        "subject": "No graba las llamadas entrantes",
        "description": "Desde las 8:00 el grabador muestra ERROR 0x80040154 al iniciar.",
        "reproducer": "",
        **extra,
    }


@pytest.fixture
def a2(client, world):
    client.force_login(world.a2.user)
    return client


def test_the_form_offers_only_the_company_licensed_supported_products(a2, world) -> None:
    obsolete = InstallationFactory(
        customer=world.case_a.customer, product=ProductFactory(name="CTPos", is_obsolete=True)
    )
    world.case_a.contract.installations.add(obsolete)
    html = a2.get(URL).content.decode()
    assert assert_forms_are_idempotent(html, URL) == [URL]
    options = re.findall(r'<option value="(\d+)"', html.split('name="installation"')[1].split("</select>")[0])
    assert options == [str(world.case_a.installation_id)]
    assert world.case_b.product.name not in html


def test_a_request_is_registered_for_the_login_whatever_hidden_fields_say(a2, world) -> None:
    html = a2.get(URL).content.decode()
    posted = request_data(
        world,
        customer=world.case_b.customer_id,
        requester=world.b1.pk,
        contact=world.b1.pk,
        status=CaseStatus.CLOSED,
        assigned_to=world.engineer.pk,
        assignee=world.engineer.pk,
        priority="P1",
        channel=Channel.PHONE,
        registered_by=world.engineer.pk,
        attachments=SimpleUploadedFile("grabador.log", b"2026-12-02 ERROR 0x80040154\n"),
        **{TOKEN_FIELD: token_of(html)},
    )
    response = a2.post(URL, posted)
    case = Case.objects.get(subject="No graba las llamadas entrantes")
    assert response.status_code == 302 and response["Location"] == f"/portal/casos/{case.number}/"
    assert case.customer_id == world.case_a.customer_id and case.requester_id == world.a2.pk
    assert case.channel == Channel.PORTAL and case.status == CaseStatus.NEW
    assert case.assigned_to is None and case.priority == "P2"
    assert case.registered_by == world.a2.user
    assert (case.product_version, case.product_build) == ("8.4", "2210")
    assert [a.original_name for a in CaseAttachment.objects.filter(case=case)] == ["grabador.log"]
    page = a2.get(response["Location"]).content.decode()
    assert case.number in page and "Su solicitud quedó registrada como el caso" in page


def test_two_identical_posts_make_one_case(a2, world) -> None:
    token = token_of(a2.get(URL).content.decode())
    first = a2.post(URL, request_data(world, **{TOKEN_FIELD: token}))
    second = a2.post(URL, request_data(world, **{TOKEN_FIELD: token}), follow=True)
    assert Case.objects.filter(subject="No graba las llamadas entrantes").count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert ALREADY_SENT in second.content.decode()


def test_outside_gold_hours_the_clock_starts_at_the_next_opening(a2, world, clock) -> None:
    clock.move_to(datetime(2026, 12, 2, 19, 0, tzinfo=BOGOTA))  # Wednesday evening, Gold closed
    token = token_of(a2.get(URL).content.decode())
    a2.post(URL, request_data(world, **{TOKEN_FIELD: token}))
    case = Case.objects.get(subject="No graba las llamadas entrantes")
    assert case.registered_at.astimezone(BOGOTA).hour == 19
    # Gold P2: 6 business hours from Thursday 07:30.
    assert case.attention_due_at == datetime(2026, 12, 3, 13, 30, tzinfo=BOGOTA)


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        (
            "captura.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "captura.svg",
        ),
        ("pagina.log", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "pagina.log"),
        ("enorme.log", b"x" * 2048, "enorme.log"),
    ],
)
def test_a_refused_file_refuses_the_request_and_keeps_nothing(
    a2, world, settings, name, content, said
) -> None:
    settings.SMA_MAX_ATTACHMENT_BYTES = 1024
    token = token_of(a2.get(URL).content.decode())
    upload = SimpleUploadedFile(name, content)
    response = a2.post(URL, request_data(world, attachments=upload, **{TOKEN_FIELD: token}))
    assert response.status_code == 400
    assert said in response.content.decode() and "Nada se guardó" in response.content.decode()
    assert not Case.objects.filter(subject="No graba las llamadas entrantes").exists()
    assert not CaseAttachment.objects.filter(original_name=name).exists()


def test_a_product_the_company_does_not_license_is_refused_clearly(a2, world) -> None:
    token = token_of(a2.get(URL).content.decode())
    response = a2.post(
        URL, request_data(world, installation=world.case_b.installation_id, **{TOKEN_FIELD: token})
    )
    assert response.status_code == 400
    assert "Su empresa no tiene licencia de ese producto" in response.content.decode()
    assert not Case.objects.filter(subject="No graba las llamadas entrantes").exists()


def test_out_of_scope_is_refused_with_the_desk_reason_and_recorded(a2, world) -> None:
    token = token_of(a2.get(URL).content.decode())
    response = a2.post(URL, request_data(world, scope="training", **{TOKEN_FIELD: token}))
    assert response.status_code == 400
    assert "El soporte técnico no cubre" in response.content.decode()
    refusal = RefusedRequest.objects.get()
    assert refusal.channel == Channel.PORTAL and refusal.requester == world.a2
    # The token was released: the corrected form can be sent with it.
    again = a2.post(URL, request_data(world, **{TOKEN_FIELD: token}))
    assert again.status_code == 302


def test_an_expired_contract_refuses_with_the_reason_and_whom_to_call(a2, world) -> None:
    contract = world.case_a.contract
    contract.start_date, contract.end_date = date(2025, 1, 1), date(2025, 12, 31)
    contract.save()
    level = EscalationLevel.objects.get(number=4)
    EscalationContact.objects.get_or_create(
        level=level,
        name="Alicia Londoño Galindo",
        defaults={"role": "Gerente de cuenta", "phone_extension": "312"},
    )
    page = a2.get(URL)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="request-refused"' in html
    assert "no tiene un contrato de soporte vigente" in html and "comercial@calltechsa.com" in html
    assert "Alicia Londoño Galindo" in html and "ext. 312" in html
    assert 'data-testid="request-form"' not in html
    response = a2.post(URL, request_data(world, **{TOKEN_FIELD: "x" * 32}))
    assert (
        response.status_code == 400 and "no tiene un contrato de soporte vigente" in response.content.decode()
    )
    assert not Case.objects.filter(subject="No graba las llamadas entrantes").exists()
    refusal = RefusedRequest.objects.get()
    assert refusal.reason == RefusedRequest.Reason.NO_CONTRACT and refusal.channel == Channel.PORTAL
    # History is still there to read.
    assert a2.get(reverse("portal:case_detail", args=[world.case_a.number])).status_code == 200
    assert world.case_a.number in a2.get(reverse("portal:home") + "?state=all").content.decode()


def test_the_registration_is_on_the_timeline_as_a_portal_request(a2, world) -> None:
    token = token_of(a2.get(URL).content.decode())
    a2.post(URL, request_data(world, **{TOKEN_FIELD: token}))
    case = Case.objects.get(subject="No graba las llamadas entrantes")
    registration = case.activities.get(kind=ActivityKind.REGISTRATION)
    assert registration.is_public and "Portal de clientes" in registration.body


def test_the_suggested_priority_is_shown_until_an_engineer_confirms_it(a2, world, client) -> None:
    from django.test import Client

    from cases import services as case_services

    token = token_of(a2.get(URL).content.decode())
    a2.post(URL, request_data(world, **{TOKEN_FIELD: token}))
    case = Case.objects.get(subject="No graba las llamadas entrantes")
    page = reverse("portal:case_detail", args=[case.number])
    assert 'data-testid="priority-suggested"' in a2.get(page).content.decode()
    desk = Client()
    desk.force_login(world.engineer)
    assert (
        'data-testid="priority-suggested"'
        in desk.get(reverse("cases:detail", args=[case.number])).content.decode()
    )
    case_services.case_change_priority(case=case, actor=world.engineer, priority="P2")
    assert 'data-testid="priority-suggested"' not in a2.get(page).content.decode()
    assert "Se confirmó la prioridad que sugirió el cliente." in a2.get(page).content.decode()
