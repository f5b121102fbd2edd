"""In a real browser: a double click on "Registrar el caso" registers one case.

With JavaScript the button disables itself at the first click, so one request leaves the browser.
Without it the browser sends both; the server keeps the second waiting on the first's form token
and answers it with the first's result. Registration is slowed down here so the second click
lands while the first request is still being served.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cases import views
from cases.models import Case
from cases.tests.factories import customer_setup, engineer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass"  # UserFactory's default
CASE_URL = re.compile(r"/casos/SMA-\d{4}-\d{6}/$")


def _slow_registration(monkeypatch) -> None:
    real = views.services.case_register

    def slow(**kwargs: Any) -> Any:
        time.sleep(0.8)
        return real(**kwargs)

    monkeypatch.setattr(views.services, "case_register", slow)


def _fill_registration(page: Page, base_url: str, setup: dict[str, Any], *, javascript: bool) -> None:
    page.goto(f"{base_url}/ingresar/")
    page.get_by_label("Nombre de usuario").fill("ingeniero")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{base_url}/")
    page.goto(f"{base_url}/casos/nuevo/")
    page.locator("#id_customer").select_option(str(setup["customer"].pk))
    if javascript:  # htmx brings the customer's contacts and installations
        expect(page.locator("#id_requester option")).to_have_count(2)
    else:
        with page.expect_navigation():
            page.get_by_role("button", name="Mostrar contactos y productos").click()
    page.locator("#id_requester").select_option(str(setup["requester"].pk))
    page.locator("#id_installation").select_option(str(setup["installation"].pk))
    page.get_by_label("Prioridad").select_option("P1")
    page.get_by_label("Asunto").fill("Caída total de la troncal SIP")
    page.get_by_label("Descripción").fill("Ninguna llamada entra desde las 8:00.")


def _double_click(page: Page) -> None:
    """Two clicks 150 ms apart, as a hand does, sent without waiting for the page to change."""
    button = page.get_by_role("button", name="Registrar el caso")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    time.sleep(0.15)
    page.mouse.click(x, y)


def _count_posts(page: Page) -> list[str]:
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    return posts


def test_a_double_click_on_register_makes_one_case(live_server, page: Page, monkeypatch, screenshot_dir):
    page.set_default_timeout(10000)
    engineer(username="ingeniero")
    setup = customer_setup()
    _fill_registration(page, live_server.url, setup, javascript=True)
    _slow_registration(monkeypatch)
    posts = _count_posts(page)

    # What the button looks like 50 ms after the first click, kept across the navigation.
    page.evaluate(
        """() => document.addEventListener("submit", (event) => setTimeout(() => {
             const button = event.target.querySelector("button.btn-primary");
             sessionStorage.setItem("seen", JSON.stringify(
               [button.disabled, button.getAttribute("aria-disabled")]));
           }, 50))"""
    )
    _double_click(page)
    expect(page).to_have_url(CASE_URL)
    assert page.evaluate("() => sessionStorage.getItem('seen')") == '[true,"true"]'
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator(".sma-messages").filter(has_text=number)).to_be_visible()
    page.screenshot(path=screenshot_dir / "case-register-double-js.png")
    assert Case.objects.count() == 1
    assert len(posts) == 1  # the second click never left the browser


def test_a_double_click_without_javascript_still_makes_one_case(
    live_server, browser, monkeypatch, screenshot_dir
):
    engineer(username="ingeniero")
    setup = customer_setup()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10000)
        _fill_registration(page, live_server.url, setup, javascript=False)
        _slow_registration(monkeypatch)
        posts = _count_posts(page)

        _double_click(page)
        expect(page).to_have_url(CASE_URL)
        expect(page.get_by_test_id("status")).to_have_text("Nuevo")
        page.screenshot(path=screenshot_dir / "case-register-double-nojs.png", full_page=True)
        assert Case.objects.count() == 1
        assert len(posts) == 2  # both clicks reached the server
        expect(page.locator(".sma-messages")).to_contain_text("Esta solicitud ya se había enviado")
    finally:
        context.close()
