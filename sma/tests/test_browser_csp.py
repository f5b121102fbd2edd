"""In a real browser: the main pages of each kind of user raise no Content-Security-Policy
violation (nothing of theirs is blocked), and still work (menus, countdown)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from portal.tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || ''));
});
"""


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/ingresar/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state()


def _visit(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations")


def test_main_pages_raise_no_violation(live_server, browser) -> None:
    world = build_world()
    base = live_server.url
    pages = {
        "ingeniera.w": [
            reverse("cases:list"),
            reverse("cases:detail", args=[world.case_a.number]),
            reverse("cases:register"),
        ],
        "gerente.w": [reverse("reports:dashboard")],
        "ana.w": [
            reverse("portal:home"),
            reverse("portal:case_detail", args=[world.case_a_waiting.number]),
            reverse("portal:case_new"),
            reverse("portal:company"),
        ],
    }
    found: dict[str, list[str]] = {}
    for username, urls in pages.items():
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.set_default_timeout(10000)
        try:
            _sign_in(page, base, username)
            for url in urls:
                violations = _visit(page, f"{base}{url}")
                if violations:
                    found[url] = violations
            if username == "ana.w":
                # The countdown's script still runs under the policy.
                page.goto(f"{base}{reverse('portal:case_detail', args=[world.case_a_waiting.number])}")
                countdown = page.get_by_test_id("clock").locator(".sma-countdown")
                first = countdown.text_content()
                page.wait_for_timeout(1500)
                assert countdown.text_content() != first
        finally:
            context.close()
    assert not found, found


def test_the_admin_raises_no_violation(live_server, browser, admin_user) -> None:
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        page.wait_for_url(re.compile(r"/admin/$"))
        for url in ("/admin/", "/admin/contracts/supportcontract/add/", "/admin/cases/case/"):
            assert _visit(page, f"{live_server.url}{url}") == [], url
    finally:
        context.close()
