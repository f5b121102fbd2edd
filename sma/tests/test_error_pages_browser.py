"""The 404 page as an engineer sees it, at desktop and phone widths."""

from __future__ import annotations

import pytest

from cases.tests.factories import engineer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_404_page_in_a_browser(live_server, page, screenshot_dir) -> None:
    engineer(username="ingeniera", first_name="Camila", last_name="Rojas")
    page.goto(f"{live_server.url}/ingresar/")
    page.get_by_label("Nombre de usuario").fill("ingeniera")
    page.get_by_label("Contraseña").fill("s3cret-pass")
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")

    response = page.goto(f"{live_server.url}/casos/SMA-2026-999999/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Página no encontrada").is_visible()
    assert page.get_by_role("link", name="Ir al inicio").is_visible()
    assert page.get_by_role("link", name="Casos", exact=True).is_visible()  # the site's navigation
    page.screenshot(path=screenshot_dir / "404.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.get_by_role("heading", name="Página no encontrada").is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390  # nothing sticks out sideways on a phone
    page.screenshot(path=screenshot_dir / "404-phone.png", full_page=True)

    page.get_by_role("link", name="Abrir la lista de casos").click()
    page.wait_for_url(f"{live_server.url}/casos/")


@pytest.mark.urls("sma.tests.error_urls")
def test_the_500_page_in_a_browser(live_server, page, screenshot_dir) -> None:
    response = page.goto(f"{live_server.url}/fallo/")
    assert response is not None and response.status == 500
    assert page.get_by_role("heading", name="Algo falló de nuestro lado").is_visible()
    page.screenshot(path=screenshot_dir / "500.png", full_page=True)
