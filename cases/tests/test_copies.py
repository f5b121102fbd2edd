"""Copies on a case: only designated contacts of the case's company, added on the desk or by the
requester in the portal; the case's customer e-mails carry them in Cc."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from cases import services
from cases.errors import CaseError
from cases.models import ActivityKind, CaseActivity, CaseCopy
from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.tests.factories import TechnicalContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eng():
    return engineer(username="ing.cc")


@pytest.fixture
def setup():
    made = customer_setup()
    made["colleague"] = TechnicalContactFactory(
        customer=made["customer"], full_name="Julián Pérez", email="julian.perez@empresa.example"
    )
    return made


def test_a_designated_colleague_is_copied_once_with_an_audit_row(setup, eng) -> None:
    case = registered_case(setup=setup)
    services.case_copy_add(case=case, actor=eng, email="JULIAN.PEREZ@empresa.example")
    services.case_copy_add(case=case, actor=eng, email="julian.perez@empresa.example")
    assert list(CaseCopy.objects.values_list("contact", flat=True)) == [setup["colleague"].pk]
    assert CaseActivity.objects.filter(case=case, kind=ActivityKind.COPIES_CHANGED).count() == 1


@pytest.mark.parametrize(
    "address",
    ["intruso@otra.example", "julian.perez@empresa.example.evil", ""],
)
def test_an_address_outside_the_designated_contacts_is_refused(setup, eng, address) -> None:
    case = registered_case(setup=setup)
    with pytest.raises(CaseError) as error:
        services.case_copy_add(case=case, actor=eng, email=address)
    assert error.value.code == "cc_outside"
    assert (
        "no es un contacto técnico designado" in error.value.messages[0]
        or "is not a designated" in (error.value.messages[0])
    )
    assert not CaseCopy.objects.exists()


def test_another_company_contact_and_an_ended_designation_are_refused(setup, eng) -> None:
    case = registered_case(setup=setup)
    stranger = TechnicalContactFactory(email="ajeno@otra.example")  # another company's contact
    ended = TechnicalContactFactory(
        customer=setup["customer"], email="ya.no@empresa.example", is_active=False
    )
    for contact in (stranger, ended):
        with pytest.raises(CaseError):
            services.case_copy_add(case=case, actor=eng, email=contact.email)
    assert not CaseCopy.objects.exists()


def test_only_the_requester_changes_copies_in_the_portal(setup, eng) -> None:
    case = registered_case(setup=setup)
    with pytest.raises(CaseError) as error:
        services.case_copy_add(
            case=case, actor=None, email=setup["requester"].email, by_contact=setup["colleague"]
        )
    assert error.value.code == "cc_not_requester"
    services.case_copy_add(
        case=case, actor=None, email=setup["colleague"].email, by_contact=setup["requester"]
    )
    assert CaseCopy.objects.filter(case=case).count() == 1


def test_the_desk_refuses_an_outside_address_with_a_clear_message(client, setup, eng) -> None:
    case = registered_case(setup=setup)
    client.force_login(eng)
    url = reverse("cases:action", args=[case.number, "copy"])
    response = client.post(url, {"copy-email": "intruso@otra.example"})
    assert response.status_code == 400
    assert "intruso@otra.example no es un contacto técnico designado" in response.content.decode()
    assert not CaseCopy.objects.exists()
    response = client.post(url, {"copy-email": setup["colleague"].email})
    assert response.status_code == 302 and CaseCopy.objects.count() == 1
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "Julián Pérez · julian.perez@empresa.example" in page


def test_case_mail_goes_in_cc_to_the_copied_contacts_only(setup, eng, settings) -> None:
    from escalation.models import CustomerEmail
    from escalation.services import customer_mail
    from escalation.services.outbox import send_once

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    case = registered_case(setup=setup)
    services.case_copy_add(case=case, actor=eng, email=setup["colleague"].email)
    services.case_log_activity(
        case=case, actor=eng, kind=ActivityKind.EMAIL, body="Le escribimos.", is_public=True
    )
    customer_mail.customer_email_collect()
    reply = CustomerEmail.objects.get(case=case, event=CustomerEmail.Event.REPLY)
    assert reply.cc == ["Julián Pérez <julian.perez@empresa.example>"]
    mail.outbox.clear()
    send_once(CustomerEmail, reply.pk, send=customer_mail._send)
    (sent,) = mail.outbox
    assert sent.to == [customer_mail._address(setup["requester"].full_name, setup["requester"].email)]
    assert sent.cc == ["Julián Pérez <julian.perez@empresa.example>"]


def test_forgetting_a_former_contact_also_rewrites_the_cc_kept(setup, eng) -> None:
    from escalation.models import CustomerEmail
    from escalation.services import customer_mail
    from escalation.services.privacy import mail_forget

    case = registered_case(setup=setup)
    services.case_copy_add(case=case, actor=eng, email=setup["colleague"].email)
    services.case_log_activity(case=case, actor=eng, kind=ActivityKind.EMAIL, body="Hola.", is_public=True)
    customer_mail.customer_email_collect()
    mail_forget(
        name="Julián Pérez",
        email="julian.perez@empresa.example",
        replacement_name="Contacto anonimizado",
        replacement_email="anonimo@invalid.example",
    )
    reply = CustomerEmail.objects.get(case=case, event=CustomerEmail.Event.REPLY)
    assert reply.cc == ["Contacto anonimizado <anonimo@invalid.example>"]
