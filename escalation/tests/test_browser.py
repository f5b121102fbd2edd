"""In a real browser: an engineer records a customer's complaint on a case whose attention time
passed; a support manager finds it in the PQR queue, acknowledges and resolves it. The customer's
e-mails are rendered and looked at too."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.tests.factories import engineer, manager, registered_case
from escalation import services
from escalation.models import CustomerEmail, Pqr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass"  # UserFactory's default


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/ingresar/"))
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{base_url}/")


def test_a_complaint_climbs_and_is_resolved(live_server, page: Page, screenshot_dir) -> None:
    eng = engineer(first_name="Camilo", last_name="Suárez")
    boss = manager(first_name="Laura", last_name="Gómez")
    case = registered_case(
        actor=eng,
        priority="P1",
        subject="Caída total del enrutador de llamadas",
        now=timezone.now() - timedelta(days=3),
    )

    _sign_in(page, live_server.url, eng.username)
    page.goto(f"{live_server.url}/casos/{case.number}/")
    page.get_by_test_id("pqr-link").click()
    expect(page.get_by_role("heading", name="Escalamientos del cliente (PQR)")).to_be_visible()
    page.get_by_text("Registrar una PQR del cliente").click()
    page.get_by_label("Tipo").select_option("complaint")
    page.get_by_label("Qué pide el cliente").fill("Nadie nos ha llamado y el enrutador sigue caído.")
    page.get_by_role("button", name="Registrar y notificar a N1").click()
    expect(page.get_by_test_id("pqr-level")).to_contain_text("N1")
    page.screenshot(path=screenshot_dir / "pqr-raised.png", full_page=True)

    _sign_in(page, live_server.url, boss.username)
    page.goto(f"{live_server.url}/pqr/")
    expect(page.get_by_test_id("pqr-row")).to_have_count(1)
    page.screenshot(path=screenshot_dir / "pqr-queue.png", full_page=True)
    page.get_by_role("link", name=re.compile(r"PQR-\d+")).click()
    page.get_by_text("Acusar recibo en este nivel").click()
    page.get_by_label("Nota para el cliente (opcional)").fill("La llamo en 10 minutos.")
    page.locator("#acknowledge").get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Acusó recibo Laura Gómez")).to_be_visible()
    page.get_by_text("Resolver", exact=True).click()
    page.get_by_label("Respuesta al cliente").fill("Un ingeniero restableció el enrutador en sitio.")
    page.locator("#resolve").get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Un ingeniero restableció el enrutador en sitio.")).to_be_visible()
    page.screenshot(path=screenshot_dir / "pqr-resolved.png", full_page=True)
    assert Pqr.objects.get().status == Pqr.Status.RESOLVED

    # What the customer receives: the registration and each PQR step, as their mail client shows it.
    services.customer_email_collect()
    for email in CustomerEmail.objects.order_by("id"):
        page.set_content(email.body_html)
        page.screenshot(path=screenshot_dir / f"email-{email.event}-{email.pk}.png", full_page=True)
    assert CustomerEmail.objects.filter(event=CustomerEmail.Event.PQR).count() == 3
