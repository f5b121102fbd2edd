"""In a real browser, on a phone (390 px) and a desktop (1366 px): the case list and the PQR queue
keep each row's priority, status and countdown on screen; at-risk and breached rows are marked."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cases.models import Case
from cases.tests.factories import customer_setup, engineer, manager, registered_case
from escalation import services as escalation_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass"  # UserFactory's default


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/ingresar/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{base_url}/")


def _queue(actor, now: datetime) -> None:
    setup = customer_setup()
    registered_case(
        actor=actor,
        setup=setup,
        priority="P1",
        subject="Caída total del enrutador de llamadas en la sede principal",
        now=now - timedelta(days=10),
    )
    at_risk = registered_case(
        actor=actor, setup=setup, priority="P2", subject="La grabación se detiene cada hora"
    )
    Case.objects.filter(pk=at_risk.pk).update(
        attention_at_risk_at=now - timedelta(minutes=1), attention_due_at=now + timedelta(hours=1)
    )
    registered_case(actor=actor, setup=setup, priority="P3", subject="Consulta sobre licencias de la consola")
    registered_case(actor=actor, setup=setup, priority="", channel="email", subject="Pregunta por correo")


def _in_view(page: Page, locator) -> None:
    """Visible and inside the viewport's width (not behind a sideways scroll)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)


@pytest.mark.parametrize("width", [390, 1366])
def test_case_list_keeps_priority_status_and_countdown_on_screen(
    live_server, browser: Browser, screenshot_dir, width
) -> None:
    now = timezone.now()
    user = engineer(username="ingeniera")
    _queue(user, now)
    context = browser.new_context(viewport={"width": width, "height": 844 if width == 390 else 900})
    page = context.new_page()
    page.set_default_timeout(8000)
    try:
        _sign_in(page, live_server.url, "ingeniera")
        page.goto(f"{live_server.url}/casos/")
        rows = page.locator(".sma-case-table tbody tr")
        expect(rows).to_have_count(4)
        # Unanswered first, by deadline: the breached P1, then the at-risk P2.
        expect(rows.nth(0)).to_have_class(re.compile("sma-row-breached"))
        expect(rows.nth(1)).to_have_class(re.compile("sma-row-at-risk"))
        expect(rows.nth(1).locator(".sma-countdown-at_risk")).to_have_text(re.compile("^en riesgo: vence en"))
        for i in range(4):
            row = rows.nth(i)
            _in_view(page, row.locator(".sma-case-priority"))
            _in_view(page, row.locator(".sma-case-status .badge"))
            _in_view(page, row.locator(".sma-case-attention > *").first)
        name = "case_list_390.png" if width == 390 else "case_list_1366.png"
        page.screenshot(path=screenshot_dir / name, full_page=True)
    finally:
        context.close()


def test_pqr_queue_on_a_phone_keeps_priority_status_and_countdown(
    live_server, browser: Browser, screenshot_dir
) -> None:
    now = timezone.now()
    boss = manager(username="gerente")
    for subject in ("Nadie nos llamó en dos días", "El reclamo de garantía sigue sin respuesta"):
        case = registered_case(priority="P1", subject=subject, now=now - timedelta(days=7))
        escalation_services.pqr_raise(
            actor=boss,
            case=case,
            contact=case.requester,
            kind="complaint",
            description="Nadie nos ha llamado.",
        )
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(8000)
    try:
        _sign_in(page, live_server.url, "gerente")
        page.goto(f"{live_server.url}/pqr/")
        rows = page.get_by_test_id("pqr-row")
        expect(rows).to_have_count(2)
        for i in range(2):
            row = rows.nth(i)
            _in_view(page, row.get_by_test_id("pqr-priority").locator(".badge"))
            _in_view(page, row.get_by_test_id("pqr-status").locator(".badge"))
            clock = row.get_by_test_id("pqr-clock").locator(".sma-countdown")
            _in_view(page, clock)
            expect(clock).to_have_text(re.compile(r"^(acusar recibo en|acuse de recibo vencido hace) "))
        page.screenshot(path=screenshot_dir / "pqr_queue_390.png", full_page=True)
    finally:
        context.close()
