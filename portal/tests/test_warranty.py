"""The portal's warranty page: a contact sees their company's units with their warranty state and
the preventive maintenance quota (used / entitled), never another company's unit (404), and
requests a maintenance themselves (a case of kind "preventive maintenance", channel portal)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cases.idempotency import TOKEN_FIELD, form_token_new
from cases.models import CaseKind, Channel
from cases.tests.double_submit import assert_forms_are_idempotent
from warranty.models import PreventiveMaintenance
from warranty.tests.factories import HardwareAssetFactory

from .world import World

pytestmark = pytest.mark.django_db


def test_a_contact_sees_their_companys_units_and_quota(client, world: World) -> None:
    mine = HardwareAssetFactory(customer=world.case_a.customer, serial_number="MINE-1")
    HardwareAssetFactory(
        customer=world.case_a.customer,
        serial_number="OLD-1",
        warranty_start=date(2024, 1, 1),
        warranty_end=date(2024, 12, 31),
    )
    theirs = HardwareAssetFactory(customer=world.case_b.customer, serial_number="THEIRS-1")
    client.force_login(world.a1.user)
    page = client.get(reverse("portal:warranty")).content.decode()
    assert "MINE-1" in page and "OLD-1" in page and "THEIRS-1" not in page
    assert "Vigente" in page and "Vencida" in page
    assert "0 de 2 usados" in page
    assert client.get(reverse("portal:warranty_asset", args=[mine.pk])).status_code == 200
    assert client.get(reverse("portal:warranty_asset", args=[theirs.pk])).status_code == 404


def test_a_contact_requests_a_preventive_maintenance(client, world: World) -> None:
    client.force_login(world.a1.user)
    contract = world.case_a.contract
    data = {
        "pm-contract": contract.pk,
        "pm-installation": world.case_a.installation_id,
        "pm-day": "2026-12-10",
        "pm-start": "09:00",
        TOKEN_FIELD: form_token_new(),
    }
    response = client.post(reverse("portal:warranty_maintenance"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    maintenance = PreventiveMaintenance.objects.get()
    assert maintenance.requested_by == world.a1 and maintenance.recorded_by is None
    assert (
        maintenance.case.kind == CaseKind.PREVENTIVE_MAINTENANCE
        and maintenance.case.channel == Channel.PORTAL
    )
    assert response["Location"] == reverse("portal:case_detail", args=[maintenance.case.number])
    assert "1 de 2 usados" in client.get(reverse("portal:warranty")).content.decode()
    too_soon = client.post(
        reverse("portal:warranty_maintenance"),
        {**data, "pm-day": "2026-12-04", TOKEN_FIELD: form_token_new()},
    )
    assert too_soon.status_code == 400 and "al menos 8 días de antelación" in too_soon.content.decode()


def test_a_contact_cancels_a_maintenance_before_it_happens_and_never_another_companys(
    client, world: World
) -> None:
    client.force_login(world.a1.user)
    contract = world.case_a.contract
    client.post(
        reverse("portal:warranty_maintenance"),
        {
            "pm-contract": contract.pk,
            "pm-installation": world.case_a.installation_id,
            "pm-day": "2026-12-10",
            "pm-start": "09:00",
            TOKEN_FIELD: form_token_new(),
        },
    )
    maintenance = PreventiveMaintenance.objects.get()
    page = client.get(reverse("portal:warranty")).content.decode()
    assert "1 de 2 usados" in page and "Cancelar el mantenimiento" in page
    assert_forms_are_idempotent(page, reverse("portal:warranty"))
    url = reverse("portal:warranty_maintenance_cancel", args=[maintenance.pk])
    data = {f"cancel-{maintenance.pk}-reason": "Cambio de fecha", TOKEN_FIELD: form_token_new()}
    # a contact of another company: not found, nothing cancelled
    client.force_login(world.b1.user)
    assert client.post(url, data).status_code == 404
    maintenance.refresh_from_db()
    assert maintenance.cancelled_at is None
    client.force_login(world.a2.user)  # any contact of the company may cancel it
    assert client.get(url).status_code == 405
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("portal:warranty")
    maintenance.refresh_from_db()
    assert maintenance.cancelled_by == world.a2.user and maintenance.cancel_reason == "Cambio de fecha"
    page = client.get(reverse("portal:warranty")).content.decode()
    assert "0 de 2 usados" in page and "cancelado" in page and "Cancelar el mantenimiento" not in page
