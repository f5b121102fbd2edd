"""In a real browser on a phone (390 px): a contact requests a preventive maintenance in the portal
and sees the quota used / entitled move, then cancels it before it takes place; and a contact
downloads their company's support certificate, a real PDF with its number and code. Screenshots in
test-artifacts/."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from cases.tests.factories import customer_setup
from contracts.tests.factories import TechnicalContactFactory, UserFactory
from warranty import services as warranty_services
from warranty.codes import code_grouped
from warranty.models import PreventiveMaintenance
from warranty.tests.certificate_factories import covered_installation

from .test_browser_company_survey import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _fits(page: Page) -> None:
    """Nothing pushes the page sideways on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_contact_requests_a_preventive_maintenance_on_a_phone_and_sees_the_quota(
    live_server, page: Page, screenshot_dir: Path
) -> None:
    page.set_default_timeout(10000)
    page.set_viewport_size(PHONE)
    setup = customer_setup(start_date=date(2026, 2, 1), end_date=date(2028, 1, 31))
    customer = setup["customer"]
    customer.name = "Clínica de los Andes S.A.S."
    customer.save()
    contact = setup["requester"]
    contact.user = UserFactory(username="ana.rodriguez", first_name="Ana", last_name="Rodríguez")
    contact.save()

    _sign_in(page, live_server.url, "ana.rodriguez")
    page.goto(f"{live_server.url}/portal/garantia/")
    expect(page.get_by_test_id("quota")).to_contain_text("0 de 2 usados")
    form = page.locator("form", has=page.locator("select[name=pm-contract]"))
    form.locator("select[name=pm-contract]").select_option(value=str(setup["contract"].pk))
    form.locator("select[name=pm-installation]").select_option(value=str(setup["installation"].pk))
    # Too soon first: refused in the page, in Spanish, nothing scheduled.
    form.locator("input[name=pm-day]").fill("2026-12-04")
    form.locator("input[name=pm-start]").fill("09:00")
    page.screenshot(path=screenshot_dir / "portal_maintenance_form_390.png", full_page=True)
    form.get_by_role("button", name="Solicitar el mantenimiento").click()
    expect(page.locator(".alert-danger, .invalid-feedback, .errorlist").first).to_contain_text(
        "al menos 8 días de antelación"
    )
    assert not PreventiveMaintenance.objects.exists()
    _fits(page)

    form = page.locator("form", has=page.locator("select[name=pm-contract]"))
    form.locator("select[name=pm-contract]").select_option(value=str(setup["contract"].pk))
    form.locator("select[name=pm-installation]").select_option(value=str(setup["installation"].pk))
    form.locator("input[name=pm-day]").fill("2026-12-10")
    form.locator("input[name=pm-start]").fill("09:00")
    form.get_by_role("button", name="Solicitar el mantenimiento").click()
    page.wait_for_url(re.compile(r"/portal/casos/"))
    expect(page.locator(".alert-success")).to_contain_text("Mantenimiento preventivo solicitado")
    maintenance = PreventiveMaintenance.objects.get()
    expect(page.locator("body")).to_contain_text(maintenance.case.number)

    page.goto(f"{live_server.url}/portal/garantia/")
    expect(page.get_by_test_id("quota")).to_contain_text("1 de 2 usados")
    expect(page.get_by_test_id("portal-maintenances")).to_contain_text(maintenance.case.number)
    page.screenshot(path=screenshot_dir / "portal_maintenance_requested_390.png", full_page=True)
    _fits(page)

    # Cancelled before it takes place: the place is given back.
    row = page.get_by_test_id("portal-maintenance").first
    row.get_by_placeholder("¿Por qué se cancela?").fill("Cambiamos la ventana de mantenimiento")
    row.get_by_role("button", name="Cancelar el mantenimiento").click()
    expect(page.locator(".alert-success")).to_contain_text("ya no cuenta en el cupo")
    expect(page.get_by_test_id("quota")).to_contain_text("0 de 2 usados")
    expect(page.get_by_test_id("portal-maintenance").first).to_contain_text("cancelado")
    page.screenshot(path=screenshot_dir / "portal_maintenance_cancelled_390.png", full_page=True)
    _fits(page)
    maintenance.refresh_from_db()
    assert maintenance.cancelled_by == contact.user


def test_a_contact_downloads_the_companys_certificate_on_a_phone(
    live_server, page: Page, screenshot_dir: Path, tmp_path: Path
) -> None:
    page.set_default_timeout(15000)
    page.set_viewport_size(PHONE)
    issuer = UserFactory(username="lmendez", first_name="Laura", last_name="Méndez Ruiz", is_staff=True)
    installation = covered_installation(product="CTLog")
    certificate = warranty_services.certificate_issue(installation=installation, actor=issuer)
    other = warranty_services.certificate_issue(
        installation=covered_installation(customer=customer_setup()["customer"], product="CTVox"), actor=issuer
    )
    contact = TechnicalContactFactory(customer=installation.customer, full_name="Ana Rodríguez")
    contact.user = UserFactory(username="ana.rodriguez", first_name="Ana", last_name="Rodríguez")
    contact.save()

    _sign_in(page, live_server.url, "ana.rodriguez")
    page.goto(f"{live_server.url}/portal/certificados/")
    cards = page.get_by_test_id("certificates")  # stacked on a phone, a block per certificate
    expect(cards).to_contain_text(certificate.number)
    expect(cards).to_contain_text(code_grouped(certificate.code))
    expect(cards).not_to_contain_text(other.number)
    page.screenshot(path=screenshot_dir / "portal_certificates_390.png", full_page=True)
    _fits(page)
    with page.expect_download() as download_info:
        cards.get_by_role("link", name="Descargar el PDF").first.click()
    download = download_info.value
    assert download.suggested_filename == f"certificado-{certificate.number}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = PdfReader(saved).pages[0].extract_text()
    assert certificate.number in text and code_grouped(certificate.code) in text
    assert "Banco Andino S.A." in text and "CTLog" in text
    # the document as the customer gets it, looked at
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", str(saved), str(screenshot_dir / "portal_certificate_pdf")],
        check=True,
    )
