"""In a real browser: a case registered from a cut-off e-mail shows when the customer sent it and
flags the file that arrived incomplete; a Bcc copy waits in the admin until staff handle it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.tests.factories import engineer
from contracts.tests.factories import UserFactory
from escalation.models import InboundEmail

from .mail_helpers import eml, receive

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


def test_a_cut_off_email_on_the_case_page_and_a_held_copy_in_the_admin(
    andes, live_server, page: Page, screenshot_dir
) -> None:
    now = timezone.now()
    truncated = receive(eml("thunderbird_truncated.eml"), now=now)
    assert truncated.status == InboundEmail.Status.CASE, truncated.error
    held = receive(eml("thunderbird_bcc.eml"), now=now)
    assert held.status == InboundEmail.Status.HELD

    eng = engineer(first_name="Camilo", last_name="Suárez")
    _sign_in(page, live_server.url, eng.username)
    page.goto(f"{live_server.url}/casos/{truncated.case.number}/")
    expect(page.get_by_test_id("sent-at")).to_contain_text("enviado 23/11/2026 10:04")
    damaged = page.locator(".badge", has_text="dañado")
    expect(damaged).to_have_count(1)
    expect(page.locator("li", has=damaged)).to_contain_text("captura-canal12.png")
    expect(page.get_by_text("Adjuntos que llegaron incompletos")).to_be_visible()
    page.screenshot(path=screenshot_dir / "inbound-case-damaged.png", full_page=True)

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    _sign_in(page, live_server.url, root.username)
    page.goto(f"{live_server.url}/admin/escalation/inboundemail/?status__exact=held")
    expect(page.get_by_text("Falla de grabación en CTLog (para tu información)")).to_be_visible()
    page.locator(f"input[name='_selected_action'][value='{held.pk}']").check()
    page.locator("select[name='action']").select_option("handle_held")
    page.screenshot(path=screenshot_dir / "inbound-admin-held.png", full_page=True)
    page.locator("button[name='index']").click()
    expect(page.locator(".messagelist")).to_contain_text("1 mensaje(s) retenido(s) tramitado(s)")
    held.refresh_from_db()
    assert held.status == InboundEmail.Status.CASE and held.reviewed_by == root
