"""In a real browser, on a desktop (1366 px) and a phone (390 px): an engineer opens an RMA from a
warranty-claim case's page, sees the replacement's delivery countdown, and moves the RMA through
its steps to closure; then the assets list. Screenshots in test-artifacts/."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from cases.tests.factories import engineer
from cases.tests.test_browser import _sign_in
from warranty.models import Rma, RmaStatus, WarrantyPlan

from .factories import HardwareAssetFactory, warranty_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(page: Page, rma: Rma, step: str, label: str, note: str = "") -> None:
    panel = page.locator("#rma")
    panel.locator("summary", has_text=label).first.click()
    if note:
        panel.locator(f"#id_rma{rma.pk}-{step}-note").fill(note)
    panel.get_by_test_id(f"rma-step-{step}").click()
    expect(page.locator(".alert-success", has_text=label)).to_be_visible()


@pytest.mark.parametrize("width", [1366, 390])
def test_engineer_works_an_rma_from_the_case_page(
    live_server, browser: Browser, screenshot_dir, width
) -> None:
    engineer(username="ingeniero", first_name="Camilo", last_name="Suárez")
    case, setup = warranty_case(subject="El appliance de grabación no enciende")
    good = HardwareAssetFactory(
        customer=setup["customer"],
        model="CTLog Plus Appliance R3",
        serial_number="CTA-R3-240117",
        installation=setup["installation"],
    )
    old = HardwareAssetFactory(
        customer=setup["customer"],
        model="CTVox Media Gateway MG-30",
        serial_number="CTV-MG30-118842",
        warranty_plan=WarrantyPlan.EXTENDED,
        warranty_start=date(2025, 1, 1),
        warranty_end=date(2025, 12, 31),
    )
    context = browser.new_context(viewport={"width": width, "height": 844 if width == 390 else 900})
    page = context.new_page()
    page.set_default_timeout(8000)
    try:
        _sign_in(page, live_server.url, "ingeniero")
        page.goto(f"{live_server.url}/casos/{case.number}/")
        panel = page.locator("#rma")
        # Loaded by htmx into the case page: the customer's units with their warranty state.
        expect(panel.get_by_test_id("case-assets")).to_contain_text("CTA-R3-240117")
        expect(panel.get_by_test_id("case-assets")).to_contain_text("Vencida")

        # The expired unit is refused with its end date.
        panel.locator("summary", has_text="Abrir un RMA").click()
        panel.get_by_label("Equipo").select_option(value=str(old.pk))
        panel.get_by_label("Falla encontrada").fill("No enciende.")
        panel.get_by_test_id("rma-open").click()
        expect(page.locator(".alert-danger")).to_contain_text(
            "La garantía de CTVox Media Gateway MG-30 CTV-MG30-118842 venció el 31/12/2025."
        )

        page.goto(f"{live_server.url}/casos/{case.number}/")
        panel.locator("summary", has_text="Abrir un RMA").click()
        panel.get_by_label("Equipo").select_option(value=str(good.pk))
        panel.get_by_label("Falla encontrada").fill(
            "Fuente de poder averiada: no enciende tras un corte de energía."
        )
        panel.get_by_test_id("rma-open").click()
        expect(page.locator(".alert-success")).to_contain_text("abierto; se avisó al cliente por correo")
        rma = Rma.objects.get()
        expect(panel.get_by_test_id("rma-status")).to_have_text("Solicitado")
        expect(panel.get_by_test_id("rma-countdown")).to_have_text(
            re.compile(r"^entrega del reemplazo en \d+ h")
        )
        expect(page.locator("#timeline")).to_contain_text("RMA solicitado para CTLog Plus Appliance R3")
        page.screenshot(path=screenshot_dir / f"rma_requested_{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing pushes it sideways

        _step(page, rma, "approved", "Aprobado", note="Se despacha un equipo del inventario de Bogotá.")
        _step(page, rma, "dispatched", "Reemplazo despachado")
        expect(panel.get_by_test_id("rma-status")).to_have_text("Reemplazo despachado")
        page.screenshot(path=screenshot_dir / f"rma_dispatched_{width}.png", full_page=True)
        _step(page, rma, "delivered", "Reemplazo entregado")
        expect(panel.get_by_test_id("rma-countdown")).to_have_text("reemplazo entregado a tiempo")
        _step(page, rma, "reinstalled", "Reinstalado remotamente")
        _step(page, rma, "restored", "Restaurado el último backup")
        _step(page, rma, "received", "Equipo averiado recibido")
        _step(page, rma, "closed", "Cerrado")
        expect(panel.get_by_test_id("rma-status")).to_have_text("Cerrado")
        expect(panel.get_by_test_id("rma-steps").locator("li")).to_have_count(8)
        rma.refresh_from_db()
        assert rma.status == RmaStatus.CLOSED and rma.delivery_met
        page.screenshot(path=screenshot_dir / f"rma_closed_{width}.png", full_page=True)

        page.goto(f"{live_server.url}/garantias/")
        expect(page.get_by_test_id("asset-row")).to_have_count(2)
        page.screenshot(path=screenshot_dir / f"warranty_assets_{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
