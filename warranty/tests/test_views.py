"""The warranty desk over HTTP: the assets list, a warranty-claim case's RMA panel, opening an RMA
and recording its steps (POST with a one-time token), refusals shown in Spanish, permissions."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cases.idempotency import TOKEN_FIELD, form_token_new
from cases.models import CaseKind
from cases.tests.double_submit import ALREADY_SENT, assert_forms_are_idempotent
from cases.tests.factories import engineer, registered_case
from contracts.tests.factories import CustomerFactory, UserFactory
from warranty.models import Rma, RmaStatus, WarrantyPlan

from .factories import HardwareAssetFactory, warranty_case

pytestmark = pytest.mark.django_db
ASSETS = reverse("warranty:asset_list")


@pytest.fixture
def desk(client):
    client.force_login(engineer())
    return client


@pytest.fixture
def claim():
    case, setup = warranty_case()
    asset = HardwareAssetFactory(
        customer=setup["customer"], model="CTLog Appliance R2", serial_number="CTA-777"
    )
    return case, asset


def test_contacts_never_reach_the_warranty_desk(client, claim) -> None:
    case, _ = claim
    client.force_login(UserFactory())
    for url in (ASSETS, reverse("warranty:case_rma", args=[case.number])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("warranty:rma_open", args=[case.number]), {}).status_code == 403


def test_assets_list_with_state_and_filters(desk) -> None:
    mine = CustomerFactory(name="Banco Andino S.A.")
    HardwareAssetFactory(customer=mine, serial_number="VALID-1", nbd_24x7=True, spare_kit=True)
    HardwareAssetFactory(
        customer=mine, serial_number="OLD-1", warranty_start=date(2025, 1, 1), warranty_end=date(2025, 12, 31)
    )
    HardwareAssetFactory(serial_number="OTHER-1", delivery_city="Leticia")
    page = desk.get(ASSETS).content.decode()
    assert "VALID-1" in page and "OLD-1" in page and "OTHER-1" in page
    assert "Vencida" in page and "Vigente" in page and "24x7 siguiente día hábil" in page
    assert "transporte no cubierto" in page
    only = desk.get(ASSETS, {"customer": mine.pk, "state": "in_force"}).content.decode()
    assert "VALID-1" in only and "OLD-1" not in only and "OTHER-1" not in only
    expired = desk.get(ASSETS, {"state": "expired"}).content.decode()
    assert "OLD-1" in expired and "VALID-1" not in expired
    assert desk.get(ASSETS, {"customer": "x", "state": "nope", "page": "²"}).status_code == 200


def test_assets_list_is_paginated_in_sql(desk, django_assert_max_num_queries) -> None:
    customer = CustomerFactory()
    HardwareAssetFactory.create_batch(30, customer=customer)
    with django_assert_max_num_queries(12):
        first = desk.get(ASSETS).content.decode()
    assert first.count('data-testid="asset-row"') == 25 and "Página 1 de 2" in first
    assert desk.get(ASSETS, {"page": 2}).content.decode().count('data-testid="asset-row"') == 5


def test_home_links_to_the_warranty_desk(desk) -> None:
    page = desk.get(reverse("home")).content.decode()
    assert f'href="{ASSETS}"' in page and "Próximamente" not in page


def test_case_page_of_a_warranty_claim_loads_the_rma_panel(desk, claim) -> None:
    case, _ = claim
    page = desk.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert f'hx-get="{reverse("warranty:case_rma", args=[case.number])}"' in page
    incident = registered_case(kind=CaseKind.INCIDENT)
    assert (
        'data-testid="rma-panel"'
        not in desk.get(reverse("cases:detail", args=[incident.number])).content.decode()
    )


def test_open_an_rma_and_walk_it_through_its_steps(desk, claim) -> None:
    case, asset = claim
    panel_url = reverse("warranty:case_rma", args=[case.number])
    panel = desk.get(panel_url, headers={"HX-Request": "true"}).content.decode()
    assert "CTA-777" in panel and "Abrir un RMA" in panel
    response = desk.post(
        reverse("warranty:rma_open", args=[case.number]),
        {"rma-open-asset": asset.pk, "rma-open-fault": "No enciende.", TOKEN_FIELD: form_token_new()},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/casos/{case.number}/#rma")
    rma = Rma.objects.get()
    panel = desk.get(panel_url).content.decode()
    assert "entrega del reemplazo en" in panel and "hábiles" in panel
    actions = assert_forms_are_idempotent(panel, panel_url)
    assert reverse("warranty:rma_step", args=[rma.pk, "approved"]) in actions
    for step in ("approved", "dispatched", "delivered", "reinstalled", "restored", "received", "closed"):
        response = desk.post(
            reverse("warranty:rma_step", args=[rma.pk, step]),
            {f"rma{rma.pk}-{step}-note": "", TOKEN_FIELD: form_token_new()},
        )
        assert response.status_code == 302, step
    rma.refresh_from_db()
    assert rma.status == RmaStatus.CLOSED
    assert "reemplazo entregado a tiempo" in desk.get(panel_url).content.decode()


def test_a_step_sent_twice_is_recorded_once(desk, claim) -> None:
    case, asset = claim
    data = {"rma-open-asset": asset.pk, "rma-open-fault": "No enciende.", TOKEN_FIELD: form_token_new()}
    url = reverse("warranty:rma_open", args=[case.number])
    first, second = desk.post(url, data), desk.post(url, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert ALREADY_SENT in desk.get(second["Location"]).content.decode()
    assert Rma.objects.count() == 1


def test_rejection_needs_an_exclusion_and_says_it(desk, claim) -> None:
    case, asset = claim
    desk.post(
        reverse("warranty:rma_open", args=[case.number]),
        {"rma-open-asset": asset.pk, "rma-open-fault": "x", TOKEN_FIELD: form_token_new()},
    )
    rma = Rma.objects.get()
    url = reverse("warranty:rma_step", args=[rma.pk, "rejected"])
    missing = desk.post(url, {f"rma{rma.pk}-rejected-exclusion": "", TOKEN_FIELD: form_token_new()})
    assert missing.status_code == 400
    done = desk.post(url, {f"rma{rma.pk}-rejected-exclusion": "electrical", TOKEN_FIELD: form_token_new()})
    assert done.status_code == 302
    rma.refresh_from_db()
    assert rma.status == RmaStatus.REJECTED and rma.exclusion == "electrical"


def test_an_expired_warranty_is_refused_in_the_page(desk) -> None:
    case, setup = warranty_case()
    asset = HardwareAssetFactory(
        customer=setup["customer"],
        serial_number="OLD-9",
        warranty_plan=WarrantyPlan.EXTENDED,
        warranty_start=date(2025, 1, 1),
        warranty_end=date(2025, 12, 31),
    )
    response = desk.post(
        reverse("warranty:rma_open", args=[case.number]),
        {"rma-open-asset": asset.pk, "rma-open-fault": "x", TOKEN_FIELD: form_token_new()},
    )
    assert response.status_code == 400
    assert "La garantía de CTLog Appliance R2 OLD-9 venció el 31/12/2025." in response.content.decode()
    assert not Rma.objects.exists()


def test_the_countdown_fragment(desk, claim) -> None:
    case, asset = claim
    desk.post(
        reverse("warranty:rma_open", args=[case.number]),
        {"rma-open-asset": asset.pk, "rma-open-fault": "x", TOKEN_FIELD: form_token_new()},
    )
    rma = Rma.objects.get()
    fragment = desk.get(reverse("warranty:rma_countdown", args=[rma.pk])).content.decode()
    assert "sma-countdown-pending" in fragment and "every 60s" in fragment
