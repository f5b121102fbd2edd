"""The company page: only the contact's own company, the plan's support hours, the channels and
the escalation matrix; a contact's request to change their data waits for an admin."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from contracts.models import ContactChangeRequest, TechnicalContact
from contracts.tests.clock import BOGOTA
from contracts.tests.factories import (
    InstallationFactory,
    ProductFactory,
    SupportContractFactory,
    platinum_plan,
)
from escalation.models import EscalationContact
from warranty.services import software_update_apply

pytestmark = pytest.mark.django_db


def test_the_page_shows_only_the_contacts_company(client, world) -> None:
    customer_a, customer_b = world.a1.customer, world.b1.customer
    InstallationFactory(
        customer=customer_a, product=ProductFactory(name="CTVox"), version="7.1", build="2291"
    )
    InstallationFactory(
        customer=customer_b, product=ProductFactory(name="CTDialer"), version="3.3", build="0042"
    )
    client.force_login(world.a2.user)
    response = client.get(reverse("portal:company"))
    assert response.status_code == 200
    body = response.content.decode()
    contract_a = customer_a.contracts.get()
    assert contract_a.number in body and "Vigente" in body
    assert customer_b.contracts.get().number not in body
    assert "CTVox" in body and "7.1" in body and "2291" in body
    assert "CTDialer" not in body and "0042" not in body
    assert world.a1.full_name in body and world.a2.full_name in body and world.b1.full_name not in body
    assert world.b1.email not in body


def test_the_page_shows_hours_channels_and_the_matrix(client, world, settings) -> None:
    client.force_login(world.a1.user)
    body = client.get(reverse("portal:company")).content.decode()
    assert "Lunes a viernes: 07:30–17:30" in body  # the Gold 8x5 calendar
    assert "Los festivos de Colombia no son días hábiles." in body
    assert "extensión 911" in body and settings.SMA_SUPPORT_ADDRESS in body
    for person in EscalationContact.objects.filter(is_active=True).select_related("level"):
        assert person.name in body
        if person.phone_extension:
            assert person.phone_extension in body
        if person.email:
            assert person.email in body
    assert "N6" in body


def test_a_platinum_contract_shows_every_day(client, world) -> None:
    SupportContractFactory(customer=world.a1.customer, plan=platinum_plan())
    client.force_login(world.a1.user)
    body = client.get(reverse("portal:company")).content.decode()
    assert "Todos los días: 00:00–24:00" in body


def test_a_change_request_waits_for_an_admin_and_changes_nothing(client, world) -> None:
    client.force_login(world.a1.user)
    url = reverse("portal:contact_change")
    page = client.get(url)
    assert page.status_code == 200 and world.a1.email in page.content.decode()
    data = {
        "full_name": world.a1.full_name,
        "position": "Gerente de Tecnología",
        "phone": "+57 601 6356535",
        "extension": "205",
        "email": world.a1.email,
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("portal:company")
    request = ContactChangeRequest.objects.get()
    assert request.contact == world.a1 and request.requested_by == world.a1.user
    assert request.proposed == {"position": "Gerente de Tecnología", "extension": "205"}
    assert TechnicalContact.objects.get(pk=world.a1.pk).position == world.a1.position
    body = client.get(reverse("portal:company")).content.decode()
    assert "esperando la aprobación" in body
    assert client.post(url, {**data, "position": "Otra"}).status_code == 200  # one pending at a time
    assert ContactChangeRequest.objects.count() == 1


def test_a_change_request_with_bad_data_is_refused(client, world) -> None:
    client.force_login(world.a1.user)
    page = client.post(
        reverse("portal:contact_change"),
        {"full_name": "", "position": "x", "phone": "abc", "extension": "x1", "email": "no"},
    )
    assert page.status_code == 200
    assert not ContactChangeRequest.objects.exists()


def test_an_installations_version_history_is_shown_to_its_company_only(client, world) -> None:
    installation = world.case_a.installation
    installation.version, installation.build = "8.4", "1045"
    installation.save()
    software_update_apply(
        case=world.case_a,
        actor=world.engineer,
        to_version="8.4.1",
        to_build="1102",
        scheduled_for=datetime(2026, 12, 3, 9, 0, tzinfo=BOGOTA),
        reason="solution",
    )
    client.force_login(world.a1.user)
    body = client.get(reverse("portal:company")).content.decode()
    assert "Historial de versiones" in body
    assert "03/12/2026: 8.4 (1045) → <strong>8.4.1 (1102)</strong>" in body
    client.force_login(world.b1.user)
    assert "8.4.1 (1102)" not in client.get(reverse("portal:company")).content.decode()
