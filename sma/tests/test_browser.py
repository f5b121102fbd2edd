"""In a real browser: a user signs in, lands on the home page, switches language, signs out."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_home_language_and_sign_out(live_server, page, django_user_model, screenshot_dir) -> None:
    django_user_model.objects.create_user(
        "ingeniero", password="s3cret-pass", first_name="Camilo", last_name="Suárez", is_staff=True
    )
    page.goto(f"{live_server.url}/")
    assert "/ingresar/" in page.url
    page.get_by_label("Nombre de usuario").fill("ingeniero")
    page.get_by_label("Contraseña").fill("s3cret-pass")
    page.screenshot(path=screenshot_dir / "login.png", full_page=True)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Bienvenido(a), Camilo Suárez").is_visible()
    page.screenshot(path=screenshot_dir / "home.png", full_page=True)

    page.locator("select[name=language]").first.select_option("en")
    page.wait_for_load_state("load")
    page.get_by_role("heading", name="Welcome, Camilo Suárez").wait_for()
    page.wait_for_load_state("load")  # the heading shows before the switcher's script listens

    page.locator("select[name=language]").first.select_option("es-co")
    page.get_by_role("heading", name="Bienvenido(a), Camilo Suárez").wait_for()
    page.get_by_role("button", name="Camilo").click()
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url(f"{live_server.url}/ingresar/")
